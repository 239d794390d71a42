// The review desk: routes the address (#/, #/new, #/products/ID) to one view at a time, and owns
// what the views share: the API client, the token dialog and the live region.
//   #/?status=failed&category=kitchen   products, filtered
//   #/new                               the new-product form
//   #/products/42                       one product under review
import {ApiClient} from './api.js';
import {ListView} from './list_view.js';
import {NewProductView} from './new_product_view.js';
import {ProductView} from './product_view.js';
import {TokenDialog} from './token_dialog.js';

const tokenDialog = new TokenDialog(document.getElementById('token-dialog'));
const api = new ApiClient({askForToken: (why) => tokenDialog.ask(why)});
const main = document.getElementById('main');
const liveRegion = document.getElementById('announcer');
const toast = document.getElementById('toast');

let view = null;
let firstRoute = true;
let toastTimer = 0;

// Speaks `text` to screen readers and shows it briefly at the bottom of the screen.
function announce(text) {
  liveRegion.textContent = '';
  // A new text node after clearing makes screen readers repeat an identical message.
  requestAnimationFrame(() => { liveRegion.textContent = text; });
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 5000);
}

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const product = path.match(/^\/products\/(\d+)$/);
  if (product) return {name: 'product', id: Number(product[1])};
  if (path === '/new') return {name: 'new'};
  return {name: 'list', filter: {status: params.get('status') || '', category: params.get('category') || ''}};
}

function show(next, title) {
  view?.stop();
  view = next;
  main.replaceChildren(view.node);
  document.title = title;
  // After a navigation, focus the new view's heading so keyboard and screen-reader users start
  // at its top; on first load the browser's own start is right.
  if (!firstRoute) view.node.querySelector('h1')?.focus({preventScroll: false});
  firstRoute = false;
  window.scrollTo(0, 0);
  view.start();
}

let notice = '';  // an error to show on the next product view (set by the new-product form)

function route() {
  const r = parseRoute();
  if (r.name === 'product') {
    const message = notice;
    notice = '';
    show(new ProductView({api, id: r.id, announce, notice: message}), `Product #${r.id} · enhancer review desk`);
  } else if (r.name === 'new') {
    show(new NewProductView({api, announce, onCreated: (product, message) => {
      notice = message;
      location.hash = `#/products/${product.id}`;
    }}), 'New product · enhancer review desk');
  } else {
    show(new ListView({api, filter: r.filter, announce, onFilterChange: (filter) => {
      const q = new URLSearchParams();
      if (filter.status) q.set('status', filter.status);
      if (filter.category) q.set('category', filter.category);
      const qs = q.toString();
      // replaceState changes the address without a hashchange: the view stays and keeps focus.
      history.replaceState(null, '', `#/${qs ? '?' + qs : ''}`);
    }}), 'Products · enhancer review desk');
  }
}

document.getElementById('token-button').addEventListener('click', async () => {
  const value = await tokenDialog.ask(
    'Write requests send this token as “Authorization: Bearer …”. Save it empty to forget it.', api.token);
  if (value === null) return;
  api.token = value;
  announce(value ? 'API token saved.' : 'API token forgotten.');
});

// The skip link must not change the hash (that is the router's): it moves focus by hand.
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', route);
route();
