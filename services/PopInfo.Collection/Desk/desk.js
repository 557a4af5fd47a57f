// The collector's desk: sign in, find a person, enter and submit forms, follow them to the registry's
// answer, the daily report and closing the day, CSV import. Plain DOM, no framework, no other host: every
// request goes to this service's own /api/v1. Text comes from desk-text.js; nothing from the server is
// ever inserted as HTML (textContent only).
'use strict';

(() => {
  const TEXT = window.DeskText;
  const LANG_KEY = 'popinfo.desk.lang';
  const POLL_MS = 3000;
  const DATE_FIELDS = ['birthDate', 'deathDate', 'moveDate', 'arrivalDate', 'departureDate'];
  const ID_FIELDS = ['idNumber', 'motherIdNumber', 'newIdNumber'];
  const CODE_FIELDS = ['ethnicity', 'maritalStatus', 'education', 'relationshipToHead'];
  const PERSON_FORMS = ['death', 'move-out', 'move-within-city', 'migrant-departure', 'correction', 'household-change'];
  const MIGRANT_REASONS = ['work', 'business', 'study', 'family', 'other'];

  const state = {
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
  };

  // ---------------------------------------------------------------- helpers

  const $ = (id) => document.getElementById(id);

  function readLang() {
    try {
      return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
    } catch {
      return 'zh';
    }
  }

  function pick(pair) {
    return pair ? pair[state.lang === 'zh' ? 0 : 1] : undefined;
  }

  function t(key, params) {
    const text = pick(TEXT.ui[key]) ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name) => (params[name] ?? m)) : text;
  }

  const colon = () => (state.lang === 'zh' ? '：' : ': ');

  function fieldLabel(field, formType) {
    const bare = String(field ?? '').replace(/^.*\./, '');
    const own = formType && TEXT.fieldsByForm[formType] && TEXT.fieldsByForm[formType][bare];
    return pick(own || TEXT.fields[bare]) ?? String(field ?? '');
  }

  function formTypeName(code) {
    if (TEXT.formTypes[code]) {
      return pick(TEXT.formTypes[code]);
    }

    const type = state.formTypes.find((f) => f.code === code);
    return type && state.lang === 'zh' ? type.chineseName : String(code ?? '—');
  }

  const ruleText = (rule) => pick(TEXT.rules[rule]);
  const stateName = (s) => t('state.' + s);

  /** The business day: the calendar date in China (UTC+8), as the server counts it. */
  function today() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }

  function formatTime(iso, withDate) {
    if (!iso) {
      return '';
    }

    const options = { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
    if (withDate) {
      Object.assign(options, { year: 'numeric', month: '2-digit', day: '2-digit' });
    }

    return new Intl.DateTimeFormat(state.lang === 'zh' ? 'zh-CN' : 'en-GB', options).format(new Date(iso));
  }

  /** Builds an element: attributes (class, text, on*, boolean properties, data-*, aria-*) and children (nodes or text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs ?? {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }

      if (name === 'class') {
        node.className = value;
      } else if (name === 'text') {
        node.textContent = value;
      } else if (name.startsWith('on')) {
        node.addEventListener(name.slice(2), value);
      } else if (['hidden', 'disabled', 'checked', 'readOnly', 'selected', 'value'].includes(name)) {
        node[name] = value;
      } else {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }

    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    }

    return node;
  }

  let flashTimer = null;
  function flash(message) {
    const box = $('flash');
    box.replaceChildren(el('p', { text: message }));
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => box.replaceChildren(), 5000);
  }

  // ---------------------------------------------------------------- the API

  /** One call to this service's API: { status, ok, body } (status 0 when the server cannot be reached). */
  async function api(method, url, body, options = {}) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json, application/problem+json' } };
    if (options.form) {
      init.body = options.form;
    } else if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }

    let response;
    try {
      response = await fetch(url, init);
    } catch {
      return { status: 0, ok: false, body: null };
    }

    const text = await response.text();
    let parsed = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }

    if (response.status === 401 && state.session) {
      sessionEnded();
    }

    return { status: response.status, ok: response.ok, body: parsed };
  }

  /** The violations of a problem; a conflict naming one field and rule counts as one. */
  function violationsOf(problem) {
    const body = problem?.body ?? problem ?? {};
    if (Array.isArray(body.violations)) {
      return body.violations;
    }

    return body.rule && body.field ? [{ field: body.field, rule: body.rule, message: body.detail ?? body.title ?? '' }] : [];
  }

  /** What a failed call means, in the page's language. */
  function headlineOf(result) {
    const body = result.body ?? {};
    if (result.status === 0) {
      return t('common.network');
    }

    if (result.status === 400) {
      return t('editor.refused');
    }

    if (result.status === 403) {
      return t('problem.forbidden');
    }

    if (result.status === 404) {
      return t('problem.notFound');
    }

    if (body.rule && ruleText(body.rule)) {
      return ruleText(body.rule);
    }

    if (result.status === 409) {
      return t('problem.conflict');
    }

    if (result.status === 503) {
      return t('problem.busy');
    }

    return t('common.unexpected', { status: result.status });
  }

  /** "label: rule text [rule]" and the server's own message under it. */
  function violationView(v, formType, tag = 'li') {
    return el(tag, { 'data-testid': 'violation', 'data-violation-field': v.field, 'data-rule': v.rule },
      el('span', { class: 'what', text: fieldLabel(v.field, formType) + colon() }),
      ruleText(v.rule) ? ruleText(v.rule) + ' ' : '',
      el('span', { class: 'rule-code', text: '[' + v.rule + ']' }),
      v.message ? el('span', { class: 'server', lang: 'en', text: v.message }) : null);
  }

  /** A problem box's content: the headline, the server's title and detail with its rule, and violations not shown at a field. */
  function problemContent(result, options = {}) {
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

    return nodes;
  }

  /** Puts each violation next to its field inside scope (a [data-field] with an .error); returns those that have no field there. */
  function placeViolations(scope, violations, formType) {
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

  // ---------------------------------------------------------------- language

  function applyLang() {
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
    updateFindPlaceholder();
  }

  function updateFindPlaceholder() {
    $('find-query').placeholder = t($('find-by').value === 'name' ? 'find.placeholderName' : 'find.placeholderId');
  }

  function switchLang() {
    if (state.editor) {
      readEditor();
    }

    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    try {
      localStorage.setItem(LANG_KEY, state.lang);
    } catch {
      // Storage turned off: the choice lasts until the page is left.
    }

    applyLang();
    renderAll();
  }

  function renderAll() {
    renderWho();
    renderSignInProblem();
    renderFind();
    renderFormTypes();
    renderEditor();
    renderForms();
    renderReport();
    renderCloseProblem();
    renderImport();
  }

  // ---------------------------------------------------------------- session

  function showSignIn(message) {
    state.session = null;
    stopPolling();
    $('desk-view').hidden = true;
    $('role-notice').hidden = true;
    $('who').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in-view').hidden = false;
    renderSignInProblem();
    if (message) {
      flash(message);
    }

    $('sign-in-submit').focus();
  }

  function sessionEnded() {
    resetDesk();
    showSignIn(t('signin.expired'));
  }

  function resetDesk() {
    Object.assign(state, {
      session: null, communityName: null, forms: [], formsProblem: null, found: null, findProblem: null, editor: null,
      report: null, reportProblem: null, closeProblem: null, closeBlocking: [], importResult: null, highlight: null,
    });
    $('find-query').value = '';
    $('import-file').value = '';
    $('close-confirm').hidden = true;
    if ($('withdraw-dialog').open) {
      $('withdraw-dialog').close();
    }

    renderAll();
  }

  /** A sign-in the provider completed but the desk refused (?signIn=rule), or one that failed on the way. */
  function renderSignInProblem() {
    const box = $('sign-in-problem');
    const rule = state.signInProblem;
    if (!rule) {
      box.replaceChildren();
      return;
    }

    box.textContent = rule === 'failed' ? t('signin.failed') : t('signin.refused', { rule });
  }

  async function enterDesk(session) {
    state.session = session;
    $('sign-in-view').hidden = true;
    $('sign-out').hidden = false;
    renderWho();
    if (session.role !== 'collector') {
      $('desk-view').hidden = true;
      $('role-notice').hidden = false;
      return;
    }

    $('role-notice').hidden = true;
    $('desk-view').hidden = false;
    $('report-day').value = today();
    $('report-day').max = today();
    const types = await api('GET', '/api/v1/form-types');
    state.formTypes = types.ok ? types.body : [];
    state.formTypesProblem = types.ok ? null : types;
    renderFormTypes();
    await Promise.all([loadForms(), loadReport()]);
  }

  function renderWho() {
    const who = $('who');
    const s = state.session;
    who.hidden = !s;
    if (!s) {
      who.replaceChildren();
      return;
    }

    const role = t('role.' + s.role);
    who.replaceChildren(
      el('div', { 'data-testid': 'who-name' }, t('session.who', { name: s.displayName || s.userName, user: s.userName }), ' · ', role),
      s.communityCode
        ? el('div', { class: 'community', 'data-testid': 'who-community', text: t('session.community', { name: [state.communityName, s.communityCode].filter(Boolean).join(' ') }) })
        : null);
    $('role-notice').textContent = t('session.notCollector', { role });
  }

  // ---------------------------------------------------------------- find a person

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

    const result = await api('GET', `/api/v1/persons?${by}=${encodeURIComponent(query)}`);
    state.found = result.ok ? { by, people: result.body } : null;
    state.findProblem = result.ok ? null : result;
    renderFind();
  }

  function renderFind() {
    const box = $('find-results');
    box.replaceChildren();
    if (state.findProblem) {
      box.append(el('div', { class: 'problem-box', role: 'alert' }, problemContent(state.findProblem, { violations: violationsOf(state.findProblem) })));
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

  // ---------------------------------------------------------------- new forms and the editor

  function renderFormTypes() {
    const box = $('form-types');
    box.replaceChildren();
    if (state.formTypesProblem) {
      box.append(el('div', { class: 'problem-box' }, problemContent(state.formTypesProblem)));
    }

    for (const type of state.formTypes) {
      box.append(el('button', { type: 'button', 'data-testid': 'new-form-' + type.code, onclick: () => openNew(type.code, null) },
        formTypeName(type.code), el('span', { class: 'code', text: type.code })));
    }
  }

  function typeOf(code) {
    return state.formTypes.find((f) => f.code === code) ?? { code, required: [], optional: [] };
  }

  function openNew(code, person) {
    const masked = person ? person.idNumber.includes('*') : false;
    state.editor = {
      code, formId: null, revision: null, formState: null,
      personId: person?.personId ?? null, expectedVersion: person?.version ?? null,
      personName: person?.name ?? null, maskedIdNumber: masked ? person.idNumber : null, currentVersion: null,
      values: person && !masked ? { idNumber: person.idNumber } : {}, note: '', problem: null, violations: [],
    };
    // Someone entering the register at this desk lives in this community unless the collector says otherwise
    // (where the field is optional, the server fills it in the same way).
    const type = typeOf(code);
    if (!type.aboutExistingPerson && (type.required ?? []).includes('residenceRegionCode') && state.session?.communityCode) {
      state.editor.values.residenceRegionCode = state.session.communityCode;
    }
    renderEditor();
    focusEditor();
  }

  async function openExisting(id, then) {
    const result = await api('GET', `/api/v1/forms/${id}`);
    if (!result.ok) {
      state.formsProblem = result;
      renderForms();
      return;
    }

    const form = result.body;
    const rejection = form.rejection ?? null;
    const currentVersion = rejection?.rule === 'version.current' && rejection.currentVersion != null ? rejection.currentVersion : null;
    state.editor = {
      code: form.formType, formId: form.id, revision: form.revision, formState: form.state,
      personId: form.personId ?? null, expectedVersion: currentVersion ?? form.expectedVersion ?? null,
      personName: null, maskedIdNumber: null, currentVersion,
      values: { ...(form.data ?? {}) }, note: form.note ?? '',
      problem: rejection ? { status: rejection.status ?? 409, body: rejection } : null,
      violations: rejection ? violationsOf(rejection) : [],
    };
    if (then) {
      then(state.editor);
    }

    renderEditor();
    focusEditor();
  }

  function fieldView(ed, name, required) {
    const id = 'f-' + name;
    const value = ed.values[name] ?? '';
    const common = { id, name, 'data-testid': 'field-' + name, 'aria-describedby': 'e-' + name, 'aria-required': required ? 'true' : null };
    const choose = () => el('option', { value: '', text: '— ' + t('editor.choose') + ' —' });
    const error = el('div', { class: 'error', id: 'e-' + name, 'data-testid': 'error-' + name });
    const mark = required ? [' ', el('span', { class: 'req', 'aria-hidden': 'true', title: t('editor.required'), text: '*' })] : null;

    if (name === 'moveRegistration') {
      const box = el('input', { ...common, type: 'checkbox', checked: value === 'true' });
      return el('div', { class: 'field', 'data-field': name }, el('label', { class: 'check' }, box, fieldLabel(name, ed.code), mark), error);
    }

    let input;
    const options = (pairs) => {
      const select = el('select', common, choose(), pairs.map(([code, text]) => el('option', { value: code, text })));
      if (value && !pairs.some(([code]) => code === value)) {
        select.append(el('option', { value, text: value }));
      }

      select.value = value;
      return select;
    };

    if (DATE_FIELDS.includes(name)) {
      input = el('input', { ...common, type: 'date', max: today(), value });
    } else if (name === 'sex') {
      input = options([['1', '1 ' + t('sex.1')], ['2', '2 ' + t('sex.2')]]);
    } else if (name === 'expectedStayMonths') {
      input = el('input', { ...common, type: 'number', min: 1, max: 600, step: 1, inputmode: 'numeric', value });
    } else if (name === 'reason' && ed.code === 'migrant-arrival') {
      input = options(MIGRANT_REASONS.map((r) => [r, pick(TEXT.migrantReasons[r]) + (state.lang === 'zh' ? ` (${r})` : '')]));
    } else if (CODE_FIELDS.includes(name) && state.codes?.[name]) {
      input = options(state.codes[name].map((c) => [c.code, `${c.code} ${state.lang === 'zh' ? c.zh : c.en}`]));
    } else {
      input = el('input', { ...common, type: name === 'phone' ? 'tel' : 'text', value, autocomplete: 'off', spellcheck: 'false' });
      if (ID_FIELDS.includes(name)) {
        input.classList.add('mono');
        input.maxLength = 18;
        input.placeholder = t('editor.placeholder.idNumber');
      } else if (name === 'registeredRegionCode' || name === 'residenceRegionCode') {
        input.classList.add('mono');
        input.maxLength = 12;
        input.inputMode = 'numeric';
        input.placeholder = name === 'residenceRegionCode' && !required && !typeOf(ed.code).aboutExistingPerson && state.session?.communityCode
          ? t('editor.placeholder.residence', { code: state.session.communityCode })
          : t('editor.placeholder.region12');
      } else if (name === 'originRegionCode') {
        input.classList.add('mono');
        input.maxLength = 6;
        input.inputMode = 'numeric';
        input.placeholder = t('editor.placeholder.county');
      } else if (name === 'phone') {
        input.placeholder = t('editor.placeholder.phone');
      }

      // A person found in the register is named by their person id: their identity number is not edited here.
      if (name === 'idNumber' && ed.personId) {
        input.readOnly = true;
        if (!value) {
          input.placeholder = (ed.maskedIdNumber ? ed.maskedIdNumber + ' · ' : '') + t('editor.subjectById');
        }
      }
    }

    return el('div', { class: 'field', 'data-field': name }, el('label', { for: id }, fieldLabel(name, ed.code), mark), input, error);
  }

  function renderEditor() {
    const section = $('editor');
    const ed = state.editor;
    section.hidden = !ed;
    if (!ed) {
      $('editor-fields').replaceChildren();
      return;
    }

    const type = typeOf(ed.code);
    $('editor-title').textContent = t(ed.formId ? 'editor.editTitle' : 'editor.newTitle', { type: formTypeName(ed.code) });
    $('editor-meta').textContent = ed.formId
      ? t('editor.formMeta', { id: ed.formId, state: stateName(ed.formState), revision: ed.revision })
      : '';

    const person = $('editor-person');
    person.hidden = !ed.personId;
    person.replaceChildren();
    if (ed.personId) {
      person.append(
        el('label', { for: 'f-expectedVersion' }, ed.personName
          ? t('editor.person', { name: ed.personName, id: ed.personId })
          : t('editor.personNoName', { id: ed.personId })),
        el('input', { id: 'f-expectedVersion', type: 'number', min: 1, step: 1, 'data-testid': 'field-expectedVersion', value: ed.expectedVersion ?? '' }));
      if (ed.currentVersion != null) {
        person.append(el('span', { class: 'hint', text: t('editor.currentVersion', { v: ed.currentVersion }) }));
      }
    }

    const optional = type.optional ?? [];
    $('editor-fields').replaceChildren(
      el('div', { class: 'fields-title', text: t('editor.requiredTitle') }),
      el('div', { class: 'fields' }, (type.required ?? []).map((f) => fieldView(ed, f, true))),
      optional.length ? el('div', { class: 'fields-title', text: t('editor.optionalTitle') }) : null,
      optional.length ? el('div', { class: 'fields' }, optional.map((f) => fieldView(ed, f, false))) : null);
    $('f-note').value = ed.note ?? '';

    const unplaced = placeViolations(section, ed.violations ?? [], ed.code);
    $('editor-problem').replaceChildren(...(ed.problem ? problemContent(ed.problem, { violations: unplaced, formType: ed.code }) : []));
  }

  function focusEditor() {
    const section = $('editor');
    section.scrollIntoView({ block: 'start' });
    const target = section.querySelector('[aria-invalid="true"]') ??
      section.querySelector('#editor-fields input:not([readonly]), #editor-fields select');
    target?.focus({ preventScroll: true });
  }

  /** Takes what is typed into the editor's state (so that re-rendering, e.g. in the other language, keeps it). */
  function readEditor() {
    const ed = state.editor;
    if (!ed || $('editor').hidden) {
      return;
    }

    const values = {};
    for (const input of $('editor-fields').querySelectorAll('[name]')) {
      values[input.name] = input.type === 'checkbox' ? String(input.checked) : input.value.trim();
    }

    ed.values = values;
    ed.note = $('f-note').value;
    const version = $('f-expectedVersion');
    if (version) {
      ed.expectedVersion = version.value === '' ? null : Number.parseInt(version.value, 10);
    }
  }

  function editorBody(ed) {
    const data = {};
    for (const [name, value] of Object.entries(ed.values)) {
      if (value !== '' && value !== null && value !== undefined) {
        data[name] = value;
      }
    }

    return { personId: ed.personId, expectedVersion: ed.expectedVersion, data, note: ed.note.trim() || null };
  }

  function adopt(ed, view) {
    Object.assign(ed, {
      formId: view.id, revision: view.revision, formState: view.state,
      personId: view.personId ?? ed.personId, expectedVersion: view.expectedVersion ?? ed.expectedVersion,
    });
  }

  function editorRefused(result) {
    const ed = state.editor;
    if (!ed) {
      return; // The session ended meanwhile: the page asks to sign in again.
    }

    ed.problem = result;
    ed.violations = violationsOf(result);
    renderEditor();
    focusEditor();
  }

  function editorBusy(busy) {
    for (const id of ['editor-save', 'editor-submit']) {
      $(id).disabled = busy;
    }
  }

  /** A new form is created; an existing draft or rejected form gets its new data (sending the revision read). */
  async function save(ed) {
    return ed.formId
      ? api('PUT', `/api/v1/forms/${ed.formId}`, { revision: ed.revision, ...editorBody(ed) })
      : api('POST', '/api/v1/forms', { formType: ed.code, ...editorBody(ed) });
  }

  async function saveDraft() {
    readEditor();
    const ed = state.editor;
    editorBusy(true);
    const result = await save(ed);
    editorBusy(false);
    if (!result.ok) {
      editorRefused(result);
      return;
    }

    adopt(ed, result.body);
    ed.problem = null;
    ed.violations = [];
    ed.currentVersion = null;
    renderEditor();
    flash(t('editor.saved'));
    await refreshAfterChange();
  }

  async function submitEditor() {
    readEditor();
    const ed = state.editor;
    editorBusy(true);
    let result;
    if (!ed.formId) {
      // Checked in full and queued in one call; a refused form is not stored, and stays here to be corrected.
      result = await api('POST', '/api/v1/forms', { formType: ed.code, ...editorBody(ed), submit: true });
    } else {
      const saved = await save(ed);
      if (saved.ok) {
        adopt(ed, saved.body);
        result = await api('POST', `/api/v1/forms/${ed.formId}/submit`, { revision: ed.revision });
      } else {
        result = saved;
      }
    }

    editorBusy(false);
    if (!result.ok) {
      editorRefused(result);
      if (ed.formId) {
        await refreshAfterChange();
      }

      return;
    }

    state.highlight = result.body.id;
    state.editor = null;
    renderEditor();
    flash(t('editor.submitted'));
    await refreshAfterChange();
  }

  function closeEditor() {
    state.editor = null;
    renderEditor();
  }

  // ---------------------------------------------------------------- today's forms

  const signature = (forms) => forms.map((f) => `${f.id}:${f.state}:${f.revision}`).join(',');

  /** Reloads today's forms; true when any form changed. Keeps refreshing while a form waits for the registry. */
  async function loadForms() {
    const result = await api('GET', '/api/v1/forms');
    let changed = false;
    if (result.ok) {
      changed = signature(result.body) !== signature(state.forms);
      state.forms = result.body;
      state.formsProblem = null;
    } else if (state.session) {
      state.formsProblem = result;
    }

    renderForms();
    schedulePoll();
    return changed;
  }

  async function refreshAfterChange() {
    await Promise.all([loadForms(), loadReport()]);
  }

  function stopPolling() {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
  }

  function schedulePoll() {
    stopPolling();
    if (state.session && state.forms.some((f) => f.pending || f.state === 'submitted')) {
      state.pollTimer = setTimeout(async () => {
        state.pollTimer = null;
        if (await loadForms()) {
          await loadReport();
        }
      }, POLL_MS);
    }
  }

  function personOf(form) {
    const data = form.data ?? {};
    return [data.name, data.idNumber].filter(Boolean);
  }

  function renderForms() {
    $('forms-day').textContent = t('forms.day', { day: today() });
    $('forms-problem').replaceChildren(...(state.formsProblem ? problemContent(state.formsProblem) : []));
    const pending = state.forms.some((f) => f.pending || f.state === 'submitted');
    const polling = $('forms-polling');
    polling.hidden = !pending;
    polling.textContent = pending ? t('forms.polling', { s: POLL_MS / 1000 }) : '';

    const list = $('forms-list');
    list.replaceChildren();
    if (state.forms.length === 0) {
      list.append(el('li', { class: 'empty', text: t('forms.none') }));
      return;
    }

    for (const form of [...state.forms].reverse()) {
      list.append(formItem(form));
    }
  }

  function formItem(f) {
    const who = personOf(f);
    const details = [];
    if (f.state === 'submitted') {
      details.push(el('div', { class: 'detail', text: t('forms.waiting', { time: formatTime(f.transmission?.submittedAt) }) }));
    } else if (f.state === 'accepted' && f.registry) {
      details.push(el('div', { class: 'detail registry', 'data-testid': 'form-registry', text: t('forms.registry', { version: f.registry.version ?? '—', sequence: f.registry.sequence ?? '—' }) }));
      details.push(deliveriesView(f));
    } else if (f.state === 'rejected' && f.rejection) {
      // The registry's problem: its violations (each with its field), or its one field and rule with the detail.
      const r = f.rejection;
      const violations = violationsOf(r);
      details.push(el('div', { class: 'detail rejection', 'data-testid': 'form-rejection' },
        el('span', { class: 'what', text: t('forms.rejected') + colon() }),
        violations.length
          ? el('ul', {}, violations.map((v) => violationView(v, f.formType)))
          : [ruleText(r.rule) ?? '', ' ', r.rule ? el('span', { class: 'rule-code', text: '[' + r.rule + ']' }) : null,
            r.detail ? el('span', { class: 'server', lang: 'en', text: r.detail }) : null]));
    } else if (f.state === 'withdrawn') {
      details.push(el('div', { class: 'detail meta', text: t('forms.withdrawnReason', { reason: f.withdrawnReason ?? '' }) }));
    }

    if (f.late) {
      details.push(el('div', { class: 'detail meta', text: t('forms.late', { day: f.day }) }));
    }

    const actions = [];
    if (f.state === 'draft' || f.state === 'rejected') {
      actions.push(
        el('button', { type: 'button', class: 'small', 'data-testid': 'form-edit', text: t('forms.edit'), onclick: () => openExisting(f.id) }),
        el('button', { type: 'button', class: 'small', 'data-testid': 'form-submit', text: t(f.state === 'rejected' ? 'forms.resubmit' : 'forms.submit'), onclick: () => submitListed(f) }),
        el('button', { type: 'button', class: 'small danger', 'data-testid': 'form-withdraw', text: t('forms.withdraw'), onclick: () => openWithdraw(f) }));
    }

    return el('li', { class: 'form-item' + (state.highlight === f.id ? ' flash-me' : ''), 'data-testid': 'form-item', 'data-form-id': f.id, 'data-state': f.state },
      el('div', { class: 'line' },
        el('span', { class: 'badge ' + f.state, 'data-testid': 'form-state', text: stateName(f.state) }),
        el('span', { class: 'type', 'data-testid': 'form-type', text: formTypeName(f.formType) }),
        who.length ? el('span', { 'data-testid': 'form-person', class: 'mono', text: who.join(' · ') }) : el('span', { class: 'meta', text: t('forms.noPerson') }),
        el('time', { datetime: f.createdAt, text: formatTime(f.createdAt) })),
      details,
      actions.length ? el('div', { class: 'actions' }, actions) : null);
  }

  // Where an accepted form's change went: asked of the exchange only when the collector opens it (no polling).
  function deliveriesView(f) {
    const shown = state.deliveries?.[f.id];
    const list = shown?.ok
      ? (shown.body.departments.length
        ? el('ul', { class: 'deliveries', 'data-testid': 'form-deliveries' }, shown.body.departments.map((d) => el('li', { 'data-department': d.department },
          el('span', { class: 'dept', text: d.departmentName }), colon(), deliveryState(d))))
        : el('div', { class: 'meta', 'data-testid': 'form-deliveries', text: t('forms.deliveriesNone') }))
      : shown ? el('div', { class: 'meta', 'data-testid': 'form-deliveries', text: t('forms.deliveriesAway') }) : null;
    return el('div', { class: 'detail' },
      el('button', { type: 'button', class: 'small', 'data-testid': 'form-deliveries-show', text: t('forms.deliveries'), onclick: () => showDeliveries(f) }),
      list);
  }

  function deliveryState(d) {
    const parts = [];
    if (d.inQueue != null) {
      parts.push(t(d.acknowledgedFromQueue ? 'delivery.acknowledged' : d.inQueue ? 'delivery.queued' : 'delivery.waiting'));
    }

    if (d.webhook) {
      parts.push(t('delivery.webhook.' + d.webhook));
    }

    return parts.length ? parts.join(' · ') : t('delivery.feed');
  }

  async function showDeliveries(f) {
    const result = await api('GET', `/api/v1/forms/${f.id}/deliveries`);
    state.deliveries = { ...(state.deliveries ?? {}), [f.id]: result };
    renderForms();
  }

  async function submitListed(form) {
    const result = await api('POST', `/api/v1/forms/${form.id}/submit`, { revision: form.revision });
    if (result.ok) {
      state.highlight = form.id;
      flash(t('forms.resubmitted'));
      await refreshAfterChange();
      return;
    }

    // Refused: open it, with each violation at its field.
    await openExisting(form.id, (ed) => {
      ed.problem = result;
      ed.violations = violationsOf(result);
    });
  }

  function openWithdraw(form) {
    state.withdrawing = form;
    $('withdraw-what').textContent = [formTypeName(form.formType), ...personOf(form)].join(' · ');
    $('withdraw-reason').value = '';
    placeViolations($('withdraw-form'), []);
    $('withdraw-problem').replaceChildren();
    $('withdraw-dialog').showModal();
    $('withdraw-reason').focus();
  }

  async function withdraw(event) {
    event.preventDefault();
    const form = state.withdrawing;
    const result = await api('POST', `/api/v1/forms/${form.id}/withdraw`, { revision: form.revision, reason: $('withdraw-reason').value.trim() });
    if (!result.ok) {
      $('withdraw-problem').replaceChildren(...problemContent(result, { violations: violationsOf(result) }));
      return;
    }

    $('withdraw-dialog').close();
    state.withdrawing = null;
    flash(t('forms.withdrawn'));
    if (state.editor?.formId === form.id) {
      closeEditor();
    }

    await refreshAfterChange();
  }

  // ---------------------------------------------------------------- daily report and closing the day

  function reportDay() {
    return $('report-day').value || today();
  }

  async function loadReport() {
    if (!state.session?.communityCode) {
      return;
    }

    const code = state.session.communityCode;
    const result = await api('GET', `/api/v1/communities/${encodeURIComponent(code)}/days/${reportDay()}/report`);
    if (result.ok) {
      state.report = result.body;
      state.reportProblem = null;
      state.communityName = result.body.communityName ?? state.communityName;
      renderWho();
    } else {
      state.report = null;
      state.reportProblem = state.session ? result : null;
    }

    renderReport();
  }

  function renderReport() {
    const box = $('report');
    box.replaceChildren();
    $('close-day').disabled = !state.report || Boolean(state.report.closedAt);
    if (state.reportProblem) {
      box.append(el('div', { class: 'problem-box' }, problemContent(state.reportProblem, { violations: violationsOf(state.reportProblem) })));
      return;
    }

    const r = state.report;
    if (!r) {
      return;
    }

    const columns = ['forms', 'drafts', 'pending', 'accepted', 'rejected', 'withdrawn', 'late'];
    const row = (label, counts, testId) => el('tr', { 'data-testid': testId },
      el('th', { scope: 'row', text: label }),
      columns.map((c) => el('td', { class: 'num', text: counts?.[c] ?? 0 })));
    box.append(
      el('p', { class: 'meta', text: `${r.communityName} ${r.communityCode} · ${r.day}` }),
      el('div', { class: 'status' },
        el('span', { class: 'badge ' + (r.cleared ? 'accepted' : 'submitted'), 'data-testid': 'report-cleared', text: r.cleared ? t('report.cleared') : t('report.notCleared', { n: r.blocking?.length ?? 0 }) }),
        el('span', { class: 'badge ' + (r.closedAt ? 'withdrawn' : 'draft'), 'data-testid': 'report-closed', text: r.closedAt ? t('report.closed', { at: formatTime(r.closedAt, true), by: r.closedBy ?? '' }) : t('report.open') })),
      el('table', { class: 'report-table' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('report.type') }), columns.map((c) => el('th', { scope: 'col', class: 'num', text: t('report.' + c) })))),
        el('tbody', {},
          (r.byType ?? []).map((b) => row(formTypeName(b.formType), b.counts, 'report-row')),
          row(t('report.total'), r.totals, 'report-total'))));
  }

  function askClose() {
    $('close-confirm-text').textContent = t('report.closeConfirm', { day: reportDay() });
    $('close-confirm').hidden = false;
    $('close-day-yes').focus();
  }

  async function closeDay() {
    $('close-confirm').hidden = true;
    const day = reportDay();
    const code = state.session.communityCode;
    const result = await api('POST', `/api/v1/communities/${encodeURIComponent(code)}/days/${day}/close`);
    if (result.ok) {
      state.report = result.body;
      state.closeProblem = null;
      state.closeBlocking = [];
      renderReport();
      renderCloseProblem();
      flash(t('report.closedNow', { day }));
      return;
    }

    state.closeProblem = result;
    state.closeBlocking = [];
    const blocking = result.body?.blocking ?? [];
    if (blocking.length > 0) {
      // Name the forms in the way: today's are on the page; another day's are read for it.
      let forms = state.forms;
      if (day !== today()) {
        const other = await api('GET', `/api/v1/forms?day=${day}`);
        forms = other.ok ? other.body : [];
      }

      state.closeBlocking = blocking.map((id) => forms.find((f) => f.id === id) ?? { id });
    }

    renderCloseProblem();
    await loadReport();
  }

  function renderCloseProblem() {
    const box = $('close-problem');
    const result = state.closeProblem;
    if (!result) {
      box.replaceChildren();
      return;
    }

    const rule = result.body?.rule;
    const headline = rule === 'day.not-cleared' ? t('report.notClearedProblem') : rule === 'day.closed' ? t('report.alreadyClosed') : undefined;
    box.replaceChildren(...problemContent(result, { headline, violations: result.status === 400 ? violationsOf(result) : [] }));
    if (state.closeBlocking.length > 0) {
      box.append(el('ul', { class: 'blocking' }, state.closeBlocking.map((f) => el('li', { 'data-testid': 'blocking-form', 'data-form-id': f.id },
        f.formType
          ? [el('span', { class: 'badge ' + f.state, text: stateName(f.state) }), ' ', formTypeName(f.formType), ' · ', personOf(f).join(' · ') || t('forms.noPerson')]
          : el('span', { class: 'mono', text: f.id })))));
    }
  }

  // ---------------------------------------------------------------- CSV import

  async function upload(event) {
    event.preventDefault();
    const file = $('import-file').files[0];
    if (!file) {
      state.importResult = { status: -1 };
      renderImport();
      return;
    }

    const form = new FormData();
    form.append('file', file, file.name);
    const button = $('import-submit');
    button.disabled = true;
    button.textContent = t('import.busy');
    state.importResult = await api('POST', '/api/v1/forms/import', undefined, { form });
    button.disabled = false;
    button.textContent = t('import.submit');
    renderImport();
    if (state.importResult.ok) {
      $('import-file').value = '';
      await refreshAfterChange();
    }
  }

  function violationsTable(rows, testId) {
    return el('table', { class: 'import-table', 'data-testid': testId },
      el('thead', {}, el('tr', {}, ['import.line', 'import.formType', 'import.field', 'import.rule', 'import.message'].map((k) => el('th', { scope: 'col', text: t(k) })))),
      el('tbody', {}, rows.flatMap((row) => (row.violations ?? []).map((v) => el('tr', { 'data-testid': 'bad-row', 'data-line': row.line ?? '', 'data-violation-field': v.field, 'data-rule': v.rule },
        el('td', { class: 'num', text: row.line ?? '—' }),
        el('td', { text: row.formType ? formTypeName(row.formType) : '—' }),
        el('td', {}, fieldLabel(v.field, row.formType), ' ', el('span', { class: 'rule-code', text: v.field })),
        el('td', {}, ruleText(v.rule) ?? '', ' ', el('span', { class: 'rule-code', text: '[' + v.rule + ']' })),
        el('td', { lang: 'en', text: v.message ?? '' }))))));
  }

  function renderImport() {
    const box = $('import-result');
    box.replaceChildren();
    const result = state.importResult;
    if (!result) {
      return;
    }

    if (result.status === -1) {
      box.append(el('p', { class: 'hint', text: t('import.chooseFile') }));
      return;
    }

    if ([404, 405, 501].includes(result.status)) {
      box.append(el('p', { class: 'notice', 'data-testid': 'import-unavailable', text: t('import.notAvailable', { status: result.status }) }));
      return;
    }

    const body = result.body ?? {};
    const badRows = Array.isArray(body.badRows) ? body.badRows : [];
    // File problems: the answer's own list, or a refusal's violations (when they are not the bad rows again).
    const fileViolations = Array.isArray(body.fileViolations) ? body.fileViolations
      : !result.ok && badRows.length === 0 ? violationsOf(result) : [];

    if (result.ok) {
      box.append(el('p', { 'data-testid': 'import-summary', text: t('import.summary', { rows: body.rows ?? 0, accepted: body.accepted ?? 0, rejected: body.rejected ?? badRows.length }) }));
      if (body.importId) {
        box.append(el('p', { class: 'meta mono', text: t('import.id', { id: body.importId }) }));
      }
    } else {
      const headline = result.status === 413 ? t('import.tooLarge') : body.rule === 'import.same-file' ? t('import.sameFile') : undefined;
      box.append(el('div', { class: 'problem-box', role: 'alert' }, problemContent(result, { headline })));
    }

    if (fileViolations.length > 0) {
      box.append(el('h3', { text: t('import.fileProblems') }), violationsTable([{ line: null, formType: null, violations: fileViolations }], 'import-file-problems'));
    }

    if (badRows.length > 0) {
      box.append(el('h3', { text: t('import.badRows') }), violationsTable(badRows, 'import-bad-rows'));
    }
  }

  // ---------------------------------------------------------------- start

  async function loadCodes() {
    const result = await api('GET', '/desk/codes.json');
    if (result.ok) {
      state.codes = result.body;
      if (state.editor) {
        readEditor();
        renderEditor();
      }
    }
  }

  async function boot() {
    $('lang').addEventListener('click', switchLang);
    $('find-form').addEventListener('submit', find);
    $('find-query').addEventListener('input', guessSearchKind);
    $('find-by').addEventListener('change', updateFindPlaceholder);
    // Enter in a field never sends a form to the registry: only the submit button does.
    $('editor-form').addEventListener('submit', (event) => event.preventDefault());
    $('editor-submit').addEventListener('click', submitEditor);
    $('editor-save').addEventListener('click', saveDraft);
    $('editor-close').addEventListener('click', closeEditor);
    $('forms-refresh').addEventListener('click', refreshAfterChange);
    $('report-form').addEventListener('submit', (event) => {
      event.preventDefault();
      state.closeProblem = null;
      renderCloseProblem();
      loadReport();
    });
    $('close-day').addEventListener('click', askClose);
    $('close-day-yes').addEventListener('click', closeDay);
    $('close-day-no').addEventListener('click', () => { $('close-confirm').hidden = true; });
    $('import-form').addEventListener('submit', upload);
    $('withdraw-form').addEventListener('submit', withdraw);
    $('withdraw-cancel').addEventListener('click', () => $('withdraw-dialog').close());

    applyLang();
    loadCodes();
    const session = await api('GET', '/api/v1/session');
    if (session.ok) {
      await enterDesk(session.body);
    } else {
      showSignIn();
    }
  }

  boot();
})();
