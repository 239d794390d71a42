// ProductView: one product under review. Each enhanced image sits in a before/after comparison
// with the raw photo, with its variant, prompt, recipe and status, and approve/reject buttons;
// "approve all" approves every pending image, and "re-enhance" queues the product again. A
// failed product shows why and offers a retry. While the product is queued or processing the
// view polls every kPollMs. Image cards are keyed by id and updated in place, so a decision or a
// poll neither reloads the pictures nor resets a slider or moves focus.
import {createComparison, createRecipeTable} from './components.module.js';
import {formatBytes, formatTime, h, keepingFocus, kBusyStatuses, kStatusLabels, photo, setFieldError,
        statusBadge} from './dom.js';

const kPollMs = 2000;

export class ProductView {
  constructor({api, id, announce, notice}) {
    this.api_ = api;
    this.id_ = id;
    this.announce_ = announce;
    this.product_ = null;
    this.cards_ = new Map();  // image id -> {image, node, update(image)}
    this.timer_ = 0;
    this.stopped_ = false;
    this.working_ = false;  // an action is running: its buttons are disabled
    this.onVisibility_ = () => { if (!document.hidden) this.schedule_(0); };
    this.node = this.build_(notice);
  }

  async start() {
    document.addEventListener('visibilitychange', this.onVisibility_);
    const result = await this.api_.getProduct(this.id_);
    if (this.stopped_) return;
    if (result.error) {
      this.heading_.textContent = result.error.status === 404 ? 'Product not found' : 'Could not load the product';
      this.showAlert_(result.error.message);
      return;
    }
    this.update_(result.data);
  }

  stop() {
    this.stopped_ = true;
    clearTimeout(this.timer_);
    document.removeEventListener('visibilitychange', this.onVisibility_);
  }

  build_(notice) {
    this.heading_ = h('h1', {tabindex: '-1', id: 'product-heading'}, 'Loading product…');
    this.meta_ = h('p', {class: 'meta'});
    this.badge_ = h('div', {class: 'product-head__status'});
    this.alert_ = h('div', {class: 'alert alert--error', role: 'alert', hidden: true});
    if (notice) this.showAlert_(notice);
    this.failure_ = h('div', {class: 'alert alert--error failure', hidden: true},
      h('div', {}, h('strong', {}, 'Enhancement failed. '), h('span', {class: 'error-reason', id: 'failure-reason'})),
      h('button', {type: 'button', class: 'button', id: 'retry', onclick: () => this.enhance_()}, 'Retry'));
    this.progress_ = h('p', {class: 'alert alert--info', role: 'status', hidden: true});

    this.approveAllButton_ = h('button', {type: 'button', class: 'button button--approve', id: 'approve-all',
                                    onclick: () => this.approveAll_()}, 'Approve all');
    this.countInput_ = h('input', {type: 'number', id: 'enhance-count', name: 'count', min: '1', max: '10',
                                   inputmode: 'numeric', placeholder: 'default',
                                   'aria-describedby': 'enhance-count-error'});
    this.countError_ = h('p', {class: 'field-error', id: 'enhance-count-error', hidden: true});
    this.enhanceButton_ = h('button', {type: 'submit', class: 'button', id: 'reenhance'}, 'Re-enhance');
    const enhanceForm = h('form', {class: 'enhance-form', onsubmit: (e) => { e.preventDefault(); this.enhance_(); }},
      h('div', {class: 'field field--inline'},
        h('label', {for: 'enhance-count'}, 'Images'), this.countInput_, this.enhanceButton_),
      this.countError_);
    this.toolbar_ = h('div', {class: 'toolbar', hidden: true}, this.approveAllButton_, enhanceForm);

    this.raw_ = h('figure', {class: 'raw-photo', hidden: true});
    this.imagesHeading_ = h('h2', {class: 'visually-hidden', id: 'images-heading'}, 'Enhanced images');
    this.list_ = h('ol', {class: 'image-list', 'aria-labelledby': 'images-heading'});
    return h('section', {class: 'view product-view', 'aria-labelledby': 'product-heading'},
      h('p', {class: 'back'}, h('a', {href: '#/'}, '← All products')),
      h('div', {class: 'product-head'}, h('div', {}, this.heading_, this.meta_), this.badge_),
      this.alert_, this.failure_, this.progress_, this.toolbar_, this.raw_, this.imagesHeading_, this.list_);
  }

  showAlert_(message) {
    this.alert_.textContent = message || '';
    this.alert_.hidden = !message;
  }

  update_(product) {
    const previous = this.product_;
    this.product_ = product;
    document.title = `${product.name} · enhancer review desk`;
    this.node.dataset.status = product.status;
    keepingFocus(() => {
      this.heading_.textContent = product.name;
      this.meta_.textContent = `${product.category || 'No category'} · #${product.id} · updated ${formatTime(product.updated_at)}`;
      this.badge_.replaceChildren(statusBadge(product.status));

      const failed = product.status === 'failed';
      this.failure_.hidden = !failed;
      this.failure_.querySelector('.error-reason').textContent = product.error || 'No reason was recorded.';
      this.failure_.querySelector('button').disabled = this.working_;
      const busy = kBusyStatuses.has(product.status);
      this.progress_.hidden = !busy;
      this.progress_.textContent = busy
        ? `${kStatusLabels[product.status]}: the worker is enhancing this photo. This page updates by itself.`
        : '';
      this.toolbar_.hidden = false;
      const pending = product.images.filter((i) => i.status === 'pending_review').length;
      this.approveAllButton_.hidden = product.images.length === 0;
      this.approveAllButton_.textContent = pending ? `Approve all (${pending})` : 'Approve all';
      this.approveAllButton_.disabled = this.working_ || pending === 0 || busy;
      this.enhanceButton_.disabled = this.working_ || busy;
      this.enhanceButton_.textContent = product.images.length || failed ? 'Re-enhance' : 'Enhance';

      // With no images yet, the raw photo alone shows what is being worked on.
      this.raw_.hidden = product.images.length > 0 || !product.raw_image_view_url;
      if (!this.raw_.hidden && this.raw_.dataset.src !== product.raw_image_view_url) {
        this.raw_.dataset.src = product.raw_image_view_url;
        this.raw_.replaceChildren(
          h('div', {class: 'raw-photo__frame'},
            photo({src: product.raw_image_view_url, alt: `Original photo of ${product.name}`, decoding: 'async'},
                  'The original photo cannot be shown.')),
          h('figcaption', {}, 'Original photo'));
      }
      this.renderImages_(product);
    });

    if (previous && previous.status !== product.status) {
      const words = {pending_review: `${product.images.length} images are ready for review.`,
                     failed: `Enhancement failed: ${product.error || 'no reason recorded'}.`,
                     approved: 'The product is approved.', rejected: 'The product is rejected.'};
      this.announce_(words[product.status] || `Status: ${kStatusLabels[product.status] || product.status}.`);
    }
    this.schedule_();
  }

  renderImages_(product) {
    const seen = new Set();
    let previous = null;
    product.images.forEach((image, index) => {
      seen.add(image.id);
      let card = this.cards_.get(image.id);
      // A re-enhancement may store a new picture under the same id: then the card is rebuilt.
      if (card && (card.image.image_url !== image.image_url || card.rawUrl !== product.raw_image_view_url)) {
        card.node.remove();
        this.cards_.delete(image.id);
        card = null;
      }
      if (!card) {
        card = imageCard(image, product, index, {
          onDecide: (id, verdict) => this.decide_(id, verdict)});
        this.cards_.set(image.id, card);
      }
      card.update(image, {disabled: this.working_});
      const want = previous ? previous.nextSibling : this.list_.firstChild;
      if (want !== card.node) this.list_.insertBefore(card.node, want);
      previous = card.node;
    });
    for (const [id, card] of this.cards_) {
      if (!seen.has(id)) {
        card.node.remove();
        this.cards_.delete(id);
      }
    }
  }

  schedule_(delay) {
    clearTimeout(this.timer_);
    if (this.stopped_ || !this.product_ || !kBusyStatuses.has(this.product_.status)) return;
    this.timer_ = setTimeout(async () => {
      if (document.hidden) return;
      const result = await this.api_.getProduct(this.id_);
      if (this.stopped_) return;
      if (result.error) {
        this.showAlert_(`Could not refresh: ${result.error.message}`);
        this.schedule_();
        return;
      }
      if (JSON.stringify(result.data) !== JSON.stringify(this.product_)) this.update_(result.data);
      else this.schedule_();
    }, delay ?? kPollMs);
  }

  // Runs one action with its buttons disabled, then shows the product as the server has it now.
  async act_(action) {
    if (this.working_) return;
    this.working_ = true;
    // Disabling the pressed button drops focus to <body>; it goes back when the work is done.
    const focusId = document.activeElement?.id;
    this.showAlert_('');
    if (this.product_) this.update_(this.product_);
    try {
      await action();
    } finally {
      this.working_ = false;
      const fresh = await this.api_.getProduct(this.id_);
      if (!this.stopped_) {
        if (fresh.error) this.showAlert_(fresh.error.message);
        else this.update_(fresh.data);
        if (focusId && document.activeElement === document.body) {
          document.getElementById(focusId)?.focus({preventScroll: true});
        }
      }
    }
  }

  decide_(imageId, verdict) {
    return this.act_(async () => {
      const result = verdict === 'approve' ? await this.api_.approveImage(imageId)
                                           : await this.api_.rejectImage(imageId);
      if (result.error) return this.showAlert_(`Could not ${verdict} the image: ${result.error.message}`);
      const card = this.cards_.get(imageId);
      this.announce_(`${card?.image.variant || 'Image'} ${verdict === 'approve' ? 'approved' : 'rejected'}.`);
    });
  }

  approveAll_() {
    return this.act_(async () => {
      const pending = this.product_.images.filter((i) => i.status === 'pending_review');
      let done = 0;
      for (const image of pending) {
        const result = await this.api_.approveImage(image.id);
        if (result.error) {
          return this.showAlert_(`Approved ${done} of ${pending.length}; then: ${result.error.message}`);
        }
        done++;
      }
      this.announce_(`Approved ${done} images.`);
    });
  }

  enhance_() {
    const text = this.countInput_.value.trim();
    const count = text ? Number(text) : undefined;
    if (text && !(Number.isInteger(count) && count >= 1 && count <= 10)) {
      setFieldError(this.countInput_, this.countError_, 'Enter a whole number from 1 to 10, or leave it empty.');
      this.countInput_.focus();
      return;
    }
    setFieldError(this.countInput_, this.countError_, '');
    let queued = false;
    return this.act_(async () => {
      const result = await this.api_.enhance(this.id_, count);
      if (result.error) {
        if (result.error.field === 'count') setFieldError(this.countInput_, this.countError_, result.error.message);
        else this.showAlert_(`Could not enhance: ${result.error.message}`);
        return;
      }
      queued = true;
      this.announce_('Queued for enhancement. This page updates by itself.');
    }).then(() => {
      // The worker can fail a bad photo again before the page looks: no status change to
      // announce then, so say it here rather than leave "queued" as the last word.
      if (queued && this.product_?.status === 'failed') {
        this.announce_(`Enhancement failed again: ${this.product_.error || 'no reason recorded'}.`);
      }
    });
  }
}

function imageCard(image, product, index, {onDecide}) {
  const variant = image.variant || `variant ${index + 1}`;
  const comparison = createComparison({
    beforeUrl: product.raw_image_view_url, afterUrl: image.image_url,
    label: `Compare original and ${variant}`,
    beforeAlt: `Original photo of ${product.name}`, afterAlt: `${variant} enhancement of ${product.name}`,
    width: image.width, height: image.height, loading: 'eager'});
  const badge = h('span', {class: 'image-card__status'});
  const approve = h('button', {type: 'button', class: 'button button--approve', id: `approve-${image.id}`,
                               onclick: () => onDecide(image.id, 'approve')},
                    'Approve', h('span', {class: 'visually-hidden'}, ` ${variant}`));
  const reject = h('button', {type: 'button', class: 'button button--reject', id: `reject-${image.id}`,
                              onclick: () => onDecide(image.id, 'reject')},
                   'Reject', h('span', {class: 'visually-hidden'}, ` ${variant}`));
  const details = [image.width && image.height ? `${image.width} × ${image.height}` : '', formatBytes(image.bytes)]
    .filter(Boolean).join(' · ');
  const node = h('li', {class: 'image-card', 'data-image-id': image.id},
    h('div', {class: 'image-card__compare'}, comparison,
      h('p', {class: 'image-card__links meta'},
        h('a', {href: image.image_url, target: '_blank', rel: 'noopener'}, 'Open enhanced image'), ' · ',
        h('a', {href: product.raw_image_view_url, target: '_blank', rel: 'noopener'}, 'Open original'))),
    h('div', {class: 'image-card__info'},
      h('div', {class: 'image-card__head'}, h('h3', {class: 'image-card__variant'}, variant), badge),
      image.prompt ? h('p', {class: 'image-card__prompt'}, image.prompt) : null,
      details ? h('p', {class: 'meta'}, details) : null,
      createRecipeTable(image.recipe, {caption: `Recipe of ${variant}`}),
      h('div', {class: 'image-card__actions', role: 'group', 'aria-label': `Decision on ${variant}`},
        approve, reject)));
  const card = {image, rawUrl: product.raw_image_view_url, node, update(next, {disabled}) {
    card.image = next;
    node.dataset.status = next.status;
    badge.replaceChildren(statusBadge(next.status));
    approve.setAttribute('aria-pressed', String(next.status === 'approved'));
    reject.setAttribute('aria-pressed', String(next.status === 'rejected'));
    approve.disabled = disabled;
    reject.disabled = disabled;
  }};
  return card;
}
