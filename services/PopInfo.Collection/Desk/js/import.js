// CSV 批量导入: a file of forms uploaded; the answer counts the rows that became submitted forms and lists the rows
// (or the file's problems) by line, field and rule.
import { $, el } from './dom.js';
import { fieldLabel, formTypeName, ruleText, t } from './i18n.js';
import { api, violationsOf } from './api.js';
import { problemContent } from './problems.js';
import { state } from './state.js';
import { addRenderer, screen } from './shell.js';
import { refreshAfterChange } from './forms.js';

export function initImport() {
  $('import-form').addEventListener('submit', upload);
  addRenderer(renderImport);
}

async function upload(event) {
  event.preventDefault();
  const file = $('import-file').files[0];
  if (!file) {
    state.importResult = { status: -1 };
    renderImport();
    return;
  }

  const form = new FormData();
  form.append('file', file, file.name);
  const button = $('import-submit');
  button.disabled = true;
  button.textContent = t('import.busy');
  await screen('import', async () => {
    state.importResult = await api('POST', '/api/v1/forms/import', undefined, { form });
    button.disabled = false;
    button.textContent = t('import.submit');
    renderImport();
  });
  if (state.importResult.ok) {
    $('import-file').value = '';
    await refreshAfterChange();
  }
}

function violationsTable(rows, testId) {
  return el('table', { class: 'import-table', 'data-testid': testId },
    el('thead', {}, el('tr', {}, ['import.line', 'import.formType', 'import.field', 'import.rule', 'import.message'].map((k) => el('th', { scope: 'col', text: t(k) })))),
    el('tbody', {}, rows.flatMap((row) => (row.violations ?? []).map((v) => el('tr', { 'data-testid': 'bad-row', 'data-line': row.line ?? '', 'data-violation-field': v.field, 'data-rule': v.rule },
      el('td', { class: 'num', text: row.line ?? '—' }),
      el('td', { text: row.formType ? formTypeName(row.formType) : '—' }),
      el('td', {}, fieldLabel(v.field, row.formType), ' ', el('span', { class: 'rule-code', text: v.field })),
      el('td', {}, ruleText(v.rule) ?? '', ' ', el('span', { class: 'rule-code', text: '[' + v.rule + ']' })),
      el('td', { lang: 'en', text: v.message ?? '' }))))));
}

function renderImport() {
  const box = $('import-result');
  box.replaceChildren();
  const result = state.importResult;
  if (!result) {
    return;
  }

  if (result.status === -1) {
    box.append(el('p', { class: 'hint', text: t('import.chooseFile') }));
    return;
  }

  if ([404, 405, 501].includes(result.status)) {
    box.append(el('p', { class: 'notice', 'data-testid': 'import-unavailable', text: t('import.notAvailable', { status: result.status }) }));
    return;
  }

  const body = result.body ?? {};
  const badRows = Array.isArray(body.badRows) ? body.badRows : [];
  // File problems: the answer's own list, or a refusal's violations (when they are not the bad rows again).
  const fileViolations = Array.isArray(body.fileViolations) ? body.fileViolations
    : !result.ok && badRows.length === 0 ? violationsOf(result) : [];

  if (result.ok) {
    box.append(el('p', { 'data-testid': 'import-summary', text: t('import.summary', { rows: body.rows ?? 0, accepted: body.accepted ?? 0, rejected: body.rejected ?? badRows.length }) }));
    if (body.importId) {
      box.append(el('p', { class: 'meta mono', text: t('import.id', { id: body.importId }) }));
    }
  } else {
    const headline = result.status === 413 ? t('import.tooLarge') : body.rule === 'import.same-file' ? t('import.sameFile') : undefined;
    // The file is still chosen after a lost connection: "try again" sends it again.
    box.append(el('div', { class: 'problem-box', role: 'alert' }, problemContent(result, { headline, retry: () => $('import-form').requestSubmit() })));
  }

  if (fileViolations.length > 0) {
    box.append(el('h3', { text: t('import.fileProblems') }), violationsTable([{ line: null, formType: null, violations: fileViolations }], 'import-file-problems'));
  }

  if (badRows.length > 0) {
    box.append(el('h3', { text: t('import.badRows') }), violationsTable(badRows, 'import-bad-rows'));
  }
}
