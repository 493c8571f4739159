'use strict';
/* A training job: status and its transitions, hyperparameters, metric curves, final metrics, and its log, live while it runs. */
(() => {
  const { el, get, post, num, time, dur, status, link, chart, throttle } = V;
  const name = V.name;
  const charts = {}, series = {};
  let points = 0;

  function renderJob(j) {
    V.crumbs(el('a', { href: V.base + '/' }, 'Tuning jobs'), link('tuning-jobs', j.tuningJob), el('span', {}, j.name));
    document.getElementById('title').textContent = j.name;
    const dl = el('dl', { class: 'kv' });
    const row = (k, ...v) => dl.append(el('dt', {}, k), el('dd', {}, ...v));
    row('Status', status(j.status), ' · ' + (j.secondary || ''));
    row('Tuning job', link('tuning-jobs', j.tuningJob), j.definition ? ' (definition ' + j.definition + ')' : '');
    if (j.objective !== undefined) row('Objective', num(j.objective));
    row('Created', time(j.created));
    if (j.start) row('Training', time(j.start) + (j.end ? ' → ' + time(j.end) : ' → running') + (j.seconds !== undefined ? ' (' + dur(j.seconds) + ')' : ''));
    if (j.modelArtifact) row('Model artifact', el('span', { class: 'mono', id: 'model-artifact' }, j.modelArtifact));
    if (j.retryOf) row('Retry of', link('training-jobs', j.retryOf));
    if (j.failureReason) row('Failure reason', el('span', { class: 'problem', id: 'failure-reason' }, j.failureReason));
    document.getElementById('header').replaceChildren(dl);
    document.getElementById('stop-training-job').classList.toggle('hidden', j.status !== 'InProgress');
    document.querySelector('#hyperparameters tbody').replaceChildren(...Object.entries(j.hyperParameters).map(([k, v]) =>
      el('tr', {}, el('td', {}, k, k in j.hp ? ' (tuned)' : ''), el('td', { class: 'mono' }, v))));
    document.querySelector('#final-metrics tbody').replaceChildren(...j.finalMetrics.map((m) => el('tr', {}, el('td', {}, m.name), el('td', { class: 'num' }, num(m.value)))));
    document.querySelector('#transitions tbody').replaceChildren(...j.transitions.map((t) =>
      el('tr', {}, el('td', {}, t.status), el('td', {}, time(t.start)), el('td', {}, time(t.end)), el('td', {}, t.message || ''))));
    if (document.body.dataset.status !== j.status)
      document.body.dataset.statuses = (document.body.dataset.statuses ? document.body.dataset.statuses + ',' : '') + j.status;
    document.body.dataset.status = j.status;
  }
  function renderMetrics() {
    const box = document.getElementById('metrics');
    for (const [m, data] of Object.entries(series)) {
      if (!charts[m]) { const div = el('div', { class: 'chart small', 'data-metric': m }); box.append(div); charts[m] = chart(div); }
      charts[m].setOption({ animation: false, title: { text: m, textStyle: { fontSize: 13 } }, grid: { left: 60, right: 20, top: 35, bottom: 30 },
        tooltip: { trigger: 'axis' }, xAxis: { type: 'time' }, yAxis: { type: 'value', scale: true },
        series: [{ type: 'line', symbol: data.length < 60 ? 'circle' : 'none', data }] });
    }
  }
  const redraw = throttle(renderMetrics, 1000);
  const log = document.getElementById('log');
  function appendLog(text) {
    const follow = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.append(text);
    if (follow) log.scrollTop = log.scrollHeight;
  }

  document.getElementById('stop-training-job').addEventListener('click', async () => {
    if (!confirm('Stop training job ' + name + '?')) return;
    try { await post('/api/training-jobs/' + encodeURIComponent(name) + '/stop'); document.getElementById('action-result').textContent = 'Stopping…'; }
    catch (e) { document.getElementById('action-result').textContent = e.message; }
  });

  (async () => {
    const j = await get('/api/training-jobs/' + encodeURIComponent(name));
    renderJob(j);
    Object.assign(series, j.metrics);
    points = j.metricPoints;
    renderMetrics();
    const source = new EventSource(V.base + '/events/training-jobs/' + encodeURIComponent(name) + '?offset=0&points=' + points);
    document.getElementById('log-state').textContent = '(live)';
    source.addEventListener('log', (e) => appendLog(JSON.parse(e.data).text));
    source.addEventListener('job', (e) => renderJob(JSON.parse(e.data)));
    source.addEventListener('metrics', (e) => {
      for (const [m, t, v] of JSON.parse(e.data)) (series[m] = series[m] || []).push([t, v]);
      redraw();
    });
    source.addEventListener('end', () => { source.close(); document.getElementById('log-state').textContent = '(complete)'; document.body.dataset.logEnded = 'true'; });
  })().catch((e) => document.getElementById('header').replaceChildren(el('p', { class: 'problem', id: 'load-problem' }, e.message)));
})();
