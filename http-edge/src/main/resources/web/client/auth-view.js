// Sign in and create account. Each problem is shown at its field (checked here with the
// contract's rules first, then whatever the server refuses); others in the form's alert.

import { Api, ApiError } from './api.js';
import { byId } from './dom.js';
import { describe } from './messages.js';

const USER_ID = /^[A-Za-z0-9_.-]{3,32}$/;
const EMAIL = /^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

const length = (text) => [...text].length; // code points, as the server counts

function checkSignIn(values) {
  const problems = {};
  if (!values.userId.trim()) problems.userId = 'Enter your user id.';
  if (!values.password.trim()) problems.password = 'Enter your password.';
  return problems;
}

function checkRegistration(values) {
  const problems = {};
  if (!values.userId.trim()) problems.userId = 'Choose a user id.';
  else if (!USER_ID.test(values.userId)) problems.userId = 'A user id has 3 to 32 letters, digits, _ . or -, and no spaces.';
  if (!values.password.trim()) problems.password = 'Choose a password.';
  else if (length(values.password) < 8) problems.password = 'A password needs at least 8 characters.';
  else if (length(values.password) > 128) problems.password = 'A password has at most 128 characters.';
  if (!values.name.trim()) problems.name = 'Enter your name.';
  else if (length(values.name.trim()) > 64) problems.name = 'A name has at most 64 characters.';
  if (!values.email.trim()) problems.email = 'Enter your email address.';
  else if (!EMAIL.test(values.email) || values.email.length > 254) problems.email = 'Enter a valid email address, like ada@example.com.';
  return problems;
}

/** One form: its inputs by API field name, their error elements, and the form's own alert. */
class AuthForm {
  constructor(formId, inputIds, errorId, check, submit) {
    this.form = byId(formId);
    this.inputs = Object.fromEntries(Object.entries(inputIds).map(([field, id]) => [field, byId(id)]));
    this.formError = byId(errorId);
    this.check = check;
    this.submit = submit;
    this.button = this.form.querySelector('button[type=submit]');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.run();
    });
  }

  values() {
    return Object.fromEntries(Object.entries(this.inputs).map(([field, input]) => [field, input.value]));
  }

  clear() {
    this.formError.textContent = '';
    for (const input of Object.values(this.inputs)) this.setFieldError(input, '');
  }

  reset() {
    this.form.reset();
    this.clear();
  }

  setFieldError(input, message) {
    byId(input.id + '-error').textContent = message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  showProblems(problems) {
    let first = null;
    for (const [field, message] of Object.entries(problems)) {
      const input = this.inputs[field];
      if (!input) continue;
      this.setFieldError(input, message);
      first = first || input;
    }
    if (first) first.focus();
  }

  async run() {
    this.clear();
    const values = this.values();
    const problems = this.check(values);
    if (Object.keys(problems).length > 0) {
      this.showProblems(problems);
      return;
    }
    this.button.disabled = true;
    this.form.setAttribute('aria-busy', 'true');
    try {
      await this.submit(values);
    } catch (e) {
      const message = e instanceof ApiError ? describe(e) : 'Something went wrong.';
      if (e instanceof ApiError && e.field && this.inputs[e.field]) {
        this.showProblems({ [e.field]: message });
      } else {
        this.formError.textContent = message;
      }
    } finally {
      this.button.disabled = false;
      this.form.removeAttribute('aria-busy');
    }
  }
}

export class AuthView {
  /** @param onSignedIn called with (userId, tokens) after a login */
  constructor(onSignedIn) {
    this.root = byId('auth');
    this.notice = byId('sign-in-notice');
    const login = async ({ userId, password }) => {
      const tokens = await Api.anonymous('POST', '/api/auth/login', { userId, password });
      onSignedIn(userId, tokens);
    };
    this.signIn = new AuthForm('sign-in-form', { userId: 'sign-in-user', password: 'sign-in-password' },
      'sign-in-error', checkSignIn, login);
    this.createAccount = new AuthForm('create-account-form',
      { userId: 'create-user', password: 'create-password', name: 'create-name', email: 'create-email' },
      'create-account-error', checkRegistration, async (values) => {
        await Api.anonymous('POST', '/api/users', { ...values, name: values.name.trim(), email: values.email.trim() });
        await login(values);
      });
    byId('show-create-account').addEventListener('click', () => this.showForm(this.createAccount));
    byId('show-sign-in').addEventListener('click', () => this.showForm(this.signIn));
  }

  /** Shows the sign-in form, with a notice (for example why the session ended) if there is one. */
  show(notice) {
    this.signIn.reset();
    this.createAccount.reset();
    this.notice.textContent = notice || '';
    this.notice.hidden = !notice;
    this.root.hidden = false;
    this.showForm(this.signIn);
  }

  hide() {
    this.root.hidden = true;
  }

  showForm(shown) {
    for (const form of [this.signIn, this.createAccount]) form.form.hidden = form !== shown;
    shown.inputs.userId.focus();
  }
}
