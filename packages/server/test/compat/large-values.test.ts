/**
 * Values of 16 MiB and more, byte-exact against redis-server 7 and sluice-server. lmdb-js hands such a
 * value back as a view of its memory map rather than in its shared read buffer (a plain Uint8Array, not a
 * Buffer): every command that changes a large string in place, a sorted set with a member that large, and
 * a stream with a field name that large, must read it as it reads any other.
 */
import type { RawClient } from '@sluice/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { bulk, int, OK } from './resp.js';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

/** Past lmdb-js's 16 MiB shared read buffer. */
const LARGE = 17_000_000;

describe.each(targets())('values of 16 MiB and more against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);
  let c: RawClient;
  beforeEach(async () => {
    c = await t.connect();
  });

  it('APPEND, SETRANGE, SETBIT, BITOP and GETRANGE on a large string', async () => {
    expect(await c.call('SETRANGE', 'big', String(LARGE), 'x')).toBe(int(LARGE + 1));
    expect(await c.call('APPEND', 'big', 'yz')).toBe(int(LARGE + 3));
    expect(await c.call('SETRANGE', 'big', '0', 'ab')).toBe(int(LARGE + 3));
    expect(await c.call('SETBIT', 'big', '23', '1')).toBe(int(0));
    expect(await c.call('GETRANGE', 'big', '0', '3')).toBe(bulk(Buffer.from([0x61, 0x62, 0x01, 0x00])));
    expect(await c.call('GETRANGE', 'big', '-4', '-1')).toBe(bulk('\0xyz'));
    expect(await c.call('BITOP', 'OR', 'dest', 'big')).toBe(int(LARGE + 3));
    expect(await c.call('STRLEN', 'dest')).toBe(int(LARGE + 3));
    expect(await c.call('GETRANGE', 'dest', '0', '2')).toBe(bulk(Buffer.from([0x61, 0x62, 0x01])));
  });

  it('a sorted set with a member that large', async () => {
    const member = Buffer.alloc(LARGE, 'm');
    expect(await c.call('ZADD', 'z', '1.5', member, '2', 'small')).toBe(int(2));
    expect(await c.call('ZSCORE', 'z', member)).toBe(bulk('1.5'));
    expect(await c.call('ZADD', 'z', '3', member)).toBe(int(0));
    expect(await c.call('ZRANK', 'z', member)).toBe(int(1));
    expect(await c.call('ZREM', 'z', member)).toBe(int(1));
    expect(await c.call('ZCARD', 'z')).toBe(int(1));
  });

  it('a stream with a field name that large', async () => {
    const field = Buffer.alloc(LARGE, 'f');
    expect(await c.call('XADD', 's', '1-0', field, 'v')).toBe(bulk('1-0'));
    expect(await c.call('XADD', 's', '2-0', 'f', 'v')).toBe(bulk('2-0'));
    expect(await c.call('XLEN', 's')).toBe(int(2));
    expect(await c.call('XDEL', 's', '1-0')).toBe(int(1));
    expect(await c.call('SET', 'after', 'ok')).toBe(OK);
  });
});
