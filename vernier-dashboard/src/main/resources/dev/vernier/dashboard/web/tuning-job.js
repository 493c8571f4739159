'use strict';
/*
 * A tuning job: the header, charts computed on the server (history, parallel coordinates, slices,
 * importance, intermediate values, timeline) and a server-paged table of its training jobs. After the
 * first load, server-sent events bring only what changed: the header and the training jobs modified since.
 */
(() => {
  const { el, get, post, num, time, dur, status, link, chart, throttle } = V;
  const name = V.name;
  V.crumbs(el('a', { href: V.base + '/' }, 'Tuning jobs'), el('span', {}, name));
  document.getElementById('title').textContent = name;
  const COLORS = { Completed: '#2e7d32', Stopped: '#ef6c00', Stopping: '#ef6c00', Failed: '#c62828', InProgress: '#1565c0' };
  let header, params = [], points = [], byName = new Map(), bestTime = [], bestOrdinal = [], bars = [], minimize = true;
  const charts = {};

  // ---- header
  function renderHeader(h) {
    header = h;
    minimize = h.objective.type === 'Minimize';
    const c = h.counters, l = h.limits;
    const dl = el('dl', { class: 'kv' });
    const row = (k, ...v) => dl.append(el('dt', {}, k), el('dd', {}, ...v));
    row('Status', status(h.status), h.finishingReason ? ' — ' + h.finishingReason : '');
    row('Strategy', h.strategy + ', ' + h.objective.type.toLowerCase() + ' ' + h.objective.metric);
    row('Training jobs', `${c.completed} completed · ${c.inProgress} running · ${c.stopped} stopped · ${c.retryableError + c.nonRetryableError} failed (${c.retryableError} retryable) — ${c.counted} of ${l.maxTrainingJobs} counted, ${l.maxParallelTrainingJobs} at a time`);
    if (h.best) row('Best training job', link('training-jobs', h.best.name), ` ${h.objective.metric} = ${num(h.best.objective)}  `,
      el('span', { class: 'mono' }, Object.entries(h.best.hyperParameters).map(([k, v]) => k + '=' + v).join('  ')));
    if (h.overallBest) row('Overall best (with parents)', link('training-jobs', h.overallBest.name), ' ' + num(h.overallBest.objective));
    const cc = h.completion, crit = [];
    if (cc.targetObjectiveValue !== undefined) crit.push('target ' + num(cc.targetObjectiveValue));
    if (cc.maxNumberOfTrainingJobsNotImproving) crit.push(`${cc.jobsNotImproving} of ${cc.maxNumberOfTrainingJobsNotImproving} jobs not improving`);
    else crit.push(`${cc.jobsNotImproving} jobs not improving`);
    if (cc.convergenceDetection) crit.push(cc.convergedAt ? 'converged at ' + time(cc.convergedAt) : 'convergence detection on, not converged');
    if (l.maxRuntimeInSeconds) crit.push('runtime limit ' + dur(l.maxRuntimeInSeconds));
    row('Completion criteria', crit.join(' · '));
    if (h.warmStart) row('Warm start (' + h.warmStart.type + ')', ...h.warmStart.parents.flatMap((p, i) => i ? [', ', link('tuning-jobs', p)] : [link('tuning-jobs', p)]));
    row('Early stopping', h.earlyStopping);
    if (h.hyperband) row('Hyperband', `resource ${h.hyperband.minResource}–${h.hyperband.maxResource}, η = ${h.hyperband.eta}, ${h.hyperband.brackets} brackets; rungs ` + h.hyperband.rungs.map((r) => '[' + r.join(', ') + ']').join(' '));
    row('Created', time(h.created) + (h.ended ? ' · ended ' + time(h.ended) : ''));
    if (h.failureReason) row('Failure reason', el('span', { class: 'problem' }, h.failureReason));
    document.getElementById('header').replaceChildren(dl);
    document.getElementById('stop-tuning-job').classList.toggle('hidden', h.status !== 'InProgress');
  }

  // ---- charts
  // hundreds of points drawn as one path per series, not one element each
  const LARGE = { large: true, largeThreshold: 300 };
  const x = (p) => document.getElementById('history-x').value === 'time' ? p[1] : p[0];
  function renderHistory() {
    const byTime = document.getElementById('history-x').value === 'time';
    const ok = points.filter((p) => p[2] !== null);
    const ys = ok.map((p) => p[2]);
    const floor = ys.length ? Math.min(...ys) : 0;
    // plain [x, y, name] rows: no object per point, so a thousand points cost little to draw
    const series = ['Completed', 'Stopped'].map((s) => ({ name: s, type: 'scatter', symbolSize: 6, itemStyle: { color: COLORS[s] }, ...LARGE,
      data: ok.filter((p) => p[3] === s).map((p) => [x(p), p[2], p[4]]) }));
    series.push({ name: 'Failed (no objective)', type: 'scatter', symbol: 'triangle', symbolSize: 8, itemStyle: { color: COLORS.Failed },
      data: points.filter((p) => p[2] === null).map((p) => [x(p), floor, p[4]]) });
    const best = byTime ? bestTime : bestOrdinal;
    const last = points.length ? Math.max(...points.map(x)) : undefined;
    series.push({ name: 'Best so far', type: 'line', step: 'end', symbol: 'none', lineStyle: { color: '#17212b', width: 2 },
      data: best.length && last !== undefined ? [...best, [Math.max(last, best[best.length - 1][0]), best[best.length - 1][1]]] : best });
    charts.history.setOption({
      animation: false, legend: { top: 0 }, grid: { left: 60, right: 20, top: 30, bottom: 40 },
      tooltip: { trigger: 'item', formatter: (i) => (i.value[2] || i.seriesName) + '<br>' + num(i.value[1]) },
      xAxis: { type: byTime ? 'time' : 'value', name: byTime ? '' : 'job number', scale: true },
      yAxis: { type: 'value', name: header.objective.metric, scale: true }, dataZoom: [{ type: 'inside' }], series,
    }, { replaceMerge: ['series'] });
    const h = document.getElementById('history');
    h.dataset.points = String(points.length);
    h.dataset.objectives = String(ok.length);
  }
  function paramAxis(p, i) {
    if (p.type === 'Categorical') return { dim: i, name: p.name, type: 'category', data: p.values };
    return { dim: i, name: p.name, type: p.scaling === 'Logarithmic' ? 'log' : 'value', min: p.min, max: p.max };
  }
  /** At most PARALLEL_LINES lines: the best 100 and an even sample of the rest (a line per job costs the most to draw). */
  const PARALLEL_LINES = 500;
  function parallelLines(ok) {
    if (ok.length <= PARALLEL_LINES) return ok;
    const best = [...ok].sort((a, b) => minimize ? a[2] - b[2] : b[2] - a[2]).slice(0, 100);
    const kept = new Set(best);
    const stride = ok.length / (PARALLEL_LINES - best.length);
    for (let k = 0; k < PARALLEL_LINES - best.length; k++) kept.add(ok[Math.floor(k * stride)]);
    return ok.filter((p) => kept.has(p));
  }
  function renderParallel() {
    const all = points.filter((p) => p[2] !== null);
    if (!all.length) return;
    const ok = parallelLines(all);
    document.getElementById('parallel-note').textContent = ok.length < all.length
      ? `${ok.length} of the ${all.length} jobs drawn here: the best 100 and an even sample.` : '';
    const ys = ok.map((p) => p[2]);
    const axes = params.map(paramAxis);
    axes.push({ dim: params.length, name: header.objective.metric, type: 'value', scale: true });
    charts.parallel.setOption({
      animation: false, parallelAxis: axes, parallel: { left: 60, right: 90, top: 40, bottom: 30 },
      visualMap: { type: 'continuous', dimension: params.length, min: Math.min(...ys), max: Math.max(...ys), right: 0, top: 40, calculable: true,
        inRange: { color: minimize ? ['#1a9850', '#fee08b', '#d73027'] : ['#d73027', '#fee08b', '#1a9850'] }, text: ['', header.objective.metric] },
      series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.5 }, progressive: 1000,
        data: ok.map((p) => [...p.slice(5, 5 + params.length), p[2]]) }],
    }, { replaceMerge: ['series'] });
  }
  function renderSlices() {
    const box = document.getElementById('slices');
    const ok = points.filter((p) => p[2] !== null);
    params.forEach((p, i) => {
      if (!charts['slice-' + p.name]) {
        const div = el('div', { class: 'chart small', id: 'slice-' + p.name });
        box.append(div);
        charts['slice-' + p.name] = chart(div);
      }
      const xAxis = p.type === 'Categorical' ? { type: 'category', data: p.values, name: p.name }
        : { type: p.scaling === 'Logarithmic' ? 'log' : 'value', name: p.name + (p.scaling === 'Logarithmic' ? ' (log)' : ''), min: p.min, max: p.max };
      charts['slice-' + p.name].setOption({
        animation: false, grid: { left: 55, right: 20, top: 25, bottom: 45 }, xAxis: { ...xAxis, nameLocation: 'middle', nameGap: 25 },
        yAxis: { type: 'value', scale: true, name: header.objective.metric }, tooltip: { trigger: 'item', formatter: (it) => it.value[2] + '<br>' + num(it.value[1]) },
        series: ['Completed', 'Stopped'].map((s) => ({ type: 'scatter', symbolSize: 5, itemStyle: { color: COLORS[s] }, ...LARGE,
          data: ok.filter((q) => q[3] === s && q[5 + i] !== null).map((q) => [q[5 + i], q[2], q[4]]) })),
      });
    });
  }
  let importanceMethod = '';
  /** The server's computation (Importance.java) again over the points this page holds, for live updates. */
  function importanceOf(pts) {
    const ok = pts.filter((p) => p[2] !== null), n = ok.length;
    const mean = ok.reduce((s, p) => s + p[2], 0) / Math.max(1, n);
    const total = ok.reduce((s, p) => s + (p[2] - mean) ** 2, 0);
    const values = [];
    if (n < 3 || total <= 0) return { observations: n, values, method: importanceMethod };
    params.forEach((param, i) => {
      const present = ok.filter((p) => p[5 + i] !== null);
      const groups = new Map();
      if (param.type === 'Categorical') present.forEach((p) => groups.set(p[5 + i], [...(groups.get(p[5 + i]) || []), p[2]]));
      else {
        const sorted = [...present].sort((a, b) => a[5 + i] - b[5 + i]);
        const bins = Math.max(1, Math.min(10, Math.floor(sorted.length / 2)));
        let prev = null, prevBin = 0;
        sorted.forEach((p, rank) => {
          let bin = Math.floor(rank * bins / sorted.length);
          if (prev !== null && prev === p[5 + i]) bin = prevBin;
          prev = p[5 + i]; prevBin = bin;
          groups.set(bin, [...(groups.get(bin) || []), p[2]]);
        });
      }
      let between = 0;
      for (const ys of groups.values()) { const m = ys.reduce((s, y) => s + y, 0) / ys.length; between += ys.length * (m - mean) ** 2; }
      values.push({ name: param.name, share: between / total });
    });
    const sum = values.reduce((s, v) => s + v.share, 0);
    values.forEach((v) => { v.share = sum > 0 ? v.share / sum : 0; });
    values.sort((a, b) => b.share - a.share);
    return { observations: n, values, method: importanceMethod };
  }
  function renderImportance(imp) {
    importanceMethod = imp.method;
    document.getElementById('importance-method').textContent = `Computed from ${imp.observations} finished jobs. ` + imp.method;
    const values = [...imp.values].reverse();
    charts.importance.setOption({
      animation: false, grid: { left: 120, right: 40, top: 10, bottom: 30 },
      xAxis: { type: 'value', max: 1, axisLabel: { formatter: (v) => Math.round(v * 100) + '%' } },
      yAxis: { type: 'category', data: values.map((v) => v.name) },
      tooltip: { formatter: (i) => i.name + ': ' + (i.value * 100).toFixed(1) + '%' },
      series: [{ type: 'bar', data: values.map((v) => v.share), itemStyle: { color: '#3f6e9a' } }],
    });
  }
  function renderTimeline(now) {
    const lanes = bars.reduce((m, b) => Math.max(m, b[4] + 1), 1);
    charts.timeline.setOption({
      animation: false, grid: { left: 50, right: 20, top: 10, bottom: 40 },
      xAxis: { type: 'time', scale: true, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', min: -0.5, max: lanes - 0.5, interval: 1, inverse: true, axisLabel: { show: false }, splitLine: { show: false } },
      tooltip: { formatter: (i) => i.value[5] + '<br>' + i.value[3] + ' · ' + dur(Math.round(((i.value[2] ?? now) - i.value[1]) / 1000)) },
      dataZoom: [{ type: 'inside' }],
      series: [{ type: 'custom', encode: { x: [1, 2], y: 4 }, data: bars.map((b) => [b[0], b[1], b[2] ?? now, b[3], b[4], b[5]]),
        renderItem: (params, api) => {
          const s = api.coord([api.value(1), api.value(4)]), e = api.coord([api.value(2), api.value(4)]);
          const h = api.size([0, 1])[1] * 0.7;
          return { type: 'rect', shape: { x: s[0], y: s[1] - h / 2, width: Math.max(1, e[0] - s[0]), height: h },
            style: { fill: COLORS[bars[params.dataIndex][3]] || '#888' } };
        } }],
    });
  }
  async function loadIntermediate() {
    const d = await get('/api/tuning-jobs/' + encodeURIComponent(name) + '/intermediate');
    const bestName = header.best && header.best.name;
    const series = d.series.map((s) => ({
      name: s.name, type: 'line', symbol: 'none', data: s.values.map((v, i) => [i * s.stride + 1, v]),
      lineStyle: { width: s.name === bestName ? 2.5 : 1, type: s.stoppedBy ? 'dashed' : 'solid',
        color: s.stoppedBy ? COLORS.Stopped : s.status === 'InProgress' ? COLORS.InProgress : s.name === bestName ? COLORS.Completed : '#9aa5b1' },
      endLabel: s.stoppedBy ? { show: true, formatter: s.stoppedBy === 'HYPERBAND_STOP' ? '✕ rung' : '✕ median', color: COLORS.Stopped, fontSize: 10 } : undefined,
    }));
    if (d.median.length) series.push({ name: `median of running averages (${d.medianOf} completed jobs)`, type: 'line', symbol: 'none',
      data: d.median.map((v, i) => [i + 1, v]), lineStyle: { color: '#17212b', width: 2, type: 'dotted' } });
    if (d.rungs && series.length) series[0].markLine = { symbol: 'none', label: { formatter: 'rung {c}' }, lineStyle: { color: '#7b1fa2' }, data: d.rungs.map((r) => ({ xAxis: r })) };
    charts.intermediate.setOption({
      animation: false, grid: { left: 60, right: 60, top: 20, bottom: 40 }, tooltip: { trigger: 'item', formatter: (i) => i.seriesName + '<br>step ' + i.value[0] + ': ' + num(i.value[1]) },
      xAxis: { type: 'value', name: 'step', min: 1, minInterval: 1 }, yAxis: { type: 'value', scale: true, name: d.metric }, series,
    }, { replaceMerge: ['series'] });
    const stops = d.decisions.filter((x) => x.kind !== 'PROMOTION').length;
    document.getElementById('intermediate-note').textContent = `${d.series.length} of ${d.total} jobs shown (stopped early first, then the best, the running and the latest); dashed = stopped by a rule (${stops} stop decisions)` + (d.rungs ? ', purple lines = Hyperband rungs.' : '.');
  }

  // ---- the table of training jobs, paged on the server
  const table = { sort: 'ordinal', order: 'asc', offset: 0, limit: 50 };
  const COLUMNS = [['ordinal', '#'], ['name', 'Training job'], ['status', 'Status'], ['objective', 'Objective'], ['start', 'Started'], ['seconds', 'Duration']];
  function renderTableHead() {
    const tr = document.querySelector('#training-jobs thead tr');
    tr.replaceChildren(...COLUMNS.map(([k, label]) => el('th', { class: 'sortable' + (table.sort === k ? ' sorted-' + table.order : '') + (k === 'objective' || k === 'seconds' ? ' num' : ''), 'data-sort': k,
      onclick: () => { table.order = table.sort === k && table.order === 'asc' ? 'desc' : 'asc'; table.sort = k; table.offset = 0; loadTable(); } }, label)),
      ...params.map((p) => el('th', {}, p.name)));
  }
  async function loadTable() {
    const q = new URLSearchParams({ sort: table.sort, order: table.order, offset: table.offset, limit: table.limit,
      q: document.getElementById('jobs-filter').value, status: document.getElementById('jobs-status').value });
    const d = await get('/api/tuning-jobs/' + encodeURIComponent(name) + '/training-jobs?' + q);
    renderTableHead();
    document.querySelector('#training-jobs tbody').replaceChildren(...d.rows.map((r) => el('tr', { 'data-name': r.name },
      el('td', { class: 'num' }, r.ordinal), el('td', {}, link('training-jobs', r.name)), el('td', { title: r.failureReason || r.secondary }, status(r.status)),
      el('td', { class: 'num' }, num(r.objective)), el('td', {}, time(r.start)), el('td', { class: 'num' }, dur(r.seconds)),
      ...params.map((p) => el('td', { class: 'mono' }, r.hp[p.name] ?? '')))));
    document.getElementById('jobs-page').textContent = d.total ? `${d.offset + 1}–${Math.min(d.total, d.offset + table.limit)} of ${d.total}` : 'none';
    document.getElementById('jobs-prev').disabled = table.offset === 0;
    document.getElementById('jobs-next').disabled = table.offset + table.limit >= d.total;
  }
  document.getElementById('jobs-prev').addEventListener('click', () => { table.offset = Math.max(0, table.offset - table.limit); loadTable(); });
  document.getElementById('jobs-next').addEventListener('click', () => { table.offset += table.limit; loadTable(); });
  let typing;
  document.getElementById('jobs-filter').addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => { table.offset = 0; loadTable(); }, 250); });
  document.getElementById('jobs-status').addEventListener('change', () => { table.offset = 0; loadTable(); });

  // ---- live: only what changed
  function pointOf(r) {
    return [r.ordinal, r.end ?? r.modified, r.objective ?? null, r.status, r.name,
      ...params.map((p) => { const v = r.hp[p.name]; return v === undefined ? null : p.type === 'Categorical' ? v : Number(v); })];
  }
  function addBest(list, xv, y) {
    const last = list[list.length - 1];
    if (!last || (minimize ? y < last[1] : y > last[1])) list.push([xv, y]);
  }
  const redraw = throttle(() => {
    renderHistory(); renderParallel(); renderSlices(); renderTimeline(Date.now());
    if (points.length <= 2000) renderImportance(importanceOf(points));
  }, 1000);
  const reloadSide = throttle(() => { loadTable(); loadIntermediate(); }, 3000);
  function onJobs(rows) {
    for (const r of rows) {
      const bar = bars.find((b) => b[5] === r.name);
      if (bar) { bar[2] = r.end ?? null; bar[3] = r.status; }
      else bars.push([r.ordinal, r.start ?? r.created, r.end ?? null, r.status, bars.reduce((m, b) => Math.max(m, b[4] + 1), 0) % Math.max(1, header.limits.maxParallelTrainingJobs), r.name]);
      if (r.status === 'InProgress' || r.status === 'Stopping' || byName.has(r.name)) continue;
      const p = pointOf(r);
      points.push(p);
      byName.set(r.name, p);
      if (p[2] !== null) { addBest(bestTime, p[1], p[2]); }
    }
    bestOrdinal = [];
    [...points].filter((p) => p[2] !== null).sort((a, b) => a[0] - b[0]).forEach((p) => addBest(bestOrdinal, p[0], p[2]));
    redraw();
    reloadSide();
  }
  function live(since) {
    const source = new EventSource(V.base + '/events/tuning-jobs/' + encodeURIComponent(name) + '?since=' + since);
    source.addEventListener('header', (e) => renderHeader(JSON.parse(e.data)));
    source.addEventListener('jobs', (e) => onJobs(JSON.parse(e.data)));
    source.addEventListener('end', () => { source.close(); document.body.dataset.live = 'ended'; });
    source.addEventListener('open', () => { document.body.dataset.live = 'open'; });
  }

  // ---- actions
  const result = document.getElementById('action-result');
  document.getElementById('stop-tuning-job').addEventListener('click', async () => {
    if (!confirm('Stop tuning job ' + name + '? Its running training jobs are stopped.')) return;
    try { await post('/api/tuning-jobs/' + encodeURIComponent(name) + '/stop'); result.textContent = 'Stopping…'; }
    catch (e) { result.textContent = e.message; }
  });
  document.getElementById('tune-again').addEventListener('click', async () => {
    const d = await get('/api/tuning-jobs/' + encodeURIComponent(name) + '/tune-again');
    document.getElementById('tune-again-request').value = JSON.stringify(d.request, null, 2);
    document.getElementById('tune-again-panel').classList.remove('hidden');
    document.getElementById('tune-again-result').textContent = '';
  });
  document.getElementById('tune-again-cancel').addEventListener('click', () => document.getElementById('tune-again-panel').classList.add('hidden'));
  document.getElementById('tune-again-send').addEventListener('click', async () => {
    const out = document.getElementById('tune-again-result');
    let body;
    try { body = JSON.parse(document.getElementById('tune-again-request').value); } catch (e) { out.textContent = 'Not valid JSON: ' + e.message; return; }
    try { const r = await post('/api/tuning-jobs', body); location.href = V.base + '/tuning-jobs/' + encodeURIComponent(r.name); }
    catch (e) { out.textContent = e.message; }
  });

  // ---- first load
  (async () => {
    const t0 = performance.now();
    const d = await get('/api/tuning-jobs/' + encodeURIComponent(name));
    performance.mark('data');
    params = d.parameters;
    points = d.points;
    points.forEach((p) => byName.set(p[4], p));
    bestTime = d.bestByTime;
    bestOrdinal = d.bestByOrdinal;
    bars = d.timeline.bars;
    for (const id of ['history', 'parallel', 'importance', 'intermediate', 'timeline']) charts[id] = chart(id);
    performance.mark('init');
    renderHeader(d.header);
    performance.mark('header');
    renderHistory();
    performance.mark('history');
    renderImportance(d.importance);
    performance.mark('importance');
    renderParallel();
    performance.mark('parallel');
    renderSlices();
    performance.mark('slices');
    renderTimeline(d.now);
    performance.mark('timeline');
    document.getElementById('history-note').textContent = d.shownFinished < d.finished
      ? `${d.shownFinished} of ${d.finished} finished jobs drawn (the best 100 and an even sample); the best-so-far line uses all.` : '';
    document.getElementById('timeline-note').textContent = d.timeline.shown < d.timeline.total ? `The latest ${d.timeline.shown} of ${d.timeline.total} training jobs.` : '';
    document.getElementById('history-x').addEventListener('change', renderHistory);
    // after the next frame has been painted: the charts are on the screen
    requestAnimationFrame(() => setTimeout(() => {
      document.body.dataset.firstRenderMs = String(Math.round(performance.now() - t0));
      document.body.dataset.renderedAt = String(Math.round(performance.now()));
      document.body.dataset.rendered = 'true';
      // below the charts: asked for once they are drawn, so that they do not compete with them for the CPU
      loadTable();
      loadIntermediate();
    }, 0));
    if (d.header.status === 'InProgress' || d.header.status === 'Stopping' || d.header.counters.inProgress > 0) live(d.asOf);
  })().catch((e) => { document.getElementById('header').replaceChildren(el('p', { class: 'problem', id: 'load-problem' }, e.message)); });
})();
