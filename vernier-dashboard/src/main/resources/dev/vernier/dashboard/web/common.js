'use strict';
/* Shared helpers of the dashboard's pages: requests (with the session's CSRF token on every action), formatting, charts. */
const V = (() => {
  const base = '/dashboard';
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const name = document.body.dataset.name;

  async function answer(r) {
    if (r.status === 401) { location.href = base + '/login'; throw new Error('signed out'); }
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((body.__type ? body.__type + ': ' : '') + (body.message || r.statusText));
    return body;
  }
  const get = (path) => fetch(base + path, { credentials: 'same-origin' }).then(answer);
  const post = (path, body) => fetch(base + path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
    body: body === undefined ? '' : (typeof body === 'string' ? body : JSON.stringify(body)),
  }).then(answer);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
    }
    for (const c of children.flat()) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  const num = (x) => x === undefined || x === null ? '' : (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? Number(x).toExponential(4) : Number(x).toPrecision(6).replace(/\.?0+$/, ''));
  const time = (ms) => ms ? new Date(ms).toLocaleString() : '';
  const dur = (s) => s === undefined || s === null ? '' : s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s' : (s / 3600).toFixed(1) + ' h';
  const status = (s) => el('span', { class: 'status s-' + s }, s);
  const link = (kind, n) => el('a', { href: base + '/' + kind + '/' + encodeURIComponent(n) }, n);
  const chart = (id) => echarts.init(typeof id === 'string' ? document.getElementById(id) : id, null, { renderer: 'canvas' });
  function throttle(fn, ms) {
    let timer = null, again = false;
    return () => {
      if (timer) { again = true; return; }
      fn();
      timer = setTimeout(function tick() { timer = null; if (again) { again = false; fn(); timer = setTimeout(tick, ms); } }, ms);
    };
  }
  function crumbs(...parts) {
    const c = document.getElementById('crumbs');
    c.replaceChildren(...parts.flatMap((p, i) => i ? [' / ', p] : [p]));
  }
  document.getElementById('sign-out').addEventListener('click', () => post('/logout').then(() => { location.href = base + '/login'; }));
  window.addEventListener('resize', () => document.querySelectorAll('[_echarts_instance_]').forEach((d) => echarts.getInstanceByDom(d).resize()));
  return { base, csrf, name, get, post, el, num, time, dur, status, link, chart, throttle, crumbs };
})();
