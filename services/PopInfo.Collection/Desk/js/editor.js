// 新建表单 and the form editor: the form types' buttons, one form's fields (required, then optional), saving a draft
// and submitting. A refusal puts each violation at its field and moves the focus to the first one.
import { $, el, flash, today } from './dom.js';
import { TEXT, fieldLabel, formTypeName, pick, stateName, t } from './i18n.js';
import { api, violationsOf } from './api.js';
import { placeViolations, problemContent } from './problems.js';
import { state } from './state.js';
import { addRenderer, screen } from './shell.js';
import { refreshAfterChange, renderForms } from './forms.js';

const DATE_FIELDS = ['birthDate', 'deathDate', 'moveDate', 'arrivalDate', 'departureDate'];
const ID_FIELDS = ['idNumber', 'motherIdNumber', 'newIdNumber'];
const CODE_FIELDS = ['ethnicity', 'maritalStatus', 'education', 'relationshipToHead'];
const MIGRANT_REASONS = ['work', 'business', 'study', 'family', 'other'];

/** Added to a field after its input (identity facts, region pickers, county search): (ed, name, input, required) => nodes or null. */
const decorators = [];

/** A module that adds to a form's fields (docs/desk.md, "Pickers and the identity number") registers here. */
export function addFieldDecorator(decorate) {
  decorators.push(decorate);
}

/** Called after the editor's fields are drawn anew (e.g. to show again what a decorator checks). */
const afterDraw = [];

export function onEditorDrawn(then) {
  afterDraw.push(then);
}

/** The refusal on show and the call it answered (saveDraft or submitEditor): what "try again" repeats after a lost connection. */
let retryable = null;

export function initEditor() {
  // Enter in a field never sends a form to the registry (keyboard.js makes it move on): only submitting does.
  $('editor-form').addEventListener('submit', (event) => event.preventDefault());
  $('editor-submit').addEventListener('click', submitEditor);
  $('editor-save').addEventListener('click', saveDraft);
  $('editor-close').addEventListener('click', closeEditor);
  addRenderer(renderFormTypes);
  addRenderer(renderEditor);
}

export async function loadCodes() {
  // Beside js/ in this build's versioned folder (kept without asking again, as the modules are).
  const result = await api('GET', new URL('../codes.json', import.meta.url).pathname);
  if (result.ok) {
    state.codes = result.body;
    if (state.editor) {
      readEditor();
      renderEditor();
    }
  }
}

export function renderFormTypes() {
  const box = $('form-types');
  box.replaceChildren();
  if (state.formTypesProblem) {
    box.append(el('div', { class: 'problem-box' }, problemContent(state.formTypesProblem)));
  }

  for (const type of state.formTypes) {
    box.append(el('button', { type: 'button', 'data-testid': 'new-form-' + type.code, 'data-form-type': type.code, onclick: () => openNew(type.code, null) },
      formTypeName(type.code), el('span', { class: 'code', text: type.code })));
  }
}

export function typeOf(code) {
  return state.formTypes.find((f) => f.code === code) ?? { code, required: [], optional: [] };
}

export function openNew(code, person) {
  screen('editor', () => {
    const masked = person ? person.idNumber.includes('*') : false;
    state.editor = {
      code, formId: null, revision: null, formState: null,
      personId: person?.personId ?? null, expectedVersion: person?.version ?? null,
      personName: person?.name ?? null, maskedIdNumber: masked ? person.idNumber : null, currentVersion: null,
      values: person && !masked ? { idNumber: person.idNumber } : {}, note: '', problem: null, violations: [],
    };
    // Someone entering the register at this desk lives in this community unless the collector says otherwise
    // (where the field is optional, the server fills it in the same way).
    const type = typeOf(code);
    if (!type.aboutExistingPerson && (type.required ?? []).includes('residenceRegionCode') && state.session?.communityCode) {
      state.editor.values.residenceRegionCode = state.session.communityCode;
    }
    renderEditor();
    focusEditor();
  });
}

export async function openExisting(id, then) {
  await screen('editor', async () => {
    const result = await api('GET', `/api/v1/forms/${id}`);
    if (!result.ok) {
      state.formsProblem = result;
      renderForms();
      return;
    }

    const form = result.body;
    const rejection = form.rejection ?? null;
    const currentVersion = rejection?.rule === 'version.current' && rejection.currentVersion != null ? rejection.currentVersion : null;
    state.editor = {
      code: form.formType, formId: form.id, revision: form.revision, formState: form.state,
      personId: form.personId ?? null, expectedVersion: currentVersion ?? form.expectedVersion ?? null,
      personName: null, maskedIdNumber: null, currentVersion,
      values: { ...(form.data ?? {}) }, note: form.note ?? '',
      problem: rejection ? { status: rejection.status ?? 409, body: rejection } : null,
      violations: rejection ? violationsOf(rejection) : [],
    };
    if (then) {
      then(state.editor);
    }

    renderEditor();
    focusEditor();
  });
}

function fieldView(ed, name, required) {
  const id = 'f-' + name;
  const value = ed.values[name] ?? '';
  const common = { id, name, 'data-testid': 'field-' + name, 'aria-describedby': 'e-' + name, 'aria-required': required ? 'true' : null };
  const choose = () => el('option', { value: '', text: '— ' + t('editor.choose') + ' —' });
  const error = el('div', { class: 'error', id: 'e-' + name, 'data-testid': 'error-' + name });
  const mark = required ? [' ', el('span', { class: 'req', 'aria-hidden': 'true', title: t('editor.required'), text: '*' })] : null;

  if (name === 'moveRegistration') {
    const box = el('input', { ...common, type: 'checkbox', checked: value === 'true' });
    return el('div', { class: 'field', 'data-field': name }, el('label', { class: 'check' }, box, fieldLabel(name, ed.code), mark), error);
  }

  let input;
  const options = (pairs) => {
    const select = el('select', common, choose(), pairs.map(([code, text]) => el('option', { value: code, text })));
    if (value && !pairs.some(([code]) => code === value)) {
      select.append(el('option', { value, text: value }));
    }

    select.value = value;
    return select;
  };

  if (DATE_FIELDS.includes(name)) {
    // Typed, not picked: eight digits (20251203) or with separators, the same keys whatever the browser's locale
    // (a date input's parts follow it: month first on an English one). Made yyyy-MM-dd on leaving the field.
    input = el('input', { ...common, type: 'text', inputmode: 'numeric', maxlength: 10, autocomplete: 'off', spellcheck: 'false', class: 'mono', placeholder: t('editor.placeholder.date', { today: today().replaceAll('-', '') }), value });
    input.addEventListener('blur', () => { input.value = normalDate(input.value); });
  } else if (name === 'sex') {
    input = options([['1', '1 ' + t('sex.1')], ['2', '2 ' + t('sex.2')]]);
  } else if (name === 'expectedStayMonths') {
    input = el('input', { ...common, type: 'number', min: 1, max: 600, step: 1, inputmode: 'numeric', value });
  } else if (name === 'reason' && ed.code === 'migrant-arrival') {
    input = options(MIGRANT_REASONS.map((r) => [r, pick(TEXT.migrantReasons[r]) + (state.lang === 'zh' ? ` (${r})` : '')]));
  } else if (CODE_FIELDS.includes(name) && state.codes?.[name]) {
    input = options(state.codes[name].map((c) => [c.code, `${c.code} ${state.lang === 'zh' ? c.zh : c.en}`]));
  } else {
    input = el('input', { ...common, type: name === 'phone' ? 'tel' : 'text', value, autocomplete: 'off', spellcheck: 'false' });
    if (ID_FIELDS.includes(name)) {
      input.classList.add('mono');
      input.maxLength = 18;
      input.placeholder = t('editor.placeholder.idNumber');
    } else if (name === 'registeredRegionCode' || name === 'residenceRegionCode') {
      input.classList.add('mono');
      input.maxLength = 12;
      input.inputMode = 'numeric';
      input.placeholder = name === 'residenceRegionCode' && !required && !typeOf(ed.code).aboutExistingPerson && state.session?.communityCode
        ? t('editor.placeholder.residence', { code: state.session.communityCode })
        : t('editor.placeholder.region12');
    } else if (name === 'originRegionCode') {
      input.classList.add('mono');
      input.maxLength = 6;
      input.inputMode = 'numeric';
      input.placeholder = t('editor.placeholder.county');
    } else if (name === 'phone') {
      input.placeholder = t('editor.placeholder.phone');
    }

    // A person found in the register is named by their person id: their identity number is not edited here.
    if (name === 'idNumber' && ed.personId) {
      input.readOnly = true;
      if (!value) {
        input.placeholder = (ed.maskedIdNumber ? ed.maskedIdNumber + ' · ' : '') + t('editor.subjectById');
      }
    }
  }

  const extra = decorators.map((decorate) => decorate(ed, name, input, required));
  return el('div', { class: 'field', 'data-field': name }, el('label', { for: id }, fieldLabel(name, ed.code), mark), input, extra, error);
}

export function renderEditor() {
  const section = $('editor');
  const ed = state.editor;
  section.hidden = !ed;
  if (!ed) {
    $('editor-fields').replaceChildren();
    return;
  }

  const type = typeOf(ed.code);
  $('editor-title').textContent = t(ed.formId ? 'editor.editTitle' : 'editor.newTitle', { type: formTypeName(ed.code) });
  $('editor-meta').textContent = ed.formId
    ? t('editor.formMeta', { id: ed.formId, state: stateName(ed.formState), revision: ed.revision })
    : '';

  const person = $('editor-person');
  person.hidden = !ed.personId;
  person.replaceChildren();
  if (ed.personId) {
    person.append(
      el('label', { for: 'f-expectedVersion' }, ed.personName
        ? t('editor.person', { name: ed.personName, id: ed.personId })
        : t('editor.personNoName', { id: ed.personId })),
      // A field like the others, so that a registry's refusal of the version (version.current) is shown at it.
      el('div', { class: 'field', 'data-field': 'expectedVersion' },
        el('input', { id: 'f-expectedVersion', type: 'number', min: 1, step: 1, 'data-testid': 'field-expectedVersion', 'aria-describedby': 'e-expectedVersion', value: ed.expectedVersion ?? '' }),
        el('div', { class: 'error', id: 'e-expectedVersion', 'data-testid': 'error-expectedVersion' })));
    if (ed.currentVersion != null) {
      person.append(el('span', { class: 'hint', text: t('editor.currentVersion', { v: ed.currentVersion }) }));
    }
  }

  const optional = type.optional ?? [];
  $('editor-fields').replaceChildren(
    el('div', { class: 'fields-title', text: t('editor.requiredTitle') }),
    el('div', { class: 'fields' }, (type.required ?? []).map((f) => fieldView(ed, f, true))),
    optional.length ? el('div', { class: 'fields-title', text: t('editor.optionalTitle') }) : null,
    optional.length ? el('div', { class: 'fields' }, optional.map((f) => fieldView(ed, f, false))) : null);
  $('f-note').value = ed.note ?? '';

  const unplaced = placeViolations(section, ed.violations ?? [], ed.code);
  $('editor-problem').replaceChildren(...(ed.problem
    ? problemContent(ed.problem, { violations: unplaced, formType: ed.code, retry: retryable?.problem === ed.problem ? retryable.action : null })
    : []));
  for (const then of afterDraw) {
    then(ed);
  }
}

/** The first field in error, else "try again" after a lost connection, else the first field to type in. */
export function focusEditor() {
  const section = $('editor');
  section.scrollIntoView({ block: 'start' });
  const target = section.querySelector('[aria-invalid="true"]') ??
    $('editor-problem').querySelector('[data-testid="retry"]') ??
    section.querySelector('#editor-fields input:not([readonly]), #editor-fields select');
  target?.focus({ preventScroll: true });
}

/** 20251203, 2025.12.3, 2025/12/03 or 2025年12月3日 as 2025-12-03; anything else as typed (the server names what is wrong). */
export function normalDate(text) {
  const value = String(text ?? '').trim();
  const digits = /^(\d{4})(\d{2})(\d{2})$/.exec(value) ?? /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(value);
  return digits ? `${digits[1]}-${digits[2].padStart(2, '0')}-${digits[3].padStart(2, '0')}` : value;
}

/** Takes what is typed into the editor's state (so that re-rendering, e.g. in the other language, keeps it). */
export function readEditor() {
  const ed = state.editor;
  if (!ed || $('editor').hidden) {
    return;
  }

  const values = {};
  for (const input of $('editor-fields').querySelectorAll('[name]')) {
    values[input.name] = input.type === 'checkbox' ? String(input.checked)
      : DATE_FIELDS.includes(input.name) ? normalDate(input.value) : input.value.trim();
  }

  ed.values = values;
  ed.note = $('f-note').value;
  const version = $('f-expectedVersion');
  if (version) {
    ed.expectedVersion = version.value === '' ? null : Number.parseInt(version.value, 10);
  }
}

function editorBody(ed) {
  const data = {};
  for (const [name, value] of Object.entries(ed.values)) {
    if (value !== '' && value !== null && value !== undefined) {
      data[name] = value;
    }
  }

  return { personId: ed.personId, expectedVersion: ed.expectedVersion, data, note: ed.note.trim() || null };
}

function adopt(ed, view) {
  Object.assign(ed, {
    formId: view.id, revision: view.revision, formState: view.state,
    personId: view.personId ?? ed.personId, expectedVersion: view.expectedVersion ?? ed.expectedVersion,
  });
}

function editorRefused(result, action) {
  const ed = state.editor;
  if (!ed) {
    return; // The session ended meanwhile: the page asks to sign in again (session.js kept the form).
  }

  retryable = { problem: result, action };
  ed.problem = result;
  ed.violations = violationsOf(result);
  renderEditor();
  focusEditor();
}

function editorBusy(busy) {
  for (const id of ['editor-save', 'editor-submit']) {
    $(id).disabled = busy;
  }
}

/** A new form is created; an existing draft or rejected form gets its new data (sending the revision read). */
async function save(ed) {
  return ed.formId
    ? api('PUT', `/api/v1/forms/${ed.formId}`, { revision: ed.revision, ...editorBody(ed) })
    : api('POST', '/api/v1/forms', { formType: ed.code, ...editorBody(ed) });
}

export async function saveDraft() {
  if (!state.editor || $('editor-save').disabled) {
    return;
  }

  readEditor();
  const ed = state.editor;
  editorBusy(true);
  const result = await save(ed);
  editorBusy(false);
  if (!result.ok) {
    editorRefused(result, saveDraft);
    return;
  }

  adopt(ed, result.body);
  ed.problem = null;
  ed.violations = [];
  ed.currentVersion = null;
  renderEditor();
  flash(t('editor.saved'));
  await refreshAfterChange();
}

export async function submitEditor() {
  if (!state.editor || $('editor-submit').disabled) {
    return;
  }

  readEditor();
  const ed = state.editor;
  editorBusy(true);
  let result;
  if (!ed.formId) {
    // Checked in full and queued in one call; a refused form is not stored, and stays here to be corrected.
    result = await api('POST', '/api/v1/forms', { formType: ed.code, ...editorBody(ed), submit: true });
  } else {
    const saved = await save(ed);
    if (saved.ok) {
      adopt(ed, saved.body);
      result = await api('POST', `/api/v1/forms/${ed.formId}/submit`, { revision: ed.revision });
    } else {
      result = saved;
    }
  }

  editorBusy(false);
  if (!result.ok) {
    editorRefused(result, submitEditor);
    if (ed.formId) {
      await refreshAfterChange();
    }

    return;
  }

  state.highlight = result.body.id;
  state.editor = null;
  renderEditor();
  flash(t('editor.submitted'));
  // The next form of the same kind is one Enter away.
  $('form-types').querySelector(`[data-form-type="${CSS.escape(ed.code)}"]`)?.focus();
  await refreshAfterChange();
}

export function closeEditor() {
  state.editor = null;
  renderEditor();
}
