// ApiClient: the review desk's only way to the enhancer HTTP API.
//
// Errors are values, as in the server: every call resolves to {data} or {error: {code, message,
// field?, status}}, never rejects. A 401 asks the page for a token (through `askForToken`, which
// resolves to the token or to null when the person cancels), stores it in localStorage and
// repeats the request once with `Authorization: Bearer <token>`.

const kTokenKey = 'enhancer.apiToken';

export class ApiClient {
  // askForToken(message) -> Promise<string|null>; message says why (missing or refused token).
  constructor({askForToken, storage = globalThis.localStorage} = {}) {
    this.askForToken_ = askForToken;
    this.storage_ = storage;
  }

  get token() {
    try {
      return this.storage_?.getItem(kTokenKey) || '';
    } catch {
      return '';  // storage disabled (private mode): no token, the page still works without one
    }
  }

  set token(value) {
    try {
      if (value) this.storage_?.setItem(kTokenKey, value);
      else this.storage_?.removeItem(kTokenKey);
    } catch {
      // Nothing to do: the token lives for this request only.
    }
  }

  listProducts({status, category, limit, cursor} = {}) {
    const query = new URLSearchParams();
    if (status) query.set('status', status);
    if (category) query.set('category', category);
    if (limit) query.set('limit', String(limit));
    if (cursor) query.set('cursor', cursor);
    const qs = query.toString();
    return this.request_('GET', '/products' + (qs ? '?' + qs : ''));
  }
  counts() { return this.request_('GET', '/products/counts'); }
  getProduct(id) { return this.request_('GET', `/products/${encodeURIComponent(id)}`); }
  createProduct({name, category, raw_image_url}) {
    return this.request_('POST', '/products', {json: {name, category, raw_image_url}});
  }
  // count: 1-10, or undefined for the server's configured number.
  enhance(id, count) {
    return this.request_('POST', `/products/${encodeURIComponent(id)}/enhance`,
                         {json: count ? {count} : {}});
  }
  approveImage(id) { return this.request_('POST', `/images/${encodeURIComponent(id)}/approve`); }
  rejectImage(id) { return this.request_('POST', `/images/${encodeURIComponent(id)}/reject`); }
  upload(file) {
    const form = new FormData();
    form.append('file', file, file.name || 'photo');
    return this.request_('POST', '/uploads', {form});
  }

  async request_(method, path, {json, form} = {}) {
    // Asks again after a refused token, until the person cancels.
    for (let asked = false; ; asked = true) {
      const headers = {Accept: 'application/json'};
      const token = this.token;
      if (token) headers.Authorization = 'Bearer ' + token;
      let body;
      if (json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(json);
      } else if (form) {
        body = form;  // the browser sets the multipart boundary
      }
      let response;
      try {
        response = await fetch(path, {method, headers, body, cache: 'no-store'});
      } catch {
        return {error: {code: 'unavailable', status: 0,
                        message: 'Cannot reach the enhancer server. Is it running?'}};
      }
      const payload = await readJson(response);
      if (response.status === 401 && this.askForToken_) {
        const why = asked ? ('The server refused that token. ' + (payload?.error?.message || '')).trim()
                  : payload?.error?.message ||
                    (token ? 'The server refused the saved API token.' : 'This action needs an API token.');
        const entered = await this.askForToken_(why);
        if (!entered) {
          return {error: {code: 'unauthenticated', status: 401, message: why}};
        }
        this.token = entered;
        continue;  // the form body (FormData) and JSON can be sent again as they are
      }
      if (!response.ok) {
        const error = payload?.error && typeof payload.error === 'object' ? payload.error : {};
        return {error: {code: error.code || 'http_' + response.status, status: response.status,
                        message: error.message || `The server answered HTTP ${response.status}.`,
                        ...(error.field ? {field: error.field} : {})}};
      }
      return {data: payload};
    }
  }
}

async function readJson(response) {
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
