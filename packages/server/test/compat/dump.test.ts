/**
 * DUMP and RESTORE against redis-server 7: payloads of each server restore on the other (strings,
 * hashes, sets; compact and plain encodings; LZF-compressed strings), with the same value, type,
 * encoding and TTL afterwards; payloads of short strings are byte for byte Redis's; RESTORE's options
 * and errors are compared reply for reply, in RESP2 and RESP3.
 */
import { connectRaw, type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entries, parse } from './resp.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Step = readonly (string | Buffer)[];

/** The payload of a bulk-string reply, as bytes. */
function payload(raw: string): Buffer {
  const m = /^\$(\d+)\r\n/.exec(raw);
  if (!m) throw new Error(`not a bulk string: ${JSON.stringify(raw.slice(0, 80))}`);
  return Buffer.from(raw.slice(m[0].length, m[0].length + Number(m[1])), 'latin1');
}

/** How a key reads on a server: type, encoding, TTL band, and its value (collections sorted). */
async function describeKey(c: RawClient, key: string): Promise<unknown> {
  const type = parse(await c.call('TYPE', key));
  const encoding = parse(await c.call('OBJECT', 'ENCODING', key));
  const ttl = Number(parse(await c.call('TTL', key)));
  let value: unknown = null;
  if (type === 'string') value = parse(await c.call('GET', key));
  if (type === 'hash')
    value = entries(parse(await c.call('HGETALL', key)))
      .map(([f, v]) => `${f}=${v}`)
      .sort();
  if (type === 'set') value = (parse(await c.call('SMEMBERS', key)) as unknown[]).map(String).sort();
  return { type, encoding, ttl: ttl > 0 ? 'set' : ttl, value };
}

const FILL: readonly Step[] = [
  ['SET', 'int', '10'],
  ['SET', 'neg', '-40000'],
  ['SET', 'big', '9223372036854775807'],
  ['SET', 'short', 'hello'],
  ['SET', 'long', 'abcabcabcabcabcabcabcabcabcabcabcabcabcabcabc'],
  ['SET', 'bin', Buffer.from([0, 1, 2, 255, 254, 13, 10])],
  ['SET', 'ttl', 'v', 'EX', '1000'],
  ['HSET', 'hsmall', 'a', '1', 'b', '-5', 'c', 'text', 'd', '70000', 'e', '5000000000'],
  ['HSET', 'hlarge', 'f', 'x'.repeat(100)],
  ['HSET', 'hmany', ...Array.from({ length: 300 }, (_, i) => [`field${i}`, `value${i}`]).flat()],
  ['EXPIRE', 'hsmall', '500'],
];

describe('DUMP and RESTORE against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  beforeAll(async () => {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let r: RawClient;
    let s: RawClient;
    beforeEach(async () => {
      r = await connectRaw(redis.port);
      s = await connectRaw(sluice.port);
      for (const c of [r, s]) {
        await c.call('FLUSHALL');
        if (proto === 3) await c.call('HELLO', '3');
        for (const step of FILL) await c.call(...step);
      }
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    it('payloads restore on the other server with the same value, type, encoding and TTL', async () => {
      const keys = ['int', 'neg', 'big', 'short', 'long', 'bin', 'ttl', 'hsmall', 'hlarge', 'hmany'];
      for (const [from, to] of [
        [r, s],
        [s, r],
      ] as const) {
        for (const key of keys) {
          const dumped = payload(await from.call('DUMP', key));
          const ttl = Number(parse(await from.call('PTTL', key)));
          expect({
            key,
            reply: await to.call('RESTORE', `copy:${key}`, String(Math.max(ttl, 0)), dumped),
          }).toEqual({
            key,
            reply: '+OK\r\n',
          });
          expect({ key, copy: await describeKey(to, `copy:${key}`) }).toEqual({
            key,
            copy: await describeKey(from, key),
          });
        }
      }
    });

    it('a payload of a short string or integer is byte for byte redis-server’s', async () => {
      for (const key of ['int', 'neg', 'big', 'short', 'bin']) {
        expect({ key, dump: await s.call('DUMP', key) }).toEqual({ key, dump: await r.call('DUMP', key) });
      }
    });

    it('RESTORE options and errors', async () => {
      const good = payload(await r.call('DUMP', 'short'));
      const tampered = Buffer.from(good);
      tampered[1] = (tampered[1] as number) ^ 1;
      const steps: Step[] = [
        ['DUMP', 'missing'],
        ['RESTORE', 'short', '0', good],
        ['RESTORE', 'short', '0', good, 'REPLACE'],
        ['RESTORE', 'new', '-1', good],
        ['RESTORE', 'new', 'x', good],
        ['RESTORE', 'new', '0', 'garbage'],
        ['RESTORE', 'new', '0', tampered],
        ['RESTORE', 'new', '0', good, 'BAD'],
        ['RESTORE', 'new', '0', good, 'IDLETIME', '-1'],
        ['RESTORE', 'new', '0', good, 'IDLETIME', 'x'],
        ['RESTORE', 'new', '0', good, 'FREQ', '256'],
        ['RESTORE', 'new', '0', good, 'IDLETIME', '5', 'FREQ', '5'],
        ['RESTORE', 'new', '0', good, 'FREQ', '5'],
        ['RESTORE', 'new2', '0', good, 'IDLETIME', '10', 'REPLACE'],
        ['RESTORE', 'past', '1000', good, 'ABSTTL'],
        ['EXISTS', 'past'],
        ['RESTORE', 'short', '1000', good, 'ABSTTL', 'REPLACE'],
        ['EXISTS', 'short'],
        ['RESTORE', 'fut', '4102444800000', good, 'ABSTTL'],
        ['PEXPIRETIME', 'fut'],
        ['GET', 'new'],
        ['GET', 'new2'],
      ];
      for (const step of steps) {
        const label = step.map((x) => String(x).slice(0, 30));
        expect({ step: label, reply: await s.call(...step) }).toEqual({
          step: label,
          reply: await r.call(...step),
        });
      }
    });
  });
});
