import { createHash, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server as NodeHttpServer,
  type ServerResponse,
} from 'node:http';
import { encodeRecord, layout } from '../keyspace/encoding.js';
import type { Database, WriteBatch } from '../keyspace/keyspace.js';
import type { ServerStatus } from '../status.js';
import { Metrics } from './metrics.js';

/** Every HTTP error answer: status and JSON `error` text (the docs list these). */
export const HttpErrors = {
  unauthorized: { status: 401, error: 'authentication required: send Authorization: Bearer <password>' },
  notFound: { status: 404, error: 'not found' },
  noSuchKey: { status: 404, error: 'no such key' },
  methodNotAllowed: { status: 405, error: 'method not allowed' },
  tooLarge: { status: 413, error: 'request body too large (http-max-body-bytes)' },
  badDb: { status: 400, error: 'db must be an integer from 0 to databases-1' },
  badTtl: { status: 400, error: 'ttl must be a positive integer number of seconds' },
  badKey: { status: 400, error: 'the key is not valid percent-encoding' },
  badMgetBody: { status: 400, error: 'the body must be a JSON array of strings' },
  badEncoding: { status: 400, error: 'encoding must be utf8 or base64' },
  notReady: { status: 503, error: 'not ready' },
  writeFailed: { status: 500, error: 'write failed' },
  diskFull: { status: 507, error: 'writes refused: the disk cannot take them' },
} as const;

type HttpErrorName = keyof typeof HttpErrors;

class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorName,
    readonly detail?: string,
  ) {
    super(HttpErrors[kind].error);
  }
}

/** Percent-decoding to bytes, so that keys are binary-safe (`%FF` is the byte 0xff, not invalid UTF-8). */
export function percentDecode(text: string): Buffer {
  const raw = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(raw.length);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    if (b === 0x25) {
      const hex = raw.toString('latin1', i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new HttpError('badKey');
      out[o++] = Number.parseInt(hex, 16);
      i += 2;
    } else {
      out[o++] = b;
    }
  }
  return out.subarray(0, o);
}

const hash = (s: string | Uint8Array) => createHash('sha256').update(s).digest();

/**
 * sluice-server's HTTP surface: health and readiness for orchestrators, Prometheus metrics, and a small
 * REST API over the same keyspace, with the same durability (a PUT or DELETE is answered once committed)
 * and read-your-writes as RESP.
 */
export class HttpServer {
  readonly metrics: Metrics;
  private readonly listeners: NodeHttpServer[] = [];

  constructor(private readonly server: ServerStatus) {
    this.metrics = new Metrics(server);
  }

  /** Listens on every bind address (a node:http server each); resolves with the port. */
  async listen(port: number, hosts: readonly string[]): Promise<number> {
    let bound = port;
    for (const host of hosts) {
      const http = createServer((req, res) => {
        this.handle(req, res).catch((err: unknown) => {
          this.server.log(
            'warning',
            `HTTP ${req.method} ${req.url} failed: ${(err as Error).stack ?? String(err)}`,
          );
          if (!res.headersSent) this.json(res, 500, { error: 'internal error' });
          else res.destroy();
        });
      });
      http.keepAliveTimeout = 5000;
      bound = await new Promise<number>((resolve, reject) => {
        http.once('error', reject);
        http.listen({ host, port: bound }, () => {
          http.off('error', reject);
          const a = http.address();
          resolve(typeof a === 'object' && a !== null ? a.port : bound);
        });
      });
      this.listeners.push(http);
    }
    return bound;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.listeners.map(
        (http) =>
          new Promise<void>((resolve) => {
            http.close(() => resolve());
            http.closeAllConnections();
          }),
      ),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sluice');
    const path = url.pathname;
    let route = 'other';
    try {
      if (path === '/healthz') {
        route = 'healthz';
        this.only(req, 'GET', 'HEAD');
        this.json(res, 200, { status: 'ok', lmdb: 'open' });
        return;
      }
      this.authorize(req);
      if (path === '/readyz') {
        route = 'readyz';
        this.only(req, 'GET', 'HEAD');
        const state = this.readiness();
        if (state === 'ready') this.json(res, 200, { ready: true });
        else this.json(res, 503, { ready: false, reason: state });
        return;
      }
      if (path === '/metrics') {
        route = 'metrics';
        this.only(req, 'GET');
        const text = await this.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
        res.end(text);
        return;
      }
      if (path.startsWith('/v1/keys/')) {
        route = 'keys';
        this.ready();
        await this.key(req, res, url, percentDecode(path.slice('/v1/keys/'.length)));
        return;
      }
      if (path === '/v1/mget') {
        route = 'mget';
        this.only(req, 'POST');
        this.ready();
        await this.mget(req, res, url);
        return;
      }
      throw new HttpError('notFound');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const e = HttpErrors[err.kind];
      if (err.kind === 'tooLarge') res.setHeader('connection', 'close');
      this.json(res, e.status, { error: err.detail ? `${e.error}: ${err.detail}` : e.error });
    } finally {
      this.metrics.httpRequests.inc({ route, status: String(res.statusCode) });
    }
  }

  private only(req: IncomingMessage, ...methods: string[]): void {
    if (!methods.includes(req.method ?? '')) throw new HttpError('methodNotAllowed');
  }

  private ready(): void {
    const state = this.readiness();
    if (state !== 'ready') throw new HttpError('notReady', state);
  }

  /** `ready`, or why not: the server's state, or in log mode `loading` until it has caught up. */
  private readiness(): string {
    const state = this.server.state;
    if (state === 'ready' && this.server.logMode?.loading === true) return 'loading';
    return state;
  }

  /** With requirepass set, every endpoint but /healthz needs `Authorization: Bearer <password>`. */
  private authorize(req: IncomingMessage): void {
    const password = this.server.config.requirepass;
    if (password === '') return;
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!timingSafeEqual(hash(token), hash(password))) throw new HttpError('unauthorized');
  }

  private database(url: URL): Database {
    const raw = url.searchParams.get('db');
    if (raw === null) return this.server.keyspace.dbs[0] as Database;
    const db = /^\d+$/.test(raw) ? this.server.keyspace.dbs[Number(raw)] : undefined;
    if (db === undefined) throw new HttpError('badDb');
    return db;
  }

  private async key(req: IncomingMessage, res: ServerResponse, url: URL, key: Buffer): Promise<void> {
    const db = this.database(url);
    const now = Date.now();
    switch (req.method) {
      case 'GET':
      case 'HEAD': {
        const record = db.get(key, 0, key.length, now);
        if (record === undefined) throw new HttpError('noSuchKey');
        const value = Buffer.from(record.subarray(layout(record).valueStart));
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': value.length });
        res.end(req.method === 'HEAD' ? undefined : value);
        return;
      }
      case 'PUT': {
        const ttlText = url.searchParams.get('ttl');
        let expiresAt = 0;
        if (ttlText !== null) {
          if (!/^[1-9]\d{0,11}$/.test(ttlText)) throw new HttpError('badTtl');
          expiresAt = now + Number(ttlText) * 1000;
        }
        const body = await this.body(req);
        this.admitWrite(key.length + body.length);
        await committed(
          db.put(key, 0, key.length, encodeRecord(key, 0, key.length, body, 0, body.length, expiresAt)),
        );
        res.writeHead(204).end();
        return;
      }
      case 'DELETE': {
        if (db.get(key, 0, key.length, now) === undefined) throw new HttpError('noSuchKey');
        this.admitWrite(key.length);
        await committed(db.delete(key, 0, key.length));
        res.writeHead(204).end();
        return;
      }
      default:
        throw new HttpError('methodNotAllowed');
    }
  }

  /** Writes refused (a full disk: see disk-guard.ts) answer 507, as the RESP side answers MISCONF. */
  private admitWrite(bytes: number): void {
    const keyspace = this.server.keyspace;
    if (!keyspace.admitsWrite(1, bytes)) throw new HttpError('diskFull', keyspace.guard.refusal ?? undefined);
  }

  private async mget(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const db = this.database(url);
    const encoding = url.searchParams.get('encoding') ?? 'utf8';
    if (encoding !== 'utf8' && encoding !== 'base64') throw new HttpError('badEncoding');
    let keys: unknown;
    try {
      keys = JSON.parse((await this.body(req)).toString('utf8'));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError('badMgetBody');
    }
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new HttpError('badMgetBody');
    const now = Date.now();
    const out: Record<string, string | null> = {};
    for (const k of keys as string[]) {
      const key = Buffer.from(k, 'utf8');
      const record = db.get(key, 0, key.length, now);
      out[k] = record === undefined ? null : record.toString(encoding, layout(record).valueStart);
    }
    this.json(res, 200, out);
  }

  /** The request body, refused with 413 beyond http-max-body-bytes (checked as it arrives). */
  private body(req: IncomingMessage): Promise<Buffer> {
    const limit = this.server.config['http-max-body-bytes'];
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return Promise.reject(new HttpError('tooLarge'));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.removeAllListeners('data');
          req.resume();
          reject(new HttpError('tooLarge'));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

/** Resolves once the batch a write joined has committed (and been flushed, with appendfsync always). */
function committed(batch: WriteBatch): Promise<void> {
  return new Promise((resolve, reject) =>
    batch.onSettled(() =>
      batch.state === 'failed' ? reject(new HttpError('writeFailed', batch.error?.message)) : resolve(),
    ),
  );
}
