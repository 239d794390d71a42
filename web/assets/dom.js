// Small DOM and formatting helpers shared by the review desk's views.

// h('button', {class: 'x', onclick: fn, 'aria-label': 'y'}, 'text', child, [children])
// Attributes set to null, undefined or false are left out; `true` sets an empty attribute.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      node.className = value;
    } else if (name in node && typeof value !== 'string') {
      node[name] = value;  // properties such as `disabled`, `value` or `dataset` objects
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

// Runs `change`, which may replace the focused element, and puts focus back on the element that
// now has the same id, so polling never throws a keyboard user back to the top of the page.
export function keepingFocus(change) {
  const id = document.activeElement?.id;
  change();
  if (id && document.activeElement?.id !== id) document.getElementById(id)?.focus({preventScroll: true});
}

export const kStatusLabels = Object.freeze({
  draft: 'Draft',
  queued: 'Queued',
  processing: 'Processing',
  pending_review: 'Pending review',
  approved: 'Approved',
  rejected: 'Rejected',
  failed: 'Failed',
});
export const kProductStatuses = Object.freeze(Object.keys(kStatusLabels));
// Statuses the worker will still change by itself: the page polls while one is on screen.
export const kBusyStatuses = new Set(['queued', 'processing']);

export function statusBadge(status) {
  return h('span', {class: `badge badge--${status}`, 'data-status': status},
           kStatusLabels[status] || status);
}

// An <img> that turns into a short note when the photo cannot be loaded (a URL that answers
// 404 is exactly what a failed product often has), instead of a broken-image icon.
export function photo(attrs, missingText = 'Photo unavailable') {
  const img = h('img', attrs);
  img.addEventListener('error', () => {
    img.replaceWith(h('span', {class: 'photo-missing'}, missingText));
  }, {once: true});
  return img;
}

export function formatBytes(bytes) {
  if (!(bytes > 0)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// "2024-05-01T10:00:00Z" -> the reader's local date and time; unparsable text as it is.
export function formatTime(iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return iso || '';
  return date.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
}

// Shows `message` in the form's error slot for `field` (an element id prefix), or clears it.
export function setFieldError(input, errorNode, message) {
  errorNode.textContent = message || '';
  errorNode.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}
