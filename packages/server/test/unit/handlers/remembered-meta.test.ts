/**
 * Collection metadata remembered between commands (Database.metas, read by `openAt`): a run of commands
 * on one hash or set reads its key's record once, and every way the key can change makes the next
 * command read it again: writes of any kind, expiry (lazy and active), FLUSHDB, and a batch that never
 * commits. (Each database remembers its own keys, so SWAPDB, which swaps whole databases, needs nothing.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { decodeMeta, typeOf } from '../../../src/keyspace/collections.js';
import { expiryOf } from '../../../src/keyspace/encoding.js';
import { R, useKeyspace } from '../context.js';

describe('remembered collection metadata', () => {
  const { ks, context } = useKeyspace();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a run of reads and updates of one set reads its key no more once written', () => {
    const c = context();
    // The SADD that stores the set's metadata remembers it as written.
    c.call('SADD', 's', 'a', 'b', 'c');
    const reads = vi.spyOn(c.db, 'get');
    for (let i = 0; i < 10; i++) {
      expect(c.call('SISMEMBER', 's', 'b')).toBe(R.int(1));
      // An existing member: the metadata is not written again, so it stays remembered.
      expect(c.call('SADD', 's', 'a')).toBe(R.int(0));
      // A new member: the new count is remembered as written.
      expect(c.call('SADD', 's', `n${i}`)).toBe(R.int(1));
    }
    expect(reads).toHaveBeenCalledTimes(0);
    expect(c.call('SCARD', 's')).toBe(R.int(13));
    // Forgotten, the key is read once more, and then remembered again.
    c.db.metas.clear();
    expect(c.call('SCARD', 's')).toBe(R.int(13));
    expect(c.call('SCARD', 's')).toBe(R.int(13));
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('metadata remembered as written is what decoding the written record gives, for every type', () => {
    const c = context();
    const steps: string[][] = [
      ['HSET', 'h', 'f', 'v', 'g', 'w'],
      ['HDEL', 'h', 'f'],
      ['SADD', 's', '1', '2', '3'],
      ['SPOP', 's'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LPUSH', 'l', 'z'],
      ['LPOP', 'l'],
      ['RPOP', 'l', '2'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZREM', 'z', 'a'],
      ['XADD', 'x', '*', 'f', 'v'],
      ['PEXPIRE', 'h', '100000'],
      ['HSET', 'h', 'k', 'v'],
    ];
    for (const step of steps) {
      c.call(...step);
      const name = step[1] as string;
      const known = c.db.metas.get(name);
      if (known == null) continue;
      const record = c.db.get(Buffer.from(name), 0, name.length, c.now);
      expect(record, name).toBeDefined();
      const stored = record as Buffer;
      expect(known.type, name).toBe(typeOf(stored));
      expect(known.expiresAt, name).toBe(expiryOf(stored));
      expect({ ...known.meta }, name).toEqual({ ...decodeMeta(stored) });
    }
    // Every key was remembered by its last write, the expiry's too.
    for (const name of ['h', 's', 'l', 'z', 'x']) expect(c.db.metas.get(name) != null, name).toBe(true);
    expect(c.db.metas.get('h')?.expiresAt).toBeGreaterThan(0);
  });

  it('any write of the key is seen by the next command', () => {
    const c = context();
    c.call('HSET', 'h', 'f', 'v');
    expect(c.call('HLEN', 'h')).toBe(R.int(1));
    expect(c.call('HSET', 'h', 'g', 'v')).toBe(R.int(1));
    expect(c.call('HLEN', 'h')).toBe(R.int(2));
    expect(c.call('DEL', 'h')).toBe(R.int(1));
    expect(c.call('HLEN', 'h')).toBe(R.int(0));
    c.call('SET', 'h', 'string');
    expect(c.call('HLEN', 'h')).toBe(R.err(errorReply('wrongType')));
    c.call('SADD', 'h2', 'm');
    expect(c.call('HLEN', 'h2')).toBe(R.err(errorReply('wrongType')));
    expect(c.call('RENAME', 'h2', 'h')).toBe(R.ok);
    expect(c.call('SCARD', 'h')).toBe(R.int(1));
    expect(c.call('SCARD', 'h2')).toBe(R.int(0));
    c.call('SADD', 'h', 'n');
    expect(c.call('SCARD', 'h')).toBe(R.int(2));
    c.call('FLUSHDB');
    expect(c.call('SCARD', 'h')).toBe(R.int(0));
  });

  it('expiry: a remembered key past its time is read again and found gone, actively expired too', () => {
    const c = context();
    c.call('SADD', 's', 'm');
    expect(c.call('PEXPIRE', 's', '1000')).toBe(R.int(1));
    expect(c.call('SCARD', 's')).toBe(R.int(1));
    c.now += 2000;
    expect(c.call('SCARD', 's')).toBe(R.int(0));
    expect(c.call('SISMEMBER', 's', 'm')).toBe(R.int(0));
    // Active expiry removes a key a command remembered: remembered as without expiry here, so that only
    // the removal can tell the next command.
    c.call('SADD', 't', 'm');
    c.call('PEXPIRE', 't', '50');
    ks().commitNow();
    expect(c.call('SCARD', 't')).toBe(R.int(1));
    const known = c.db.metas.get('t');
    expect(known?.expiresAt).toBeGreaterThan(0);
    if (known != null) c.db.metas.set('t', { ...known, expiresAt: 0 });
    expect(ks().sweep(c.now + 1000)).toBeGreaterThan(0);
    expect(c.call('SCARD', 't')).toBe(R.int(0));
  });

  it('a batch that never commits leaves nothing remembered of its writes', () => {
    const c = context();
    c.call('SADD', 's', 'a');
    ks().commitNow();
    c.call('SADD', 's', 'b');
    // Read from the uncommitted write, and remembered.
    expect(c.call('SCARD', 's')).toBe(R.int(2));
    ks().abandonOpenBatch();
    expect(c.call('SCARD', 's')).toBe(R.int(1));
  });
});
