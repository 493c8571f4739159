'use strict';
/* The list of tuning jobs: filtered, sorted and paged on the server (ListHyperParameterTuningJobs' query), refreshed every 5 s. */
(() => {
  const { el, get, num, time, status, link } = V;
  V.crumbs(el('span', {}, 'Tuning jobs'));
  const tokens = [''];   // token of each page seen, so "previous" works
  let page = 0;
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
  async function load() {
    const body = await get('/api/tuning-jobs?' + q());
    const rows = body.jobs.map((j) => el('tr', { 'data-name': j.name },
      el('td', {}, link('tuning-jobs', j.name)), el('td', {}, status(j.status)), el('td', {}, j.strategy), el('td', {}, progress(j)),
      el('td', { class: 'num', title: j.objectiveType }, num(j.best)), el('td', {}, time(j.created))));
    document.querySelector('#tuning-jobs tbody').replaceChildren(...rows);
    tokens[page + 1] = body.next;
    document.getElementById('next').disabled = !body.next;
    document.getElementById('prev').disabled = page === 0;
    document.getElementById('page-no').textContent = 'page ' + (page + 1);
    document.getElementById('list-note').textContent = rows.length ? '' : 'No tuning jobs match.';
  }
  const reset = () => { tokens.length = 1; page = 0; load(); };
  for (const id of ['filter-status', 'sort', 'order']) document.getElementById(id).addEventListener('change', reset);
  let typing;
  document.getElementById('filter-name').addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(reset, 250); });
  document.getElementById('next').addEventListener('click', () => { page++; load(); });
  document.getElementById('prev').addEventListener('click', () => { page--; load(); });
  load();
  setInterval(() => { if (!document.hidden) load(); }, 5000);
})();
