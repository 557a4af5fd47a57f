// 查找人员: a person in the register by identity number or name, with buttons for the forms about them.
import { $, el } from './dom.js';
import { formTypeName, t } from './i18n.js';
import { api, violationsOf } from './api.js';
import { problemContent } from './problems.js';
import { state } from './state.js';
import { addRenderer, screen } from './shell.js';
import { openNew } from './editor.js';

const PERSON_FORMS = ['death', 'move-out', 'move-within-city', 'migrant-departure', 'correction', 'household-change'];

export function initLookup() {
  $('find-form').addEventListener('submit', find);
  $('find-query').addEventListener('input', guessSearchKind);
  $('find-by').addEventListener('change', updateFindPlaceholder);
  addRenderer(updateFindPlaceholder);
  addRenderer(renderFind);
}

function updateFindPlaceholder() {
  $('find-query').placeholder = t($('find-by').value === 'name' ? 'find.placeholderName' : 'find.placeholderId');
}

function guessSearchKind() {
  const query = $('find-query').value.trim();
  if (/^\d{6}/.test(query)) {
    $('find-by').value = 'idNumber';
  } else if (/\p{Script=Han}/u.test(query)) {
    $('find-by').value = 'name';
  }

  updateFindPlaceholder();
}

async function find(event) {
  event.preventDefault();
  const by = $('find-by').value;
  const query = $('find-query').value.trim();
  if (!query) {
    $('find-query').focus();
    return;
  }

  await screen('lookup', async () => {
    const result = await api('GET', `/api/v1/persons?${by}=${encodeURIComponent(query)}`);
    state.found = result.ok ? { by, people: result.body } : null;
    state.findProblem = result.ok ? null : result;
    renderFind();
  });
}

export function renderFind() {
  const box = $('find-results');
  box.replaceChildren();
  if (state.findProblem) {
    box.append(el('div', { class: 'problem-box', role: 'alert' }, problemContent(state.findProblem, {
      violations: violationsOf(state.findProblem),
      retry: () => $('find-form').requestSubmit(),
    })));
    return;
  }

  if (!state.found) {
    return;
  }

  const people = state.found.people;
  if (people.length === 0) {
    box.append(el('p', { class: 'hint', text: t('find.none') }));
    return;
  }

  box.append(el('p', { class: 'hint', text: t('find.count', { n: people.length }) + (state.found.by === 'name' ? ' ' + t('find.masked') : '') }));
  for (const person of people) {
    box.append(personView(person));
  }
}

function personView(p) {
  const living = p.status === 'living';
  const buttons = PERSON_FORMS.filter((code) => state.formTypes.some((f) => f.code === code)).map((code) => {
    const applies = code === 'correction' || (living && (code !== 'migrant-departure' || p.residenceType === 'migrant'));
    return el('button', {
      type: 'button', class: 'small', disabled: !applies, 'data-testid': 'open-' + code, text: formTypeName(code),
      onclick: () => openNew(code, p),
    });
  });
  return el('div', { class: 'person', 'data-testid': 'person', 'data-person-id': p.personId },
    el('div', { class: 'facts' },
      el('span', { class: 'name', text: p.name }),
      el('span', { class: 'mono', text: p.idNumber }),
      el('span', { text: t('sex.' + p.sex) }),
      el('span', { text: p.birthDate }),
      el('span', { text: t('person.status.' + p.status) }),
      el('span', { text: t('person.residence.' + p.residenceType) }),
      p.residenceRegionCode ? el('span', { class: 'mono', text: p.residenceRegionCode }) : null,
      p.residenceAddress ? el('span', { text: p.residenceAddress }) : null,
      el('span', { class: 'meta', text: t('find.version', { v: p.version }) })),
    el('div', { class: 'open' }, t('find.openForm'), buttons),
    living ? null : el('p', { class: 'hint', text: t('find.notLiving') }));
}
