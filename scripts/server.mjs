// A small static server for www/: no dependencies, localhost only.
//   node scripts/server.mjs [port]        (or PORT=…; default 8080, the next free port if taken)
// Also imported by the browser tests: `startServer(0)` listens on a free port.
//
// Every response carries a strict Content-Security-Policy: scripts and styles from this origin only
// (no 'unsafe-inline', no 'unsafe-eval'), 'wasm-unsafe-eval' so the worker may compile the module,
// connect-src 'self' so nothing the page fetches can leave the origin.
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'www');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', // else the glue falls back to the slower non-streaming instantiate
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

function fail(res, status, message) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message + '\n');
}

/** Maps a request path to a file under root, or null when it would leave root or is malformed. */
export function resolvePath(urlPath, root = ROOT) {
  let rel;
  try {
    rel = decodeURIComponent(new URL(urlPath, 'http://localhost').pathname);
  } catch {
    return null; // malformed %-escape
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel.split('/').some((seg) => seg === '..')) return null;
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, '.' + path.posix.normalize(rel));
  return file.startsWith(root + path.sep) ? file : null;
}

async function handle(req, res, root) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return fail(res, 405, 'method not allowed');
  }
  const file = resolvePath(req.url ?? '/', root);
  if (!file) return fail(res, 403, 'forbidden');
  let st;
  try {
    st = await stat(file);
  } catch {
    return fail(res, 404, 'not found');
  }
  if (!st.isFile()) return fail(res, 404, 'not found');
  // no-cache: the browser asks every time (an edit shows at once), but with the file's ETag, so
  // an unchanged file is a 304 and the browser keeps its copy, and Chromium the wasm code that
  // V8 compiled from it (it caches a module's optimised code beside the HTTP cache's entry;
  // without a validator every visit downloaded and compiled the module again).
  const etag = `"${st.size.toString(16)}-${Math.trunc(st.mtimeMs).toString(16)}"`;
  const caching = { ETag: etag, 'Last-Modified': st.mtime.toUTCString(), 'Cache-Control': 'no-cache' };
  if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
    res.writeHead(304, { ...SECURITY_HEADERS, ...caching });
    return res.end();
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': st.size,
    ...caching,
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** Starts the server; resolves with the listening http.Server (port 0 = any free port). `root`
 *  (default www/) lets the start-up bench serve two builds side by side (bench/startup.mjs). */
export function startServer(port = 0, host = '127.0.0.1', root = ROOT) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    handle(req, res, root).catch(() => fail(res, 500, 'internal error'));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const asked = process.argv[2] ?? process.env.PORT;
  let port = Number(asked ?? 8080);
  let server;
  for (let tries = 0; ; tries++) {
    try {
      server = await startServer(port);
      break;
    } catch (err) {
      // Without an explicit port, step past ports that other programs hold.
      if (err.code !== 'EADDRINUSE' || asked !== undefined || tries >= 20) {
        console.error(`server: cannot listen on 127.0.0.1:${port}: ${err.message}`);
        process.exit(1);
      }
      port += 1;
    }
  }
  console.log(`pressmark: serving www/ at http://127.0.0.1:${server.address().port}/  (Ctrl-C to stop)`);
}
