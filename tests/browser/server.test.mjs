// The static server: MIME types, the Content-Security-Policy, and path traversal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { serve } from './helpers.mjs';

let server, port;
before(async () => { ({ server } = await serve()); port = server.address().port; });
after(() => server?.close());

/** A raw GET: the path is sent as written (fetch would normalise away the '..'). */
function get(path, method = 'GET', headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => { body += d; }).on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

test('files are served with the right types', async () => {
  const cases = { '/': 'text/html', '/main.js': 'text/javascript', '/pkg/worker.js': 'text/javascript',
    '/style.css': 'text/css', '/sample.txt': 'text/plain', '/favicon.svg': 'image/svg+xml',
    '/pkg/pressmark.js': 'text/javascript', '/pkg/pressmark_bg.wasm': 'application/wasm' };
  for (const [path, type] of Object.entries(cases)) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.ok(r.headers['content-type'].startsWith(type), `${path}: ${r.headers['content-type']}`);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  }
  assert.equal((await get('/nope.js')).status, 404);
  assert.equal((await get('/', 'POST')).status, 405);
});

test('every response carries a strict Content-Security-Policy', async () => {
  for (const path of ['/', '/pkg/worker.js', '/missing']) {
    const csp = (await get(path)).headers['content-security-policy'];
    assert.ok(csp, path);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
  }
});

test('paths outside www/ are refused', async () => {
  const attempts = ['/../package.json', '/..%2fpackage.json', '/%2e%2e/package.json', '/%2e%2e%2fpackage.json',
    '/pkg/../../scripts/server.mjs', '/pkg/%2e%2e/%2e%2e/scripts/server.mjs', '/..%5cpackage.json',
    '/%2fetc%2fpasswd', '//etc/passwd', '/index.html%00.txt', '/%E0%A4%A'];
  for (const path of attempts) {
    const r = await get(path);
    assert.ok(r.status === 403 || r.status === 404 || r.status === 400, `${path} → ${r.status}`);
    assert.doesNotMatch(r.body, /"devDependencies"|createServer|root:/, path);
  }
});

test('a file asked for again with its ETag is a 304 without a body (the browser keeps its copy and its compiled wasm)', async () => {
  const first = await get('/pkg/pressmark_bg.wasm');
  assert.equal(first.status, 200);
  assert.match(first.headers.etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
  assert.equal(first.headers['cache-control'], 'no-cache');
  const again = await get('/pkg/pressmark_bg.wasm', 'GET', { 'If-None-Match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body, '');
  assert.equal(again.headers.etag, first.headers.etag);
  assert.ok(again.headers['content-security-policy']);
  const other = await get('/pkg/pressmark_bg.wasm', 'GET', { 'If-None-Match': '"0-0"' });
  assert.equal(other.status, 200, 'another file\'s ETag');
  assert.equal((await get('/sample.txt', 'GET', { 'If-None-Match': first.headers.etag })).status, 200);
});
