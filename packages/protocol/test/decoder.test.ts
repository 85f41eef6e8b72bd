import { describe, expect, it } from 'vitest';
import { Args, INLINE_MAX_SIZE, parseLength, RequestDecoder } from '../src/index.js';
import { decode, multibulk, SPLIT_MODES, split } from './split.js';

interface Case {
  name: string;
  input: string | Buffer;
  commands: string[][];
  /** The complete error line redis-server sends, or absent when the stream is valid. */
  error?: string;
}

const big = (c: string, n: number) => c.repeat(n);

const cases: Case[] = [
  // Multibulk
  { name: 'one command', input: '*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n', commands: [['GET', 'key']] },
  {
    name: 'a pipeline',
    input: '*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$2\r\nvv\r\n',
    commands: [['PING'], ['GET', 'a'], ['SET', 'b', 'vv']],
  },
  { name: 'an empty argument', input: '*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', commands: [['ECHO', '']] },
  {
    name: 'binary-safe arguments',
    input: '*3\r\n$3\r\nSET\r\n$1\r\n\x00\r\n$5\r\na\r\n\xffb\r\n',
    commands: [['SET', '\x00', 'a\r\n\xffb']],
  },
  { name: '*0 is ignored', input: '*0\r\n*1\r\n$4\r\nPING\r\n', commands: [['PING']] },
  { name: '*-1 is ignored', input: '*-1\r\n*1\r\n$4\r\nPING\r\n', commands: [['PING']] },
  { name: 'negative counts are ignored', input: '*-7\r\n*1\r\n$4\r\nPING\r\n', commands: [['PING']] },
  {
    name: 'the two bytes after a bulk are skipped unread, as redis-server does',
    input: '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n',
    commands: [['PING'], ['PING']],
  },
  { name: 'an incomplete command waits', input: '*2\r\n$3\r\nGET\r\n$3\r\nke', commands: [] },
  { name: 'a declared 512 MB bulk waits for its data', input: '*1\r\n$536870912\r\nabc', commands: [] },
  {
    name: 'a large argument',
    input: multibulk('SET', 'k', big('v', 200_000)),
    commands: [['SET', 'k', big('v', 200_000)]],
  },
  // Multibulk errors
  {
    name: 'letters as count',
    input: '*abc\r\n',
    commands: [],
    error: 'ERR Protocol error: invalid multibulk length',
  },
  {
    name: 'empty count',
    input: '*\r\n',
    commands: [],
    error: 'ERR Protocol error: invalid multibulk length',
  },
  {
    name: 'leading zero',
    input: '*01\r\n',
    commands: [],
    error: 'ERR Protocol error: invalid multibulk length',
  },
  {
    name: 'plus sign',
    input: '*+1\r\n',
    commands: [],
    error: 'ERR Protocol error: invalid multibulk length',
  },
  { name: '-0', input: '*-0\r\n', commands: [], error: 'ERR Protocol error: invalid multibulk length' },
  {
    name: 'count over INT_MAX',
    input: '*2147483648\r\n',
    commands: [],
    error: 'ERR Protocol error: invalid multibulk length',
  },
  {
    name: 'count with 21 digits',
    input: '*100000000000000000000\r\n',
    commands: [],
    error: 'ERR Protocol error: invalid multibulk length',
  },
  {
    name: 'a simple string where a bulk belongs',
    input: '*1\r\n+OK\r\n',
    commands: [],
    error: "ERR Protocol error: expected '$', got '+'",
  },
  {
    name: 'CR where a bulk belongs is shown as a space',
    input: '*1\r\n\r\n',
    commands: [],
    error: "ERR Protocol error: expected '$', got ' '",
  },
  {
    name: 'commands before the error are decoded',
    input: '*1\r\n$4\r\nPING\r\n*1\r\n:1\r\n',
    commands: [['PING']],
    error: "ERR Protocol error: expected '$', got ':'",
  },
  {
    name: 'negative bulk length',
    input: '*1\r\n$-1\r\n',
    commands: [],
    error: 'ERR Protocol error: invalid bulk length',
  },
  {
    name: 'letters as bulk length',
    input: '*1\r\n$x\r\n',
    commands: [],
    error: 'ERR Protocol error: invalid bulk length',
  },
  {
    name: 'bulk over proto-max-bulk-len',
    input: '*1\r\n$536870913\r\n',
    commands: [],
    error: 'ERR Protocol error: invalid bulk length',
  },
  {
    name: 'a count line over 64 KiB',
    input: `*${big('1', INLINE_MAX_SIZE + 1)}`,
    commands: [],
    error: 'ERR Protocol error: too big mbulk count string',
  },
  {
    name: 'a bulk length line over 64 KiB',
    input: `*1\r\n$${big('1', INLINE_MAX_SIZE + 1)}`,
    commands: [],
    error: 'ERR Protocol error: too big bulk count string',
  },
  // Inline
  { name: 'inline with CRLF', input: 'PING\r\n', commands: [['PING']] },
  { name: 'inline with LF', input: 'PING\n', commands: [['PING']] },
  { name: 'inline arguments', input: '  SET   k\tv  \r\n', commands: [['SET', 'k', 'v']] },
  { name: 'empty lines are ignored', input: '\r\n\n   \r\nPING\r\n', commands: [['PING']] },
  { name: 'quotes', input: `SET "a b" 'c d'\r\n`, commands: [['SET', 'a b', 'c d']] },
  { name: 'hex escapes', input: 'ECHO "\\x41\\x4a\\n"\r\n', commands: [['ECHO', 'AJ\n']] },
  {
    name: 'escapes in double quotes',
    input: 'ECHO "a\\"b\\\\c\\t\\r\\b\\a\\q"\n',
    commands: [['ECHO', 'a"b\\c\t\r\b\x07q']],
  },
  { name: '\\x without two hex digits', input: 'ECHO "\\xZZ"\n', commands: [['ECHO', 'xZZ']] },
  { name: 'escaped single quote', input: "ECHO 'it\\'s' 'a\\nb'\n", commands: [['ECHO', "it's", 'a\\nb']] },
  { name: 'empty quoted argument', input: 'ECHO ""\n', commands: [['ECHO', '']] },
  { name: 'quotes inside a word', input: 'ECHO a"b c"\n', commands: [['ECHO', 'ab c']] },
  { name: 'CR inside a line separates', input: 'ECHO a\rb\n', commands: [['ECHO', 'a', 'b']] },
  {
    name: 'vertical tab is skipped, not a separator',
    input: '\x0bECHO a\x0bb\n',
    commands: [['ECHO', 'a\x0bb']],
  },
  { name: 'NUL ends the line', input: 'ECHO a\x00b c\n', commands: [['ECHO', 'a']] },
  {
    name: 'inline and multibulk mixed',
    input: 'PING\r\n*1\r\n$4\r\nPING\r\nECHO x\n',
    commands: [['PING'], ['PING'], ['ECHO', 'x']],
  },
  { name: 'an incomplete line waits', input: 'GET ke', commands: [] },
  {
    name: 'unterminated double quote',
    input: 'SET "a b\r\n',
    commands: [],
    error: 'ERR Protocol error: unbalanced quotes in request',
  },
  {
    name: 'unterminated single quote',
    input: "SET 'a\n",
    commands: [],
    error: 'ERR Protocol error: unbalanced quotes in request',
  },
  {
    name: 'closing quote followed by a letter',
    input: 'SET "a"b\n',
    commands: [],
    error: 'ERR Protocol error: unbalanced quotes in request',
  },
  {
    name: 'an inline request over 64 KiB',
    input: big('a', INLINE_MAX_SIZE + 1),
    commands: [],
    error: 'ERR Protocol error: too big inline request',
  },
  {
    name: 'an inline request of exactly 64 KiB',
    input: `${big('a', INLINE_MAX_SIZE)}\n`,
    commands: [[big('a', INLINE_MAX_SIZE)]],
  },
];

describe('RequestDecoder', () => {
  for (const c of cases) {
    for (const mode of SPLIT_MODES) {
      it(`${c.name} (${mode})`, () => {
        const input = typeof c.input === 'string' ? Buffer.from(c.input, 'latin1') : c.input;
        const result = decode(split(input, mode));
        expect(result.commands).toEqual(c.commands);
        expect(result.error?.reply).toBe(c.error);
        if (c.error) expect(result.error?.name).toBe('ProtocolError');
      });
    }
  }

  it('resumes a length line split after its type byte (fast-check counterexample)', () => {
    const input = Buffer.concat([multibulk(''), multibulk('', '', '\x00'), multibulk('', '', '')]);
    for (let at = 1; at < input.length; at++) {
      const { commands, error } = decode(
        [input.subarray(0, at), input.subarray(at)].map((b) => Buffer.from(b)),
      );
      expect(error).toBeUndefined();
      expect(commands).toEqual([[''], ['', '', '\x00'], ['', '', '']]);
    }
  });

  it('keeps failing after a protocol error', () => {
    const d = new RequestDecoder();
    d.feed(Buffer.from('*1\r\n+x\r\n*1\r\n$4\r\nPING\r\n'));
    expect(() => d.next()).toThrow("expected '$', got '+'");
    expect(() => d.next()).toThrow("expected '$', got '+'");
  });

  it('hands out arguments without copying a command that lies within one chunk', () => {
    const chunk = Buffer.from('*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n');
    const d = new RequestDecoder();
    d.feed(chunk);
    expect(d.next()).toBe(true);
    expect(d.buffer).toBe(chunk);
    expect(d.arg(1).buffer).toBe(chunk.buffer);
    expect(d.argEqualsIgnoreCase(0, Buffer.from('get'))).toBe(true);
    expect(d.argEqualsIgnoreCase(0, Buffer.from('set'))).toBe(false);
    expect(d.argEqualsIgnoreCase(1, Buffer.from('ke'))).toBe(false);
    const copy = d.argCopy(1);
    chunk.write('xyz', chunk.length - 5);
    expect(copy.toString()).toBe('key');
    expect(d.argLength(1)).toBe(3);
    expect(d.next()).toBe(false);
  });

  it('applies a lowered proto-max-bulk-len and multibulk limit', () => {
    expect(
      decode([Buffer.from('*1\r\n$11\r\n')], new RequestDecoder({ maxBulkLength: 10 })).error?.message,
    ).toBe('Protocol error: invalid bulk length');
    expect(decode([multibulk('a', 'b')], new RequestDecoder({ maxMultibulkLength: 1 })).error?.kind).toBe(
      'invalidMultibulkLength',
    );
  });

  it('holds unauthenticated clients to redis-server 7 limits', () => {
    const d = new RequestDecoder();
    d.setAuthRequired(true);
    expect(decode([multibulk(...Array(10).fill('a'))], d).commands).toHaveLength(1);
    const tooMany = new RequestDecoder();
    tooMany.setAuthRequired(true);
    expect(decode([Buffer.from('*11\r\n')], tooMany).error?.reply).toBe(
      'ERR Protocol error: unauthenticated multibulk length',
    );
    const tooBig = new RequestDecoder();
    tooBig.setAuthRequired(true);
    expect(decode([Buffer.from('*1\r\n$16385\r\n')], tooBig).error?.reply).toBe(
      'ERR Protocol error: unauthenticated bulk length',
    );
    const invalid = new RequestDecoder();
    invalid.setAuthRequired(true);
    expect(decode([Buffer.from('*1\r\n$536870913\r\n')], invalid).error?.reply).toBe(
      'ERR Protocol error: invalid bulk length',
    );
    const after = new RequestDecoder();
    after.setAuthRequired(true);
    after.setAuthRequired(false);
    expect(decode([multibulk(...Array(11).fill('a'))], after).commands).toHaveLength(1);
  });

  it('does not allocate declared lengths that were not sent', () => {
    const d = new RequestDecoder();
    d.feed(Buffer.from('*2147483647\r\n$536870912\r\nabc'));
    expect(d.next()).toBe(false);
    d.feed(Buffer.alloc(1000, 0x61));
    expect(d.next()).toBe(false);
    expect(d.allocatedBytes).toBeLessThan(16 * 1024);
    expect(d.bufferedBytes).toBe(1000 + 28);
  });

  it('grows memory with bytes received only, and releases it afterwards', () => {
    const d = new RequestDecoder();
    const value = Buffer.alloc(4 * 1024 * 1024, 0x62);
    const input = multibulk('SET', 'k', value);
    let received = 0;
    for (let pos = 0; pos < input.length; pos += 65536) {
      const chunk = input.subarray(pos, pos + 65536);
      received += chunk.length;
      d.feed(chunk);
      if (pos + 65536 < input.length) {
        expect(d.next()).toBe(false);
        expect(d.allocatedBytes).toBeLessThanOrEqual(2 * received + 4096);
      }
    }
    expect(d.next()).toBe(true);
    expect(d.arg(2).equals(value)).toBe(true);
    d.feed(multibulk('PING'));
    expect(d.next()).toBe(true);
    expect(d.allocatedBytes).toBeLessThan(16 * 1024);
  });

  it('bounds the arguments table by arguments received', () => {
    const d = new RequestDecoder();
    d.feed(Buffer.from('*1000000\r\n'));
    for (let i = 0; i < 100; i++) d.feed(Buffer.from('$1\r\na\r\n'));
    expect(d.next()).toBe(false);
    expect(d.allocatedBytes).toBeLessThan(16 * 1024);
  });

  it('decodes a long random pipeline split anywhere', () => {
    const commands: string[][] = [];
    for (let i = 0; i < 2000; i++) {
      commands.push(i % 3 === 0 ? ['GET', `key:${i}`] : ['SET', `key:${i}`, 'x'.repeat(i % 97)]);
    }
    const input = Buffer.concat(commands.map((argv) => multibulk(...argv)));
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(decode(split(input, 'random splits', seed)).commands).toEqual(commands);
    }
  });
});

describe('parseLength (string2ll)', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['-1', -1],
    ['123456789', 123456789],
    ['9007199254740991', 9007199254740991],
  ])('%s → %d', (s, n) => {
    expect(parseLength(Buffer.from(s), 0, s.length)).toBe(n);
  });
  it.each(['', '-', '01', '+1', ' 1', '1 ', '1a', '-0', '12345678901234567890123', '99999999999999999999'])(
    'rejects %j',
    (s) => {
      expect(parseLength(Buffer.from(s), 0, s.length)).toBeNaN();
    },
  );
});

describe('Args', () => {
  it('keeps a standalone copy of a command', () => {
    const d = new RequestDecoder();
    const chunk = multibulk('SET', 'key', 'value');
    d.feed(chunk);
    expect(d.next()).toBe(true);
    const kept = d.copy();
    chunk.fill(0x7a);
    expect(kept.argv().map((a) => a.toString())).toEqual(['SET', 'key', 'value']);
    expect(kept.argEqualsIgnoreCase(0, Buffer.from('set'))).toBe(true);
    expect(Args.of([Buffer.from('a'), Buffer.alloc(0)]).argLength(1)).toBe(0);
  });
});
