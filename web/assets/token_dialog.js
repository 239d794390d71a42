// TokenDialog: asks for the API token when the server answers 401 (or when the person opens it
// from the header). One modal <dialog> in index.html; the browser traps focus inside it and
// returns focus to where it was when it closes.

export class TokenDialog {
  constructor(dialog) {
    this.dialog_ = dialog;
    this.form_ = dialog.querySelector('form');
    this.input_ = dialog.querySelector('#token-input');
    this.reason_ = dialog.querySelector('#token-reason');
    this.pending_ = null;
    dialog.addEventListener('close', () => {
      const resolve = this.pending_;
      this.pending_ = null;
      if (resolve) resolve(dialog.returnValue === 'save' ? this.input_.value.trim() : null);
    });
  }

  // Resolves to the entered token ('' when saved empty, meaning "forget it"), or to null when
  // the person cancels (Escape or Cancel).
  ask(reason, current = '') {
    if (this.pending_) return new Promise((resolve) => {
      // A second request failing while the dialog is open waits for the same answer.
      const first = this.pending_;
      this.pending_ = (value) => { first(value); resolve(value); };
    });
    this.reason_.textContent = reason || '';
    this.input_.value = current;
    this.dialog_.returnValue = '';
    return new Promise((resolve) => {
      this.pending_ = resolve;
      this.dialog_.showModal();
      this.input_.focus();
    });
  }
}
