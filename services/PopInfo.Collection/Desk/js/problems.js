// How a refusal is shown: a headline, the server's own words (English, grey) with the rule, and each violation next to
// its field where the page has that field.
import { el } from './dom.js';
import { colon, fieldLabel, ruleText, t } from './i18n.js';
import { headlineOf } from './api.js';

/** "label: rule text [rule]" and the server's own message under it. */
export function violationView(v, formType, tag = 'li') {
  return el(tag, { 'data-testid': 'violation', 'data-violation-field': v.field, 'data-rule': v.rule },
    el('span', { class: 'what', text: fieldLabel(v.field, formType) + colon() }),
    ruleText(v.rule) ? ruleText(v.rule) + ' ' : '',
    el('span', { class: 'rule-code', text: '[' + v.rule + ']' }),
    v.message ? el('span', { class: 'server', lang: 'en', text: v.message }) : null);
}

/**
 * A problem box's content: the headline, the server's title and detail with its rule, and violations not shown at a
 * field. options.retry (a function) adds a "try again" button when the server could not be reached.
 */
export function problemContent(result, options = {}) {
  const body = result.body ?? {};
  const nodes = [el('div', { class: 'what', text: options.headline ?? headlineOf(result) })];
  // A refusal's detail repeats its violations, which are shown one by one: its title is enough then.
  const listed = (Array.isArray(body.violations) && body.violations.length > 0) || (options.violations?.length ?? 0) > 0;
  const server = [body.title, listed ? null : body.detail].filter(Boolean).join(' ');
  if (server || body.rule) {
    nodes.push(el('span', { class: 'server', lang: 'en' }, server, body.rule ? [' ', el('span', { class: 'rule-code', text: '[' + body.rule + ']' })] : null));
  }

  const rest = options.violations ?? [];
  if (rest.length > 0) {
    nodes.push(el('ul', {}, rest.map((v) => violationView(v, options.formType))));
  }

  if (options.retry && (result.status === 0 || result.status === 503)) {
    nodes.push(el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'small', 'data-testid': 'retry', text: t('common.retry'), onclick: options.retry })));
  }

  return nodes;
}

/** Puts each violation next to its field inside scope (a [data-field] with an .error); returns those that have no field there. */
export function placeViolations(scope, violations, formType) {
  for (const node of scope.querySelectorAll('.error')) {
    node.replaceChildren();
  }

  for (const node of scope.querySelectorAll('[aria-invalid]')) {
    node.removeAttribute('aria-invalid');
  }

  const unplaced = [];
  for (const v of violations) {
    const field = String(v.field ?? '').replace(/^.*\./, '');
    const holder = field ? scope.querySelector(`[data-field="${CSS.escape(field)}"]`) : null;
    const error = holder?.querySelector('.error');
    if (!error) {
      unplaced.push(v);
      continue;
    }

    error.append(violationView(v, formType, 'div'));
    holder.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
  }

  return unplaced;
}
