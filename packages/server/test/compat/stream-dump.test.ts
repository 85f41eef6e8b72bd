/**
 * DUMP and RESTORE of streams against redis-server 7.0 (RDB type 19), in RESP2 and RESP3.
 *
 * - Byte identity: the same XADD / XDEL / XTRIM / XSETID / XGROUP sequence on both servers gives the
 *   same DUMP bytes (redis-server with rdbcompression no: it would compress a listpack with LZF, Sluice
 *   writes it as it is), node boundaries and entries marked deleted included.
 * - Consumers and pending entries carry times (seen time, delivery time) that differ between two servers
 *   by when each ran the command, so their DUMP bytes cannot match. Instead one server's payload is
 *   RESTOREd into both: the times then come from the payload, and XINFO STREAM FULL, XRANGE, XPENDING
 *   and a second DUMP must agree byte for byte. That is done with redis-server's payload and with
 *   Sluice's.
 * - Corrupt payloads (checksum fixed so that the value itself is read) get redis-server's reply.
 */
import type { RawClient, RunningServer } from '@sluice/testkit';
import { startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPair } from './differential.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Step = readonly (string | Buffer)[];

/** The payload of a bulk-string reply, as bytes. */
function payload(raw: string): Buffer {
  const m = /^\$(\d+)\r\n/.exec(raw);
  if (!m) throw new Error(`not a bulk string: ${JSON.stringify(raw.slice(0, 80))}`);
  return Buffer.from(raw.slice(m[0].length, m[0].length + Number(m[1])), 'latin1');
}

/** Redis's CRC-64 (crc64.c, Jones polynomial, reflected), to re-sign a payload after changing it. */
function crc64(bytes: Uint8Array): Buffer {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const b of bytes) {
    crc ^= BigInt(b);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(crc, 0);
  return out;
}

/** `body` (a value) as a payload with a valid version and checksum. */
function signed(body: Buffer): Buffer {
  const head = Buffer.concat([body, Buffer.from([10, 0])]);
  return Buffer.concat([head, crc64(head)]);
}

/**
 * A type 19 payload's body (uncompressed) rewritten as Redis 5 and 6 wrote it (type 15): without the
 * first id, max deleted id, entries added and each group's entries read.
 */
function asType15(body: Buffer): Buffer {
  let p = 1;
  const len = (): number => {
    const b = body[p] as number;
    const size = b >> 6 === 0 ? 1 : b >> 6 === 1 ? 2 : b === 0x80 ? 5 : 9;
    const n =
      size === 1
        ? b & 0x3f
        : size === 2
          ? ((b & 0x3f) << 8) | (body[p + 1] as number)
          : size === 5
            ? body.readUInt32BE(p + 1)
            : Number(body.readBigUInt64BE(p + 1));
    p += size;
    return n;
  };
  const skipString = () => {
    const b = body[p] as number;
    // An integer-encoded string (a group named 123): the marker and 1, 2 or 4 bytes.
    // (`len()` moves p: read it before adding.)
    if (b >> 6 === 3) p += 1 + ((b & 0x3f) === 0 ? 1 : (b & 0x3f) === 1 ? 2 : 4);
    else {
      const n = len();
      p += n;
    }
    if (p > body.length) throw new Error('not a type 19 payload this test can rewrite');
  };
  const out: Buffer[] = [Buffer.from([15])];
  let from = 1;
  const keep = () => {
    out.push(body.subarray(from, p));
  };
  const nodes = len();
  for (let k = 0; k < nodes; k++) {
    skipString();
    skipString();
  }
  len(); // length
  len(); // last id
  len();
  keep();
  for (let k = 0; k < 5; k++) len(); // first id, max deleted id, entries added
  from = p;
  const groups = len();
  for (let g = 0; g < groups; g++) {
    skipString();
    len();
    len();
    keep();
    len(); // entries read
    from = p;
    const pel = len();
    for (let n = 0; n < pel; n++) {
      p += 16 + 8; // id, delivery time
      len(); // delivery count
    }
    const consumers = len();
    for (let k = 0; k < consumers; k++) {
      skipString();
      p += 8;
      const owned = len();
      p += owned * 16;
    }
  }
  p = body.length;
  keep();
  return Buffer.concat(out);
}

const xadds = (key: string, n: number, from: number, fields: (i: number) => string[]): Step[] =>
  Array.from({ length: n }, (_, i) => ['XADD', key, `${from + i}-1`, ...fields(from + i)]);

/** Streams built the same way on both servers, each one DUMPed. */
const BUILD: readonly Step[] = [
  // One node: same fields as the master entry, other fields, integers and strings of every size.
  ['XADD', 'one', '1-1', 'a', '1', 'b', 'text'],
  ['XADD', 'one', '1-2', 'a', '-70000', 'b', '5000000000'],
  ['XADD', 'one', '2-0', 'c', 'x'.repeat(100)],
  ['XADD', 'one', '18446744073709551615-5', 'a', 'y'.repeat(5000), 'b', '007'],
  // Several nodes (stream-node-max-entries is 100), then deletions: a tombstone, a whole node.
  ...xadds('many', 250, 1000, (i) => ['f', String(i), 'g', `v${i % 7}`]),
  ['XDEL', 'many', '1005-1', '1100-1', '1101-1'],
  ...Array.from({ length: 100 }, (_, i) => ['XDEL', 'many', `${1200 + i}-1`] as Step),
  // Trims: MAXLEN ~ drops whole nodes, an exact one marks entries deleted inside a node.
  ...xadds('trim', 330, 1, (i) => ['k', String(i)]),
  ['XTRIM', 'trim', 'MAXLEN', '~', '150'],
  ['XTRIM', 'trim', 'MAXLEN', '=', '120'],
  ['XADD', 'trim', 'MINID', '=', '260', '1000-0', 'k', 'last'],
  ['XDEL', 'trim', '1000-0'],
  // Empty after deletes, with its ids kept; XSETID on an empty one.
  ['XADD', 'empty', '5-5', 'a', '1'],
  ['XDEL', 'empty', '5-5'],
  ['XADD', 'setid', '1-1', 'a', '1'],
  ['XDEL', 'setid', '1-1'],
  ['XSETID', 'setid', '99-0', 'ENTRIESADDED', '7', 'MAXDELETEDID', '50-0'],
  // Groups without consumers (no times in the payload).
  ['XADD', 'groups', '1-1', 'a', '1'],
  ['XADD', 'groups', '2-1', 'a', '2'],
  ['XGROUP', 'CREATE', 'groups', 'g1', '$'],
  ['XGROUP', 'CREATE', 'groups', 'g2', '0', 'ENTRIESREAD', '1'],
  ['XGROUP', 'CREATE', 'groups', '123', '1-1'],
  ['XGROUP', 'CREATE', 'groups', 'zz', '0'],
  ['XGROUP', 'SETID', 'groups', 'zz', '2-1'],
  ['XDEL', 'groups', '1-1'],
  ['XGROUP', 'CREATE', 'nogroupsleft', 'g', '$', 'MKSTREAM'],
];

const BUILT_KEYS = ['one', 'many', 'trim', 'empty', 'setid', 'groups', 'nogroupsleft'];

/** A stream with consumers and pending entries (times differ between servers). */
const WITH_PEL: readonly Step[] = [
  ...xadds('pel', 120, 1, (i) => ['n', String(i)]),
  ['XGROUP', 'CREATE', 'pel', 'g', '0'],
  ['XGROUP', 'CREATE', 'pel', 'h', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '5', 'STREAMS', 'pel', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '110', 'STREAMS', 'pel', '>'],
  ['XACK', 'pel', 'g', '2-1', '50-1', '60-1'],
  ['XCLAIM', 'pel', 'g', 'carol', '0', '70-1', '71-1'],
  ['XREADGROUP', 'GROUP', 'h', 'dan', 'NOACK', 'COUNT', '3', 'STREAMS', 'pel', '>'],
  ['XGROUP', 'CREATECONSUMER', 'pel', 'h', 'idle'],
  ['XDEL', 'pel', '3-1', '80-1'],
];

/** Every reply that reads the stream at `key`, without the times that run on (idle). */
function reads(key: string): Step[] {
  return [
    ['XLEN', key],
    ['XRANGE', key, '-', '+'],
    ['XREVRANGE', key, '+', '-', 'COUNT', '7'],
    ['XINFO', 'STREAM', key, 'FULL'],
    ['XINFO', 'STREAM', key],
    ['OBJECT', 'ENCODING', key],
    ['TYPE', key],
  ];
}

describe('DUMP and RESTORE of streams against redis-server', { timeout: TEST_TIMEOUT_MS }, () => {
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
      [r, s] = await openPair(redis, sluice, proto, [['CONFIG', 'SET', 'stream-node-max-entries', '100']]);
      await r.call('CONFIG', 'SET', 'rdbcompression', 'no');
      await r.call('CONFIG', 'SET', 'sanitize-dump-payload', 'yes');
      return async () => {
        await r.call('CONFIG', 'SET', 'rdbcompression', 'yes');
        await r.call('CONFIG', 'SET', 'sanitize-dump-payload', 'no');
        await Promise.all([r.close(), s.close()]);
      };
    });

    async function both(step: Step): Promise<void> {
      const label = step.map((x) => String(x).slice(0, 30));
      expect({ step: label, reply: await s.call(...step) }).toEqual({
        step: label,
        reply: await r.call(...step),
      });
    }

    it('the same writes give the same DUMP bytes', async () => {
      for (const step of BUILD) await both(step);
      for (const key of BUILT_KEYS) await both(['DUMP', key]);
      // A copy keeps the entries marked deleted too.
      await both(['COPY', 'many', 'many:copy']);
      await both(['DUMP', 'many:copy']);
      // Smaller nodes, so that byte limits and many nodes are met too.
      for (const c of [r, s]) {
        await c.call('CONFIG', 'SET', 'stream-node-max-entries', '3');
        await c.call('CONFIG', 'SET', 'stream-node-max-bytes', '200');
      }
      const small: Step[] = [
        ...xadds('small', 40, 1, (i) => (i % 5 === 0 ? ['other', 'x'.repeat(i * 3)] : ['f', String(i)])),
        ['XDEL', 'small', '2-1', '7-1', '8-1', '9-1'],
        ['XTRIM', 'small', 'MINID', '~', '12'],
        ['XTRIM', 'small', 'MINID', '20'],
        ['DUMP', 'small'],
      ];
      for (const step of small) await both(step);
    });

    it('payloads with consumers and pending entries restore the same on both servers', async () => {
      for (const step of WITH_PEL) await both(step);
      for (const from of [r, s]) {
        const dumped = payload(await from.call('DUMP', 'pel'));
        for (const c of [r, s]) await c.call('DEL', 'copy');
        expect(await r.call('RESTORE', 'copy', '0', dumped)).toBe('+OK\r\n');
        expect(await s.call('RESTORE', 'copy', '0', dumped)).toBe('+OK\r\n');
        for (const step of reads('copy')) await both(step);
        await both(['XPENDING', 'copy', 'g']);
        await both(['XINFO', 'GROUPS', 'copy']);
        await both(['DUMP', 'copy']);
        // The restored groups go on as redis-server's do.
        await both(['XACK', 'copy', 'g', '4-1', '5-1']);
        await both(['XREADGROUP', 'GROUP', 'h', 'dan', 'COUNT', '2', 'STREAMS', 'copy', '>']);
        await both(['XCLAIM', 'copy', 'g', 'alice', '0', '90-1', 'JUSTID']);
        await both(['XADD', 'copy', '500-0', 'n', 'new']);
        await both(['XTRIM', 'copy', 'MAXLEN', '~', '20']);
        await both(['XPENDING', 'copy', 'g']);
        await both(['XPENDING', 'copy', 'h']);
        await both(['XLEN', 'copy']);
        await both(['XRANGE', 'copy', '-', '+', 'COUNT', '3']);
      }
    });

    it("redis-server's payloads of built streams restore into Sluice and read the same", async () => {
      for (const step of BUILD) await both(step);
      for (const key of BUILT_KEYS) {
        const dumped = payload(await r.call('DUMP', key));
        expect(await r.call('RESTORE', `copy:${key}`, '0', dumped)).toBe('+OK\r\n');
        expect(await s.call('RESTORE', `copy:${key}`, '0', dumped)).toBe('+OK\r\n');
        for (const step of reads(`copy:${key}`)) await both(step);
        await both(['XINFO', 'GROUPS', `copy:${key}`]);
        await both(['XADD', `copy:${key}`, '18446744073709551615-100', 'after', 'restore']);
        await both(['XLEN', `copy:${key}`]);
        await both(['DUMP', `copy:${key}`]);
        // And Sluice's payload back into both.
        const back = payload(await s.call('DUMP', `copy:${key}`));
        await both(['RESTORE', `back:${key}`, '0', back]);
        await both(['XRANGE', `back:${key}`, '-', '+', 'COUNT', '5']);
        await both(['XINFO', 'STREAM', `back:${key}`, 'FULL']);
      }
    });

    it('payloads of Redis 5 and 6 (type 15) restore the same on both servers', async () => {
      for (const step of [...BUILD, ...WITH_PEL]) await both(step);
      await both(['XGROUP', 'CREATE', 'many', 'late', '1100-1']);
      await both(['XGROUP', 'CREATE', 'many', 'early', '0']);
      for (const key of [...BUILT_KEYS, 'pel']) {
        const dumped = payload(await r.call('DUMP', key));
        const old = signed(asType15(dumped.subarray(0, dumped.length - 10)));
        expect(old[0]).toBe(15);
        expect(await r.call('RESTORE', `v1:${key}`, '0', old)).toBe('+OK\r\n');
        expect(await s.call('RESTORE', `v1:${key}`, '0', old)).toBe('+OK\r\n');
        for (const step of reads(`v1:${key}`)) await both(step);
        await both(['XINFO', 'GROUPS', `v1:${key}`]);
        await both(['DUMP', `v1:${key}`]);
      }
    });

    it('corrupt payloads get redis-server’s errors', async () => {
      for (const step of BUILD.slice(0, 4)) await both(step);
      for (const step of WITH_PEL) await both(step);
      for (const key of ['one', 'pel']) {
        const good = payload(await r.call('DUMP', key));
        const body = good.subarray(0, good.length - 10);
        await both(['RESTORE', 'bad', '0', Buffer.concat([good.subarray(0, 5), good.subarray(6)])]);
        // Cut short at many points, re-signed so that the value itself is read.
        for (let cut = 1; cut < body.length; cut += Math.max(1, Math.floor(body.length / 40))) {
          await both(['RESTORE', 'bad', '0', signed(body.subarray(0, cut))]);
        }
        // Bytes changed (seeded, re-signed): whatever each server makes of it, the same reply.
        let seed = 7;
        for (let k = 0; k < 40; k++) {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          const copy = Buffer.from(body);
          const at = 1 + (seed % (copy.length - 1));
          copy[at] = (copy[at] as number) ^ (1 << (seed % 8));
          const reply = await s.call('RESTORE', 'bad', '0', signed(copy), 'REPLACE');
          expect({ at, reply }).toEqual({
            at,
            reply: await r.call('RESTORE', 'bad', '0', signed(copy), 'REPLACE'),
          });
          expect(await s.call('PING')).toMatch(/PONG/);
        }
      }
    });
  });
});
