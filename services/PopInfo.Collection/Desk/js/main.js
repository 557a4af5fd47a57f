// The collector's desk: sign in, find a person, enter and submit forms, follow them to the registry's answer, the
// daily report and closing the day, CSV import. Native ES modules, no build step, no framework, no other host: every
// request goes to this service's own /api/v1. Each screen or concern is its own module (docs/desk.md, "How it is
// built"); this one wires them together and starts the page.
import { $ } from './dom.js';
import { applyLang, t, toggleLang } from './i18n.js';
import { api } from './api.js';
import { state } from './state.js';
import { loaded, renderAll, screen } from './shell.js';
import { enterDesk, initSession, showSignIn } from './session.js';
import { initLookup } from './lookup.js';
import { initEditor, loadCodes, readEditor } from './editor.js';
import { initForms } from './forms.js';
import { initDays } from './days.js';
import { initImport } from './import.js';
import { initKeyboard } from './keyboard.js';
// ---- identity. / picker. (the identity number's facts, the region and county choosers) ----
import { initIdentity } from './identity.js';
import { initPicker } from './picker.js';
// ---- end identity. / picker. ----
// board.: the supervisor's board
import { initBoard, startBoard } from './board.js';
// end board.

function switchLang() {
  screen('language', () => {
    if (state.editor) {
      readEditor();
    }

    toggleLang();
    renderAll();
  });
}

async function boot() {
  // The order of the init calls is the order renderAll draws in.
  initSession();
  initLookup();
  initEditor();
  initForms();
  initDays();
  initImport();
  initKeyboard();
  // ---- identity. / picker. ----
  initPicker();
  initIdentity();
  // ---- end identity. / picker. ----
  initBoard(); // board.
  $('lang').addEventListener('click', switchLang);

  applyLang();
  renderAll();
  loadCodes();
  const session = await api('GET', '/api/v1/session');
  if (session.ok) {
    await enterDesk(session.body);
    await startBoard(); // board.
    loaded('desk');
  } else {
    showSignIn(session.status === 0 ? t('common.network') : undefined);
    loaded('sign-in');
  }
}

boot();
