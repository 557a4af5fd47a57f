// Chinese first, English on request: the words come from text.js, the choice is remembered in localStorage.
import { $ } from './dom.js';
import { LANG_KEY, state } from './state.js';
import { TEXT } from './text.js';

export { TEXT };

export function pick(pair) {
  return pair ? pair[state.lang === 'zh' ? 0 : 1] : undefined;
}

export function t(key, params) {
  const text = pick(TEXT.ui[key]) ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (m, name) => (params[name] ?? m)) : text;
}

export const colon = () => (state.lang === 'zh' ? '：' : ': ');

export function fieldLabel(field, formType) {
  const bare = String(field ?? '').replace(/^.*\./, '');
  const own = formType && TEXT.fieldsByForm[formType] && TEXT.fieldsByForm[formType][bare];
  return pick(own || TEXT.fields[bare]) ?? String(field ?? '');
}

export function formTypeName(code) {
  if (TEXT.formTypes[code]) {
    return pick(TEXT.formTypes[code]);
  }

  const type = state.formTypes.find((f) => f.code === code);
  return type && state.lang === 'zh' ? type.chineseName : String(code ?? '—');
}

export const ruleText = (rule) => pick(TEXT.rules[rule]);
export const stateName = (s) => t('state.' + s);

/** Sets the page's static words ([data-i18n], [data-i18n-placeholder], [data-i18n-aria-label]) in the chosen language. */
export function applyLang() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title') + ' · PopInfo';
  for (const node of document.querySelectorAll('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n);
  }

  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }

  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  }

  $('lang').lang = state.lang === 'zh' ? 'en' : 'zh-CN';
}

/** The other language, remembered; the caller redraws. */
export function toggleLang() {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  try {
    localStorage.setItem(LANG_KEY, state.lang);
  } catch {
    // Storage turned off: the choice lasts until the page is left.
  }

  applyLang();
}
