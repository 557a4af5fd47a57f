// 街道看板: the supervisor's board — each community of the street on the last 7 days (newest first), cleared or not, with
// its late, rejected and pending forms. Shown to supervisors only. Every read of the board is audited, so it is read
// again every 60 seconds and only while the tab is visible (document.visibilityState), never faster; coming back to
// the tab reads it at once if the last read is older than that. "Updated at" is the server's time of the read.
import { $, el, formatTime } from './dom.js';
import { t } from './i18n.js';
import { api, violationsOf } from './api.js';
import { problemContent } from './problems.js';
import { state } from './state.js';
import { addRenderer, screen } from './shell.js';

export const BOARD_REFRESH_MS = 60_000;
const DAYS = 7;

const board = { body: null, problem: null, timer: null, lastRead: 0, reading: false };

export function initBoard() {
  addRenderer(renderBoard);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && isSupervisor() && Date.now() - board.lastRead >= BOARD_REFRESH_MS) {
      readBoard();
    }
  });
}

function isSupervisor() {
  return state.session?.role === 'supervisor' && Boolean(state.session.streetCode);
}

/** After signing in: a supervisor sees the board, read now and then every 60 s; anyone else does not. */
export async function startBoard() {
  if (!isSupervisor()) {
    stopBoard();
    return;
  }

  if (board.timer === null) {
    board.timer = setInterval(tick, BOARD_REFRESH_MS);
  }

  await screen('board', readBoard);
}

function stopBoard() {
  clearInterval(board.timer);
  board.timer = null;
  board.body = null;
  board.problem = null;
  renderBoard();
}

function tick() {
  if (!isSupervisor()) {
    stopBoard();
    return;
  }

  if (document.visibilityState === 'visible') {
    readBoard();
  }
}

async function readBoard() {
  // Not faster than the interval, whatever calls it (the timer, the tab coming back).
  if (board.reading || Date.now() - board.lastRead < BOARD_REFRESH_MS - 1000) {
    return;
  }

  board.reading = true;
  board.lastRead = Date.now();
  try {
    const street = encodeURIComponent(state.session.streetCode);
    const result = await api('GET', `/api/v1/streets/${street}/board?days=${DAYS}`);
    if (result.ok) {
      board.body = result.body;
      board.problem = null;
    } else {
      board.problem = result;
    }
  } finally {
    board.reading = false;
  }

  renderBoard();
}

function renderBoard() {
  const view = $('board-view');
  view.hidden = !isSupervisor();
  const problem = $('board-problem');
  const table = $('board-table');
  const updated = $('board-updated');
  if (view.hidden) {
    problem.replaceChildren();
    table.replaceChildren();
    updated.textContent = '';
    return;
  }

  problem.replaceChildren(...(board.problem ? problemContent(board.problem, { violations: violationsOf(board.problem) }) : []));
  const b = board.body;
  if (!b) {
    return;
  }

  updated.textContent = t('board.updated', { time: formatTime(b.readAt, true) });
  updated.dataset.readAt = b.readAt;
  $('board-title').textContent = t('board.title') + ' · ' + t('board.street', { name: b.streetName ?? '', code: b.streetCode });
  if (!b.communities?.length) {
    table.replaceChildren(el('p', { class: 'hint', text: t('board.none') }));
    return;
  }

  table.replaceChildren(el('table', { class: 'board-grid' },
    el('caption', { text: t('board.caption') }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: t('board.community') }),
      b.days.map((day) => el('th', { scope: 'col', class: 'num', text: day.slice(5) })))),
    el('tbody', {}, b.communities.map((c) => el('tr', { 'data-testid': 'board-community', 'data-community': c.communityCode },
      el('th', { scope: 'row' }, c.communityName, ' ', el('span', { class: 'rule-code', text: c.communityCode })),
      c.days.map((d) => dayCell(d)))))));
}

function dayCell(d) {
  const counts = d.counts ?? {};
  const facts = [
    counts.late ? t('board.late', { n: counts.late }) : null,
    counts.rejected ? t('board.rejected', { n: counts.rejected }) : null,
    counts.pending ? t('board.pending', { n: counts.pending }) : null,
  ].filter(Boolean);
  return el('td', { class: 'board-day ' + (d.cleared ? 'cleared' : 'not-cleared'), 'data-testid': 'board-day', 'data-day': d.day, 'data-cleared': String(d.cleared) },
    el('span', { class: 'mark', 'aria-hidden': 'true', text: d.cleared ? '✓' : '✗' }), ' ',
    el('span', { 'data-testid': 'board-cleared', text: d.cleared ? t('board.cleared') : t('board.notCleared') }),
    d.closed ? el('span', { class: 'meta', text: ' · ' + t('board.closed') }) : null,
    facts.length ? el('div', { class: 'meta', 'data-testid': 'board-counts', text: facts.join(' · ') }) : null);
}
