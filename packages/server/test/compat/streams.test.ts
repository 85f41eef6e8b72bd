/**
 * Streams, differentially: each case runs on redis-server 7 and on sluice-server, in RESP2 and RESP3, and
 * the raw reply bytes must be equal. Explicit ids keep replies free of the clock (an XADD with `*` is
 * compared by its reply's shape only). Covers XADD (ids, NOMKSTREAM, MAXLEN/MINID exact and `~`, LIMIT),
 * XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID, their errors, WRONGTYPE both ways, the generic commands
 * on streams, trims with `~` across many listpack nodes (which entries redis-server's nodes let go), and
 * a seeded random sequence.
 */
import { type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectIn, openPair, random } from './differential.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Args = readonly string[];

const U64 = '18446744073709551615';

const CASES: Record<string, readonly Args[]> = {
  'XADD ids, XLEN, XRANGE, XREVRANGE': [
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '1-*', 'b', '2'],
    ['XADD', 's', '5', 'a', '1', 'b', '2'],
    ['XADD', 's', '3', 'a', '1'],
    ['XADD', 's', '5-0', 'a', '1'],
    ['XADD', 's', '005-7', 'x', ''],
    ['XADD', 's', ' 6', 'x', 'y'],
    ['XADD', 's', '+7', 'x', 'y'],
    ['XADD', 's', '7-+1', 'x', 'y'],
    ['XADD', 's', '-8', 'x', 'y'],
    ['XADD', 's', '8-x', 'x', 'y'],
    ['XADD', 's', '8-', 'x', 'y'],
    ['XADD', 's', `${U64}0`, 'x', 'y'],
    ['XADD', 's', '0-0', 'x', 'y'],
    ['XADD', 'fresh', '0-*', 'x', 'y'],
    ['XADD', 'fresh', '0-0', 'x', 'y'],
    ['XADD', 's', '9', 'bin', '\x00\xff\r\n', 'é', ''],
    ['XADD', 's', '10', 'a'],
    ['XADD', 's', '10'],
    ['XADD', 's', 'MAXLEN', '5'],
    ['XLEN', 's'],
    ['XLEN', 'missing'],
    ['XRANGE', 's', '-', '+'],
    ['XRANGE', 's', '1', '5'],
    ['XRANGE', 's', '1-2', '5-0'],
    ['XRANGE', 's', '(1-1', '(5-0'],
    ['XRANGE', 's', '(1', '+'],
    ['XRANGE', 's', '(-', '+'],
    ['XRANGE', 's', '-', '(+'],
    ['XRANGE', 's', `(${U64}-${U64}`, '+'],
    ['XRANGE', 's', '-', '(0-0'],
    ['XRANGE', 's', '-', '(0'],
    ['XRANGE', 's', '5', '1'],
    ['XRANGE', 's', '-', '+', 'COUNT', '2'],
    ['XRANGE', 's', '-', '+', 'COUNT', '0'],
    ['XRANGE', 's', '-', '+', 'COUNT', '-3'],
    ['XRANGE', 's', '-', '+', 'COUNT'],
    ['XRANGE', 's', '-', '+', 'COUNT', 'x'],
    ['XRANGE', 's', '-', '+', 'COUNT', '1', 'COUNT', '3'],
    ['XRANGE', 's', '-', '+', 'LIMIT', '1'],
    ['XRANGE', 's', 'x', '+'],
    ['XRANGE', 's', '-', 'x'],
    ['XRANGE', 'missing', '-', '+'],
    ['XRANGE', 'missing', '-', '+', 'COUNT', '0'],
    ['XRANGE', 'missing', 'x', '+'],
    ['XREVRANGE', 's', '+', '-'],
    ['XREVRANGE', 's', '+', '-', 'COUNT', '1'],
    ['XREVRANGE', 's', '5', '1'],
    ['XREVRANGE', 's', '(5', '(1-1'],
    ['XREVRANGE', 's', '1', '5'],
    ['XREVRANGE', 's', '+', '-', 'COUNT', '0'],
    ['XREVRANGE', 'missing', '+', '-'],
  ],
  'XADD with NOMKSTREAM, MAXLEN and MINID, and their errors': [
    ['XADD', 'n', 'NOMKSTREAM', '1', 'a', 'b'],
    ['EXISTS', 'n'],
    ['XADD', 'n', '1', 'a', 'b'],
    ['XADD', 'n', 'NOMKSTREAM', '2', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '2', '3', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '=', '1', '4', 'a', 'b'],
    ['XRANGE', 'n', '-', '+'],
    ['XADD', 'n', 'MINID', '5', '5', 'a', 'b'],
    ['XADD', 'n', 'MINID', '=', '6', '6', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '0', '7', 'a', 'b'],
    ['XLEN', 'n'],
    ['EXISTS', 'n'],
    ['XADD', 'n', 'MAXLEN', '-1', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', 'x', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '1', 'MINID', '1', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '1', 'MAXLEN', '1', '8', 'a', 'b'],
    ['XADD', 'n', 'MINID', '-', '8', 'a', 'b'],
    ['XADD', 'n', 'MINID', 'x', '8', 'a', 'b'],
    ['XADD', 'n', 'LIMIT', '5', '8', 'a', 'b'],
    ['XADD', 'n', 'LIMIT', '0', '8', 'a', 'b'],
    ['XADD', 'n', 'LIMIT', '-1', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '5', 'LIMIT', '5', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '~', '5', 'LIMIT', '5', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '~', '0', 'LIMIT', '0', '9', 'a', 'b'],
    ['XADD', 'n', 'maxlen', '~', '0', '10', 'a', 'b'],
    ['XADD', 'n', 'NOMKSTREAM', 'NOMKSTREAM', '11', 'a', 'b'],
    ['XADD', 'n', 'FOO', 'a', 'b'],
    ['XADD', 'n', '12', 'a', 'b', 'c'],
    ['XADD', 'n', 'MAXLEN'],
    ['XADD', 'n', 'MAXLEN', '~'],
    ['XLEN', 'n'],
  ],
  'XDEL, XTRIM and XSETID, and an empty stream stays': [
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '2-1', 'a', '2'],
    ['XADD', 's', '3-1', 'a', '3'],
    ['XDEL', 's', '1-1', '9-9'],
    ['XDEL', 's', '1-1'],
    ['XDEL', 's', '-'],
    ['XDEL', 's', '2-1', 'x'],
    ['XLEN', 's'],
    ['XDEL', 'missing', '1-1'],
    ['XDEL', 'missing', 'x'],
    ['XTRIM', 's', 'MAXLEN', '1'],
    ['XRANGE', 's', '-', '+'],
    ['XTRIM', 's', 'MINID', '4'],
    ['XLEN', 's'],
    ['EXISTS', 's'],
    ['TYPE', 's'],
    ['XRANGE', 's', '-', '+'],
    ['XTRIM', 's', 'FOO', '1'],
    ['XTRIM', 's', 'MAXLEN', '1', 'FOO'],
    ['XTRIM', 's', 'MAXLEN', '~', '1', 'LIMIT', '1'],
    ['XTRIM', 's', 'MAXLEN', '1', 'LIMIT', '1'],
    ['XTRIM', 's', 'NOMKSTREAM', '1'],
    ['XTRIM', 'missing', 'MAXLEN', '1'],
    ['XTRIM', 'missing', 'FOO', '1'],
    ['XADD', 's', '3-*', 'a', '1'],
    ['XADD', 's', '3-1', 'a', '1'],
    ['XSETID', 's', '2'],
    ['XSETID', 's', '10'],
    ['XADD', 's', '10-*', 'a', '1'],
    ['XSETID', 's', '20', 'ENTRIESADDED', '0'],
    ['XSETID', 's', '20', 'ENTRIESADDED', '-1'],
    ['XSETID', 's', '20', 'ENTRIESADDED', 'x'],
    ['XSETID', 's', '20', 'ENTRIESADDED', '9', 'MAXDELETEDID', '21'],
    ['XSETID', 's', '20', 'ENTRIESADDED', '9', 'MAXDELETEDID', '15'],
    ['XSETID', 's', '14'],
    ['XSETID', 's', '20', 'MAXDELETEDID', '-'],
    ['XSETID', 's', '-'],
    ['XSETID', 's', '20', 'FOO', '1'],
    ['XSETID', 's', '20', 'ENTRIESADDED'],
    ['XSETID', 'missing', '1'],
    ['XSETID', 's', `${U64}-${U64}`],
    ['XADD', 's', '*', 'a', '1'],
    ['XADD', 's', `${U64}-*`, 'a', '1'],
    ['XRANGE', 's', '-', '+'],
  ],
  'WRONGTYPE both ways, and the generic commands on streams': [
    ['SET', 'str', 'x'],
    ['XADD', 'str', '1', 'a', 'b'],
    ['XLEN', 'str'],
    ['XRANGE', 'str', '-', '+'],
    ['XREVRANGE', 'str', '+', '-'],
    ['XDEL', 'str', '1'],
    ['XTRIM', 'str', 'MAXLEN', '1'],
    ['XSETID', 'str', '1'],
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '2-1', 'b', '2'],
    ['GET', 's'],
    ['LPUSH', 's', 'x'],
    ['HSET', 's', 'a', 'b'],
    ['ZADD', 's', '1', 'a'],
    ['SADD', 's', 'a'],
    ['SORT', 's'],
    ['TYPE', 's'],
    ['OBJECT', 'ENCODING', 's'],
    ['COPY', 's', 'c'],
    ['XRANGE', 'c', '-', '+'],
    ['XADD', 'c', '3-1', 'c', '3'],
    ['XLEN', 's'],
    ['RENAME', 'c', 'd'],
    ['XRANGE', 'd', '-', '+'],
    ['MOVE', 'd', '1'],
    ['EXISTS', 'd'],
    ['EXPIRE', 's', '100'],
    ['TTL', 's'],
    ['SCAN', '0', 'TYPE', 'stream'],
    ['XDEL', 's', '1-1', '2-1'],
    ['COPY', 's', 'e'],
    ['TYPE', 'e'],
    ['XADD', 'e', '2-1', 'a', 'b'],
    ['XADD', 'e', '2-2', 'a', 'b'],
    ['UNLINK', 's'],
    ['DEL', 'e'],
    ['EXISTS', 's', 'e'],
    ['SELECT', '1'],
    ['XRANGE', 'd', '-', '+'],
    ['FLUSHDB'],
  ],
};

/**
 * Consumer-group cases whose replies hold times (idle, delivery and seen times): those are masked, the
 * rest compared byte for byte.
 */
const GROUP_CASES: Record<string, readonly Args[]> = {
  'XGROUP, XREADGROUP, XACK, XPENDING': [
    ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'],
    ['XINFO', 'STREAM', 'e'],
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '2-1', 'a', '2'],
    ['XADD', 's', '3-1', 'b', '3'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XINFO', 'GROUPS', 's'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '1', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c3', 'BLOCK', '10', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c3', 'COUNT', '1', 'STREAMS', 's', '2-1'],
    ['XPENDING', 's', 'g'],
    ['XPENDING', 's', 'g', '-', '+', '10'],
    ['XPENDING', 's', 'g', '-', '+', '10', 'c3'],
    ['XPENDING', 's', 'g', '(1-1', '(3-1', '10'],
    ['XPENDING', 's', 'g', '-', '+', '1'],
    ['XPENDING', 's', 'g', '-', '+', '0'],
    ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'],
    ['XPENDING', 's', 'g', 'IDLE', '3600000', '-', '+', '10'],
    ['XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '10'],
    ['XPENDING', 's', 'g', 'IDLE', '0', '-', '+'],
    ['XPENDING', 's', 'g', '-', '+'],
    ['XPENDING', 's', 'g', '-', '+', 'x'],
    ['XPENDING', 's', 'g', 'x', '+', '1'],
    ['XPENDING', 's', 'nog'],
    ['XPENDING', 'nokey', 'g', '-', '+', '1'],
    ['XACK', 's', 'g', '1-1', '9-9'],
    ['XACK', 's', 'g', 'x'],
    ['XACK', 's', 'nog', '1-1'],
    ['XACK', 'nokey', 'g', '1-1'],
    ['XDEL', 's', '2-1'],
    ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '0'],
    ['XINFO', 'GROUPS', 's'],
    ['XREADGROUP', 'GROUP', 'g', 'c4', 'NOACK', 'STREAMS', 's', '0'],
    ['XADD', 's', '4-1', 'c', '4'],
    ['XREADGROUP', 'GROUP', 'g', 'c4', 'NOACK', 'STREAMS', 's', '>'],
    ['XPENDING', 's', 'g'],
    ['XINFO', 'GROUPS', 's'],
    ['XINFO', 'CONSUMERS', 's', 'g'],
    ['XINFO', 'STREAM', 's'],
    ['XINFO', 'STREAM', 's', 'FULL'],
    ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1'],
    ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'],
    ['XINFO', 'STREAM', 's', 'FOO'],
    ['XINFO', 'STREAM', 'nokey'],
    ['XINFO', 'GROUPS', 'nokey'],
    ['XINFO', 'CONSUMERS', 's', 'nog'],
    ['XINFO', 'HELP'],
  ],
  'XGROUP subcommands, entries-read and lag': [
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '2-1', 'a', '2'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XGROUP', 'CREATE', 's', 'g2', '$'],
    ['XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', '1'],
    ['XGROUP', 'CREATE', 's', 'g4', '1-1', 'ENTRIESREAD', '-1'],
    ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'SETID', 's', 'g2', '0'],
    ['XGROUP', 'SETID', 's', 'g3', '$', 'ENTRIESREAD', '2'],
    ['XGROUP', 'SETID', 's', 'g4', '-'],
    ['XINFO', 'GROUPS', 's'],
    ['XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '1', 'STREAMS', 's', '>'],
    ['XINFO', 'GROUPS', 's'],
    ['XDEL', 's', '2-1'],
    ['XINFO', 'GROUPS', 's'],
    ['XADD', 's', '3-1', 'a', '3'],
    ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 's', '>'],
    ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c9'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c9'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'a'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'nobody'],
    ['XPENDING', 's', 'g'],
    ['XGROUP', 'DESTROY', 's', 'g'],
    ['XGROUP', 'DESTROY', 's', 'g'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XINFO', 'CONSUMERS', 's', 'g'],
    ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'CREATE', 'nokey', 'g', '0'],
    ['XGROUP', 'CREATECONSUMER', 's', 'nog', 'c'],
    ['XGROUP', 'CREATE', 's', 'g', '0', 'MKSTREAM', 'FOO'],
    ['XGROUP', 'FOO', 's', 'g'],
    ['XGROUP', 'CREATE', 's', 'gx', 'x'],
    ['XGROUP', 'CREATE', 's', 'gx', '-'],
    ['XGROUP', 'CREATE', 's', 'gx', '0', 'ENTRIESREAD', '-2'],
    ['XGROUP', 'CREATE', 's', 'gx', '0', 'ENTRIESREAD', 'x'],
    ['XGROUP', 'CREATE', 's', 'gx', '0', 'ENTRIESREAD', '1', 'ENTRIESREAD', '2'],
    ['XGROUP', 'SETID', 's', 'nog', '0'],
    ['XGROUP', 'SETID', 's', 'g2', '0', 'FOO'],
    ['XGROUP', 'SETID', 'nokey', 'g', '0'],
    ['XGROUP', 'DESTROY', 'nokey', 'g'],
    ['XGROUP', 'HELP'],
    ['XREADGROUP', 'GROUP', 'g2', 'c', 'STREAMS', 's', '$'],
    ['XREADGROUP', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g2', 'c', 'STREAMS', 's'],
    ['XREADGROUP', 'GROUP', 'g2', 'c', 'STREAMS', 's', 's', '>'],
    ['XREADGROUP', 'GROUP', 'nog', 'c', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g2', 'c', 'STREAMS', 's', 'nokey', '>', '>'],
    ['SET', 'str', 'x'],
    ['XREADGROUP', 'GROUP', 'g2', 'c', 'STREAMS', 'str', '>'],
    ['XGROUP', 'CREATE', 'str', 'g', '0'],
    ['XINFO', 'STREAM', 'str'],
    ['XPENDING', 'str', 'g'],
    ['XACK', 'str', 'g', '1-1'],
    ['XCLAIM', 'str', 'g', 'c', '0', '1-1'],
    ['XAUTOCLAIM', 'str', 'g', 'c', '0', '0'],
  ],
  'XCLAIM and XAUTOCLAIM': [
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '2-1', 'a', '2'],
    ['XADD', 's', '3-1', 'a', '3'],
    ['XADD', 's', '4-1', 'a', '4'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'],
    ['XDEL', 's', '1-1'],
    ['XCLAIM', 's', 'g', 'c2', '0', '1-1', '2-1'],
    ['XPENDING', 's', 'g', '-', '+', '10'],
    ['XCLAIM', 's', 'g', 'c2', '0', '2-1', 'FOO'],
    ['XCLAIM', 's', 'g', 'c2', 'x', '2-1'],
    ['XCLAIM', 's', 'g', 'c2', '0', '2-1', 'IDLE', 'x'],
    ['XCLAIM', 's', 'g', 'c2', '0', '2-1', 'TIME', 'x'],
    ['XCLAIM', 's', 'g', 'c2', '0', '2-1', 'RETRYCOUNT', 'x'],
    ['XCLAIM', 's', 'g', 'c2', '0', 'x'],
    ['XCLAIM', 's', 'g', 'c2', '0', '2-1', 'LASTID', 'x'],
    ['XCLAIM', 's', 'g', 'c3', '0', '2-1', 'JUSTID', 'RETRYCOUNT', '5'],
    ['XCLAIM', 's', 'g', 'c3', '0', '3-1', 'FORCE', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'c3', '3600000', '4-1'],
    ['XCLAIM', 's', 'g', 'c3', '0', '4-1', 'IDLE', '3600000'],
    ['XPENDING', 's', 'g', 'IDLE', '3000000', '-', '+', '10'],
    ['XCLAIM', 's', 'g', 'c3', '0', '9-9', 'FORCE'],
    ['XCLAIM', 'nokey', 'g', 'c', '0', '1-1'],
    ['XCLAIM', 's', 'nog', 'c', '0', '1-1'],
    ['XCLAIM', 's', 'g', 'c4', '0', '4-1', 'LASTID', '50-0', 'JUSTID'],
    ['XINFO', 'GROUPS', 's'],
    ['XPENDING', 's', 'g'],
    ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0', 'COUNT', '0'],
    ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0', 'COUNT', 'x'],
    ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0', 'COUNT', '1', 'JUSTID'],
    ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0', 'FOO'],
    ['XAUTOCLAIM', 's', 'g', 'c4', 'x', '0'],
    ['XAUTOCLAIM', 's', 'g', 'c4', '0', 'x'],
    ['XDEL', 's', '3-1'],
    ['XAUTOCLAIM', 's', 'g', 'c5', '0', '0', 'COUNT', '1'],
    ['XAUTOCLAIM', 's', 'g', 'c5', '0', '0'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '(2-1', 'JUSTID'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '3600000', '0'],
    ['XAUTOCLAIM', 'nokey', 'g', 'c', '0', '0'],
    ['XPENDING', 's', 'g'],
    ['XINFO', 'CONSUMERS', 's', 'g'],
    ['XINFO', 'STREAM', 's', 'FULL'],
  ],
};

/** A reply with its times masked: idle times, and absolute times in milliseconds. */
function masked(raw: string): string {
  return raw
    .replace(/(\$4\r\nidle\r\n):\d+/g, '$1:IDLE')
    .replace(/(\*4\r\n\$\d+\r\n[^\r]*\r\n\$\d+\r\n[^\r]*\r\n):\d+/g, '$1:IDLE')
    .replace(/:\d{12,}\r\n/g, ':TIME\r\n');
}

describe('streams against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
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
      [r, s] = await openPair(redis, sluice, proto);
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    async function compare(step: Args, label: unknown = undefined): Promise<void> {
      const [expected, actual] = [await r.call(...step), await s.call(...step)];
      expect({ label, step, reply: actual }).toEqual({ label, step, reply: expected });
    }

    it.each(Object.entries(CASES))('%s', async (_name, steps) => {
      for (const step of steps) await compare(step);
    });

    it.each(Object.entries(GROUP_CASES))('%s', async (_name, steps) => {
      for (const step of steps) {
        const [expected, actual] = [await r.call(...step), await s.call(...step)];
        expect({ step, reply: masked(actual) }).toEqual({ step, reply: masked(expected) });
      }
    });

    it('XADD * answers a new id after the last one, from the clock', async () => {
      await compare(['XADD', 't', '5-5', 'a', '1']);
      const id = (await s.call('XADD', 't', '*', 'a', '2')).split('\r\n')[1] as string;
      const [ms, seq] = id.split('-').map(BigInt) as [bigint, bigint];
      expect(ms).toBeGreaterThan(BigInt(Date.now() - 60_000));
      expect(seq).toBe(0n);
      await compare(['XADD', 'u', `${Date.now() + 3_600_000}-${U64}`, 'a', '1']);
      const next = await s.call('XADD', 'u', '*', 'a', '2');
      expect(next).toMatch(/^\$\d+\r\n\d+-0\r\n$/);
    });

    it('trims with ~ remove the whole listpack nodes redis-server removes', async () => {
      const steps: Args[] = [];
      for (let i = 1; i <= 250; i++) steps.push(['XADD', 's', `${i}-1`, 'f', String(i)]);
      steps.push(
        ['XADD', 's', 'MAXLEN', '~', '200', '251-1', 'f', 'v'],
        ['XTRIM', 's', 'MAXLEN', '~', '120'],
        ['XTRIM', 's', 'MAXLEN', '~', '50', 'LIMIT', '100'],
        ['XTRIM', 's', 'MAXLEN', '~', '10', 'LIMIT', '20'],
        ['XDEL', 's', '201-1', '202-1'],
        ['XTRIM', 's', 'MINID', '~', '230'],
        ['XTRIM', 's', 'MINID', '240'],
        ['XRANGE', 's', '-', '+', 'COUNT', '3'],
      );
      // Other fields than the master entry's, and entries big enough to fill nodes by bytes.
      for (let i = 300; i <= 420; i++) steps.push(['XADD', 's', `${i}-1`, 'g', String(i), 'h', 'x']);
      steps.push(['XTRIM', 's', 'MAXLEN', '~', '100'], ['XADD', 's', 'MAXLEN', '~', '5', '500-1', 'f', 'v']);
      for (let i = 600; i <= 700; i++) steps.push(['XADD', 'big', `${i}-1`, 'f', 'x'.repeat(100 + (i % 7))]);
      steps.push(['XTRIM', 'big', 'MAXLEN', '~', '40'], ['XTRIM', 'big', 'MINID', '~', '680']);
      for (const step of steps) {
        await compare(step);
        if (step[0] !== 'XADD') {
          await compare(['XLEN', step[1] as string]);
          await compare(['XRANGE', step[1] as string, '-', '+', 'COUNT', '1']);
        }
      }
    });

    it('XREAD: options, errors, $ and COUNT', async () => {
      for (const step of [
        ['XREAD', 'COUNT', '1', 'STREAMS', 's', 'x', '1'],
        ['XREAD', 'STREAMS', 's', '>'],
        ['XREAD', 'BLOCK', '-1', 'STREAMS', 's', '0'],
        ['XREAD', 'BLOCK', 'x', 'STREAMS', 's', '0'],
        ['XREAD', 'FOO', 'STREAMS', 's', '0'],
        ['XREAD', 'COUNT', 'x', 'STREAMS', 's', '0'],
        ['XREAD', 'STREAMS', 's', '0'],
        ['XADD', 's', '1-1', 'a', '1'],
        ['XADD', 's', '2-1', 'b', '2'],
        ['XADD', 't', '1-1', 'a', '1'],
        ['XREAD', 'STREAMS', 's', 't', '0', '0'],
        ['XREAD', 'COUNT', '1', 'STREAMS', 's', 't', '1-1', '0'],
        ['XREAD', 'STREAMS', 's', 't', '$', '$'],
        ['XREAD', 'BLOCK', '10', 'STREAMS', 's', '$'],
        ['XREAD', 'STREAMS', 's', '-'],
        ['XREAD', 'STREAMS', 's', '+'],
        ['XREAD', 'STREAMS', 's', '(1'],
        ['SET', 'str', 'x'],
        ['XREAD', 'STREAMS', 's', 'str', '0', '0'],
        ['XREAD', 'STREAMS', 'nokey', 's', '0', '0'],
        ['XREAD', 'COUNT', '0', 'STREAMS', 's', '0'],
        ['XREAD', 'COUNT', '-1', 'STREAMS', 's', '0'],
        ['XDEL', 's', '2-1'],
        ['XREAD', 'STREAMS', 's', '1-1'],
        ['EVAL', "return redis.call('xread','block','0','streams','s','0')", '0'],
        ['EVAL', "return redis.call('xread','streams','s','0')", '0'],
        ['MULTI'],
        ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'],
        ['EXEC'],
      ] as const)
        await compare(step);
    });

    it('a blocked XREAD wakes on XADD from another connection, from MULTI/EXEC and from a script', async () => {
      const [r2, s2, r3, s3] = await Promise.all([
        connectIn(redis, proto),
        connectIn(sluice, proto),
        connectIn(redis, proto),
        connectIn(sluice, proto),
      ]);
      try {
        for (const writes of [
          [
            ['XADD', 'w2', '5-1', 'a', 'b'],
            ['XADD', 'w2', '6-1', 'c', 'd'],
          ],
          [['MULTI'], ['XADD', 'w', '7-1', 'a', 'b'], ['XADD', 'w2', '7-1', 'c', 'd'], ['EXEC']],
          // Both keys written, the second one first: 7.0 serves the key whose write woke the reader.
          [['MULTI'], ['XADD', 'w2', '7-5', 'c', 'd'], ['XADD', 'w', '7-5', 'a', 'b'], ['EXEC']],
          [['EVAL', "return redis.call('XADD', KEYS[1], '8-1', 'x', 'y')", '1', 'w']],
        ]) {
          const waiting = [
            r2.call('XREAD', 'BLOCK', '5000', 'STREAMS', 'w', 'w2', '$', '$'),
            s2.call('XREAD', 'BLOCK', '5000', 'STREAMS', 'w', 'w2', '$', '$'),
            r3.call('XREAD', 'BLOCK', '5000', 'COUNT', '1', 'STREAMS', 'w2', '0'),
            s3.call('XREAD', 'BLOCK', '5000', 'COUNT', '1', 'STREAMS', 'w2', '0'),
          ];
          await new Promise((done) => setTimeout(done, 100));
          for (const step of writes) await compare(step);
          const [a, b, c, d] = await Promise.all(waiting);
          expect(b).toBe(a);
          expect(d).toBe(c);
        }
        // XREADGROUP with > waits the same way; woken, it delivers to its consumer.
        await compare(['XGROUP', 'CREATE', 'w', 'g', '$']);
        const group = [
          r2.call('XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '5000', 'STREAMS', 'w', '>'),
          s2.call('XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '5000', 'STREAMS', 'w', '>'),
        ];
        await new Promise((done) => setTimeout(done, 100));
        await compare(['XADD', 'w', '9-1', 'j', '1']);
        const [ga, gb] = await Promise.all(group);
        expect(gb).toBe(ga);
        await compare(['XPENDING', 'w', 'g']);
        await compare(['XREADGROUP', 'GROUP', 'g', 'c2', 'BLOCK', '50', 'STREAMS', 'w', '>']);
        await compare(['XINFO', 'GROUPS', 'w']);
        // A timeout replies a null array.
        const [a, b] = await Promise.all([
          r2.call('XREAD', 'BLOCK', '50', 'STREAMS', 'none', '$'),
          s2.call('XREAD', 'BLOCK', '50', 'STREAMS', 'none', '$'),
        ]);
        expect(b).toBe(a);
        // A group destroyed under a blocked XREADGROUP: it is answered at once, with its own NOGROUP.
        await compare(['XGROUP', 'CREATE', 'w', 'gone', '$']);
        const destroyed = [
          r2.call('XREADGROUP', 'GROUP', 'gone', 'c', 'BLOCK', '5000', 'STREAMS', 'w', '>'),
          s2.call('XREADGROUP', 'GROUP', 'gone', 'c', 'BLOCK', '5000', 'STREAMS', 'w', '>'),
        ];
        await new Promise((done) => setTimeout(done, 100));
        await compare(['XGROUP', 'DESTROY', 'w', 'gone']);
        const [da, db] = await Promise.all(destroyed);
        expect(da).toBe('-NOGROUP the consumer group this client was blocked on no longer exists\r\n');
        expect(db).toBe(da);
      } finally {
        await Promise.all([r2.close(), s2.close(), r3.close(), s3.close()]);
      }
    });

    it('a seeded random sequence leaves both servers with the same streams', async () => {
      const rand = random(proto === 2 ? 20261206 : 31);
      const keys = ['k0', 'k1'];
      const id = (): string => `${rand.below(60)}-${rand.below(3)}`;
      const bound = (): string => rand.pick(['-', '+', '(', '']) + id();
      const clean = (b: string): string => (b === '-' + id() || b === '+' + id() ? id() : b);
      let ms = 1;
      for (let i = 0; i < 300; i++) {
        const key = rand.pick(keys);
        ms += rand.below(3);
        const ops: Args[] = [
          ['XADD', key, `${ms}-*`, 'f', String(i)],
          ['XADD', key, `${ms}-${rand.below(4)}`, rand.pick(['f', 'g']), String(i)],
          [
            'XADD',
            key,
            'MAXLEN',
            rand.pick(['=', '~']),
            String(rand.below(20)),
            '*'.replace('*', `${ms}-*`),
            'f',
            'v',
          ],
          ['XDEL', key, id(), id()],
          ['XTRIM', key, 'MINID', id()],
          ['XTRIM', key, 'MAXLEN', String(rand.below(30))],
          ['XRANGE', key, clean(bound()), clean(bound()), 'COUNT', String(rand.below(5))],
          ['XREVRANGE', key, clean(bound()), clean(bound())],
          ['XLEN', key],
        ];
        await compare(rand.pick(ops), i);
        if (i % 10 === 0) for (const k of keys) await compare(['XRANGE', k, '-', '+'], { i, k });
      }
    });
  });
});
