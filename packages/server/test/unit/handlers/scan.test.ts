import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, type TestContext, useKeyspace } from '../context.js';

const syntax = R.err(errorReply('syntax'));
const invalidCursor = R.err(errorReply('invalidCursor'));

/** Reads one bulk string at `at` of a RESP reply: its text and where the next reply starts. */
function bulkAt(reply: string, at: number): [string, number] {
  const eol = reply.indexOf('\r\n', at);
  expect(reply[at]).toBe('$');
  const len = Number(reply.slice(at + 1, eol));
  return [reply.slice(eol + 2, eol + 2 + len), eol + 4 + len];
}

/** An array of bulk strings at `at`, and where the next reply starts. */
function bulksAt(reply: string, at: number): [string[], number] {
  const eol = reply.indexOf('\r\n', at);
  expect(reply[at]).toBe('*');
  const n = Number(reply.slice(at + 1, eol));
  const items: string[] = [];
  let next = eol + 2;
  for (let i = 0; i < n; i++) {
    const [item, after] = bulkAt(reply, next);
    items.push(item);
    next = after;
  }
  return [items, next];
}

/** KEYS' answer, sorted (LMDB answers in key order, redis-server in hash order). */
function keys(c: TestContext, pattern: string): string[] {
  const [items, end] = bulksAt(c.call('KEYS', pattern), 0);
  expect(end).toBeGreaterThan(0);
  return items.sort();
}

/** One SCAN call: the next cursor and the keys. */
function scan(c: TestContext, ...args: string[]): { cursor: string; keys: string[] } {
  const reply = c.call('SCAN', ...args);
  expect(reply.startsWith('*2\r\n')).toBe(true);
  const [cursor, next] = bulkAt(reply, 4);
  const [found, end] = bulksAt(reply, next);
  expect(end).toBe(reply.length);
  return { cursor, keys: found };
}

describe('KEYS', () => {
  const { ks, context } = useKeyspace();

  it('matches glob patterns: * ? [set] [^set] [a-z] and escapes, case-sensitively', () => {
    const c = context();
    c.call('MSET', 'hello', '1', 'hallo', '2', 'hxllo', '3', 'hllo', '4', 'heeeello', '5', 'Hello', '6');
    c.call('MSET', 'a*b', '7', 'ab', '8', 'h-llo', '9');
    ks().commitNow();
    expect(keys(c, '*')).toEqual([
      'Hello',
      'a*b',
      'ab',
      'h-llo',
      'hallo',
      'heeeello',
      'hello',
      'hllo',
      'hxllo',
    ]);
    expect(keys(c, 'h?llo')).toEqual(['h-llo', 'hallo', 'hello', 'hxllo']);
    expect(keys(c, 'h*llo')).toEqual(['h-llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']);
    expect(keys(c, 'h[ae]llo')).toEqual(['hallo', 'hello']);
    expect(keys(c, 'h[^e]llo')).toEqual(['h-llo', 'hallo', 'hxllo']);
    expect(keys(c, 'h[a-e]llo')).toEqual(['hallo', 'hello']);
    expect(keys(c, 'h[-]llo')).toEqual(['h-llo']);
    expect(keys(c, 'a\\*b')).toEqual(['a*b']);
    expect(keys(c, 'a*b')).toEqual(['a*b', 'ab']);
    expect(keys(c, 'H*')).toEqual(['Hello']);
    expect(keys(c, '[')).toEqual([]);
    expect(c.call('KEYS', 'nomatch*')).toBe(R.array());
  });

  it('skips expired keys and reads only the selected database', () => {
    const c = context();
    c.call('SET', 'live', 'v');
    c.call('SET', 'gone', 'v', 'PX', '10000');
    c.call('SELECT', '1');
    c.call('SET', 'elsewhere', 'v');
    c.call('SELECT', '0');
    ks().commitNow();
    c.now += 20_000;
    expect(c.call('KEYS', '*')).toBe(R.array(R.bulk('live')));
  });

  it('answers binary keys as they are', () => {
    const c = context();
    const key = Buffer.from([0x68, 0, 0xff]);
    c.call('SET', key, 'v');
    ks().commitNow();
    expect(c.call('KEYS', 'h*')).toBe(`*1\r\n$3\r\n${key.toString('latin1')}\r\n`);
  });
});

describe('SCAN', () => {
  const { ks, context } = useKeyspace();

  it('an empty database answers cursor 0 and no keys', () => {
    const c = context();
    ks().commitNow();
    expect(c.call('SCAN', '0')).toBe(R.array(R.bulk('0'), R.array()));
  });

  it('a cursor continued to the end returns every key exactly once, COUNT keys per call', () => {
    const c = context();
    const all: string[] = [];
    for (let i = 0; i < 25; i++) all.push(`key:${i}`);
    c.call('MSET', ...all.flatMap((k) => [k, 'v']));
    ks().commitNow();
    const seen: string[] = [];
    let cursor = '0';
    let calls = 0;
    do {
      const page = scan(c, cursor, 'COUNT', '7');
      expect(page.keys.length).toBeLessThanOrEqual(7);
      seen.push(...page.keys);
      cursor = page.cursor;
      calls++;
      expect(calls).toBeLessThan(10);
    } while (cursor !== '0');
    expect(calls).toBe(4);
    expect(seen.sort()).toEqual([...all].sort());
  });

  it('COUNT defaults to 10; a scan that reaches the end answers cursor 0', () => {
    const c = context();
    for (let i = 0; i < 12; i++) c.call('SET', `k${i}`, 'v');
    ks().commitNow();
    const first = scan(c, '0');
    expect(first.keys.length).toBe(10);
    expect(first.cursor).not.toBe('0');
    const rest = scan(c, first.cursor);
    expect(rest).toEqual({ cursor: '0', keys: expect.any(Array) });
    expect([...first.keys, ...rest.keys].sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `k${i}`).sort(),
    );
    expect(scan(c, '0', 'COUNT', '100').cursor).toBe('0');
  });

  it('MATCH filters the keys a call examined; TYPE string keeps all, other types none', () => {
    const c = context();
    c.call('MSET', 'a1', '1', 'a2', '2', 'b1', '3');
    ks().commitNow();
    expect(scan(c, '0', 'MATCH', 'a*').keys.sort()).toEqual(['a1', 'a2']);
    expect(scan(c, '0', 'match', '*1', 'COUNT', '100').keys.sort()).toEqual(['a1', 'b1']);
    expect(scan(c, '0', 'TYPE', 'STRING').keys.sort()).toEqual(['a1', 'a2', 'b1']);
    expect(scan(c, '0', 'TYPE', 'list')).toEqual({ cursor: '0', keys: [] });
    expect(scan(c, '0', 'TYPE', 'bogus')).toEqual({ cursor: '0', keys: [] });
    expect(scan(c, '0', 'MATCH', 'b*', 'TYPE', 'string', 'COUNT', '5').keys).toEqual(['b1']);
  });

  it('skips expired keys', () => {
    const c = context();
    c.call('SET', 'live', 'v');
    c.call('SET', 'gone', 'v', 'PX', '10000');
    ks().commitNow();
    c.now += 20_000;
    expect(scan(c, '0')).toEqual({ cursor: '0', keys: ['live'] });
  });

  it('a cursor that is not a decimal number is invalidCursor, before the options are read', () => {
    const c = context();
    for (const cursor of ['abc', '1.5', ' 1', '1x', '0x10']) {
      expect(c.call('SCAN', cursor), JSON.stringify(cursor)).toBe(invalidCursor);
    }
    expect(c.call('SCAN', 'x', 'COUNT', '0')).toBe(invalidCursor);
  });

  // redis-server reads the cursor with strtoul, which takes a sign and reads
  // an empty string as 0.
  it("SCAN -1, SCAN +0 and SCAN '' are valid cursors, as redis-server reads them", () => {
    const c = context();
    ks().commitNow();
    const done = R.array(R.bulk('0'), R.array());
    expect([c.call('SCAN', '-1'), c.call('SCAN', '+0'), c.call('SCAN', '')]).toEqual([done, done, done]);
  });

  // strtoul sets ERANGE past 2^64 - 1, and redis-server refuses the cursor.
  it('a cursor past 18446744073709551615 is invalidCursor, as redis-server answers', () => {
    const c = context();
    expect(c.call('SCAN', '18446744073709551616')).toBe(invalidCursor);
  });

  it('COUNT below 1 is a syntax error; COUNT that is not an integer is notInteger', () => {
    const c = context();
    expect(c.call('SCAN', '0', 'COUNT', '0')).toBe(syntax);
    expect(c.call('SCAN', '0', 'COUNT', '-1')).toBe(syntax);
    expect(c.call('SCAN', '0', 'COUNT', 'x')).toBe(R.err(errorReply('notInteger')));
    expect(c.call('SCAN', '0', 'COUNT', '9223372036854775808')).toBe(R.err(errorReply('notInteger')));
  });

  it('an option without its value, or an unknown one, is a syntax error', () => {
    const c = context();
    expect(c.call('SCAN', '0', 'COUNT')).toBe(syntax);
    expect(c.call('SCAN', '0', 'MATCH')).toBe(syntax);
    expect(c.call('SCAN', '0', 'TYPE')).toBe(syntax);
    expect(c.call('SCAN', '0', 'FOO', 'bar')).toBe(syntax);
    expect(c.call('SCAN', '0', 'MATCH', '*', 'COUNT')).toBe(syntax);
  });
});
