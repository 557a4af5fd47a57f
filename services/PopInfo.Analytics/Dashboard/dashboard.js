// The planners' dashboard (docs/dashboard.md). Every figure comes from the analytics API, already protected: the page
// never adds up published cells — every total it shows is one the API computed and protected on its own.
'use strict';
(function () {
  const TEXT = window.DASHBOARD_TEXT;
  const $ = (id) => document.getElementById(id);
  const state = {
    lang: localStorage.getItem('popinfo.dashboard.lang') === 'en' ? 'en' : 'zh',
    dimensions: {},
    dimensionOrder: [],
    indicators: null,
    series: null,
    drillPath: [],
    drillTable: null,
    table: null,
    status: null,
    charts: {},
  };

  function t(key) { return TEXT[state.lang][key] ?? TEXT.zh[key] ?? key; }
  function format(template, values) { return template.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? '')); }
  // In English a category's English name; regions have none (their labelEn is their code), so their Chinese name.
  function label(category) {
    if (!category) { return ''; }
    if (state.lang !== 'en') { return category.label; }
    const region = /^\d{6,12}$/.test(category.code) && category.labelEn === category.code;
    return region || !category.labelEn ? category.label : category.labelEn;
  }
  function dimensionLabel(name) { return TEXT[state.lang].dimensions[name] || name; }
  function number(value, digits) {
    if (value === null || value === undefined) { return '—'; }
    return Number(value).toLocaleString(state.lang === 'en' ? 'en-GB' : 'zh-CN', digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  function categoryOf(dimension, code) { return (state.dimensions[dimension] || []).find((c) => c.code === code); }

  class SignedOut extends Error {}

  async function api(path) {
    const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (response.status === 401) { throw new SignedOut(); }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = body && (body.violations && body.violations.length ? body.violations.map((v) => v.message || v.rule).join('; ') : body.detail || body.title);
      throw new Error(detail || String(response.status));
    }
    return body;
  }

  function chart(id) {
    if (!state.charts[id]) { state.charts[id] = window.echarts.init($(id)); }
    return state.charts[id];
  }

  // ---- the region and the date, as chosen above -------------------------------------------------------------------

  function selectedRegion() { return $('community').value || $('street').value || $('district').value || ''; }

  function commonQuery(extra) {
    const q = new URLSearchParams();
    const region = selectedRegion();
    if (region) { q.set('region', region); }
    if ($('as-of').value) { q.set('asOf', $('as-of').value); }
    q.set('basis', $('basis').value);
    for (const [k, v] of extra || []) { q.append(k, v); }
    return q;
  }

  function fillSelect(select, categories, emptyText, keep) {
    const previous = keep ? select.value : '';
    select.textContent = '';
    const empty = document.createElement('option');
    empty.value = '';
    empty.textContent = emptyText;
    select.appendChild(empty);
    for (const c of categories) {
      const option = document.createElement('option');
      option.value = c.code;
      option.textContent = label(c);
      select.appendChild(option);
    }
    select.value = categories.some((c) => c.code === previous) ? previous : '';
  }

  function fillRegions(keep) {
    const district = keep ? $('district').value : '';
    fillSelect($('district'), state.dimensions.district || [], t('all'), keep);
    const d = $('district').value || district;
    fillSelect($('street'), d ? (state.dimensions.street || []).filter((c) => c.code.startsWith(d)) : [], t('all'), keep);
    $('street').disabled = !$('district').value;
    const s = $('street').value;
    fillSelect($('community'), s ? (state.dimensions.community || []).filter((c) => c.code.startsWith(s)) : [], t('all'), keep);
    $('community').disabled = !s;
  }

  // ---- indicators and the pyramid ---------------------------------------------------------------------------------

  function renderCards() {
    const i = state.indicators;
    const cards = $('cards');
    cards.textContent = '';
    if (!i) { return; }
    const share = (k) => (i.sharesPercent || {})[k];
    const items = [
      ['population', number(i.population)], ['male', number(i.male)], ['female', number(i.female)],
      ['registered', number(i.registered)], ['migrant', number(i.migrant)],
      ['share0_14', pct(share('0-14'))], ['share15_59', pct(share('15-59'))], ['share60', pct(share('60+'))], ['share65', pct(share('65+'))],
      ['childDependency', number(i.childDependencyRatio, 1)], ['oldAgeDependency', number(i.oldAgeDependencyRatio, 1)],
      ['totalDependency', number(i.totalDependencyRatio, 1)], ['sexRatio', number(i.sexRatio, 1)],
      ['households', number(i.households)], ['averageHouseholdSize', number(i.averageHouseholdSize, 2)],
    ];
    for (const [key, value] of items) {
      const card = document.createElement('div');
      card.className = 'card';
      card.dataset.indicator = key;
      const l = document.createElement('div');
      l.className = 'label';
      l.textContent = t(key);
      const v = document.createElement('div');
      v.className = 'value';
      v.textContent = value;
      card.append(l, v);
      cards.appendChild(card);
    }
  }

  function pct(value) { return value === null || value === undefined ? '—' : number(value, 1) + '%'; }

  function renderPyramid() {
    const i = state.indicators;
    if (!i) { return; }
    const bands = i.pyramid.map((b) => b.band);
    chart('pyramid').setOption({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText', valueFormatter: (v) => number(Math.abs(v)) },
      legend: { top: 0, left: 'center', data: [t('male'), t('female')] },
      grid: { left: 60, right: 30, top: 40, bottom: 30 },
      xAxis: { type: 'value', axisLabel: { formatter: (v) => number(Math.abs(v)) } },
      yAxis: { type: 'category', data: bands, axisTick: { show: false } },
      series: [
        { name: t('male'), type: 'bar', stack: 'population', data: i.pyramid.map((b) => -b.male), itemStyle: { color: '#3a7bd5' } },
        { name: t('female'), type: 'bar', stack: 'population', data: i.pyramid.map((b) => b.female), itemStyle: { color: '#d5573a' } },
      ],
    }, true);
    $('pyramid').dataset.state = 'ready';
  }

  async function loadIndicators() {
    state.indicators = await api('/api/v1/indicators?' + commonQuery().toString());
    renderCards();
    renderPyramid();
  }

  // ---- monthly series ---------------------------------------------------------------------------------------------

  function renderSeries() {
    const s = state.series;
    if (!s) { return; }
    const months = s.months.map((m) => m.month);
    chart('births').setOption({
      animation: false,
      title: { left: 0, top: 0, text: t('births') + ' / ' + t('deaths'), textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { top: 28, left: 'center', data: [t('births'), t('deaths'), t('naturalGrowth')] },
      grid: { left: 50, right: 50, top: 70, bottom: 30 },
      xAxis: { type: 'category', data: months },
      yAxis: [{ type: 'value' }, { type: 'value', name: '‰' }],
      series: [
        { name: t('births'), type: 'bar', data: s.months.map((m) => m.births) },
        { name: t('deaths'), type: 'bar', data: s.months.map((m) => m.deaths) },
        { name: t('naturalGrowth'), type: 'line', yAxisIndex: 1, data: s.months.map((m) => m.naturalGrowthRatePerThousand) },
      ],
    }, true);
    chart('moves').setOption({
      animation: false,
      title: { left: 0, top: 0, text: t('movedIn') + ' / ' + t('movedOut'), textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { top: 28, left: 'center', data: [t('movedIn'), t('movedOut'), t('migrantArrivals'), t('migrantDepartures')] },
      grid: { left: 50, right: 20, top: 70, bottom: 30 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value' },
      series: [
        { name: t('movedIn'), type: 'line', data: s.months.map((m) => m.movedIn) },
        { name: t('movedOut'), type: 'line', data: s.months.map((m) => m.movedOut) },
        { name: t('migrantArrivals'), type: 'line', data: s.months.map((m) => m.migrantArrivals) },
        { name: t('migrantDepartures'), type: 'line', data: s.months.map((m) => m.migrantDepartures) },
      ],
    }, true);
    // The ten provinces most arrived from: an order of published figures, no sum.
    const top = [...s.origins].sort((a, b) => b.arrivals - a.arrivals).slice(0, 10).reverse();
    const province = (o) => { const c = categoryOf('originProvince', o.province); return c ? label(c) : o.label; };
    chart('origins').setOption({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText' },
      legend: { top: 0, left: 'center', data: [t('arrivals'), t('departures')] },
      grid: { left: 110, right: 20, top: 30, bottom: 20 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map(province) },
      series: [
        { name: t('arrivals'), type: 'bar', data: top.map((o) => o.arrivals) },
        { name: t('departures'), type: 'bar', data: top.map((o) => o.departures) },
      ],
    }, true);
    $('births').dataset.state = 'ready';
  }

  async function loadSeries() {
    const q = new URLSearchParams();
    const region = selectedRegion();
    if (region) { q.set('region', region); }
    state.series = await api('/api/v1/series?' + q.toString());
    renderSeries();
  }

  // ---- drill-down: one protected table per level ------------------------------------------------------------------

  const childLevel = (code) => (!code ? 'district' : code.length === 6 ? 'street' : code.length === 9 ? 'community' : null);

  function renderDrill() {
    const path = $('drill-path');
    path.textContent = '';
    const levels = [{ code: '', label: t('city'), labelEn: t('city') }, ...state.drillPath];
    levels.forEach((level, index) => {
      if (index > 0) {
        const sep = document.createElement('span');
        sep.className = 'sep';
        sep.textContent = '›';
        path.appendChild(sep);
      }
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = index === 0 ? t('city') : label(level);
      b.dataset.code = level.code;
      b.addEventListener('click', () => { state.drillPath = state.drillPath.slice(0, index); loadDrill().catch(failed); });
      path.appendChild(b);
    });
    const table = state.drillTable;
    if (!table) { return; }
    const dimension = table.rows[0];
    const all = table.rowKeys.map((keys, i) => {
      const c = dimension.categories.find((x) => x.code === keys[0]);
      return { name: c ? label(c) : keys[0], value: table.rowTotals[i], code: keys[0] };
    });
    const data = all.filter((d) => d.value > 0);
    // The same areas as a list (keyboard and screen readers: a canvas is neither): each with its published figure.
    const list = $('drill-list');
    list.textContent = '';
    for (const d of all) {
      const item = document.createElement('li');
      const deeper = dimension.name !== 'community';
      const name = document.createElement(deeper ? 'button' : 'span');
      name.textContent = d.name;
      item.dataset.code = d.code;
      if (deeper) {
        name.type = 'button';
        name.addEventListener('click', () => drillInto(d.code));
      }
      item.append(name, document.createTextNode(' ' + number(d.value)));
      list.appendChild(item);
    }
    const here = levels[levels.length - 1];
    chart('drill').setOption({
      animation: false,
      title: { left: 0, top: 0, text: (levels.length === 1 ? t('city') : label(here)) + ' · ' + t('drillTotal') + ' ' + number(table.total), textStyle: { fontSize: 13 } },
      tooltip: { renderMode: 'richText', formatter: (p) => p.name + ': ' + number(p.value) },
      series: [{
        type: 'treemap', name: dimensionLabel(dimension.name), top: 30, bottom: 5, left: 5, right: 5, roam: false, nodeClick: false,
        breadcrumb: { show: false }, label: { show: true, formatter: (p) => p.name + '\n' + number(p.value) }, data,
      }],
    }, true);
    $('drill').dataset.state = 'ready';
    $('drill').dataset.level = dimension.name;
  }

  async function loadDrill() {
    const here = state.drillPath.length ? state.drillPath[state.drillPath.length - 1].code : '';
    const rows = childLevel(here);
    const q = new URLSearchParams({ rows });
    if (here) { q.set('region', here); }
    if ($('as-of').value) { q.set('asOf', $('as-of').value); }
    q.set('basis', $('basis').value);
    $('drill').dataset.state = 'loading';
    state.drillTable = await api('/api/v1/tables?' + q.toString());
    renderDrill();
  }

  function drillInto(code) {
    const level = childLevel(state.drillPath.length ? state.drillPath[state.drillPath.length - 1].code : '');
    if (!level || level === 'community') { return; }
    const c = categoryOf(level, code) || { code, label: code, labelEn: code };
    state.drillPath.push(c);
    loadDrill().catch(failed);
  }

  // ---- the table builder ------------------------------------------------------------------------------------------

  const slots = ['row-1', 'row-2', 'col-1', 'col-2'];

  function fillBuilder(keep) {
    for (const id of slots) {
      fillSelect($(id), state.dimensionOrder.map((name) => ({ code: name, label: dimensionLabel(name), labelEn: dimensionLabel(name) })), t('none'), keep);
    }
    fillSelect($('filter-dim'), state.dimensionOrder.map((name) => ({ code: name, label: dimensionLabel(name), labelEn: dimensionLabel(name) })), t('none'), keep);
    fillFilterCodes(keep);
  }

  function fillFilterCodes(keep) {
    const select = $('filter-codes');
    const chosen = keep ? new Set([...select.selectedOptions].map((o) => o.value)) : new Set();
    select.textContent = '';
    for (const c of state.dimensions[$('filter-dim').value] || []) {
      const option = document.createElement('option');
      option.value = c.code;
      option.textContent = label(c);
      option.selected = chosen.has(c.code);
      select.appendChild(option);
    }
  }

  function tableQuery() {
    const rows = ['row-1', 'row-2'].map((id) => $(id).value).filter(Boolean);
    const columns = ['col-1', 'col-2'].map((id) => $(id).value).filter(Boolean);
    if (rows.length === 0) { throw new Error(t('needRows')); }
    if (rows.length + columns.length > 4) { throw new Error(t('tooMany')); }
    const extra = [['rows', rows.join(',')]];
    if (columns.length) { extra.push(['columns', columns.join(',')]); }
    const codes = [...$('filter-codes').selectedOptions].map((o) => o.value);
    if ($('filter-dim').value && codes.length) { extra.push(['filter', $('filter-dim').value + ':' + codes.join(',')]); }
    return commonQuery(extra);
  }

  function cell(tag, text, className) {
    const c = document.createElement(tag);
    c.textContent = text;
    if (className) { c.className = className; }
    return c;
  }

  function renderTable() {
    const table = state.table;
    const wrap = $('table-wrap');
    wrap.textContent = '';
    if (!table) { return; }
    const keyLabel = (headers, keys) => keys.map((k, i) => label(headers[i].categories.find((c) => c.code === k)) || k);
    const hasColumns = table.columns.length > 0;
    const result = document.createElement('table');
    result.className = 'result';
    result.id = 'result';
    const head = document.createElement('tr');
    for (const r of table.rows) { head.appendChild(cell('th', dimensionLabel(r.name))); }
    if (hasColumns) { for (const keys of table.columnKeys) { head.appendChild(cell('th', keyLabel(table.columns, keys).join(' / '))); } }
    head.appendChild(cell('th', t('total'), 'total'));
    result.appendChild(head);
    table.rowKeys.forEach((keys, i) => {
      const tr = document.createElement('tr');
      for (const text of keyLabel(table.rows, keys)) { tr.appendChild(cell('th', text)); }
      if (hasColumns) { for (const value of table.cells[i]) { tr.appendChild(cell('td', number(value))); } }
      tr.appendChild(cell('td', number(table.rowTotals[i]), 'total'));
      result.appendChild(tr);
    });
    // The margins and the grand total as the API published them: each protected on its own, not a sum of the cells above.
    const foot = document.createElement('tr');
    foot.className = 'total';
    foot.appendChild(cell('th', t('total')));
    for (let k = 1; k < table.rows.length; k++) { foot.appendChild(cell('th', '')); }
    if (hasColumns) { for (const value of table.columnTotals) { foot.appendChild(cell('td', number(value), 'total')); } }
    foot.appendChild(cell('td', number(table.total), 'total'));
    result.appendChild(foot);
    wrap.appendChild(result);
    const p = table.protection;
    $('protection').textContent = format(t('protection'), { method: p.method, threshold: p.threshold, maxNoise: p.maxNoise }) + ' ' + t('protectedNote');
    $('protection').hidden = false;
  }

  async function buildTable() {
    $('table-error').hidden = true;
    let q;
    try {
      q = tableQuery();
    } catch (e) {
      showTableError(e.message);
      return;
    }
    try {
      state.table = await api('/api/v1/tables?' + q.toString());
      renderTable();
      $('csv').href = '/api/v1/tables/csv?' + q.toString();
      $('csv').hidden = false;
    } catch (e) {
      if (e instanceof SignedOut) { showSignedOut(); return; }
      showTableError(e.message);
    }
  }

  function showTableError(message) {
    $('table-error').textContent = message;
    $('table-error').hidden = false;
  }

  // ---- how current the figures are --------------------------------------------------------------------------------

  function renderStatus() {
    const s = state.status;
    if (!s) { return; }
    $('status').textContent = s.ready
      ? format(t('status'), { watermark: s.lowWatermark, last: s.registryLastSequence, behind: number(s.secondsBehind, 1) })
      : t('statusNotReady');
  }

  async function loadStatus() {
    state.status = await api('/api/v1/projection/status');
    renderStatus();
  }

  // ---- language, sign-in, start -----------------------------------------------------------------------------------

  function applyLanguage() {
    document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
    document.title = t('title') + ' · PopInfo';
    for (const el of document.querySelectorAll('[data-t]')) { el.textContent = t(el.dataset.t); }
    // Which basis is which, also as the select's tooltip.
    $('basis').title = t('basisHint');
    if ($('refused').dataset.rule) {
      $('refused').textContent = t('refused') + (TEXT[state.lang][$('refused').dataset.rule] || TEXT[state.lang].failed);
    }
    if (state.dimensionOrder.length) {
      fillRegions(true);
      fillBuilder(true);
    }
    renderCards();
    renderPyramid();
    renderSeries();
    renderDrill();
    renderTable();
    renderStatus();
  }

  function failed(e) {
    if (e instanceof SignedOut) { showSignedOut(); return; }
    $('status').textContent = t('loadFailed') + e.message;
  }

  function showSignedOut() {
    $('main').hidden = true;
    $('sign-out').hidden = true;
    $('who').hidden = true;
    $('signed-out').hidden = false;
    const refused = new URLSearchParams(location.search).get('signIn');
    if (refused) {
      $('refused').textContent = t('refused') + (TEXT[state.lang][refused] || TEXT[state.lang].failed);
      $('refused').dataset.rule = refused;
      $('refused').hidden = false;
    }
  }

  function reloadAll() {
    Promise.all([loadIndicators(), loadSeries(), loadStatus()]).catch(failed);
  }

  async function start() {
    applyLanguage();
    $('lang').addEventListener('click', () => {
      state.lang = state.lang === 'en' ? 'zh' : 'en';
      localStorage.setItem('popinfo.dashboard.lang', state.lang);
      applyLanguage();
    });
    let session;
    try {
      session = await api('/api/v1/session');
    } catch (e) {
      if (e instanceof SignedOut) { showSignedOut(); return; }
      throw e;
    }
    $('who').textContent = session.displayName || session.userName;
    $('who').hidden = false;
    $('sign-out').hidden = false;
    $('main').hidden = false;

    const catalogue = await api('/api/v1/dimensions');
    for (const d of catalogue) { state.dimensions[d.name] = d.categories; }
    state.dimensionOrder = catalogue.map((d) => d.name);
    fillRegions(false);
    fillBuilder(false);

    $('district').addEventListener('change', () => { $('street').value = ''; $('community').value = ''; fillRegions(true); reloadAll(); });
    $('street').addEventListener('change', () => { $('community').value = ''; fillRegions(true); reloadAll(); });
    $('community').addEventListener('change', reloadAll);
    $('as-of').addEventListener('change', () => { reloadAll(); loadDrill().catch(failed); });
    $('basis').addEventListener('change', () => { reloadAll(); loadDrill().catch(failed); });
    $('filter-dim').addEventListener('change', () => fillFilterCodes(false));
    $('build').addEventListener('click', buildTable);
    chart('drill').on('click', (p) => { if (p.data && p.data.code) { drillInto(p.data.code); } });
    window.addEventListener('resize', () => { for (const c of Object.values(state.charts)) { c.resize(); } });

    reloadAll();
    loadDrill().catch(failed);
  }

  document.addEventListener('DOMContentLoaded', () => { start().catch(failed); });
})();
