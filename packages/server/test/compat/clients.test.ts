/**
 * Real client libraries against each target: ioredis 5 (RESP2), ioredis 6 (RESP3 by default), node-redis 5
 * (RESP2 and RESP3) and redis-py (Debian's python3-redis 4.3.4, RESP2 only). Each does the same everyday
 * things; the libraries' own handshakes (HELLO, CLIENT SETINFO, INFO ready checks) are part of the test.
 */
import { python } from '@sluice/testkit';
import { Redis as IoRedis5 } from 'ioredis';
import { Redis as IoRedis6 } from 'ioredis6';
import { createClient, RESP_TYPES } from 'redis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

/** Every byte value, to check binary round trips. */
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** `INFO` text parsed into `field -> value`. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf(':');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

/** What every client sees in INFO after `expectedKeys` keys (one with a TTL) were written to db 0. */
function expectInfo(fields: Map<string, string>, expectedKeys: number): void {
  expect(fields.get('redis_version')).toMatch(/^\d+\.\d+\.\d+/);
  expect(fields.get('role')).toBe('master');
  expect(fields.get('loading')).toBe('0');
  expect(fields.get('db0')).toMatch(new RegExp(`^keys=${expectedKeys},expires=1,avg_ttl=\\d+$`));
}

/** What the ioredis tests vary per connection. */
interface IoOptions {
  port: number;
  db?: number;
  connectionName?: string;
}

/** The part of an ioredis pipeline these tests use. */
interface IoPipeline {
  set(key: string, value: string): unknown;
  exec(): Promise<[Error | null, unknown][] | null>;
}

/** The part of the ioredis API these tests use; ioredis 5 and 6 both provide it. */
type IoClient = {
  pipeline(): IoPipeline;
  scanStream(options: { match: string; count: number }): AsyncIterable<string[]>;
} & Pick<
  IoRedis5,
  | 'connect'
  | 'disconnect'
  | 'status'
  | 'ping'
  | 'call'
  | 'set'
  | 'get'
  | 'getBuffer'
  | 'mget'
  | 'del'
  | 'exists'
  | 'ttl'
  | 'pttl'
  | 'dbsize'
  | 'select'
  | 'info'
>;

/** Options for a test connection: no reconnect storms, fail fast. */
const ioOptions = (opts: IoOptions) => ({
  host: '127.0.0.1',
  lazyConnect: true,
  maxRetriesPerRequest: 1,
  ...opts,
});

const SCAN_KEYS = Array.from({ length: 250 }, (_, i) => `scan:${i}`).sort();

describe.each(targets())('client libraries against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  describe.each([
    { name: 'ioredis 5', create: (opts: IoOptions): IoClient => new IoRedis5(ioOptions(opts)), resp: 2 },
    { name: 'ioredis 6', create: (opts: IoOptions): IoClient => new IoRedis6(ioOptions(opts)), resp: 3 },
  ])('$name', ({ create, resp }) => {
    let redis: IoClient;
    beforeEach(async () => {
      redis = create({ port: t.port });
      await redis.connect();
    });
    afterEach(() => {
      redis.disconnect();
    });

    it(`connects and negotiates RESP${resp}`, async () => {
      expect(redis.status).toBe('ready');
      expect(await redis.ping()).toBe('PONG');
      expect(await redis.call('CLIENT', 'INFO')).toMatch(new RegExp(` resp=${resp}[ \\n]`));
    });

    it('set, get, mget, del', async () => {
      expect(await redis.set('a', '1')).toBe('OK');
      expect(await redis.set('b', '2')).toBe('OK');
      expect(await redis.get('a')).toBe('1');
      expect(await redis.get('missing')).toBeNull();
      expect(await redis.mget('a', 'missing', 'b')).toEqual(['1', null, '2']);
      expect(await redis.del('a', 'b', 'missing')).toBe(2);
      expect(await redis.exists('a', 'b')).toBe(0);
    });

    it('set with EX, ttl', async () => {
      expect(await redis.set('k', 'v', 'EX', 100)).toBe('OK');
      expect(await redis.ttl('k')).toBeOneOf([99, 100]);
      expect(await redis.set('k', 'w', 'PX', 5000, 'GET')).toBe('v');
      expect(await redis.pttl('k')).toBeGreaterThan(4000);
      expect(await redis.ttl('missing')).toBe(-2);
    });

    it('a pipeline of 100 sets', async () => {
      const pipeline = redis.pipeline();
      for (let i = 0; i < 100; i++) pipeline.set(`p:${i}`, `v${i}`);
      const results = await pipeline.exec();
      expect(results).toHaveLength(100);
      expect(results?.every(([err, reply]) => err === null && reply === 'OK')).toBe(true);
      expect(await redis.dbsize()).toBe(100);
      expect(await redis.get('p:99')).toBe('v99');
    });

    it('binary values round trip (getBuffer)', async () => {
      expect(await redis.set(BINARY, BINARY)).toBe('OK');
      expect(await redis.getBuffer(BINARY)).toEqual(BINARY);
      expect(await redis.set('utf8', 'héllo ✓')).toBe('OK');
      expect(await redis.get('utf8')).toBe('héllo ✓');
    });

    it('select db', async () => {
      await redis.set('k', 'db0');
      expect(await redis.select(5)).toBe('OK');
      expect(await redis.get('k')).toBeNull();
      await redis.set('k', 'db5');
      const other = create({ port: t.port, db: 5 });
      await other.connect();
      expect(await other.get('k')).toBe('db5');
      other.disconnect();
      expect(await redis.select(0)).toBe('OK');
      expect(await redis.get('k')).toBe('db0');
    });

    it('client setname / getname, and the connectionName option', async () => {
      expect(await redis.call('CLIENT', 'SETNAME', 'io-conn')).toBe('OK');
      expect(await redis.call('CLIENT', 'GETNAME')).toBe('io-conn');
      const named = create({ port: t.port, connectionName: 'named' });
      await named.connect();
      expect(await named.call('CLIENT', 'GETNAME')).toBe('named');
      named.disconnect();
    });

    it('info parses', async () => {
      await redis.set('a', '1');
      await redis.set('b', '2', 'EX', 100);
      expectInfo(parseInfo(await redis.info()), 2);
      expect(await redis.info('keyspace')).toMatch(/^# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\d+\r\n$/);
    });

    it('scanStream collects every key', async () => {
      const pipeline = redis.pipeline();
      for (const key of SCAN_KEYS) pipeline.set(key, '1');
      pipeline.set('other', '1');
      await pipeline.exec();
      const seen = new Set<string>();
      const stream = redis.scanStream({ match: 'scan:*', count: 20 });
      for await (const batch of stream) for (const key of batch) seen.add(key);
      expect([...seen].sort()).toEqual(SCAN_KEYS);
    });
  });

  describe.each([2, 3] as const)('node-redis 5 with RESP%i', (RESP) => {
    const connect = async (options: { database?: number; name?: string } = {}) => {
      const client = createClient({ url: t.server.url, RESP, ...options });
      client.on('error', () => {});
      await client.connect();
      return client;
    };
    let client: Awaited<ReturnType<typeof connect>>;
    beforeEach(async () => {
      client = await connect();
    });
    afterEach(() => {
      client.destroy();
    });

    it(`connects and negotiates RESP${RESP}`, async () => {
      expect(client.isReady).toBe(true);
      expect(await client.ping()).toBe('PONG');
      expect((await client.clientInfo()).resp).toBe(RESP);
    });

    it('set, get, mGet, del', async () => {
      expect(await client.set('a', '1')).toBe('OK');
      expect(await client.set('b', '2')).toBe('OK');
      expect(await client.get('a')).toBe('1');
      expect(await client.get('missing')).toBeNull();
      expect(await client.mGet(['a', 'missing', 'b'])).toEqual(['1', null, '2']);
      expect(await client.del(['a', 'b', 'missing'])).toBe(2);
      expect(await client.exists(['a', 'b'])).toBe(0);
    });

    it('set with EX, ttl', async () => {
      expect(await client.set('k', 'v', { expiration: { type: 'EX', value: 100 } })).toBe('OK');
      expect(await client.ttl('k')).toBeOneOf([99, 100]);
      expect(await client.set('k', 'w', { condition: 'XX', GET: true })).toBe('v');
      expect(await client.ttl('k')).toBe(-1);
      expect(await client.set('new', 'v', { condition: 'XX' })).toBeNull();
    });

    it('a pipeline of 100 sets', async () => {
      const multi = client.multi();
      for (let i = 0; i < 100; i++) multi.set(`p:${i}`, `v${i}`);
      const results = await multi.execAsPipeline();
      expect(results).toEqual(Array(100).fill('OK'));
      expect(await client.dbSize()).toBe(100);
      const parallel = await Promise.all(Array.from({ length: 100 }, (_, i) => client.get(`p:${i}`)));
      expect(parallel).toEqual(Array.from({ length: 100 }, (_, i) => `v${i}`));
    });

    it('binary values round trip', async () => {
      expect(await client.set(BINARY, BINARY)).toBe('OK');
      const buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      expect(await buffers.get(BINARY)).toEqual(BINARY);
      expect(await client.set('utf8', 'héllo ✓')).toBe('OK');
      expect(await client.get('utf8')).toBe('héllo ✓');
    });

    it('select db', async () => {
      await client.set('k', 'db0');
      await client.select(5);
      expect(await client.get('k')).toBeNull();
      await client.set('k', 'db5');
      const other = await connect({ database: 5 });
      expect(await other.get('k')).toBe('db5');
      other.destroy();
      await client.select(0);
      expect(await client.get('k')).toBe('db0');
    });

    it('clientSetName / clientGetName, and the name option', async () => {
      expect(await client.clientSetName('nr-conn')).toBe('OK');
      expect(await client.clientGetName()).toBe('nr-conn');
      const named = await connect({ name: 'named' });
      expect(await named.clientGetName()).toBe('named');
      named.destroy();
    });

    it('info parses', async () => {
      await client.set('a', '1');
      await client.set('b', '2', { expiration: { type: 'EX', value: 100 } });
      expectInfo(parseInfo(await client.info()), 2);
    });

    it('scanIterator collects every key', async () => {
      const multi = client.multi();
      for (const key of SCAN_KEYS) multi.set(key, '1');
      multi.set('other', '1');
      await multi.execAsPipeline();
      const seen = new Set<string>();
      for await (const keys of client.scanIterator({ MATCH: 'scan:*', COUNT: 20 })) {
        for (const key of keys) seen.add(key);
      }
      expect([...seen].sort()).toEqual(SCAN_KEYS);
    });
  });

  describe('redis-py', () => {
    /** Run `body` with `r` connected (db 0) and `out` a dict printed as JSON at the end. */
    async function py(body: string): Promise<Record<string, unknown>> {
      const script = [
        'import json, os, redis',
        "PORT = int(os.environ['PORT'])",
        "r = redis.Redis(host='127.0.0.1', port=PORT)",
        'out = {}',
        body.trim(),
        'print(json.dumps(out))',
      ].join('\n');
      const result = await python(script, { PORT: String(t.port) });
      if (result.code !== 0)
        throw new Error(`python failed (${result.code}):\n${result.stderr}${result.stdout}`);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    }

    it('connects', async () => {
      expect(await py("out['ping'] = r.ping()")).toEqual({ ping: true });
    });

    it('set, get, mget, delete', async () => {
      const out = await py(`
out['set'] = r.set('a', '1')
r.set('b', '2')
out['get'] = r.get('a').decode()
out['missing'] = r.get('missing')
out['mget'] = [v and v.decode() for v in r.mget('a', 'missing', 'b')]
out['delete'] = r.delete('a', 'b', 'missing')
out['exists'] = r.exists('a', 'b')
`);
      expect(out).toEqual({
        set: true,
        get: '1',
        missing: null,
        mget: ['1', null, '2'],
        delete: 2,
        exists: 0,
      });
    });

    it('set with ex, ttl', async () => {
      const out = await py(`
out['set'] = r.set('k', 'v', ex=100)
out['ttl'] = r.ttl('k')
out['nx'] = r.set('k', 'w', nx=True)
out['getset'] = r.set('k', 'w', get=True).decode()
out['after'] = r.ttl('k')
`);
      expect(out).toEqual({ set: true, ttl: expect.toBeOneOf([99, 100]), nx: null, getset: 'v', after: -1 });
    });

    it('a non-transactional pipeline of 100 sets', async () => {
      const out = await py(`
p = r.pipeline(transaction=False)
for i in range(100):
    p.set('p:%d' % i, 'v%d' % i)
out['results'] = p.execute()
out['dbsize'] = r.dbsize()
out['last'] = r.get('p:99').decode()
`);
      expect(out).toEqual({ results: Array(100).fill(true), dbsize: 100, last: 'v99' });
    });

    it('binary values round trip', async () => {
      const out = await py(`
data = bytes(range(256))
r.set(data, data)
out['same'] = r.get(data) == data
out['keys'] = [k.hex() for k in r.keys('*')]
`);
      expect(out).toEqual({ same: true, keys: [BINARY.toString('hex')] });
    });

    it('select db', async () => {
      const out = await py(`
r.set('k', 'db0')
r5 = redis.Redis(host='127.0.0.1', port=PORT, db=5)
out['db5_before'] = r5.get('k')
r5.set('k', 'db5')
out['db5'] = r5.get('k').decode()
out['db0'] = r.get('k').decode()
out['dbsize5'] = r5.dbsize()
`);
      expect(out).toEqual({ db5_before: null, db5: 'db5', db0: 'db0', dbsize5: 1 });
    });

    it('client_setname / client_getname', async () => {
      const out = await py(`
out['set'] = r.client_setname('py-conn')
out['name'] = r.client_getname()
`);
      expect(out).toEqual({ set: true, name: 'py-conn' });
    });

    it('info parses', async () => {
      const out = await py(`
r.set('a', '1')
r.set('b', '2', ex=100)
info = r.info()
out['role'] = info['role']
out['loading'] = info['loading']
out['version'] = info['redis_version']
out['db0'] = {k: info['db0'][k] for k in ('keys', 'expires')}
out['keyspace'] = r.info('keyspace')['db0']['keys']
`);
      expect(out).toEqual({
        role: 'master',
        loading: 0,
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        db0: { keys: 2, expires: 1 },
        keyspace: 2,
      });
    });

    it('scan_iter collects every key', async () => {
      const out = await py(`
p = r.pipeline(transaction=False)
for i in range(250):
    p.set('scan:%d' % i, '1')
p.set('other', '1')
p.execute()
out['keys'] = sorted(k.decode() for k in r.scan_iter(match='scan:*', count=20))
`);
      expect(out).toEqual({ keys: SCAN_KEYS });
    });
  });
});
