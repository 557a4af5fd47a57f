// The identity number does the typing (docs/desk.md, "Pickers and the identity number"): an 18-character number (or a
// 15-digit one from before 1999) fills in the birth date and the sex when they are empty, shows the place of issue (the
// county of its first six digits) and flags at once, at its field, a birth date or sex typed otherwise — the rules the
// server applies on submit (IdentityNumber.ParseAny, IdentityNumberFacts in PopInfo.Domain.Identity).
// Only the first six digits ever travel in a URL; nothing here logs the number.
import { $, el } from './dom.js';
import { colon, fieldLabel, ruleText, t } from './i18n.js';
import { addFieldDecorator, normalDate, onEditorDrawn } from './editor.js';
import { countyText, lookupCounty } from './picker.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** ISO 7064 MOD 11-2: the check character of the first 17 digits. */
export function checkCharacter(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += Number(first17[i]) * WEIGHTS[i];
  }

  return CHECK[sum % 11];
}

function realDate(year, month, day) {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
    : null;
}

/**
 * What a whole identity number says, or null while it is not one yet (not 18 characters of 17 digits and a digit or
 * X, nor 15 digits): { county (six digits), birthDate (yyyy-MM-dd, null when not a date), sex ('1' man, '2' woman),
 * legacy (15 digits), checkOk, expectedCheck }.
 */
export function parseIdentityNumber(text) {
  const value = String(text ?? '').trim().toUpperCase();
  if (/^\d{17}[\dX]$/.test(value)) {
    const expected = checkCharacter(value);
    return {
      county: value.slice(0, 6),
      birthDate: realDate(Number(value.slice(6, 10)), Number(value.slice(10, 12)), Number(value.slice(12, 14))),
      sex: Number(value[16]) % 2 === 1 ? '1' : '2',
      legacy: false,
      checkOk: value[17] === expected,
      expectedCheck: expected,
    };
  }

  if (/^\d{15}$/.test(value)) {
    // Characters 7–12 are YYMMDD of the 1900s, of the 1800s for the sequences 996–999 (centenarians); the 15th digit gives the sex.
    const sequence = Number(value.slice(12, 15));
    const century = sequence >= 996 ? 1800 : 1900;
    return {
      county: value.slice(0, 6),
      birthDate: realDate(century + Number(value.slice(6, 8)), Number(value.slice(8, 10)), Number(value.slice(10, 12))),
      sex: Number(value[14]) % 2 === 1 ? '1' : '2',
      legacy: true,
      checkOk: true,
      expectedCheck: null,
    };
  }

  return null;
}

/** The fields typed otherwise than the number says, as the server names them (IdentityNumberFacts.Mismatches). */
export function mismatches(facts, values) {
  const found = [];
  if (!facts) {
    return found;
  }

  const birth = normalDate(values.birthDate ?? '');
  if (facts.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birth) && birth !== facts.birthDate) {
    found.push({ field: 'birthDate', rule: 'birth-date.matches-id-number' });
  }

  if (values.sex && (values.sex === '1' || values.sex === '2') && values.sex !== facts.sex) {
    found.push({ field: 'sex', rule: 'sex.matches-id-number' });
  }

  return found;
}

// ---- the page ----

/** What the last reading of the number put into the fields (null: nothing), so that a later reading may replace it. */
const autoFilled = { birthDate: null, sex: null };

export function initIdentity() {
  addFieldDecorator(decorate);
  onEditorDrawn(() => refresh(false));
}

/** Only the form's own identity number speaks for its birth date and sex (not the mother's nor a new number). */
const applies = () => Boolean($('f-idNumber') && ($('f-birthDate') || $('f-sex')));

function decorate(ed, name, input) {
  if (name === 'idNumber') {
    autoFilled.birthDate = null;
    autoFilled.sex = null;
    input.addEventListener('input', () => refresh(true));
    return el('div', { class: 'identity-facts hint', id: 'identity-facts', 'data-testid': 'identity-facts', 'aria-live': 'polite' });
  }

  if (name === 'birthDate' || name === 'sex') {
    input.addEventListener(name === 'sex' ? 'change' : 'input', () => refresh(false));
    input.addEventListener('blur', () => refresh(false));
    const id = 'm-' + name;
    input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
    // Not an .error box: those hold the server's violations (problems.js places them in a field's first .error).
    return el('div', { class: 'identity-mismatch', id, 'data-testid': 'mismatch-' + name });
  }

  return null;
}

/** Reads the number; with fill, puts its birth date and sex into the empty fields; shows its facts and any mismatch. */
function refresh(fill) {
  const box = $('identity-facts');
  if (!box) {
    return;
  }

  const facts = applies() && !$('f-idNumber').readOnly ? parseIdentityNumber($('f-idNumber').value) : null;
  if (!facts) {
    box.replaceChildren();
    showMismatches(null);
    return;
  }

  const birthField = $('f-birthDate');
  const sexField = $('f-sex');
  // Filled where empty, or where it still holds what an earlier reading filled in (typing an 18-character number
  // passes through 15 digits, read as an old number on the way).
  const filled = [];
  const mayFill = (field, key) => field && (field.value.trim() === '' || (autoFilled[key] !== null && field.value === autoFilled[key]));
  if (fill && facts.birthDate && mayFill(birthField, 'birthDate')) {
    birthField.value = facts.birthDate;
    autoFilled.birthDate = facts.birthDate;
    filled.push(birthField);
  }

  if (fill && mayFill(sexField, 'sex')) {
    sexField.value = facts.sex;
    autoFilled.sex = facts.sex;
    filled.push(sexField);
  }

  const lines = [];
  if (!facts.checkOk) {
    lines.push(el('div', { class: 'identity-warning', 'data-testid': 'identity-check', 'data-rule': 'id-number.check-character' },
      t('identity.checkWrong', { expected: facts.expectedCheck }), ' ', el('span', { class: 'rule-code', text: '[id-number.check-character]' })));
  }

  lines.push(el('div', { 'data-testid': 'identity-birth' }, facts.birthDate
    ? t('identity.facts', { birth: facts.birthDate, sex: t('sex.' + facts.sex) }) + (filled.length ? ' ' + t('identity.filled') : '')
    : t('identity.badDate'), facts.legacy ? ' · ' + t('identity.legacy') : ''));
  const place = el('div', { 'data-testid': 'identity-place', 'data-county': facts.county });
  lines.push(place);
  box.replaceChildren(...lines);
  showMismatches(facts);
  showPlace(place, facts.county);
}

function showMismatches(facts) {
  const values = { birthDate: $('f-birthDate')?.value ?? '', sex: $('f-sex')?.value ?? '' };
  const found = mismatches(facts, values);
  for (const name of ['birthDate', 'sex']) {
    const box = $('m-' + name);
    const field = $('f-' + name);
    if (!box || !field) {
      continue;
    }

    const v = found.find((m) => m.field === name);
    box.replaceChildren(...(v
      ? [el('div', { 'data-testid': 'mismatch', 'data-rule': v.rule },
        el('span', { class: 'what', text: fieldLabel(name) + colon() }), ruleText(v.rule), ' ', el('span', { class: 'rule-code', text: '[' + v.rule + ']' }))]
      : []));
    if (v) {
      field.setAttribute('aria-invalid', 'true');
    } else if (!$('e-' + name)?.hasChildNodes()) {
      field.removeAttribute('aria-invalid');
    }
  }
}

async function showPlace(box, county) {
  box.textContent = t('identity.placeLoading');
  const result = await lookupCounty(county); // The first six digits only.
  if (!box.isConnected) {
    return; // The number changed meanwhile: a newer look-up shows its own place.
  }

  if (result.ok && result.body?.entries?.length) {
    const entry = result.body.entries[0];
    box.replaceChildren(t('identity.place'), ...countyText(entry));
    box.dataset.status = entry.status;
  } else if (result.status === 404 || result.status === 400) {
    box.textContent = t('identity.placeUnknown', { code: county });
    box.dataset.status = 'unknown';
  } else {
    box.textContent = t('identity.placeAway');
  }
}
