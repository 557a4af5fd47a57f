// 日报（一日一清）: a day's report of the community's forms by type and state, and closing the day once it is cleared
// (a refusal names the forms in the way).
import { $, el, flash, formatTime, today } from './dom.js';
import { formTypeName, stateName, t } from './i18n.js';
import { api, violationsOf } from './api.js';
import { problemContent } from './problems.js';
import { state } from './state.js';
import { addRenderer, screen } from './shell.js';
import { renderWho } from './session.js';
import { personOf } from './forms.js';
import { dayLinks } from './paper.js';

export function initDays() {
  $('report-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.closeProblem = null;
    renderCloseProblem();
    screen('report', loadReport);
  });
  $('close-day').addEventListener('click', askClose);
  $('close-day-yes').addEventListener('click', closeDay);
  $('close-day-no').addEventListener('click', () => { $('close-confirm').hidden = true; });
  addRenderer(renderReport);
  addRenderer(renderCloseProblem);
}

function reportDay() {
  return $('report-day').value || today();
}

export async function loadReport() {
  if (!state.session?.communityCode) {
    return;
  }

  const code = state.session.communityCode;
  const result = await api('GET', `/api/v1/communities/${encodeURIComponent(code)}/days/${reportDay()}/report`);
  if (result.ok) {
    state.report = result.body;
    state.reportProblem = null;
    state.communityName = result.body.communityName ?? state.communityName;
    renderWho();
  } else {
    state.report = null;
    state.reportProblem = state.session ? result : null;
  }

  renderReport();
}

function renderReport() {
  const box = $('report');
  box.replaceChildren();
  $('close-day').disabled = !state.report || Boolean(state.report.closedAt);
  if (state.reportProblem) {
    box.append(el('div', { class: 'problem-box' }, problemContent(state.reportProblem, {
      violations: violationsOf(state.reportProblem),
      retry: () => screen('report', loadReport),
    })));
    return;
  }

  const r = state.report;
  if (!r) {
    return;
  }

  const columns = ['forms', 'drafts', 'pending', 'accepted', 'rejected', 'withdrawn', 'late'];
  const row = (label, counts, testId) => el('tr', { 'data-testid': testId },
    el('th', { scope: 'row', text: label }),
    columns.map((c) => el('td', { class: 'num', text: counts?.[c] ?? 0 })));
  box.append(
    el('p', { class: 'meta', text: `${r.communityName} ${r.communityCode} · ${r.day}` }),
    el('div', { class: 'status' },
      el('span', { class: 'badge ' + (r.cleared ? 'accepted' : 'submitted'), 'data-testid': 'report-cleared', text: r.cleared ? t('report.cleared') : t('report.notCleared', { n: r.blocking?.length ?? 0 }) }),
      el('span', { class: 'badge ' + (r.closedAt ? 'withdrawn' : 'draft'), 'data-testid': 'report-closed', text: r.closedAt ? t('report.closed', { at: formatTime(r.closedAt, true), by: r.closedBy ?? '' }) : t('report.open') })),
    el('table', { class: 'report-table' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('report.type') }), columns.map((c) => el('th', { scope: 'col', class: 'num', text: t('report.' + c) })))),
      el('tbody', {},
        (r.byType ?? []).map((b) => row(formTypeName(b.formType), b.counts, 'report-row')),
        row(t('report.total'), r.totals, 'report-total'))),
    dayLinks(r.communityCode, r.day));
}

function askClose() {
  $('close-confirm-text').textContent = t('report.closeConfirm', { day: reportDay() });
  $('close-confirm').hidden = false;
  $('close-day-yes').focus();
}

async function closeDay() {
  $('close-confirm').hidden = true;
  const day = reportDay();
  const code = state.session.communityCode;
  const result = await api('POST', `/api/v1/communities/${encodeURIComponent(code)}/days/${day}/close`);
  if (result.ok) {
    state.report = result.body;
    state.closeProblem = null;
    state.closeBlocking = [];
    renderReport();
    renderCloseProblem();
    flash(t('report.closedNow', { day }));
    return;
  }

  state.closeProblem = result;
  state.closeBlocking = [];
  const blocking = result.body?.blocking ?? [];
  if (blocking.length > 0) {
    // Name the forms in the way: today's are on the page; another day's are read for it.
    let forms = state.forms;
    if (day !== today()) {
      const other = await api('GET', `/api/v1/forms?day=${day}`);
      forms = other.ok ? other.body : [];
    }

    state.closeBlocking = blocking.map((id) => forms.find((f) => f.id === id) ?? { id });
  }

  renderCloseProblem();
  await loadReport();
}

function renderCloseProblem() {
  const box = $('close-problem');
  const result = state.closeProblem;
  if (!result) {
    box.replaceChildren();
    return;
  }

  const rule = result.body?.rule;
  const headline = rule === 'day.not-cleared' ? t('report.notClearedProblem') : rule === 'day.closed' ? t('report.alreadyClosed') : undefined;
  box.replaceChildren(...problemContent(result, { headline, violations: result.status === 400 ? violationsOf(result) : [] }));
  if (state.closeBlocking.length > 0) {
    box.append(el('ul', { class: 'blocking' }, state.closeBlocking.map((f) => el('li', { 'data-testid': 'blocking-form', 'data-form-id': f.id },
      f.formType
        ? [el('span', { class: 'badge ' + f.state, text: stateName(f.state) }), ' ', formTypeName(f.formType), ' · ', personOf(f).join(' · ') || t('forms.noPerson')]
        : el('span', { class: 'mono', text: f.id })))));
  }
}
