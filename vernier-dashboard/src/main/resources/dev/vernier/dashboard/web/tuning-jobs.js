'use strict';
/*
 * The list of tuning jobs: filtered, sorted and paged on the server (ListHyperParameterTuningJobs' query), live through
 * server-sent events: the first event brings the page's rows, later ones only the rows that changed, with the order.
 */
(() => {
  const { el, num, time, status, link } = V;
  V.crumbs(el('span', {}, 'Tuning jobs'));
  const tokens = [''];   // token of each page seen, so "previous" works
  let page = 0, source = null, updates = 0;
  const rows = new Map();   // name -> its <tr>
  const q = () => new URLSearchParams({
    name: document.getElementById('filter-name').value, status: document.getElementById('filter-status').value,
    sort: document.getElementById('sort').value, order: document.getElementById('order').value, size: 50, token: tokens[page],
  });
  function progress(j) {
    const w = (n) => (100 * n / Math.max(1, j.budget)) + '%';
    return el('span', {}, el('span', { class: 'bar', title: `${j.completed} completed, ${j.stopped} stopped, ${j.running} running, ${j.failed} failed of ${j.budget}` },
      el('span', { class: 'c', style: 'width:' + w(j.completed) }), el('span', { class: 'st', style: 'width:' + w(j.stopped) }),
      el('span', { class: 'r', style: 'width:' + w(j.running) }), el('span', { class: 'f', style: 'width:' + w(j.failed) })),
      ` ${j.completed + j.stopped} · ${j.running} · ${j.failed} of ${j.budget}`);
  }
  const row = (j) => el('tr', { 'data-name': j.name },
    el('td', {}, link('tuning-jobs', j.name)), el('td', {}, status(j.status)), el('td', {}, j.strategy), el('td', {}, progress(j)),
    el('td', { class: 'num', title: j.objectiveType }, num(j.best)), el('td', {}, time(j.created)));
  function apply(d) {
    for (const j of d.rows) {
      const tr = row(j);
      const old = rows.get(j.name);
      if (old) old.replaceWith(tr);
      rows.set(j.name, tr);
    }
    for (const name of [...rows.keys()]) if (!d.order.includes(name)) rows.delete(name);
    const body = document.querySelector('#tuning-jobs tbody');
    const wanted = d.order.map((name) => rows.get(name));
    // move rows only when the order changed: rows that did not change stay the same nodes
    if (wanted.length !== body.children.length || wanted.some((tr, i) => body.children[i] !== tr)) body.replaceChildren(...wanted);
    tokens[page + 1] = d.next;
    document.getElementById('next').disabled = !d.next;
    document.getElementById('prev').disabled = page === 0;
    document.getElementById('page-no').textContent = 'page ' + (page + 1);
    document.getElementById('list-note').textContent = wanted.length ? '' : 'No tuning jobs match.';
    document.body.dataset.updates = String(++updates);
  }
  function connect() {
    if (source) source.close();
    rows.clear();
    source = new EventSource(V.base + '/events/tuning-jobs?' + q());
    source.addEventListener('jobs', (e) => apply(JSON.parse(e.data)));
    source.addEventListener('open', () => { document.body.dataset.live = 'open'; });
    source.addEventListener('error', () => { document.body.dataset.live = 'reconnecting'; rows.clear(); });
  }
  const reset = () => { tokens.length = 1; page = 0; connect(); };
  for (const id of ['filter-status', 'sort', 'order']) document.getElementById(id).addEventListener('change', reset);
  let typing;
  document.getElementById('filter-name').addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(reset, 250); });
  document.getElementById('next').addEventListener('click', () => { page++; connect(); });
  document.getElementById('prev').addEventListener('click', () => { page--; connect(); });
  connect();
})();
