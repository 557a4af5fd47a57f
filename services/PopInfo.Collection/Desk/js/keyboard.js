// The desk without the mouse (docs/desk.md, "Keyboard"): Alt+N goes to the new-form buttons (arrow keys move among
// them, Enter opens one), Alt+K to the search; in a form, Enter moves to the next field as Tab does (offices type
// that way; it never sends the form), Ctrl+Enter submits and Ctrl+S saves the draft. A new form starts at its first
// field, a refused one at its first field in error.
import { $ } from './dom.js';
import { state } from './state.js';
import { saveDraft, submitEditor } from './editor.js';

export function initKeyboard() {
  document.addEventListener('keydown', pageShortcut);
  $('form-types').addEventListener('keydown', moveAmongTypes);
  // On the whole editor: the person's expected version (above the form's fields) takes these keys too.
  $('editor').addEventListener('keydown', editorKey);
}

const plainAlt = (event) => event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
const command = (event) => (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;

function pageShortcut(event) {
  if (!state.session || $('desk-view').hidden || $('withdraw-dialog').open || !plainAlt(event)) {
    return;
  }

  // By the key's place (event.code), so that the shortcut is the same whatever the keyboard layout or input method.
  if (event.code === 'KeyN') {
    event.preventDefault();
    $('form-types').querySelector('button')?.focus();
  } else if (event.code === 'KeyK') {
    event.preventDefault();
    $('find-query').focus();
    $('find-query').select();
  }
}

function moveAmongTypes(event) {
  const buttons = [...$('form-types').querySelectorAll('button')];
  const at = buttons.indexOf(document.activeElement);
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
  if (at < 0 || !step || event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }

  event.preventDefault();
  buttons[(at + step + buttons.length) % buttons.length].focus();
}

function editorKey(event) {
  // An input method's Enter ends the composition (e.g. pinyin into a name): it is not ours.
  if (event.isComposing || event.keyCode === 229) {
    return;
  }

  if (command(event) && event.key === 'Enter') {
    event.preventDefault();
    submitEditor();
  } else if (command(event) && event.code === 'KeyS') {
    event.preventDefault();
    saveDraft();
  } else if (event.key === 'Enter' && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && movesOn(event.target)) {
    event.preventDefault();
    const fields = [...$('editor').querySelectorAll('input, select, textarea')].filter((f) => !f.disabled && f.type !== 'hidden');
    fields[fields.indexOf(event.target) + 1]?.focus();
  }
}

/** Enter moves on from a field; in the note (a textarea) it starts a new line, on a button it presses the button. */
function movesOn(target) {
  return (target instanceof HTMLInputElement && target.type !== 'button' && target.type !== 'submit') || target instanceof HTMLSelectElement;
}
