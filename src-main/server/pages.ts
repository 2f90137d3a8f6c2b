// nanoCocoa §7's pages: ReDoc at /redoc (served offline from the redoc npm package, over the same
// /openapi.json as Swagger UI) and the developer dashboard at /example_generation: a form generated
// from the request schema that starts a job, polls it with progress and shows the three step images.
// Pages and their scripts are static code (no data), so like the studio UI they load without the
// API key; every API call they make sends the key given in the page's own ?token=.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { fieldDocs } from './help';

/** GET paths that are public code (the guard lets them through without a key). */
export const PUBLIC_PAGE_PATHS = ['/redoc', '/redoc/redoc.standalone.js', '/redoc/init.js', '/example_generation', '/example_generation/app.js'];

const PAGE_CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; script-src 'self'; frame-ancestors 'none'";

let redocBundle: Promise<Buffer> | null = null;
function redocScript(): Promise<Buffer> {
  redocBundle ??= readFile(createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js')).catch((err: unknown) => {
    redocBundle = null;
    throw err;
  });
  return redocBundle;
}

const html = (reply: FastifyReply, body: string) =>
  reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-cache')
    .send(body);
const js = (reply: FastifyReply, body: string | Buffer) =>
  reply.type('text/javascript; charset=utf-8').header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=3600').send(body);

const REDOC_PAGE = `<!DOCTYPE html>
<html>
<head>
<title>AdForge Studio - ReDoc</title>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<noscript>ReDoc requires Javascript to function. Please enable it to browse the documentation.</noscript>
<div id="redoc"></div>
<script src="/redoc/redoc.standalone.js"></script>
<script src="/redoc/init.js"></script>
</body>
</html>
`;

// The spec is fetched with the page's own ?token= (a keyed server refuses /openapi.json without it).
const REDOC_INIT = `(function () {
  var token = new URLSearchParams(location.search).get('token');
  var spec = '/openapi.json' + (token ? '?token=' + encodeURIComponent(token) : '');
  Redoc.init(spec, { hideDownloadButton: false }, document.getElementById('redoc'));
})();
`;

function dashboardPage(): string {
  const fields = JSON.stringify(fieldDocs()).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AdForge Studio - example generation</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f5f5f7; }
header { padding: 12px 20px; background: #1d1d1f; color: #fff; }
header a { color: #9cf; margin-left: 12px; }
main { display: grid; grid-template-columns: minmax(320px, 460px) 1fr; gap: 20px; padding: 20px; }
form { background: #fff; padding: 16px; border-radius: 8px; }
fieldset { border: 1px solid #ddd; border-radius: 6px; margin: 0 0 12px; }
label { display: block; margin: 6px 0 2px; font-weight: 600; }
label small { font-weight: 400; color: #666; }
input, select, textarea { width: 100%; box-sizing: border-box; padding: 4px 6px; }
button { padding: 8px 16px; margin-right: 8px; }
#state { background: #fff; padding: 16px; border-radius: 8px; }
progress { width: 100%; height: 18px; }
.steps { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
.steps figure { margin: 0; background: #eee; min-height: 120px; }
.steps img { width: 100%; display: block; background: repeating-conic-gradient(#ddd 0 25%, #fff 0 50%) 0 0 / 16px 16px; }
.error { color: #b00020; white-space: pre-wrap; }
pre { background: #f0f0f0; padding: 8px; overflow: auto; max-height: 240px; }
</style>
</head>
<body>
<header><strong>AdForge Studio</strong> developer dashboard: POST /generate, poll GET /status
<a href="/docs">Swagger UI</a><a href="/redoc">ReDoc</a><a href="/help">/help</a></header>
<main>
<form id="form"></form>
<section id="state">
<p id="job">No job yet.</p>
<progress id="progress" max="100" value="0"></progress>
<p id="message"></p>
<p id="error" class="error"></p>
<div class="steps">
<figure><figcaption>Step 1: background</figcaption><img id="img-step1" alt=""></figure>
<figure><figcaption>Step 2: text</figcaption><img id="img-step2" alt=""></figure>
<figure><figcaption>Final</figcaption><img id="img-final" alt=""></figure>
</div>
<h4>Last status</h4><pre id="raw"></pre>
</section>
</main>
<script type="application/json" id="fields">${fields}</script>
<script src="/example_generation/app.js"></script>
</body>
</html>
`;
}

// Plain browser JavaScript: renders one input per request field (images as file pickers), sends
// the form as POST /generate, then polls /status every second (images by URL, not inline).
const DASHBOARD_APP = `(function () {
  'use strict';
  var token = new URLSearchParams(location.search).get('token');
  var headers = token ? { 'X-API-Key': token } : {};
  var withToken = function (url) { return token ? url + (url.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(token) : url; };
  var fields = JSON.parse(document.getElementById('fields').textContent);
  var form = document.getElementById('form');
  var IMAGE_FIELDS = ['product_image', 'step1_image', 'step2_image'];
  var groups = {};
  fields.forEach(function (f) {
    var g = groups[f.group] || (groups[f.group] = document.createElement('fieldset'));
    if (!g.firstChild) { var l = document.createElement('legend'); l.textContent = f.group; g.appendChild(l); }
    var label = document.createElement('label');
    label.htmlFor = 'f-' + f.name;
    label.textContent = f.name + ' ';
    var small = document.createElement('small');
    small.textContent = f.description;
    label.appendChild(small);
    var input;
    if (IMAGE_FIELDS.indexOf(f.name) >= 0) { input = document.createElement('input'); input.type = 'file'; input.accept = 'image/*'; }
    else if (f.allowed_values) {
      input = document.createElement('select');
      if (f.nullable) input.appendChild(new Option('(default)', ''));
      f.allowed_values.forEach(function (v) { input.appendChild(new Option(String(v), String(v), false, v === f.default)); });
    } else if (f.name === 'font_name') { input = document.createElement('select'); input.appendChild(new Option('(default)', '')); }
    else if (f.type === 'integer' || f.type === 'float') {
      input = document.createElement('input'); input.type = 'number';
      input.step = f.type === 'integer' ? '1' : 'any';
      if (f.range && f.range.min !== undefined) input.min = f.range.min;
      if (f.range && f.range.max !== undefined) input.max = f.range.max;
      if (f.default !== null && f.default !== undefined) input.value = f.default;
    } else if (f.type === 'object' || f.type === 'array') { input = document.createElement('textarea'); input.placeholder = 'JSON'; }
    else { input = document.createElement(f.max_length > 300 ? 'textarea' : 'input'); if (f.default !== null && f.default !== undefined) input.value = f.default; }
    input.id = 'f-' + f.name;
    input.name = f.name;
    input.dataset.type = f.type;
    g.appendChild(label);
    g.appendChild(input);
  });
  Object.keys(groups).forEach(function (k) { form.appendChild(groups[k]); });
  var submit = document.createElement('button'); submit.type = 'submit'; submit.textContent = 'Generate';
  var stop = document.createElement('button'); stop.type = 'button'; stop.textContent = 'Stop'; stop.disabled = true;
  form.appendChild(submit); form.appendChild(stop);

  fetch(withToken('/fonts'), { headers: headers }).then(function (r) { return r.json(); }).then(function (b) {
    var sel = document.getElementById('f-font_name');
    (b.fonts || []).forEach(function (name) { sel.appendChild(new Option(name, name)); });
  }).catch(function () {});

  var $ = function (id) { return document.getElementById(id); };
  var readBase64 = function (file) {
    return new Promise(function (resolve, reject) {
      var r = new FileReader();
      r.onload = function () { resolve(String(r.result).split(',')[1]); };
      r.onerror = function () { reject(r.error); };
      r.readAsDataURL(file);
    });
  };
  var current = null;
  var timer = null;

  async function body() {
    var out = {};
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      var el = $('f-' + f.name);
      if (IMAGE_FIELDS.indexOf(f.name) >= 0) { if (el.files && el.files[0]) out[f.name] = await readBase64(el.files[0]); continue; }
      var v = el.value;
      if (v === '') continue;
      if (f.type === 'integer') out[f.name] = parseInt(v, 10);
      else if (f.type === 'float') out[f.name] = parseFloat(v);
      else if (f.type === 'object' || f.type === 'array') out[f.name] = JSON.parse(v);
      else out[f.name] = v;
    }
    return out;
  }

  function show(status) {
    $('job').textContent = 'Job ' + status.job_id + ': ' + status.status;
    $('progress').value = status.progress_percent || 0;
    var eta = status.eta_seconds === null || status.eta_seconds === undefined ? '' : ' (about ' + status.eta_seconds + ' s left)';
    $('message').textContent = (status.current_step || '') + ' ' + (status.sub_step || '') + ': ' + (status.message || '') + eta;
    $('error').textContent = status.error || '';
    [['step1', status.step1_url], ['step2', status.step2_url], ['final', status.final_url]].forEach(function (p) {
      var img = $('img-' + p[0]);
      var src = p[1] ? withToken(p[1]) : '';
      if (img.dataset.src !== src) { img.dataset.src = src; if (src) img.src = src + (src.indexOf('?') < 0 ? '?' : '&') + 't=' + Date.now(); else img.removeAttribute('src'); }
    });
    $('raw').textContent = JSON.stringify(status, null, 2);
  }

  async function poll() {
    if (!current) return;
    try {
      var r = await fetch(withToken('/status/' + current + '?include_images=false'), { headers: headers });
      var s = await r.json();
      if (!r.ok) { $('error').textContent = s.detail || ('HTTP ' + r.status); return; }
      show(s);
      if (s.status === 'pending' || s.status === 'running') { timer = setTimeout(poll, 1000); return; }
      stop.disabled = true; submit.disabled = false;
    } catch (e) { $('error').textContent = String(e); timer = setTimeout(poll, 2000); }
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    $('error').textContent = '';
    var payload;
    try { payload = await body(); } catch (e) { $('error').textContent = 'Invalid input: ' + e; return; }
    var r = await fetch(withToken('/generate'), { method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json' }, headers), body: JSON.stringify(payload) });
    var b = await r.json();
    if (r.status === 503) { $('error').textContent = (b.message || 'Busy') + ' (Retry-After ' + r.headers.get('Retry-After') + ' s)'; return; }
    if (!r.ok) { $('error').textContent = (b.detail || ('HTTP ' + r.status)) + (b.field ? ' [' + b.field + ']' : ''); return; }
    current = b.job_id;
    submit.disabled = true; stop.disabled = false;
    clearTimeout(timer);
    poll();
  });
  stop.addEventListener('click', function () {
    if (current) fetch(withToken('/stop/' + current), { method: 'POST', headers: headers });
  });
})();
`;

/** GET /redoc, /example_generation and their scripts. */
export function registerPages(app: FastifyInstance): void {
  app.get('/redoc', async (_request, reply) => html(reply, REDOC_PAGE));
  app.get('/redoc/init.js', async (_request, reply) => js(reply, REDOC_INIT));
  app.get('/redoc/redoc.standalone.js', async (_request, reply) => js(reply, await redocScript()));
  let page: string | null = null;
  app.get('/example_generation', async (_request, reply) => html(reply, (page ??= dashboardPage())));
  app.get('/example_generation/app.js', async (_request, reply) => js(reply, DASHBOARD_APP));
}
