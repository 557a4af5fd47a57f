// 今日表单: the community's forms of the day, followed until the registry answers (polling while any is pending),
// where an accepted form's change went, and submitting again or withdrawing a draft or a rejected form.
import { $, el, flash, formatTime, today } from './dom.js';
import { colon, formTypeName, ruleText, stateName, t } from './i18n.js';
import { api, violationsOf } from './api.js';
import { placeViolations, problemContent, violationView } from './problems.js';
import { state } from './state.js';
import { receiptLink } from './paper.js';
import { addRenderer } from './shell.js';
import { closeEditor, openExisting } from './editor.js';
import { loadReport } from './days.js';

const POLL_MS = 3000;

export function initForms() {
  $('forms-refresh').addEventListener('click', refreshAfterChange);
  $('withdraw-form').addEventListener('submit', withdraw);
  $('withdraw-cancel').addEventListener('click', () => $('withdraw-dialog').close());
  addRenderer(renderForms);
}

const signature = (forms) => forms.map((f) => `${f.id}:${f.state}:${f.revision}`).join(',');

/** Reloads today's forms; true when any form changed. Keeps refreshing while a form waits for the registry. */
export async function loadForms() {
  const result = await api('GET', '/api/v1/forms');
  let changed = false;
  if (result.ok) {
    changed = signature(result.body) !== signature(state.forms);
    state.forms = result.body;
    state.formsProblem = null;
  } else if (state.session) {
    state.formsProblem = result;
  }

  renderForms();
  schedulePoll();
  return changed;
}

export async function refreshAfterChange() {
  await Promise.all([loadForms(), loadReport()]);
}

export function stopPolling() {
  clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

function schedulePoll() {
  stopPolling();
  if (state.session && state.forms.some((f) => f.pending || f.state === 'submitted')) {
    state.pollTimer = setTimeout(async () => {
      state.pollTimer = null;
      if (await loadForms()) {
        await loadReport();
      }
    }, POLL_MS);
  }
}

export function personOf(form) {
  const data = form.data ?? {};
  return [data.name, data.idNumber].filter(Boolean);
}

export function renderForms() {
  $('forms-day').textContent = t('forms.day', { day: today() });
  $('forms-problem').replaceChildren(...(state.formsProblem ? problemContent(state.formsProblem, { retry: refreshAfterChange }) : []));
  const pending = state.forms.some((f) => f.pending || f.state === 'submitted');
  const polling = $('forms-polling');
  polling.hidden = !pending;
  polling.textContent = pending ? t('forms.polling', { s: POLL_MS / 1000 }) : '';

  const list = $('forms-list');
  list.replaceChildren();
  if (state.forms.length === 0) {
    list.append(el('li', { class: 'empty', text: t('forms.none') }));
    return;
  }

  for (const form of [...state.forms].reverse()) {
    list.append(formItem(form));
  }
}

function formItem(f) {
  const who = personOf(f);
  const details = [];
  if (f.state === 'submitted') {
    details.push(el('div', { class: 'detail', text: t('forms.waiting', { time: formatTime(f.transmission?.submittedAt) }) }));
  } else if (f.state === 'accepted' && f.registry) {
    details.push(el('div', { class: 'detail registry', 'data-testid': 'form-registry', text: t('forms.registry', { version: f.registry.version ?? '—', sequence: f.registry.sequence ?? '—' }) }));
    details.push(deliveriesView(f));
    details.push(el('div', { class: 'detail actions' }, receiptLink(f.id)));
  } else if (f.state === 'rejected' && f.rejection) {
    // The registry's problem: its violations (each with its field), or its one field and rule with the detail.
    const r = f.rejection;
    const violations = violationsOf(r);
    details.push(el('div', { class: 'detail rejection', 'data-testid': 'form-rejection' },
      el('span', { class: 'what', text: t('forms.rejected') + colon() }),
      violations.length
        ? el('ul', {}, violations.map((v) => violationView(v, f.formType)))
        : [ruleText(r.rule) ?? '', ' ', r.rule ? el('span', { class: 'rule-code', text: '[' + r.rule + ']' }) : null,
          r.detail ? el('span', { class: 'server', lang: 'en', text: r.detail }) : null]));
  } else if (f.state === 'withdrawn') {
    details.push(el('div', { class: 'detail meta', text: t('forms.withdrawnReason', { reason: f.withdrawnReason ?? '' }) }));
  }

  if (f.late) {
    details.push(el('div', { class: 'detail meta', text: t('forms.late', { day: f.day }) }));
  }

  const actions = [];
  if (f.state === 'draft' || f.state === 'rejected') {
    actions.push(
      el('button', { type: 'button', class: 'small', 'data-testid': 'form-edit', text: t('forms.edit'), onclick: () => openExisting(f.id) }),
      el('button', { type: 'button', class: 'small', 'data-testid': 'form-submit', text: t(f.state === 'rejected' ? 'forms.resubmit' : 'forms.submit'), onclick: () => submitListed(f) }),
      el('button', { type: 'button', class: 'small danger', 'data-testid': 'form-withdraw', text: t('forms.withdraw'), onclick: () => openWithdraw(f) }));
  }

  return el('li', { class: 'form-item' + (state.highlight === f.id ? ' flash-me' : ''), 'data-testid': 'form-item', 'data-form-id': f.id, 'data-state': f.state },
    el('div', { class: 'line' },
      el('span', { class: 'badge ' + f.state, 'data-testid': 'form-state', text: stateName(f.state) }),
      el('span', { class: 'type', 'data-testid': 'form-type', text: formTypeName(f.formType) }),
      who.length ? el('span', { 'data-testid': 'form-person', class: 'mono', text: who.join(' · ') }) : el('span', { class: 'meta', text: t('forms.noPerson') }),
      el('time', { datetime: f.createdAt, text: formatTime(f.createdAt) })),
    details,
    actions.length ? el('div', { class: 'actions' }, actions) : null);
}

// Where an accepted form's change went: asked of the exchange only when the collector opens it (no polling).
function deliveriesView(f) {
  const shown = state.deliveries?.[f.id];
  const list = shown?.ok
    ? (shown.body.departments.length
      ? el('ul', { class: 'deliveries', 'data-testid': 'form-deliveries' }, shown.body.departments.map((d) => el('li', { 'data-department': d.department },
        el('span', { class: 'dept', text: d.departmentName }), colon(), deliveryState(d))))
      : el('div', { class: 'meta', 'data-testid': 'form-deliveries', text: t('forms.deliveriesNone') }))
    : shown ? el('div', { class: 'meta', 'data-testid': 'form-deliveries', text: t('forms.deliveriesAway') }) : null;
  return el('div', { class: 'detail' },
    el('button', { type: 'button', class: 'small', 'data-testid': 'form-deliveries-show', text: t('forms.deliveries'), onclick: () => showDeliveries(f) }),
    list);
}

function deliveryState(d) {
  const parts = [];
  if (d.inQueue != null) {
    parts.push(t(d.acknowledgedFromQueue ? 'delivery.acknowledged' : d.inQueue ? 'delivery.queued' : 'delivery.waiting'));
  }

  if (d.webhook) {
    parts.push(t('delivery.webhook.' + d.webhook));
  }

  return parts.length ? parts.join(' · ') : t('delivery.feed');
}

async function showDeliveries(f) {
  const result = await api('GET', `/api/v1/forms/${f.id}/deliveries`);
  state.deliveries = { ...(state.deliveries ?? {}), [f.id]: result };
  renderForms();
}

async function submitListed(form) {
  const result = await api('POST', `/api/v1/forms/${form.id}/submit`, { revision: form.revision });
  if (result.ok) {
    state.highlight = form.id;
    flash(t('forms.resubmitted'));
    await refreshAfterChange();
    return;
  }

  // Refused: open it, with each violation at its field.
  await openExisting(form.id, (ed) => {
    ed.problem = result;
    ed.violations = violationsOf(result);
  });
}

function openWithdraw(form) {
  state.withdrawing = form;
  $('withdraw-what').textContent = [formTypeName(form.formType), ...personOf(form)].join(' · ');
  $('withdraw-reason').value = '';
  placeViolations($('withdraw-form'), []);
  $('withdraw-problem').replaceChildren();
  $('withdraw-dialog').showModal();
  $('withdraw-reason').focus();
}

async function withdraw(event) {
  event.preventDefault();
  const form = state.withdrawing;
  const result = await api('POST', `/api/v1/forms/${form.id}/withdraw`, { revision: form.revision, reason: $('withdraw-reason').value.trim() });
  if (!result.ok) {
    $('withdraw-problem').replaceChildren(...problemContent(result, { violations: violationsOf(result), retry: () => $('withdraw-form').requestSubmit() }));
    return;
  }

  $('withdraw-dialog').close();
  state.withdrawing = null;
  flash(t('forms.withdrawn'));
  if (state.editor?.formId === form.id) {
    closeEditor();
  }

  await refreshAfterChange();
}
