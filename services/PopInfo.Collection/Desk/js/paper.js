// Paper where offices need paper: links to the server's print pages (a receipt per accepted form to hand the resident, the
// community's day sheet for the 一日一清 sign-off) and to the day's forms as an Excel workbook. The print pages open in a
// new tab (the desk stays as it was) and print from there; the export is an audited download.
import { el } from './dom.js';
import { t } from './i18n.js';

function newTab(href, text, testId) {
  return el('a', { href, target: '_blank', rel: 'noopener', 'data-testid': testId }, text, el('span', { class: 'visually-hidden', text: t('paper.newTab') }));
}

/** Under a day's report: export the day's forms (.xlsx) and print the day sheet. */
export function dayLinks(communityCode, day) {
  const code = encodeURIComponent(communityCode);
  return el('p', { class: 'actions paper-links', 'data-testid': 'report-paper' },
    el('a', { href: `/api/v1/communities/${code}/days/${day}/forms.xlsx`, download: `popinfo-${communityCode}-${day}.xlsx`, 'data-testid': 'report-export', text: t('paper.export') }),
    newTab(`/desk/print/days/${code}/${day}`, t('paper.daySheet'), 'report-day-sheet'));
}

/** On an accepted form: its receipt. */
export function receiptLink(formId) {
  return newTab(`/desk/print/receipts/${encodeURIComponent(formId)}`, t('paper.receipt'), 'form-receipt');
}
