// ListView: the products, filtered by status and category, with counts per status and cursor
// pagination. It keeps itself current while the worker runs: every kBusyPollMs while a product
// on screen or in the counts is queued or processing, every kIdlePollMs otherwise (products
// created elsewhere still show up), never while the tab is hidden. Cards are keyed by product
// id and replaced only when their product changed, so polling neither flickers nor moves focus.
import {h, keepingFocus, kBusyStatuses, kProductStatuses, kStatusLabels, photo, statusBadge} from './dom.js';

const kPageSize = 24;
const kMaxRefreshLimit = 200;  // the API's largest page
const kBusyPollMs = 2000;
const kIdlePollMs = 15000;

export class ListView {
  // filter: {status, category} from the address; announce(text) speaks to the live region.
  constructor({api, filter, announce, onFilterChange}) {
    this.api_ = api;
    this.filter_ = {status: filter.status || '', category: filter.category || ''};
    this.announce_ = announce;
    this.onFilterChange_ = onFilterChange;
    this.products_ = [];  // in the API's order (ascending id)
    this.cards_ = new Map();  // id -> {json, node}
    this.nextCursor_ = null;
    this.counts_ = null;
    this.timer_ = 0;
    this.generation_ = 0;  // bumps when the filter changes: late answers for an old one are dropped
    this.stopped_ = false;
    this.onVisibility_ = () => { if (!document.hidden) this.schedule_(0); };
    this.node = this.build_();
  }

  async start() {
    document.addEventListener('visibilitychange', this.onVisibility_);
    await this.reload_();
  }

  stop() {
    this.stopped_ = true;
    clearTimeout(this.timer_);
    document.removeEventListener('visibilitychange', this.onVisibility_);
  }

  build_() {
    this.heading_ = h('h1', {tabindex: '-1'}, 'Products');
    this.tabs_ = h('div', {class: 'status-tabs', role: 'group', 'aria-label': 'Filter by status'});
    this.tabButtons_ = new Map();
    for (const status of ['', ...kProductStatuses]) {
      const count = h('span', {class: 'status-tabs__count'}, '–');
      const button = h('button', {type: 'button', class: 'status-tabs__tab', id: `status-tab-${status || 'all'}`,
                                  'aria-pressed': String(status === this.filter_.status),
                                  onclick: () => this.setFilter_({status})},
                       h('span', {}, status ? kStatusLabels[status] : 'All'), ' ', count);
      this.tabButtons_.set(status, {button, count});
      this.tabs_.append(button);
    }
    this.categoryInput_ = h('input', {type: 'search', id: 'category-filter', name: 'category',
                                      list: 'category-options', autocomplete: 'off',
                                      placeholder: 'Any category', value: this.filter_.category});
    this.categoryList_ = h('datalist', {id: 'category-options'});
    let debounce = 0;
    this.categoryInput_.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => this.setFilter_({category: this.categoryInput_.value.trim()}), 350);
    });
    this.categoryInput_.addEventListener('change', () => {
      clearTimeout(debounce);
      this.setFilter_({category: this.categoryInput_.value.trim()});
    });
    this.summary_ = h('p', {class: 'list-summary', role: 'status'});
    this.error_ = h('p', {class: 'alert alert--error', role: 'alert', hidden: true});
    this.grid_ = h('ul', {class: 'product-grid', 'aria-label': 'Products'});
    this.empty_ = h('p', {class: 'empty', hidden: true});
    this.more_ = h('button', {type: 'button', class: 'button', id: 'load-more', hidden: true,
                              onclick: () => this.loadMore_()}, 'Load more products');
    return h('section', {class: 'view list-view', 'aria-labelledby': 'products-heading'},
             h('div', {class: 'view-head'}, Object.assign(this.heading_, {id: 'products-heading'}),
               h('a', {class: 'button button--primary', href: '#/new'}, 'New product')),
             h('div', {class: 'filters'}, this.tabs_,
               h('div', {class: 'field field--inline'},
                 h('label', {for: 'category-filter'}, 'Category'), this.categoryInput_, this.categoryList_)),
             this.summary_, this.error_, this.grid_, this.empty_, h('div', {class: 'more'}, this.more_));
  }

  setFilter_(change) {
    const next = {...this.filter_, ...change};
    if (next.status === this.filter_.status && next.category === this.filter_.category) return;
    this.filter_ = next;
    for (const [status, {button}] of this.tabButtons_) {
      button.setAttribute('aria-pressed', String(status === next.status));
    }
    this.onFilterChange_?.(next);
    this.products_ = [];
    this.nextCursor_ = null;
    this.reload_();
  }

  async reload_() {
    const generation = ++this.generation_;
    this.grid_.setAttribute('aria-busy', 'true');
    const [list, counts] = await Promise.all([
      this.api_.listProducts({...this.filter_, limit: kPageSize}), this.api_.counts()]);
    if (this.stopped_ || generation !== this.generation_) return;
    this.grid_.removeAttribute('aria-busy');
    this.apply_(list, counts, {replace: true});
    this.schedule_();
  }

  async loadMore_() {
    if (!this.nextCursor_) return;
    const generation = this.generation_;
    this.more_.disabled = true;
    const list = await this.api_.listProducts({...this.filter_, limit: kPageSize, cursor: this.nextCursor_});
    this.more_.disabled = false;
    if (this.stopped_ || generation !== this.generation_) return;
    if (list.error) return this.showError_(list.error);
    const before = this.products_.length;
    this.products_ = this.products_.concat(list.data.items);
    this.nextCursor_ = list.data.next_cursor;
    this.render_();
    // Keyboard users land on the first new product rather than on a vanished button.
    const first = this.products_[before];
    if (first) document.getElementById(`product-link-${first.id}`)?.focus();
    this.announce_(`Loaded ${list.data.items.length} more products.`);
  }

  // Polling: reads again as many products as are on screen (one request) and the counts.
  async refresh_() {
    const generation = this.generation_;
    const limit = Math.min(kMaxRefreshLimit, Math.max(kPageSize, this.products_.length));
    const [list, counts] = await Promise.all([
      this.api_.listProducts({...this.filter_, limit}), this.api_.counts()]);
    if (this.stopped_ || generation !== this.generation_) return;
    this.apply_(list, counts, {replace: true});
    this.schedule_();
  }

  apply_(list, counts, {replace}) {
    if (list.error) {
      this.showError_(list.error);
    } else {
      this.error_.hidden = true;
      if (replace) this.products_ = list.data.items;
      this.nextCursor_ = list.data.next_cursor;
    }
    if (!counts.error) this.counts_ = counts.data;
    this.render_();
  }

  showError_(error) {
    this.error_.textContent = `Could not load products: ${error.message}`;
    this.error_.hidden = false;
  }

  busy_() {
    if (this.products_.some((p) => kBusyStatuses.has(p.status))) return true;
    const c = this.counts_?.counts || {};
    return (c.queued || 0) + (c.processing || 0) > 0;
  }

  schedule_(delay) {
    clearTimeout(this.timer_);
    if (this.stopped_) return;
    const wait = delay ?? (this.busy_() ? kBusyPollMs : kIdlePollMs);
    this.timer_ = setTimeout(() => {
      if (document.hidden) return;  // visibilitychange resumes
      this.refresh_();
    }, wait);
  }

  render_() {
    const counts = this.counts_?.counts || {};
    for (const [status, {count, button}] of this.tabButtons_) {
      const n = status ? counts[status] || 0 : this.counts_?.total ?? 0;
      count.textContent = this.counts_ ? String(n) : '–';
      button.setAttribute('aria-label', `${status ? kStatusLabels[status] : 'All'}: ${n} products`);
    }

    keepingFocus(() => {
      const seen = new Set();
      let previous = null;
      for (const product of this.products_) {
        seen.add(product.id);
        const json = JSON.stringify(product);
        let entry = this.cards_.get(product.id);
        if (!entry || entry.json !== json) {
          const node = productCard(product, {onRetry: (id) => this.retry_(id)});
          if (entry) entry.node.replaceWith(node);
          entry = {json, node};
          this.cards_.set(product.id, entry);
        }
        // Keep DOM order equal to the list order without touching nodes already in place.
        const want = previous ? previous.nextSibling : this.grid_.firstChild;
        if (want !== entry.node) this.grid_.insertBefore(entry.node, want);
        previous = entry.node;
      }
      for (const [id, entry] of this.cards_) {
        if (!seen.has(id)) {
          entry.node.remove();
          this.cards_.delete(id);
        }
      }
    });

    const filtered = this.filter_.status || this.filter_.category;
    this.empty_.hidden = this.products_.length > 0;
    this.empty_.replaceChildren(...(filtered
      ? ['No products match these filters.']
      : ['No products yet. ', h('a', {href: '#/new'}, 'Add the first one'), '.']));
    this.more_.hidden = !this.nextCursor_;
    const total = this.counts_?.total;
    this.summary_.textContent = this.products_.length === 0 ? '' :
      `Showing ${this.products_.length}${filtered || total === undefined ? '' : ` of ${total}`} products` +
      (this.busy_() ? ' · updating while the worker runs' : '');

    const categories = [...new Set(this.products_.map((p) => p.category).filter(Boolean))].sort();
    if (categories.join('\n') !== this.categoriesKey_) {
      this.categoriesKey_ = categories.join('\n');
      this.categoryList_.replaceChildren(...categories.map((c) => h('option', {value: c})));
    }
  }

  async retry_(id) {
    const result = await this.api_.enhance(id);
    if (result.error) {
      this.announce_(`Retry failed: ${result.error.message}`);
      return;
    }
    this.announce_(`Product ${id} is queued again.`);
    const index = this.products_.findIndex((p) => p.id === id);
    if (index >= 0) this.products_[index] = result.data;
    this.render_();
    this.schedule_(kBusyPollMs);
  }
}

function productCard(product, {onRetry}) {
  const first = product.images?.[0];
  const thumb = first?.thumbnail_url || product.raw_image_view_url;
  const images = product.images || [];
  const pending = images.filter((i) => i.status === 'pending_review').length;
  const approved = images.filter((i) => i.status === 'approved').length;
  const summary = !images.length ? ''
                : pending ? `${pending} of ${images.length} to review`
                : `${approved} of ${images.length} approved`;
  return h('li', {class: 'product-card', 'data-product-id': product.id, 'data-status': product.status},
    h('div', {class: 'product-card__thumb'},
      thumb ? photo({src: thumb, alt: '', loading: 'lazy', decoding: 'async'}) : h('span', {class: 'photo-missing'}, 'No photo')),
    h('div', {class: 'product-card__body'},
      h('h2', {class: 'product-card__name'},
        h('a', {href: `#/products/${product.id}`, id: `product-link-${product.id}`, class: 'stretched-link'},
          product.name)),
      h('p', {class: 'meta product-card__category'}, [product.category || 'No category', ` · #${product.id}`]),
      h('p', {class: 'product-card__status'}, statusBadge(product.status),
        summary ? h('span', {class: 'meta'}, summary) : null),
      product.status === 'failed'
        ? h('div', {class: 'product-card__failure'},
            h('p', {class: 'error-reason'}, product.error || 'No reason was recorded.'),
            h('button', {type: 'button', class: 'button button--small', id: `retry-${product.id}`,
                         onclick: () => onRetry(product.id)},
              'Retry', h('span', {class: 'visually-hidden'}, ` ${product.name}`)))
        : null));
}
