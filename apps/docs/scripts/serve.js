#!/usr/bin/env node
// Serves the built site (dist/) on loopback only: `node scripts/serve.js [--port 4173] [--dir dist]`.
// `vitepress preview` would listen on every interface; this listens on 127.0.0.1. The browser test uses
// the same server, on a free port.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** @param {string} file */
function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The file for a URL path the way VitePress links pages: `/a/b.html` as is, `/a/b` as `/a/b.html`, `/a/`
 * as `/a/index.html`. Null when there is none, or when the path leaves `root`.
 * @param {string} root
 * @param {string} pathname
 * @returns {string | null}
 */
export function resolveFile(root, pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return null;
  for (const candidate of [file, `${file}.html`, join(file, 'index.html')])
    if (isFile(candidate)) return candidate;
  return null;
}

/**
 * Starts serving `dir` on 127.0.0.1:`port` (0: a free port).
 * @param {{ dir: string, port?: number }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function serveSite({ dir, port = 0 }) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const file = resolveFile(root, pathname);
    const notFound = file === null ? resolveFile(root, '/404.html') : null;
    const body = file ?? notFound;
    res.statusCode = file === null ? 404 : 200;
    res.setHeader('content-type', TYPES[extname(body ?? '')] ?? 'application/octet-stream');
    res.setHeader('cache-control', 'no-cache');
    if (req.method === 'HEAD' || body === null) res.end();
    else createReadStream(body).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('not listening on TCP'));
        return;
      }
      resolvePromise({
        url: `http://127.0.0.1:${address.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '4173' }, dir: { type: 'string', default: 'dist' } },
  });
  const dir = resolve(fileURLToPath(new URL('..', import.meta.url)), values.dir);
  if (!isFile(join(dir, 'index.html'))) {
    console.error(`no built site in ${dir}: run \`pnpm --filter @sluice/docs build\` first`);
    process.exit(1);
  }
  const { url } = await serveSite({ dir, port: Number(values.port) });
  console.log(`Sluice docs: ${url}/ (serving ${dir}; Ctrl-C to stop)`);
}
