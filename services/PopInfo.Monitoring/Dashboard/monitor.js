// The operators' and auditors' dashboard (docs/monitoring.md, "Dashboard"). Everything comes from the monitoring API with
// the page's session; operators see the platform (health, flow, alerts, rules, data quality, timeliness, assessment),
// auditors the audit search and the chains. Counts and states only: the page shows no person.
'use strict';
(function () {
  const WORDS = window.MONITOR_TEXT;
  const byId = (id) => document.getElementById(id);
  const LANG_KEY = 'popinfo.monitor.lang';
  const REFRESH_MS = 3000;
  const state = {
    lang: localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh',
    role: null, tab: null, health: null, flow: null, lag: null, alerts: null, open: [], rules: null, quality: null,
    timeliness: null, assessment: null, audit: null, chains: null, charts: {}, timer: null,
  };

  const text = (key) => WORDS[state.lang][key] ?? WORDS.zh[key] ?? key;
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
  const locale = () => (state.lang === 'en' ? 'en-GB' : 'zh-CN');
  function num(value, digits) {
    if (value === null || value === undefined) { return '—'; }
    const options = digits === undefined ? { maximumFractionDigits: 1 } : { minimumFractionDigits: digits, maximumFractionDigits: digits };
    return Number(value).toLocaleString(locale(), options);
  }
  function when(iso) {
    if (!iso) { return '—'; }
    return new Date(iso).toLocaleString(locale(), { timeZone: 'Asia/Shanghai', hour12: false });
  }
  const yesNo = (flag) => (flag ? text('yes') : text('no'));

  class SignedOut extends Error {}
  class Refusal extends Error {
    constructor(status, problem) { super((problem && (problem.title || problem.rule)) || String(status)); this.status = status; this.problem = problem || {}; }
  }

  // The page's own calls: same origin, the session cookie; a changing call also names the page (X-Requested-With), which a
  // form on another site cannot send without the browser asking first.
  async function call(path, options) {
    const init = Object.assign({ credentials: 'same-origin', headers: { Accept: 'application/json' } }, options || {});
    if (init.method && init.method !== 'GET') {
      init.headers = Object.assign({ 'Content-Type': 'application/json', 'X-Requested-With': 'popinfo-monitor' }, init.headers);
    }
    const response = await fetch(path, init);
    if (response.status === 401) { throw new SignedOut(); }
    const body = await response.json().catch(() => null);
    if (!response.ok) { throw new Refusal(response.status, body); }
    return body;
  }

  function row(table, cells, className) {
    const tr = document.createElement('tr');
    if (className) { tr.className = className; }
    for (const value of cells) {
      const td = document.createElement('td');
      if (value instanceof Node) { td.appendChild(value); } else { td.textContent = value === null || value === undefined ? '' : String(value); }
      tr.appendChild(td);
    }
    table.tBodies[0].appendChild(tr);
    return tr;
  }
  function clear(table) { table.tBodies[0].replaceChildren(); }
  function button(label, onClick, className) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className || 'button small';
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  }
  function chart(id) {
    if (!state.charts[id]) { state.charts[id] = window.echarts.init(byId(id)); }
    return state.charts[id];
  }
  function showProblem(id, error) {
    const p = byId(id);
    if (!error) { p.hidden = true; return; }
    const problem = error.problem || {};
    const first = problem.violations && problem.violations.length ? problem.violations[0] : null;
    p.textContent = text('loadFailed') + (error.status || '') + ' ' + (first ? first.field + ' — ' + first.rule : (problem.rule || problem.title || error.message));
    p.dataset.rule = first ? first.rule : (problem.rule || '');
    p.hidden = false;
  }
  const severityText = (severity) => text(severity) || severity;

  // ---- Alerts: the banner (open ones, on every tab) and the alerts' tab.
  async function loadOpenAlerts() {
    state.open = (await call('/api/v1/alerts?state=open&limit=50')).items;
    renderBanner();
  }
  function renderBanner() {
    const list = byId('banner-list');
    list.replaceChildren();
    for (const view of state.open) {
      const a = view.alert;
      const li = document.createElement('li');
      li.className = 'alert ' + a.severity;
      li.dataset.rule = a.ruleCode;
      li.dataset.subject = a.subject;
      li.dataset.acknowledged = String(!!a.acknowledgedAt);
      const what = document.createElement('span');
      what.textContent = '[' + severityText(a.severity) + '] ' + a.ruleCode + ' · ' + a.subject + ' · ' + text('since') + ' ' + when(a.heldSince)
        + (view.description ? ' — ' + view.description : '');
      li.appendChild(what);
      if (a.acknowledgedAt) {
        const done = document.createElement('span');
        done.className = 'muted';
        done.textContent = ' ' + fill(text('acknowledgedAt'), { at: when(a.acknowledgedAt) });
        li.appendChild(done);
      } else {
        li.appendChild(button(text('acknowledge'), () => acknowledge(a.id), 'button small acknowledge'));
      }
      list.appendChild(li);
    }
    byId('banner').hidden = state.open.length === 0;
  }
  async function acknowledge(id) {
    await call('/api/v1/alerts/' + encodeURIComponent(id) + '/acknowledge', { method: 'POST', body: '{}' });
    await loadOpenAlerts();
    if (state.tab === 'alerts') { await loadAlerts(); }
  }
  async function loadAlerts() { state.alerts = (await call('/api/v1/alerts?state=all&limit=100')).items; renderAlerts(); }
  function renderAlerts() {
    const table = byId('alerts');
    clear(table);
    for (const view of state.alerts || []) {
      const a = view.alert;
      const tr = row(table, [severityText(a.severity), a.ruleCode, a.subject, when(a.heldSince), num(a.firedValue), a.endedAt ? when(a.endedAt) : text('open'),
        a.acknowledgedAt ? when(a.acknowledgedAt) : ''], a.endedAt ? 'ended' : 'open ' + a.severity);
      tr.dataset.id = String(a.id);
      const td = document.createElement('td');
      if (!a.endedAt && !a.acknowledgedAt) { td.appendChild(button(text('acknowledge'), () => acknowledge(a.id), 'button small acknowledge')); }
      tr.appendChild(td);
    }
    byId('alerts-empty').hidden = (state.alerts || []).length > 0;
  }

  // ---- Health.
  async function loadHealth() { state.health = await call('/api/v1/health'); renderHealth(); }
  function renderHealth() {
    const h = state.health;
    if (!h) { return; }
    byId('health-taken').textContent = when(h.takenAt);
    byId('health-verdict').textContent = h.allWell ? text('allWell') : text('notAllWell');
    byId('health-verdict').className = h.allWell ? 'ok' : 'bad';
    const table = byId('services');
    clear(table);
    for (const s of h.services) {
      // The checks as a count of the healthy ones, naming those that are not (the embedded host reports every module's).
      const unwell = s.checks.filter((c) => c.status !== 'Healthy');
      const checks = s.checks.length === 0 ? '—' : num(s.checks.length - unwell.length) + '/' + num(s.checks.length)
        + (unwell.length ? ' · ' + unwell.map((c) => c.name + ' ' + c.status).join(', ') : '');
      const tr = row(table, [s.name, yesNo(s.live), yesNo(s.ready), s.version || '—', checks,
        num(s.milliseconds), s.problem || ''], s.live && s.ready ? 'ok' : 'bad');
      tr.dataset.service = s.name;
      tr.dataset.ready = String(s.ready);
    }
    const b = h.broker;
    byId('broker').textContent = !b ? text('brokerNotWatched') : !b.answered ? fill(text('brokerDown'), { problem: b.problem || '' })
      : fill(text('brokerLine'), { version: b.version || '', queues: num(b.totals.queues), messages: num(b.totals.messages), consumers: num(b.totals.consumers),
        alarms: b.alarms.length ? b.alarms.join(', ') : text('no') });
    const queues = byId('queues');
    clear(queues);
    queues.hidden = !b || !b.answered || b.deepestQueues.length === 0;
    for (const q of (b && b.deepestQueues) || []) { row(queues, [q.virtualHost + '/' + q.name, num(q.messages), num(q.consumers), num(q.publishPerSecond)]); }
    const d = h.database;
    byId('database').textContent = !d ? text('databaseNotWatched') : !d.answered ? fill(text('databaseDown'), { problem: d.problem || '' })
      : fill(text('databaseLine'), { version: d.version || '', connections: num(Object.values(d.connections).reduce((x, y) => x + y, 0)), max: num(d.maxConnections),
        databases: num(d.databases.length), replicas: num(d.replicas.length) })
        + (d && d.answered ? d.replicas.map((r) => fill(text('replicaLine'), { name: r.name, state: r.state || '',
          seconds: r.replayLagSeconds === null ? '—' : num(Math.round(r.replayLagSeconds * 10) / 10),
          bytes: r.bytesBehind === null ? '—' : num(r.bytesBehind) })).join('') : '');
  }

  // ---- Flow.
  async function loadFlow() {
    const from = new Date(Date.now() - 3600 * 1000).toISOString();
    const [flow, lag] = await Promise.all([call('/api/v1/flow'), call('/api/v1/samples?metric=department.lag_seconds&from=' + encodeURIComponent(from))]);
    state.flow = flow;
    state.lag = lag;
    renderFlow();
  }
  function renderFlow() {
    const f = state.flow;
    if (!f) { return; }
    byId('relay').textContent = f.registryLastSequence === null ? text('relayUnknown')
      : fill(text('relay'), { last: num(f.registryLastSequence), backlog: num(f.registryRelayBacklog) });
    const departments = byId('departments');
    clear(departments);
    for (const d of f.departments) {
      row(departments, [d.department, num(d.backlog), num(d.lagSeconds), num(d.lastSequence), num(d.consumers), num(d.webhookPending), num(d.deadLetters), num(d.held)]).dataset.department = d.department;
    }
    byId('departments-empty').hidden = f.departments.length > 0;
    const models = byId('read-models');
    clear(models);
    for (const m of f.readModels) { row(models, [m.name, num(m.secondsBehind), num(m.sequencesBehind)]).dataset.readModel = m.name; }
    const bySubject = new Map();
    for (const s of (state.lag && state.lag.samples) || []) {
      if (!bySubject.has(s.subject)) { bySubject.set(s.subject, []); }
      bySubject.get(s.subject).push([s.takenAt, s.value]);
    }
    chart('lag-chart').setOption({
      animation: false,
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { type: 'scroll', top: 0 },
      xAxis: { type: 'time' }, yAxis: { type: 'value', name: text('lagSeconds') },
      series: [...bySubject.entries()].map(([subject, data]) => ({ name: subject, type: 'line', showSymbol: false, data })),
    }, true);
    byId('lag-chart').dataset.state = 'ready';
  }

  // ---- Rules.
  async function loadRules() { state.rules = await call('/api/v1/alert-rules'); renderRules(); }
  function input(type, value, className) {
    const i = document.createElement('input');
    i.type = type;
    i.className = className;
    if (type === 'checkbox') { i.checked = value; } else { i.value = String(value); }
    return i;
  }
  function renderRules() {
    const table = byId('rules');
    clear(table);
    for (const r of state.rules || []) {
      const threshold = input('number', r.threshold, 'threshold');
      threshold.step = 'any';
      const duration = input('number', r.durationSeconds, 'duration');
      duration.min = '0';
      const enabled = input('checkbox', r.enabled, 'enabled');
      const save = button(text('save'), () => saveRule(r, threshold, duration, enabled), 'button small save');
      const tr = row(table, [r.code, r.metric, text(r.comparison), threshold, duration, severityText(r.severity), enabled, String(r.version), save]);
      tr.dataset.rule = r.code;
      tr.title = r.description;
    }
  }
  async function saveRule(rule, threshold, duration, enabled) {
    showProblem('rules-problem', null);
    try {
      await call('/api/v1/alert-rules/' + encodeURIComponent(rule.code), {
        method: 'PUT',
        body: JSON.stringify({ threshold: Number(threshold.value), durationSeconds: Number(duration.value), enabled: enabled.checked, version: rule.version }),
      });
    } catch (error) {
      if (!(error instanceof Refusal)) { throw error; }
      if (error.status === 409) {
        const p = byId('rules-problem');
        p.textContent = fill(text('versionConflict'), { rule: rule.code, current: error.problem.currentVersion ?? '' });
        p.dataset.rule = 'version.current';
        p.hidden = false;
      } else {
        showProblem('rules-problem', error);
      }
    }
    await loadRules();
  }

  // ---- Data quality: the latest count of each rule per region, and the trend of the widest region.
  const QUALITY_RULES = ['missing-expected', 'implausible-age', 'migrant-overstay', 'household-without-head', 'duplicate-suspect'];
  async function loadQuality() {
    const from = new Date(Date.now() - 30 * 86400 * 1000).toISOString();
    const answers = await Promise.all(QUALITY_RULES.map((r) => call('/api/v1/samples?metric=quality.' + r + '&from=' + encodeURIComponent(from))));
    state.quality = QUALITY_RULES.map((r, i) => ({ rule: r, samples: answers[i].samples }));
    renderQuality();
  }
  function renderQuality() {
    if (!state.quality) { return; }
    const regions = [...new Set(state.quality.flatMap((q) => q.samples.map((s) => s.subject)))].sort((a, b) => a.length - b.length || a.localeCompare(b));
    const table = byId('quality');
    const head = document.createElement('tr');
    for (const label of [text('region'), ...QUALITY_RULES.map((r) => WORDS[state.lang].qualityRules[r])]) {
      const th = document.createElement('th');
      th.textContent = label;
      head.appendChild(th);
    }
    table.tHead.replaceChildren(head);
    clear(table);
    const latest = (q, region) => { const s = q.samples.filter((x) => x.subject === region); return s.length ? s[s.length - 1].value : null; };
    for (const region of regions) { row(table, [region, ...state.quality.map((q) => num(latest(q, region)))]).dataset.region = region; }
    byId('quality-empty').hidden = regions.length > 0;
    const top = regions[0];
    chart('quality-chart').setOption({
      animation: false,
      title: { text: top ? WORDS[state.lang].tabQuality + ' · ' + top : '', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { type: 'scroll', top: 24 },
      grid: { top: 60 },
      xAxis: { type: 'time' }, yAxis: { type: 'value', minInterval: 1 },
      series: state.quality.map((q) => ({
        name: WORDS[state.lang].qualityRules[q.rule], type: 'line',
        data: q.samples.filter((s) => s.subject === top).map((s) => [s.takenAt, s.value]),
      })),
    }, true);
    byId('quality-chart').dataset.state = 'ready';
  }

  // A report asked by its form (timeliness, assessment): its answer, or null with the refusal shown under the form; its CSV
  // link is the same question with format=csv.
  async function askReport(query, name) {
    showProblem(name + '-problem', null);
    let answer = null;
    try {
      answer = await call(query);
    } catch (error) {
      if (!(error instanceof Refusal)) { throw error; }
      showProblem(name + '-problem', error);
    }
    byId(name + '-csv').href = query + '&format=csv';
    byId(name + '-csv').hidden = !answer;
    return answer;
  }

  // ---- Timeliness: one day's communities, cleared or not.
  function cityToday() { return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10); }
  async function loadTimeliness() {
    const day = byId('timeliness-day').value || cityToday();
    byId('timeliness-day').value = day;
    state.timeliness = await askReport('/api/v1/timeliness?day=' + encodeURIComponent(day), 'timeliness');
    renderTimeliness();
  }
  function renderTimeliness() {
    const report = state.timeliness;
    const table = byId('timeliness');
    table.hidden = !report;
    byId('timeliness-summary').textContent = '';
    if (!report) { return; }
    clear(table);
    const cleared = report.communities.filter((c) => c.cleared).length;
    byId('timeliness-summary').textContent = fill(text('timelinessSummary'), {
      day: report.day, communities: num(report.communities.length), cleared: num(cleared), notCleared: num(report.communities.length - cleared), deadline: when(report.deadline),
    });
    for (const c of report.communities) {
      const tr = row(table, [c.communityName + ' (' + c.communityCode + ')', c.streetCode, num(c.forms), num(c.late), num(c.drafts), num(c.pending), num(c.rejected),
        yesNo(c.cleared), yesNo(c.clearedByDeadline)], c.cleared ? 'ok' : 'bad');
      tr.dataset.community = c.communityCode;
      tr.dataset.cleared = String(c.cleared);
    }
  }

  // ---- Assessment: a period's communities or departments, ranked, the five stages; CSV and print.
  function thisMonth() { return cityToday().slice(0, 7); }
  async function loadAssessment() {
    const period = byId('assessment-period').value.trim() || thisMonth();
    byId('assessment-period').value = period;
    const subject = byId('assessment-subject').value;
    const query = '/api/v1/assessment/' + subject + '?period=' + encodeURIComponent(period);
    state.assessment = await askReport(query, 'assessment');
    byId('assessment-print').disabled = !state.assessment;
    renderAssessment();
  }
  // The stages' colours, as monitor.css marks them.
  const STAGE_COLOURS = { poor: '#b42318', weak: '#d9731a', fair: '#c9a227', good: '#5b9a3c', excellent: '#176b1e' };
  const percent = (value) => (value === null || value === undefined ? '—' : num(value, 1));
  function stageName(stage) { return stage ? (WORDS[state.lang].stages[stage.code] || stage.label) : text('notAssessed'); }
  function renderAssessment() {
    const report = state.assessment;
    byId('assessment-report').hidden = !report;
    if (!report) { return; }
    const subjectName = report.subject === 'departments' || report.subject === 'department' ? text('departmentsSubject') : text('communities');
    byId('assessment-title').textContent = fill(text('assessmentTitle'), { subject: subjectName, period: report.period, from: report.from, to: report.to });
    const counts = report.stages.map((s) => report.items.filter((i) => i.stage && i.stage.code === s.code).length);
    const stages = byId('stages');
    stages.replaceChildren();
    report.stages.forEach((s, i) => {
      const li = document.createElement('li');
      li.className = 'stage stage-' + s.code;
      li.dataset.stage = s.code;
      li.textContent = fill(s.below === null || s.below === undefined ? text('stageTop') : text('stageRange'),
        { label: stageName(s), from: num(s.from), below: num(s.below), count: num(counts[i]) });
      stages.appendChild(li);
    });
    chart('stage-chart').setOption({
      animation: false,
      tooltip: { renderMode: 'richText' },
      xAxis: { type: 'category', data: report.stages.map(stageName) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: text('stage'), data: counts.map((value, i) => ({ value, itemStyle: { color: STAGE_COLOURS[report.stages[i].code] } })) }],
    }, true);
    byId('stage-chart').dataset.state = 'ready';
    const table = byId('assessment');
    clear(table);
    for (const line of report.items) {
      const tr = row(table, [line.rank ?? '—', line.code, line.name, percent(line.timeliness), percent(line.completeness), percent(line.acknowledgement),
        line.score === null || line.score === undefined ? '—' : num(line.score, 1), stageName(line.stage)], line.stage ? 'stage-' + line.stage.code : 'not-assessed');
      tr.dataset.code = line.code;
      tr.dataset.rank = line.rank === null || line.rank === undefined ? '' : String(line.rank);
      tr.dataset.stage = line.stage ? line.stage.code : '';
    }
  }

  // ---- Audit search and chains (auditors).
  function dayStart(value) { return value ? new Date(value + 'T00:00:00+08:00').toISOString() : null; }
  async function searchAudit(after) {
    showProblem('audit-problem', null);
    const today = cityToday();
    if (!byId('audit-from').value) { byId('audit-from').value = new Date(Date.now() - 30 * 86400 * 1000 + 8 * 3600 * 1000).toISOString().slice(0, 10); }
    if (!byId('audit-to').value) { byId('audit-to').value = today; }
    const body = {
      from: dayStart(byId('audit-from').value),
      to: new Date(new Date(dayStart(byId('audit-to').value)).getTime() + 86400 * 1000).toISOString(),
      limit: 100,
    };
    const idNumber = byId('audit-id-number').value.trim();
    const actor = byId('audit-actor').value.trim();
    const action = byId('audit-action').value.trim();
    if (idNumber) { body.idNumber = idNumber; }
    if (actor) { body.actor = actor; }
    if (action) { body.action = action; }
    if (after) { body.after = after; }
    try {
      const answer = await call('/api/v1/audit/search', { method: 'POST', body: JSON.stringify(body) });
      state.audit = after && state.audit ? Object.assign(answer, { entries: state.audit.entries.concat(answer.entries) }) : answer;
    } catch (error) {
      if (!(error instanceof Refusal)) { throw error; }
      state.audit = null;
      showProblem('audit-problem', error);
    }
    renderAudit();
  }
  function renderAudit() {
    const answer = state.audit;
    const table = byId('audit');
    table.hidden = !answer;
    const sources = byId('audit-sources');
    sources.replaceChildren();
    byId('audit-more').hidden = !answer || !answer.next;
    byId('audit-empty').hidden = !answer || answer.entries.length > 0;
    if (!answer) { return; }
    for (const s of answer.sources) {
      const li = document.createElement('li');
      li.className = s.ok ? 'ok' : 'bad';
      li.dataset.service = s.service;
      li.textContent = s.service + ': ' + (s.ok ? text('sourceOk') + ' (' + num(s.entries) + ')' : text('sourceFailed') + (s.problem ? ' — ' + s.problem : ''));
      sources.appendChild(li);
    }
    clear(table);
    for (const e of answer.entries) {
      row(table, [when(e.at), e.service, [e.actor, e.client, e.unit].filter(Boolean).join(' · '), e.action, e.purpose || '', [e.outcome, e.reason].filter(Boolean).join(' · ')])
        .dataset.service = e.service;
    }
  }
  async function loadChains() {
    state.chains = await call('/api/v1/audit/chains');
    renderChains();
  }
  function renderChains() {
    const report = state.chains;
    const table = byId('chains');
    table.hidden = !report;
    if (!report) { return; }
    byId('chains-verdict').textContent = fill(report.allIntact ? text('chainsIntact') : text('chainsBroken'), { at: when(report.takenAt) });
    byId('chains-verdict').className = report.allIntact ? 'meta ok' : 'meta bad';
    clear(table);
    for (const s of report.services) {
      if (!s.answered) {
        row(table, [s.service, '—', text('sourceFailed') + (s.problem ? ' — ' + s.problem : ''), '', ''], 'bad').dataset.service = s.service;
        continue;
      }
      for (const c of s.chains) {
        row(table, [s.service, c.table, yesNo(c.intact), num(c.chainedRows), c.brokenAt === null || c.brokenAt === undefined ? '' : String(c.brokenAt)], c.intact ? 'ok' : 'bad')
          .dataset.service = s.service;
      }
    }
  }

  // ---- Tabs, language, refresh.
  const LOADERS = {
    health: loadHealth, flow: loadFlow, alerts: loadAlerts, rules: loadRules, quality: loadQuality, timeliness: loadTimeliness,
    assessment: loadAssessment, audit: async () => {}, chains: loadChains,
  };
  const RENDERERS = {
    health: renderHealth, flow: renderFlow, alerts: renderAlerts, rules: renderRules, quality: renderQuality, timeliness: renderTimeliness,
    assessment: renderAssessment, audit: renderAudit, chains: renderChains,
  };
  // Tabs that follow the platform as it changes are read again on every refresh; the others when asked.
  const LIVE = new Set(['health', 'flow', 'alerts']);

  async function guarded(work) {
    try {
      await work();
      byId('load-error').hidden = true;
    } catch (error) {
      if (error instanceof SignedOut) { location.assign('/monitor'); return; }
      byId('load-error').textContent = text('loadFailed') + (error.status ? error.status + ' ' : '') + error.message;
      byId('load-error').hidden = false;
    }
  }
  async function select(tab) {
    state.tab = tab;
    document.querySelectorAll('.tab').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === tab)));
    document.querySelectorAll('.tab-panel').forEach((p) => { p.hidden = p.id !== 'tab-' + tab; });
    await guarded(LOADERS[tab]);
    Object.values(state.charts).forEach((c) => c.resize());
  }
  async function refresh() {
    if (state.role !== 'operator') { return; }
    await guarded(async () => {
      await loadOpenAlerts();
      if (LIVE.has(state.tab)) { await LOADERS[state.tab](); }
    });
  }
  function applyLanguage() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = text('title') + ' · PopInfo';
    document.querySelectorAll('[data-t]').forEach((el) => {
      const value = text(el.dataset.t);
      if (typeof value === 'string') { el.textContent = value; }
    });
    const refused = byId('refused');
    if (!refused.hidden) { refused.textContent = text('refused') + (WORDS[state.lang][refused.dataset.rule] || text('failed')); }
    renderBanner();
    if (state.tab) { RENDERERS[state.tab](); }
  }

  async function start() {
    byId('lang').addEventListener('click', () => {
      state.lang = state.lang === 'zh' ? 'en' : 'zh';
      localStorage.setItem(LANG_KEY, state.lang);
      applyLanguage();
    });
    document.querySelectorAll('.tab').forEach((b) => b.addEventListener('click', () => select(b.dataset.tab)));
    byId('timeliness-form').addEventListener('submit', (e) => { e.preventDefault(); guarded(loadTimeliness); });
    byId('assessment-form').addEventListener('submit', (e) => { e.preventDefault(); guarded(loadAssessment); });
    byId('assessment-print').addEventListener('click', () => window.print());
    byId('audit-form').addEventListener('submit', (e) => { e.preventDefault(); guarded(() => searchAudit(null)); });
    byId('audit-more').addEventListener('click', () => guarded(() => searchAudit(state.audit && state.audit.next)));
    byId('chains-run').addEventListener('click', () => guarded(loadChains));
    window.addEventListener('resize', () => Object.values(state.charts).forEach((c) => c.resize()));

    const refusedRule = new URLSearchParams(location.search).get('signIn');
    let session = null;
    try { session = await call('/api/v1/session'); } catch (error) { if (!(error instanceof SignedOut) && !(error instanceof Refusal)) { throw error; } }
    if (!session) {
      byId('signed-out').hidden = false;
      if (refusedRule) {
        byId('refused').hidden = false;
        byId('refused').dataset.rule = refusedRule;
      }
      applyLanguage();
      return;
    }
    state.role = session.role;
    document.body.dataset.role = session.role;
    byId('who').textContent = session.displayName || session.userName;
    byId('who').hidden = false;
    byId('sign-out').hidden = false;
    byId('main').hidden = false;
    byId('tabs').hidden = false;
    document.querySelectorAll('.tab').forEach((b) => { b.hidden = b.dataset.role !== session.role; });
    applyLanguage();
    if (session.role === 'operator') {
      await guarded(loadOpenAlerts);
      await select('health');
      state.timer = setInterval(refresh, REFRESH_MS);
    } else {
      await select('audit');
    }
  }

  document.addEventListener('DOMContentLoaded', start);
}());
