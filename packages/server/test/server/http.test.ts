import { freePort, type RunningServer, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startWithHttp(args: string[] = [], extra: Parameters<typeof startSluice>[0] = {}) {
  const httpPort = await freePort();
  const server = await startSluice({ ...extra, args: ['--http-port', String(httpPort), ...args] });
  return { server, base: `http://127.0.0.1:${httpPort}`, httpPort };
}

describe('HTTP endpoints', () => {
  let server: RunningServer;
  let base: string;
  let redis: Redis;
  beforeAll(async () => {
    ({ server, base } = await startWithHttp(['--http-max-body-bytes', '1mb']));
    redis = new Redis(server.port, '127.0.0.1');
  });
  afterAll(async () => {
    redis.disconnect();
    await server.dispose();
  });

  it('GET /healthz and /readyz', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', lmdb: 'open' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    expect(server.output()).toMatch(/HTTP endpoints on 127\.0\.0\.1 port \d+/);
  });

  it('writes over HTTP are read over RESP, and the reverse', async () => {
    const put = await fetch(`${base}/v1/keys/from-http`, { method: 'PUT', body: 'hello over http' });
    expect(put.status).toBe(204);
    expect(await redis.get('from-http')).toBe('hello over http');
    await redis.set('from-resp', Buffer.from([0, 1, 2, 255]));
    const got = await fetch(`${base}/v1/keys/from-resp`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await got.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('keys are percent-encoded bytes, values are raw bytes', async () => {
    const key = Buffer.from([0xff, 0x2f, 0x20, 0x61]); // 0xff, '/', ' ', 'a'
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const path = [...key].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    expect((await fetch(`${base}/v1/keys/${path}`, { method: 'PUT', body: value })).status).toBe(204);
    expect(await redis.getBuffer(key)).toEqual(value);
    const back = await fetch(`${base}/v1/keys/${path}`);
    expect(Buffer.from(await back.arrayBuffer())).toEqual(value);
    expect((await fetch(`${base}/v1/keys/%zz`)).status).toBe(400);
  });

  it('PUT with ?ttl= and ?db=, DELETE, 404 for a missing key', async () => {
    expect((await fetch(`${base}/v1/keys/t?ttl=100&db=3`, { method: 'PUT', body: 'v' })).status).toBe(204);
    const c = new Redis(server.port, '127.0.0.1', { db: 3 });
    expect(await c.ttl('t')).toBe(100);
    c.disconnect();
    expect((await fetch(`${base}/v1/keys/t`)).status).toBe(404);
    expect((await fetch(`${base}/v1/keys/t?db=3`)).status).toBe(200);
    expect((await fetch(`${base}/v1/keys/t?db=3`, { method: 'DELETE' })).status).toBe(204);
    const gone = await fetch(`${base}/v1/keys/t?db=3`, { method: 'DELETE' });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: 'no such key' });
    const bad = await fetch(`${base}/v1/keys/t?db=16`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'db must be an integer from 0 to databases-1' });
    for (const ttl of ['0', '-1', 'x', '1.5']) {
      expect((await fetch(`${base}/v1/keys/t?ttl=${ttl}`, { method: 'PUT', body: 'v' })).status, ttl).toBe(
        400,
      );
    }
  });

  it('POST /v1/mget returns values as UTF-8 or base64, null when missing', async () => {
    await redis.set('m1', 'één');
    await redis.set('m2', Buffer.from([0xde, 0xad]));
    const utf8 = await fetch(`${base}/v1/mget`, { method: 'POST', body: JSON.stringify(['m1', 'missing']) });
    expect(utf8.status).toBe(200);
    expect(await utf8.json()).toEqual({ m1: 'één', missing: null });
    const b64 = await fetch(`${base}/v1/mget?encoding=base64`, {
      method: 'POST',
      body: JSON.stringify(['m2', 'm1']),
    });
    expect(await b64.json()).toEqual({ m2: '3q0=', m1: Buffer.from('één').toString('base64') });
    for (const body of ['not json', '{"a":1}', '[1,2]']) {
      const r = await fetch(`${base}/v1/mget`, { method: 'POST', body });
      expect(r.status, body).toBe(400);
      expect(await r.json()).toEqual({ error: 'the body must be a JSON array of strings' });
    }
    expect((await fetch(`${base}/v1/mget?encoding=hex`, { method: 'POST', body: '[]' })).status).toBe(400);
    expect((await fetch(`${base}/v1/mget`)).status).toBe(405);
  });

  it('POST /v1/mget returns a value of 16 MiB and more as it returns a small one', async () => {
    // Past lmdb-js's 16 MiB shared read buffer, a read hands back a view of the memory map.
    const value = Buffer.alloc(17_000_000, 'a');
    value.write('start', 0);
    await redis.set('huge', value);
    for (const encoding of ['utf8', 'base64'] as const) {
      const r = await fetch(`${base}/v1/mget?encoding=${encoding}`, { method: 'POST', body: '["huge"]' });
      expect(r.status).toBe(200);
      const got = ((await r.json()) as { huge: string }).huge;
      expect(got.length).toBe(value.toString(encoding).length);
      expect(got === value.toString(encoding)).toBe(true);
    }
  });

  it('refuses bodies over http-max-body-bytes with 413, and unknown paths with 404', async () => {
    const big = await fetch(`${base}/v1/keys/big`, { method: 'PUT', body: Buffer.alloc(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'request body too large (http-max-body-bytes)' });
    expect(await redis.exists('big')).toBe(0);
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not found' });
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('GET /metrics in Prometheus text format', async () => {
    await redis.set('e', 'v', 'EX', 100);
    await redis.get('e');
    await redis.call('NOSUCHCOMMAND').catch(() => undefined);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const pattern of [
      /^sluice_commands_total\{command="get"\} [1-9]\d*$/m,
      /^sluice_command_duration_seconds_bucket\{le="0\.001",command="get"\} [1-9]\d*$/m,
      /^sluice_command_duration_seconds_count\{command="set"\} [1-9]\d*$/m,
      /^sluice_connected_clients [1-9]\d*$/m,
      /^sluice_keys\{db="0"\} [1-9]\d*$/m,
      /^sluice_expiring_keys\{db="0"\} [1-9]\d*$/m,
      /^sluice_lmdb_map_size_bytes [1-9]\d*$/m,
      /^sluice_lmdb_used_pages [1-9]\d*$/m,
      /^sluice_net_input_bytes_total [1-9]\d*$/m,
      /^sluice_net_output_bytes_total [1-9]\d*$/m,
      /^sluice_errors_total\{code="ERR"\} [1-9]\d*$/m,
      /^sluice_committed_writes_total [1-9]\d*$/m,
      /^sluice_http_requests_total\{route="healthz",status="200"\} [1-9]\d*$/m,
      /^process_cpu_seconds_total /m,
      /^nodejs_heap_size_used_bytes /m,
    ]) {
      expect(text).toMatch(pattern);
    }
  });
});

describe('HTTP with requirepass', () => {
  it('needs Authorization: Bearer <password> everywhere but /healthz', async () => {
    const { server, base } = await startWithHttp(['--requirepass', 'pw-1']);
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      for (const path of ['/readyz', '/metrics', '/v1/keys/k']) {
        const r = await fetch(`${base}${path}`);
        expect(r.status, path).toBe(401);
        expect(await r.json()).toEqual({
          error: 'authentication required: send Authorization: Bearer <password>',
        });
        expect((await fetch(`${base}${path}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
          401,
        );
      }
      const ok = { headers: { authorization: 'Bearer pw-1' } };
      expect((await fetch(`${base}/readyz`, ok)).status).toBe(200);
      expect((await fetch(`${base}/v1/keys/k`, ok)).status).toBe(404);
    } finally {
      await server.dispose();
    }
  });
});

describe('HTTP readiness and durability', () => {
  it('reports not ready while starting and while shutting down', async () => {
    const dir = await tempDir('sluice-http-');
    const first = await startSluice({ dir });
    const c = new Redis(first.port, '127.0.0.1');
    await c.set('expires-while-down', 'v', 'PX', 50);
    c.disconnect();
    await first.stop();
    await sleep(100);

    // Commits held back 1.5 s: the start-up expiry sweep, then a write, keep the server in each phase.
    const httpPort = await freePort();
    const env = { SLUICE_DEBUG_COMMIT_DELAY_MS: '1500' };
    const starting = startSluice({ dir, env, args: ['--http-port', String(httpPort)] });
    const base = `http://127.0.0.1:${httpPort}`;
    let seen: unknown;
    for (let i = 0; i < 100 && seen === undefined; i++) {
      const r = await fetch(`${base}/readyz`).catch(() => undefined);
      if (r?.status === 503) seen = await r.json();
      else await sleep(20);
    }
    expect(seen).toEqual({ ready: false, reason: 'starting' });
    const server = await starting;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/v1/keys/x`)).status).toBe(404);

    const writer = new Redis(server.port, '127.0.0.1');
    const write = writer.set('late', 'v');
    await sleep(100);
    process.kill(server.pid, 'SIGTERM');
    await sleep(200);
    const during = await fetch(`${base}/readyz`);
    expect(during.status).toBe(503);
    expect(await during.json()).toEqual({ ready: false, reason: 'shutting-down' });
    const keys = await fetch(`${base}/v1/keys/late`);
    expect(keys.status).toBe(503);
    expect(await write).toBe('OK');
    writer.disconnect();
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('answers a PUT only once it has committed: it survives SIGKILL right after', async () => {
    const dir = await tempDir('sluice-http-kill-');
    const { server, base } = await startWithHttp([], { dir, env: { SLUICE_DEBUG_COMMIT_DELAY_MS: '300' } });
    const t0 = Date.now();
    expect((await fetch(`${base}/v1/keys/durable`, { method: 'PUT', body: 'yes' })).status).toBe(204);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    await server.kill();
    const again = await startSluice({ dir });
    const c = new Redis(again.port, '127.0.0.1');
    expect(await c.get('durable')).toBe('yes');
    c.disconnect();
    await again.dispose();
  }, 30_000);
});
