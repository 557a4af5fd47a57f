// Pickers, not codes (docs/desk.md, "Pickers and the identity number"): a Wuxi region field (a residence's or a
// registration's 12-digit community code) gets a district → street → community cascade of native lists with names
// (generated community names said so), which fills the code; a migrant's origin (a 6-digit county code) gets a search by
// name or code prefix over China's counties (ended ones with their years and successors). Codes typed by hand stay
// accepted, and are named. Reference data only: nothing personal travels in these URLs.
import { $, el } from './dom.js';
import { colon, fieldLabel, t } from './i18n.js';
import { api } from './api.js';
import { addFieldDecorator } from './editor.js';

const REGION_FIELDS = ['residenceRegionCode', 'registeredRegionCode'];
const LEVELS = ['district', 'street', 'community'];
const SEARCH_DEBOUNCE_MS = 250;

/** Answers by URL, kept for the page's life (the lists change only with a release); a failed call is asked again. */
const answers = new Map();

async function cached(url) {
  if (!answers.has(url)) {
    answers.set(url, api('GET', url));
  }

  const result = await answers.get(url);
  if (!result.ok && result.status !== 404 && result.status !== 400) {
    answers.delete(url);
  }

  return result;
}

/** A county's name: the code and name, and for an ended county its status, years and successors. */
export function countyText(entry) {
  const nodes = [el('span', { class: 'mono', text: entry.code }), ' ', entry.name];
  if (entry.fullName && entry.fullName !== entry.name) {
    nodes.push(el('span', { class: 'meta', text: ' · ' + entry.fullName }));
  }

  if (entry.status && entry.status !== 'in-use') {
    const years = `${entry.fromYear ?? ''}–${entry.toYear ?? ''}`;
    const successors = (entry.successors ?? []).map((s) => `${s.name} ${s.code}`).join('、');
    nodes.push(' ', el('span', { class: 'county-ended', 'data-testid': 'county-ended', 'data-status': entry.status },
      `（${t('picker.status.' + entry.status)} ${years}${successors ? ' → ' + successors : ''}）`));
  }

  return nodes;
}

/** One county code's entries ({code, inUse, entries}); 404 when the list does not have it. */
export const lookupCounty = (code) => cached(`/api/v1/reference/counties/${encodeURIComponent(code)}`);

export function initPicker() {
  addFieldDecorator((ed, name, input) => {
    if (REGION_FIELDS.includes(name)) {
      return regionPicker(ed, name, input);
    }

    return name === 'originRegionCode' ? countySearch(name, input) : null;
  });
}

// ---- the region cascade ----

/**
 * An entry of a list: the part of the code this level adds (a district's 6 digits, a street's and a community's 3 more,
 * so that typing a 12-digit code through the three lists picks it), the name, and "generated" where the name is the
 * platform's own label.
 */
const regionText = (r) => `${r.level === 'district' ? r.code : r.code.slice(-3)} ${r.name}${r.nameSource === 'generated' ? '（' + t('picker.generated') + '）' : ''}`;

function regionPicker(ed, name, input) {
  const p = { name, input, selects: {}, token: 0 };
  const row = LEVELS.map((level) => {
    const id = `p-${name}-${level}`;
    const select = el('select', { id, 'data-testid': `picker-${name}-${level}`, 'data-level': level, disabled: level !== 'district' },
      el('option', { value: '', text: '— ' + t('picker.choose') + ' —' }));
    select.addEventListener('change', () => chosen(p, level));
    p.selects[level] = select;
    return el('span', { class: 'picker-level' }, el('label', { for: id, text: t('picker.' + level) }), select);
  });
  p.names = el('div', { class: 'hint picker-names', 'data-testid': `picker-${name}-names`, 'aria-live': 'polite' });
  input.addEventListener('input', () => {
    const code = input.value.trim();
    if (code.length === 12 || code === '') {
      sync(p, code);
    }
  });
  sync(p, input.value.trim());
  return el('div', { class: 'picker', role: 'group', 'aria-label': t('picker.group', { field: fieldLabel(name, ed.code) }), 'data-testid': `picker-${name}` },
    el('div', { class: 'picker-row' }, row), p.names);
}

function fill(select, regions, value) {
  select.replaceChildren(el('option', { value: '', text: '— ' + t('picker.choose') + ' —' }),
    ...regions.map((r) => el('option', { value: r.code, text: regionText(r), title: r.code, 'data-generated': r.nameSource === 'generated' ? 'true' : null })));
  select.value = value ?? '';
  select.disabled = regions.length === 0;
}

async function childrenOf(code) {
  const result = await cached(code ? `/api/v1/regions/${encodeURIComponent(code)}/children` : '/api/v1/regions');
  return result.ok ? result.body.children ?? [] : null;
}

/** Sets the lists to a code's district, street and community (or only loads the districts); names a typed code. */
async function sync(p, code) {
  p.token += 1;
  const token = p.token;
  const districts = await childrenOf('');
  if (token !== p.token) {
    return;
  }

  if (!districts) {
    p.names.textContent = t('picker.away');
    return;
  }

  if (!/^\d{12}$/.test(code)) {
    fill(p.selects.district, districts, p.selects.district.value);
    p.names.textContent = '';
    return;
  }

  const found = await cached(`/api/v1/regions/${encodeURIComponent(code)}`);
  if (token !== p.token) {
    return;
  }

  if (!found.ok) {
    fill(p.selects.district, districts, '');
    fill(p.selects.street, [], '');
    fill(p.selects.community, [], '');
    p.names.textContent = found.status === 404 || found.status === 400 ? t('picker.unknown', { code }) : t('picker.away');
    return;
  }

  const chain = [...(found.body.chain ?? []), found.body.region];
  const at = (level) => chain.find((r) => r.level === level)?.code ?? '';
  const [streets, communities] = await Promise.all([childrenOf(at('district')), childrenOf(at('street'))]);
  if (token !== p.token) {
    return;
  }

  fill(p.selects.district, districts, at('district'));
  fill(p.selects.street, streets ?? [], at('street'));
  fill(p.selects.community, communities ?? [], at('community'));
  showNames(p, chain.filter((r) => r.level !== 'city'));
}

function showNames(p, chain) {
  p.names.replaceChildren(...chain.flatMap((r, i) => [i ? ' › ' : '', r.name,
    r.nameSource === 'generated' ? el('span', { class: 'generated', 'data-testid': 'name-generated', text: '（' + t('picker.generated') + '）' }) : '']));
}

/** A list changed by the collector: the next level's entries; a community fills the code field. */
async function chosen(p, level) {
  p.token += 1;
  const token = p.token;
  const select = p.selects[level];
  const below = LEVELS.slice(LEVELS.indexOf(level) + 1);
  for (const lower of below) {
    fill(p.selects[lower], [], '');
  }

  if (level === 'community') {
    if (select.value) {
      p.input.value = select.value;
      p.input.removeAttribute('aria-invalid');
      showNames(p, LEVELS.map((l) => {
        const option = p.selects[l].selectedOptions[0];
        const name = option.text.replace(/^\d+ /, '').replace(/（.*）$/, '');
        return { name, nameSource: option.dataset.generated ? 'generated' : 'official' };
      }));
    }

    return;
  }

  if (!select.value) {
    return;
  }

  const children = await childrenOf(select.value);
  if (token !== p.token) {
    return;
  }

  if (children) {
    fill(p.selects[below[0]], children, '');
  } else {
    p.names.textContent = t('picker.away');
  }
}

// ---- the county search ----

function countySearch(name, input) {
  const id = `p-${name}-search`;
  const listId = `p-${name}-list`;
  const search = el('input', {
    id, type: 'text', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    autocomplete: 'off', spellcheck: 'false', 'data-testid': 'county-search', placeholder: t('picker.countyPlaceholder'),
  });
  const list = el('ul', { id: listId, role: 'listbox', class: 'county-list', 'data-testid': 'county-results', 'aria-label': t('picker.countySearch'), hidden: true });
  const status = el('div', { class: 'hint', 'data-testid': 'county-status', 'aria-live': 'polite' });
  const s = { input, search, list, status, entries: [], active: -1, timer: null, token: 0 };

  search.addEventListener('input', () => {
    clearTimeout(s.timer);
    s.timer = setTimeout(() => find(s), SEARCH_DEBOUNCE_MS);
  });
  search.addEventListener('keydown', (event) => countyKey(s, event));
  search.addEventListener('blur', () => close(s));
  input.addEventListener('input', () => nameTyped(s));
  nameTyped(s);
  return el('div', { class: 'county-search' }, el('label', { for: id, text: t('picker.countySearch') }), search, list, status);
}

async function find(s) {
  const q = s.search.value.trim();
  s.token += 1;
  const token = s.token;
  if (!q) {
    close(s);
    s.status.textContent = '';
    return;
  }

  // Never more than six digits in a URL (an identity number pasted here stays here).
  if (q.length > 20 || (q.match(/\d/g) ?? []).length > 6) {
    close(s);
    s.status.textContent = t('picker.countyTooLong');
    return;
  }

  const result = await cached(`/api/v1/reference/counties?q=${encodeURIComponent(q)}&limit=20`);
  if (token !== s.token) {
    return;
  }

  if (!result.ok) {
    close(s);
    s.status.textContent = result.status === 0 || result.status >= 500 ? t('picker.away') : t('picker.countyNone');
    return;
  }

  s.entries = result.body.entries ?? [];
  s.active = -1;
  s.list.replaceChildren(...s.entries.map((entry, i) => el('li', {
    id: `${s.list.id}-${i}`, role: 'option', 'aria-selected': 'false', 'data-code': entry.code, 'data-status': entry.status, 'data-testid': 'county-option',
    onmousedown: (event) => { event.preventDefault(); choose(s, i); },
  }, countyText(entry))));
  s.list.hidden = s.entries.length === 0;
  s.search.setAttribute('aria-expanded', String(s.entries.length > 0));
  s.status.textContent = s.entries.length ? t('picker.countyResults', { n: s.entries.length }) : t('picker.countyNone');
}

function close(s) {
  s.list.hidden = true;
  s.search.setAttribute('aria-expanded', 'false');
  s.search.removeAttribute('aria-activedescendant');
}

function countyKey(s, event) {
  const open = !s.list.hidden && s.entries.length > 0;
  if (!open || event.isComposing || event.keyCode === 229) {
    return;
  }

  const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
  if (step) {
    event.preventDefault();
    s.active = (s.active + step + s.entries.length) % s.entries.length;
    for (const [i, option] of [...s.list.children].entries()) {
      option.setAttribute('aria-selected', String(i === s.active));
    }

    const option = s.list.children[s.active];
    s.search.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
  } else if (event.key === 'Enter' && s.active >= 0) {
    // The entry chosen, and Enter stays here (the editor's Enter moves on to the next field).
    event.preventDefault();
    event.stopPropagation();
    choose(s, s.active);
  } else if (event.key === 'Escape') {
    event.preventDefault();
    close(s);
  }
}

function choose(s, i) {
  const entry = s.entries[i];
  s.input.value = entry.code;
  s.input.removeAttribute('aria-invalid');
  close(s);
  s.status.replaceChildren(t('picker.countyChosen'), colon(), ...countyText(entry));
}

/** A county code typed into the field is named under it. */
async function nameTyped(s) {
  const code = s.input.value.trim();
  if (!/^\d{6}$/.test(code)) {
    return;
  }

  const result = await lookupCounty(code);
  if (s.input.value.trim() !== code || !s.input.isConnected) {
    return;
  }

  s.status.replaceChildren(...(result.ok && result.body.entries?.length
    ? countyText(result.body.entries[0])
    : [t('picker.countyUnknown', { code })]));
}
