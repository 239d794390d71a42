// NewProductView: the form that adds a product and starts its enhancement. The photo is either a
// URL the server downloads, or a file uploaded first (POST /uploads) whose store key becomes the
// product's raw_image_url. API errors that name a field are shown under that field.
import {h, setFieldError} from './dom.js';

export class NewProductView {
  // onCreated(product, notice) opens the new product; notice is an error to show there, if any.
  constructor({api, announce, onCreated}) {
    this.api_ = api;
    this.announce_ = announce;
    this.onCreated_ = onCreated;
    this.previewUrl_ = '';
    this.node = this.build_();
  }

  start() {}

  stop() {
    if (this.previewUrl_) URL.revokeObjectURL(this.previewUrl_);
  }

  build_() {
    const field = (id, label, input, hint) => {
      const error = h('p', {class: 'field-error', id: `${id}-error`, hidden: true});
      const hintNode = hint ? h('p', {class: 'hint', id: `${id}-hint`}, hint) : null;
      input.id = id;
      input.setAttribute('aria-describedby', [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' '));
      const wrap = h('div', {class: 'field'}, h('label', {for: id}, label), hintNode, input, error);
      return {wrap, input, error};
    };
    this.fields_ = {
      name: field('new-name', 'Name', h('input', {type: 'text', name: 'name', maxlength: '200',
                                                   autocomplete: 'off', required: true})),
      category: field('new-category', 'Category (optional)',
                      h('input', {type: 'text', name: 'category', maxlength: '100', autocomplete: 'off'})),
      url: field('new-url', 'Photo URL', h('input', {type: 'url', name: 'raw_image_url', maxlength: '2048',
                                                      inputmode: 'url', placeholder: 'https://…'}),
                 'The server downloads it: http or https, a JPEG, PNG or WebP photo.'),
      file: field('new-file', 'Photo file', h('input', {type: 'file', name: 'file', accept: 'image/*'}),
                  'A JPEG, PNG or WebP photo from this device.'),
      count: field('new-count', 'Images to make (optional)',
                   h('input', {type: 'number', name: 'count', min: '1', max: '10', inputmode: 'numeric',
                               placeholder: 'server default'}), 'From 1 to 10.'),
    };
    this.fields_.file.wrap.hidden = true;

    const source = (value, label, checked) => h('label', {class: 'choice'},
      h('input', {type: 'radio', name: 'source', value, checked, id: `source-${value}`,
                  onchange: () => this.setSource_(value)}), ' ', label);
    this.preview_ = h('img', {class: 'new-preview', alt: 'Preview of the chosen photo', hidden: true});
    this.fields_.file.input.addEventListener('change', () => this.showPreview_());
    this.formError_ = h('p', {class: 'alert alert--error', role: 'alert', hidden: true});
    this.submit_ = h('button', {type: 'submit', class: 'button button--primary', id: 'create-submit'},
                     'Create and enhance');
    this.progress_ = h('p', {class: 'form-progress', role: 'status'});
    this.form_ = h('form', {class: 'new-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.submit(); }},
      this.fields_.name.wrap, this.fields_.category.wrap,
      h('fieldset', {class: 'source'}, h('legend', {}, 'Photo'),
        h('div', {class: 'choices'}, source('url', 'From a URL', true), source('file', 'Upload a file', false)),
        this.fields_.url.wrap, this.fields_.file.wrap, this.preview_),
      this.fields_.count.wrap, this.formError_,
      h('div', {class: 'form-actions'}, this.submit_, h('a', {href: '#/', class: 'button button--quiet'}, 'Cancel')),
      this.progress_);
    this.source_ = 'url';
    return h('section', {class: 'view new-view', 'aria-labelledby': 'new-heading'},
      h('p', {class: 'back'}, h('a', {href: '#/'}, '← All products')),
      h('h1', {tabindex: '-1', id: 'new-heading'}, 'New product'), this.form_);
  }

  setSource_(source) {
    this.source_ = source;
    this.fields_.url.wrap.hidden = source !== 'url';
    this.fields_.file.wrap.hidden = source !== 'file';
    this.preview_.hidden = source !== 'file' || !this.previewUrl_;
  }

  showPreview_() {
    if (this.previewUrl_) URL.revokeObjectURL(this.previewUrl_);
    const file = this.fields_.file.input.files?.[0];
    this.previewUrl_ = file ? URL.createObjectURL(file) : '';
    this.preview_.src = this.previewUrl_ || '';
    this.preview_.hidden = !this.previewUrl_;
  }

  clearErrors_() {
    for (const f of Object.values(this.fields_)) setFieldError(f.input, f.error, '');
    this.formError_.hidden = true;
  }

  // Puts an API error under the field it names (mapping the API's names to this form's), or
  // above the buttons when it names none.
  showError_(error) {
    const byField = {name: 'name', category: 'category', count: 'count', file: 'file',
                     raw_image_url: this.source_ === 'file' ? 'file' : 'url'};
    const target = this.fields_[byField[error.field]];
    if (target) {
      setFieldError(target.input, target.error, error.message);
      target.input.focus();
    } else {
      this.formError_.textContent = error.message;
      this.formError_.hidden = false;
    }
  }

  validate_() {
    const problems = [];
    const {name, url, file, count} = this.fields_;
    if (!name.input.value.trim()) problems.push([name, 'Enter a name.']);
    if (this.source_ === 'url' && !url.input.value.trim()) problems.push([url, 'Enter the photo’s URL.']);
    if (this.source_ === 'file' && !file.input.files?.length) problems.push([file, 'Choose a photo.']);
    const countText = count.input.value.trim();
    const n = Number(countText);
    if (countText && !(Number.isInteger(n) && n >= 1 && n <= 10)) {
      problems.push([count, 'Enter a whole number from 1 to 10, or leave it empty.']);
    }
    for (const [f, message] of problems) setFieldError(f.input, f.error, message);
    problems[0]?.[0].input.focus();
    return problems.length === 0;
  }

  async submit() {
    this.clearErrors_();
    if (!this.validate_()) return;
    this.submit_.disabled = true;
    try {
      await this.submitValid_();
    } finally {
      this.submit_.disabled = false;
      this.progress_.textContent = '';
    }
  }

  async submitValid_() {
    const {name, category, url, file, count} = this.fields_;
    let raw = url.input.value.trim();
    if (this.source_ === 'file') {
      this.progress_.textContent = 'Uploading the photo…';
      const uploaded = await this.api_.upload(file.input.files[0]);
      if (uploaded.error) return this.showError_({...uploaded.error, field: uploaded.error.field || 'file'});
      raw = uploaded.data.key;
    }
    this.progress_.textContent = 'Creating the product…';
    const created = await this.api_.createProduct({
      name: name.input.value.trim(), category: category.input.value.trim(), raw_image_url: raw});
    if (created.error) return this.showError_(created.error);
    // From here the product exists: whatever happens next is shown on its page, so a second
    // submit cannot create a duplicate.
    this.progress_.textContent = 'Queueing the enhancement…';
    const n = count.input.value.trim() ? Number(count.input.value.trim()) : undefined;
    const queued = await this.api_.enhance(created.data.id, n);
    this.announce_(`Created ${created.data.name}.`);
    this.onCreated_(queued.error ? created.data : queued.data,
                    queued.error ? `The product was created, but could not be queued: ${queued.error.message}` : '');
  }
}
