'use strict';
// The access report's page: signs the auditor in (a session at the identity provider), posts the person's number in a
// body to /api/v1/access-report and shows the entries oldest first, withheld ones as withheld; Chinese and English.
(function () {
  const TEXT = {
    zh: {
      title: '个人信息访问报告', switchLanguage: 'English', signOut: '退出', signIn: '登录',
      signInHelp: '审计人员在统一身份认证处登录后使用本页。', idNumber: '公民身份号码', caseReference: '申请编号（可选）',
      run: '生成报告', print: '打印', generatedAt: '生成时间', auditor: '审计人员', personId: '人员编号',
      withheldHint: '依法不向本人公开的用途，只显示发生过一次访问及其时间，不显示访问者和原因。',
      at: '时间', source: '来源', department: '单位', user: '经办人', operation: '操作', purpose: '用途', caseRef: '案件编号', outcome: '结果',
      empty: '没有记录。', withheld: '依法不予公开', sourceOk: '已答复', sourceFailed: '未答复',
      sources: { sharing: '信息共享服务', exchange: '数据交换', registry: '人口登记' },
      refused: '只有审计人员可以使用本页。', failed: '请求失败',
    },
    en: {
      title: 'Personal data access report', switchLanguage: '中文', signOut: 'Sign out', signIn: 'Sign in',
      signInHelp: 'Auditors sign in at the identity provider to use this page.', idNumber: 'Identity number', caseReference: 'Request reference (optional)',
      run: 'Make the report', print: 'Print', generatedAt: 'Generated', auditor: 'Auditor', personId: 'Person id',
      withheldHint: 'Purposes the law keeps from the person show only that an access happened and when, not by whom or why.',
      at: 'When', source: 'Source', department: 'Department', user: 'User', operation: 'Operation', purpose: 'Purpose', caseRef: 'Case reference', outcome: 'Outcome',
      empty: 'Nothing recorded.', withheld: 'Withheld by law', sourceOk: 'answered', sourceFailed: 'did not answer',
      sources: { sharing: 'Sharing service', exchange: 'Exchange', registry: 'Registry' },
      refused: 'Only auditors may use this page.', failed: 'The request failed',
    },
  };

  const state = { lang: 'zh', report: null, problem: null, purposes: {} };
  const $ = (id) => document.getElementById(id);
  const t = (key) => TEXT[state.lang][key];

  function applyLanguage() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title') + ' · PopInfo';
    document.querySelectorAll('[data-t]').forEach((el) => {
      const value = t(el.dataset.t);
      if (typeof value === 'string') { el.textContent = value; }
    });
    if (!$('refused').hidden) { $('refused').textContent = t('refused'); }
    if (state.problem) { showProblem(state.problem); }
    if (state.report) { render(state.report); }
  }

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    row.appendChild(td);
    return td;
  }

  function when(iso) {
    const d = new Date(iso);
    return d.toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false });
  }

  function purposeOf(entry) {
    if (!entry.purpose) { return ''; }
    const names = state.purposes[entry.purpose];
    return names ? names[state.lang] + ' (' + entry.purpose + ')' : entry.purpose;
  }

  function render(report) {
    $('report').hidden = false;
    $('print').disabled = false;
    $('generated').textContent = when(report.generatedAt);
    $('auditor').textContent = report.auditor;
    $('person-id').textContent = report.personId;
    const sources = $('sources');
    sources.replaceChildren();
    report.sources.forEach((s) => {
      const li = document.createElement('li');
      li.className = s.ok ? 'ok' : 'failed';
      li.dataset.source = s.name;
      li.dataset.ok = String(s.ok);
      li.textContent = TEXT[state.lang].sources[s.name] + ': ' + (s.ok ? t('sourceOk') : t('sourceFailed')) + (s.error ? ' — ' + s.error : '');
      sources.appendChild(li);
    });
    const body = $('entries').tBodies[0];
    body.replaceChildren();
    report.entries.forEach((e) => {
      const row = document.createElement('tr');
      row.dataset.source = e.source;
      cell(row, when(e.at));
      cell(row, TEXT[state.lang].sources[e.source] || e.source);
      if (e.withheld) {
        row.className = 'withheld';
        row.dataset.withheld = 'true';
        const td = cell(row, t('withheld'));
        td.colSpan = 6;
      } else {
        cell(row, e.department);
        cell(row, e.user);
        cell(row, [e.operation, e.channel].filter(Boolean).join(' · '));
        cell(row, purposeOf(e));
        cell(row, e.caseReference);
        cell(row, [e.outcome, e.detail].filter(Boolean).join(' · '));
      }
      body.appendChild(row);
    });
    $('empty').hidden = report.entries.length > 0;
  }

  function showProblem(problem) {
    const p = $('problem');
    const first = problem.violations && problem.violations.length ? problem.violations[0] : null;
    p.textContent = t('failed') + ' (' + problem.status + '): ' + (first ? first.field + ' — ' + first.rule : (problem.rule || problem.title || ''));
    p.dataset.rule = first ? first.rule : (problem.rule || '');
    p.hidden = false;
  }

  async function ask(event) {
    event.preventDefault();
    $('problem').hidden = true;
    state.problem = null;
    const body = { idNumber: $('id-number').value.trim(), language: state.lang };
    const reference = $('case-reference').value.trim();
    if (reference) { body.caseReference = reference; }
    const response = await fetch('/api/v1/access-report', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({ status: response.status }));
    if (!response.ok) {
      state.problem = Object.assign({ status: response.status }, answer);
      showProblem(state.problem);
      return;
    }
    state.report = answer;
    render(answer);
  }

  async function start() {
    $('lang').addEventListener('click', () => { state.lang = state.lang === 'zh' ? 'en' : 'zh'; applyLanguage(); });
    $('ask').addEventListener('submit', ask);
    $('print').addEventListener('click', () => window.print());
    const purposes = await fetch('/access-report/purposes.json', { credentials: 'same-origin' });
    if (purposes.ok) { state.purposes = await purposes.json(); }
    const refusedRule = new URLSearchParams(location.search).get('signIn');
    const session = await fetch('/api/v1/access-report/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (session.ok) {
      const who = await session.json();
      $('who').textContent = who.displayName || who.userName;
      $('who').hidden = false;
      $('sign-out').hidden = false;
      $('main').hidden = false;
    } else {
      $('signed-out').hidden = false;
      if (refusedRule) {
        $('refused').hidden = false;
        $('refused').dataset.rule = refusedRule;
      }
    }
    applyLanguage();
  }

  document.addEventListener('DOMContentLoaded', start);
}());
