import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Encoded, formatDouble, R, type Reply, ReplyWriter, RequestDecoder } from '../src/index.js';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/encoder.json', import.meta.url), 'utf8')) as {
  cases: Record<string, { resp2: string; resp3: string }>;
};

/** Each golden case: how it is written. Streaming and value forms are both exercised. */
const cases: Record<string, (w: ReplyWriter) => void> = {
  'simple string': (w) => w.simple('OK'),
  error: (w) => w.error("ERR unknown command 'x'"),
  'error with newlines': (w) => w.error('ERR a\r\nb'.replace('\r\n', '\n')),
  integer: (w) => w.integer(42),
  'negative integer': (w) => w.integer(-9007199254740991),
  'bigint integer': (w) => w.integer(9223372036854775807n),
  'bulk string': (w) => w.bulk(Buffer.from('hello')),
  'empty bulk string': (w) => w.reply(''),
  'utf-8 bulk string': (w) => w.bulkString('é'),
  'null bulk': (w) => w.reply(null),
  'null array': (w) => w.reply(R.nullArray),
  array: (w) => w.reply([1, 'a', null]),
  'empty array': (w) => w.raw(Encoded.emptyArray),
  'nested array': (w) => w.reply([[1], []]),
  map: (w) =>
    w.reply(
      R.map([
        ['server', 'redis'],
        ['proto', 3],
      ]),
    ),
  set: (w) => w.reply(R.set(['a', 'b'])),
  double: (w) => w.double(3.25),
  'integral double': (w) => w.reply(R.double(10)),
  'infinite double': (w) => w.double(Number.POSITIVE_INFINITY),
  'negative infinite double': (w) => w.double(Number.NEGATIVE_INFINITY),
  'nan double': (w) => w.double(Number.NaN),
  'negative zero double': (w) => w.double(-0),
  'boolean true': (w) => w.reply(true),
  'boolean false': (w) => w.boolean(false),
  'big number': (w) => w.reply(R.bignum(3492890328409238509324850943850943825024385n)),
  'verbatim string': (w) => w.reply(R.verbatim('Some string')),
  push: (w) => w.reply(R.push(['message', 'hi'])),
  attribute: (w) => w.reply(R.attribute([['key-popularity', R.map([['a', R.double(0.1923)]])]], [1, 2])),
};

describe('ReplyWriter golden bytes', () => {
  it('has a fixture for every case and a case for every fixture', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(fixtures.cases).sort());
  });
  for (const [name, write] of Object.entries(cases)) {
    for (const protocol of [2, 3] as const) {
      it(`${name} (RESP${protocol})`, () => {
        const w = new ReplyWriter(protocol);
        write(w);
        const expected = fixtures.cases[name]?.[`resp${protocol}`];
        expect(w.takeBuffer().toString('latin1')).toBe(expected);
      });
    }
  }
});

describe('ReplyWriter buffering', () => {
  it('writes a pipeline of replies as one chunk', () => {
    const w = new ReplyWriter(2);
    for (let i = 0; i < 1000; i++) {
      w.ok();
      w.integer(i);
      w.bulkCopy(Buffer.from(`value-${i}`));
    }
    const chunks = w.take();
    expect(chunks).toHaveLength(1);
    expect(w.take()).toEqual([]);
    expect(w.pendingBytes).toBe(0);
  });

  it('passes large bulk values through without copying them', () => {
    const w = new ReplyWriter(2);
    const big = Buffer.alloc(100_000, 0x61);
    w.ok();
    w.bulk(big);
    w.ok();
    expect(w.pendingBytes).toBe(5 + 9 + 100_000 + 2 + 5);
    const chunks = w.take();
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(big);
    expect(Buffer.concat(chunks).toString('latin1')).toBe(
      `+OK\r\n$100000\r\n${'a'.repeat(100_000)}\r\n+OK\r\n`,
    );
  });

  it('never rewrites bytes it has handed out', () => {
    const w = new ReplyWriter(2, 64);
    w.simple('first');
    const first = w.take()[0] as Buffer;
    for (let i = 0; i < 50; i++) w.simple(`later-${i}`);
    expect(first.toString()).toBe('+first\r\n');
    expect(w.takeBuffer().toString()).toContain('+later-49\r\n');
  });

  it('copies with bulkCopy, so the source may change afterwards', () => {
    const w = new ReplyWriter(2);
    const src = Buffer.from('xxhelloxx');
    w.bulkCopy(src, 2, 7);
    src.fill(0);
    expect(w.takeBuffer().toString()).toBe('$5\r\nhello\r\n');
  });

  it('rejects a fractional number given as an integer', () => {
    expect(() => new ReplyWriter().reply(1.5 as Reply)).toThrow(TypeError);
  });

  it('encodes every integer width exactly', () => {
    const w = new ReplyWriter(2);
    const values = [0, 9, 10, 99, 100, 12345, -1, -10, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1)];
    for (const v of values) w.integer(v);
    expect(w.takeBuffer().toString()).toBe(values.map((v) => `:${v}\r\n`).join(''));
  });

  it('produces bytes our own decoder reads back (arrays of bulk strings)', () => {
    const w = new ReplyWriter(2);
    w.reply(['SET', Buffer.from([0, 13, 10, 255]), 'v']);
    const d = new RequestDecoder();
    d.feed(w.takeBuffer());
    expect(d.next()).toBe(true);
    expect(d.argv().map((a) => a.toString('latin1'))).toEqual(['SET', '\x00\r\n\xff', 'v']);
  });
});

describe('formatDouble', () => {
  it.each([
    [1.5, '1.5'],
    [0.1, '0.1'],
    [-2, '-2'],
    [1e20, '100000000000000000000'],
    [3.0e-7, '3e-7'],
  ])('%d → %s', (d, s) => {
    expect(formatDouble(d)).toBe(s);
  });
});
