// Signing in and out, who is signed in, and what happens when the session ends: the desk asks to sign in again and
// keeps the form being typed (this tab's sessionStorage, for the same account only) so that nothing typed is lost.
import { $, el, flash, today } from './dom.js';
import { t } from './i18n.js';
import { api, onUnauthorized } from './api.js';
import { state } from './state.js';
import { addRenderer, renderAll } from './shell.js';
import { focusEditor, readEditor, renderEditor, renderFormTypes } from './editor.js';
import { loadForms, renderForms, stopPolling } from './forms.js';
import { loadReport } from './days.js';
import { renderFind } from './lookup.js';

const KEPT_KEY = 'popinfo.desk.kept-form';

export function initSession() {
  onUnauthorized(sessionEnded);
  // Signing out on purpose: a form kept from an ended session is not for whoever signs in next.
  $('sign-out-form').addEventListener('submit', forgetKeptForm);
  addRenderer(renderWho);
  addRenderer(renderSignInProblem);
}

export function showSignIn(message) {
  state.session = null;
  stopPolling();
  $('desk-view').hidden = true;
  $('role-notice').hidden = true;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in-view').hidden = false;
  renderSignInProblem();
  if (message) {
    flash(message);
  }

  $('sign-in-submit').focus();
}

function sessionEnded() {
  keepForm();
  resetDesk();
  showSignIn(t('signin.expired'));
}

function resetDesk() {
  Object.assign(state, {
    session: null, communityName: null, forms: [], formsProblem: null, found: null, findProblem: null, editor: null,
    report: null, reportProblem: null, closeProblem: null, closeBlocking: [], importResult: null, highlight: null,
  });
  $('find-query').value = '';
  $('import-file').value = '';
  $('close-confirm').hidden = true;
  if ($('withdraw-dialog').open) {
    $('withdraw-dialog').close();
  }

  renderAll();
}

/** The form being typed when the session ended, for the account that typed it, until that account signs in again. */
function keepForm() {
  const user = state.session?.userName;
  if (!state.editor || !user) {
    return;
  }

  readEditor();
  try {
    sessionStorage.setItem(KEPT_KEY, JSON.stringify({ user, editor: state.editor }));
  } catch {
    // Storage turned off: the form cannot outlive the page.
  }
}

function takeKeptForm(user) {
  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(KEPT_KEY) ?? 'null');
  } catch {
    kept = null;
  }

  forgetKeptForm();
  return kept && kept.user === user && kept.editor ? kept.editor : null;
}

function forgetKeptForm() {
  try {
    sessionStorage.removeItem(KEPT_KEY);
  } catch {
    // Nothing was kept.
  }
}

/** A sign-in the provider completed but the desk refused (?signIn=rule), or one that failed on the way. */
function renderSignInProblem() {
  const box = $('sign-in-problem');
  const rule = state.signInProblem;
  if (!rule) {
    box.replaceChildren();
    return;
  }

  box.textContent = rule === 'failed' ? t('signin.failed') : t('signin.refused', { rule });
}

export async function enterDesk(session) {
  state.session = session;
  $('sign-in-view').hidden = true;
  $('sign-out').hidden = false;
  renderWho();
  if (session.role !== 'collector') {
    forgetKeptForm();
    $('desk-view').hidden = true;
    $('role-notice').hidden = false;
    return;
  }

  $('role-notice').hidden = true;
  $('desk-view').hidden = false;
  $('report-day').value = today();
  $('report-day').max = today();
  // The three reads side by side: the first load waits for one round trip, not two.
  const [types] = await Promise.all([api('GET', '/api/v1/form-types'), loadForms(), loadReport()]);
  state.formTypes = types.ok ? types.body : [];
  state.formTypesProblem = types.ok ? null : types;
  renderFormTypes();
  // Today's list names form types, and a person found meanwhile offers a button per form type that applies: both drawn
  // again now that the types are known (a collector may look someone up before the three reads are answered).
  renderForms();
  renderFind();
  const kept = takeKeptForm(session.userName);
  if (kept) {
    state.editor = kept;
    renderEditor();
    focusEditor();
    flash(t('signin.formKept'));
  }
}

export function renderWho() {
  const who = $('who');
  const s = state.session;
  who.hidden = !s;
  if (!s) {
    who.replaceChildren();
    return;
  }

  const role = t('role.' + s.role);
  // replaceChildren would write a null as the text "null": a supervisor (no community) gets the name line only.
  who.replaceChildren(...[
    el('div', { 'data-testid': 'who-name' }, t('session.who', { name: s.displayName || s.userName, user: s.userName }), ' · ', role),
    s.communityCode
      ? el('div', { class: 'community', 'data-testid': 'who-community', text: t('session.community', { name: [state.communityName, s.communityCode].filter(Boolean).join(' ') }) })
      : null,
  ].filter(Boolean));
  $('role-notice').textContent = t('session.notCollector', { role });
}
