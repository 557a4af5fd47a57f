// 批量导入: a CSV file (UTF-8 or GBK/GB18030, detected by the server) or an Excel workbook (.xlsx, its first sheet or
// the one named) of forms uploaded; the answer counts the rows that became submitted forms, says how the file was read
// (encoding or sheet) and lists the rows (or the file's problems) by line (a workbook's row), field and rule. The
// template workbooks, one per form type, are links to the server's own download.
import { $, el } from './dom.js';
import { fieldLabel, formTypeName, ruleText, t } from './i18n.js';
import { api, violationsOf } from './api.js';
import { problemContent } from './problems.js';
import { state } from './state.js';
import { addRenderer, screen } from './shell.js';
import { refreshAfterChange } from './forms.js';

export function initImport() {
  $('import-form').addEventListener('submit', upload);
  $('import-templates').addEventListener('toggle', renderTemplates);
  addRenderer(renderImport);
  addRenderer(renderTemplates);
}

// The form types are read after signing in: the links are drawn when the list is opened (and on a change of language).
function renderTemplates() {
  const list = $('import-template-links');
  list.replaceChildren(...state.formTypes.map((type) => el('li', {},
    el('a', {
      href: '/api/v1/forms/import-template?formType=' + encodeURIComponent(type.code),
      download: `popinfo-template-${type.code}.xlsx`,
      'data-testid': 'import-template-' + type.code,
      text: t('import.template', { type: formTypeName(type.code) }),
    }))));
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
  const sheet = $('import-sheet').value.trim();
  const url = '/api/v1/forms/import' + (sheet ? '?sheet=' + encodeURIComponent(sheet) : '');
  const button = $('import-submit');
  button.disabled = true;
  button.textContent = t('import.busy');
  await screen('import', async () => {
    state.importResult = await api('POST', url, undefined, { form });
    button.disabled = false;
    button.textContent = t('import.submit');
    renderImport();
  });
  if (state.importResult.ok) {
    $('import-file').value = '';
    await refreshAfterChange();
  }
}

// A workbook's bad rows are named by the sheet's row number, a CSV file's by its line.
function violationsTable(rows, testId, workbook) {
  return el('table', { class: 'import-table', 'data-testid': testId },
    el('thead', {}, el('tr', {}, [workbook ? 'import.row' : 'import.line', 'import.formType', 'import.field', 'import.rule', 'import.message'].map((k) => el('th', { scope: 'col', text: t(k) })))),
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
    const readAs = readAsText(body);
    if (readAs) {
      box.append(el('p', { class: 'meta', 'data-testid': 'import-read-as', 'data-format': body.format, text: readAs }));
    }

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
    box.append(el('h3', { text: t('import.badRows') }), violationsTable(badRows, 'import-bad-rows', body.format === 'xlsx'));
  }
}

const ENCODINGS = { 'utf-8': 'UTF-8', 'utf-8-bom': 'UTF-8 (BOM)', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', gb18030: 'GB18030' };

/** How the server read the file: a CSV file's encoding ("读作 GB18030"), a workbook's sheet. */
function readAsText(body) {
  if (body.format === 'csv' && body.encoding) {
    return t('import.readAs', { encoding: ENCODINGS[body.encoding] ?? body.encoding.toUpperCase() });
  }

  if (body.format === 'xlsx' && body.sheet) {
    return t('import.readSheet', { sheet: body.sheet });
  }

  return null;
}
