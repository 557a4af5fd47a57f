// The page's one state object, shared by the modules: each screen's module reads and writes its own part of it and
// re-renders from it (so that switching the language or coming back to the page redraws everything from here).

export const LANG_KEY = 'popinfo.desk.lang';

function readLang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export const state = {
  lang: readLang(),
  session: null,
  communityName: null,
  formTypes: [],
  formTypesProblem: null,
  codes: null,
  forms: [],
  formsProblem: null,
  found: null,
  findProblem: null,
  editor: null,
  report: null,
  reportProblem: null,
  closeProblem: null,
  closeBlocking: [],
  importResult: null,
  signInProblem: new URLSearchParams(window.location.search).get('signIn'),
  pollTimer: null,
  withdrawing: null,
  highlight: null,
  deliveries: null,
};
