import { describe, expect, it } from 'vitest';
import {
  decodeReplies,
  PushReply,
  parseReply,
  ReplyDecoder,
  type ReplyDecoderOptions,
  ReplyError,
  ReplyFormatError,
  type ReplyValue,
} from '../src/index.js';
import { SPLIT_MODES, split } from './split.js';

/** [description, one complete reply, its value with `strings: 'latin1'`] */
const CASES: [string, string, ReplyValue][] = [
  ['simple string', '+OK\r\n', 'OK'],
  ['empty simple string', '+\r\n', ''],
  ['error', '-ERR syntax error\r\n', new ReplyError('ERR syntax error')],
  ['integer', ':-42\r\n', -42],
  ['zero', ':0\r\n', 0],
  ['LLONG_MAX, exact', ':9223372036854775807\r\n', 9223372036854775807n],
  ['LLONG_MIN, exact', ':-9223372036854775808\r\n', -9223372036854775808n],
  ['2^53 - 1, a number', ':9007199254740991\r\n', 9007199254740991],
  ['2^53, a bigint', ':9007199254740992\r\n', 9007199254740992n],
  ['bulk string', '$5\r\nhello\r\n', 'hello'],
  ['bulk string holding CRLF', '$4\r\n\r\n\r\n\r\n', '\r\n\r\n'],
  ['binary bulk string', '$3\r\n\x00\xff\r\r\n', '\x00\xff\r'],
  ['empty bulk string', '$0\r\n\r\n', ''],
  ['null bulk string', '$-1\r\n', null],
  ['null array', '*-1\r\n', null],
  ['empty array', '*0\r\n', []],
  ['nested array', '*2\r\n*1\r\n:1\r\n$1\r\nx\r\n', [[1], 'x']],
  ['array of empties', '*3\r\n*0\r\n$0\r\n\r\n*-1\r\n', [[], '', null]],
  ['deep nesting', '*1\r\n*1\r\n*1\r\n*1\r\n+x\r\n', [[[['x']]]]],
  [
    'error inside an array (EXEC)',
    '*2\r\n+OK\r\n-WRONGTYPE bad\r\n',
    ['OK', new ReplyError('WRONGTYPE bad')],
  ],
  ['RESP3 null', '_\r\n', null],
  ['RESP3 true', '#t\r\n', true],
  ['RESP3 false', '#f\r\n', false],
  ['RESP3 double', ',1.5\r\n', 1.5],
  ['RESP3 double with exponent', ',1e+300\r\n', 1e300],
  ['RESP3 infinity', ',inf\r\n', Number.POSITIVE_INFINITY],
  ['RESP3 minus infinity', ',-inf\r\n', Number.NEGATIVE_INFINITY],
  ['RESP3 nan', ',nan\r\n', Number.NaN],
  ['RESP3 big number', '(12345678901234567890\r\n', 12345678901234567890n],
  ['RESP3 blob error', '!9\r\nERR oops!\r\n', new ReplyError('ERR oops!')],
  ['RESP3 verbatim string', '=8\r\ntxt:a\r\nb\r\n', 'a\r\nb'],
  ['RESP3 empty verbatim string', '=4\r\nmkd:\r\n', ''],
  ['RESP3 set', '~2\r\n+a\r\n+b\r\n', ['a', 'b']],
  ['RESP3 empty set', '~0\r\n', []],
  ['RESP3 push', '>2\r\n$7\r\nmessage\r\n:1\r\n', new PushReply(['message', 1])],
  [
    'RESP3 map',
    '%2\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n',
    new Map<ReplyValue, ReplyValue>([
      ['proto', 3],
      ['modules', []],
    ]),
  ],
  ['RESP3 empty map', '%0\r\n', new Map()],
  ['RESP3 map of maps', '%1\r\n+a\r\n%1\r\n+b\r\n:1\r\n', new Map([['a', new Map([['b', 1]])]])],
  ['RESP3 attribute before a reply', '|1\r\n+ttl\r\n:3\r\n:7\r\n', 7],
  ['RESP3 attribute inside an array', '*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n', [1, 2]],
];

/** Feeds the chunks one at a time and collects the replies with their sizes. */
function decodeChunks(chunks: Buffer[], options: ReplyDecoderOptions = { strings: 'latin1' }) {
  const replies: ReplyValue[] = [];
  const sizes: number[] = [];
  const decoder = new ReplyDecoder((reply, size) => {
    replies.push(reply);
    sizes.push(size);
  }, options);
  for (const chunk of chunks) decoder.write(chunk);
  return { replies, sizes, decoder };
}

describe('ReplyDecoder', () => {
  for (const mode of SPLIT_MODES) {
    describe(mode, () => {
      it.each(CASES)('%s', (_name, reply, value) => {
        const bytes = Buffer.from(reply, 'latin1');
        const { replies, sizes, decoder } = decodeChunks(split(bytes, mode));
        expect(replies).toEqual([value]);
        expect(sizes).toEqual([bytes.length]);
        expect(decoder.inReply).toBe(false);
      });

      it('every case back to back: each reply, each size, in order', () => {
        const all = Buffer.from(CASES.map(([, reply]) => reply).join(''), 'latin1');
        const { replies, sizes } = decodeChunks(split(all, mode, 7));
        expect(replies).toEqual(CASES.map(([, , value]) => value));
        expect(sizes).toEqual(CASES.map(([, reply]) => reply.length));
      });

      it('a 1 MiB bulk string among small replies', () => {
        const big = Buffer.alloc(1 << 20, 'z');
        const input = Buffer.concat([
          Buffer.from('+a\r\n*2\r\n$1048576\r\n'),
          big,
          Buffer.from('\r\n:5\r\n+b\r\n'),
        ]);
        const chunks = mode === 'byte by byte' ? split(input, 'random splits', 3) : split(input, mode);
        const { replies, sizes } = decodeChunks(chunks, {});
        expect(replies).toHaveLength(3);
        expect(replies[0]).toBe('a');
        const [value, five] = replies[1] as [Buffer, number];
        expect(value.equals(big)).toBe(true);
        expect(five).toBe(5);
        expect(replies[2]).toBe('b');
        expect(sizes).toEqual([4, input.length - 8, 4]);
      });
    });
  }

  it('waits on every prefix of a reply, and says it is inside one', () => {
    for (const [, reply] of CASES) {
      const bytes = Buffer.from(reply, 'latin1');
      for (let n = 1; n < bytes.length; n++) {
        const { replies, decoder } = decodeChunks([bytes.subarray(0, n)]);
        expect(replies).toEqual([]);
        expect(decoder.inReply).toBe(true);
      }
    }
  });

  it('gives bulk strings as Buffers of their own by default, as utf8 strings when asked', () => {
    const chunk = Buffer.from('*2\r\n$2\r\nhi\r\n$2\r\n\xc3\xa9\r\n+\xc3\xa9\r\n', 'latin1');
    const { replies } = decodeChunks([chunk], {});
    const [hi, e] = replies[0] as Buffer[];
    expect(hi).toEqual(Buffer.from('hi'));
    expect(e).toEqual(Buffer.from('é'));
    chunk.fill(0);
    expect(hi?.toString()).toBe('hi'); // a copy, not a view of the chunk
    expect(replies[1]).toBe('é');
    expect(decodeChunks([Buffer.from('$2\r\n\xc3\xa9\r\n', 'latin1')], { strings: 'utf8' }).replies).toEqual([
      'é',
    ]);
  });

  it('names the error code of an error reply', () => {
    expect((parseReply('-WRONGTYPE Operation\r\n') as ReplyError).code).toBe('WRONGTYPE');
    expect((parseReply('-ERR\r\n') as ReplyError).code).toBe('ERR');
  });

  const MALFORMED: [string, string][] = [
    ['an unknown type byte', '?x\r\n'],
    ['a length that is not a number', '$x\r\n'],
    ['an empty length', '*\r\n'],
    ['a negative length other than -1', '$-2\r\n'],
    ['-1 where RESP3 has no null', '%-1\r\n'],
    ['a bulk string not followed by CRLF', '$1\r\nabc\r\n'],
    ['a line ending in CR alone', '+OK\rx\n'],
    ['an integer with letters', ':12a\r\n'],
    ['an empty integer', ':\r\n'],
    ['a bad boolean', '#x\r\n'],
    ['a bad double', ',abc\r\n'],
    ['a null with a payload', '_x\r\n'],
    ['a verbatim string without its prefix', '=2\r\nab\r\n'],
  ];

  for (const mode of SPLIT_MODES) {
    it.each(MALFORMED)(`rejects %s (${mode}), and keeps rejecting`, (_name, input) => {
      const decoder = new ReplyDecoder(() => {});
      const write = () => {
        for (const chunk of split(Buffer.from(input, 'latin1'), mode)) decoder.write(chunk);
      };
      expect(write).toThrow(ReplyFormatError);
      expect(() => decoder.write(Buffer.from('+OK\r\n'))).toThrow(ReplyFormatError);
      decoder.reset();
      const replies: ReplyValue[] = [];
      const fresh = new ReplyDecoder((r) => replies.push(r));
      fresh.write(Buffer.from('+OK\r\n'));
      expect(replies).toEqual(['OK']);
    });
  }

  it('starts over after reset, inside a reply or after an error', () => {
    const replies: ReplyValue[] = [];
    const decoder = new ReplyDecoder((r) => replies.push(r));
    decoder.write(Buffer.from('*2\r\n$5\r\nhel'));
    decoder.reset();
    expect(decoder.inReply).toBe(false);
    decoder.write(Buffer.from('+OK\r\n'));
    expect(() => decoder.write(Buffer.from('?\r\n'))).toThrow(ReplyFormatError);
    decoder.reset();
    decoder.write(Buffer.from(':1\r\n'));
    expect(replies).toEqual(['OK', 1]);
  });
});

describe('decodeReplies and parseReply', () => {
  it('decodeReplies returns the complete replies, their sizes and where the rest begins', () => {
    const { replies, sizes, rest } = decodeReplies(Buffer.from('+a\r\n:1\r\n$10\r\npartial'), {
      strings: 'latin1',
    });
    expect(replies).toEqual(['a', 1]);
    expect(sizes).toEqual([4, 4]);
    expect(rest).toBe(8);
  });

  it.each(CASES)('parseReply: %s', (_name, reply, value) => {
    expect(parseReply(reply, { strings: 'latin1' })).toEqual(value);
  });

  it('parseReply rejects trailing bytes and incomplete replies', () => {
    expect(() => parseReply('+OK\r\n+OK\r\n')).toThrow(ReplyFormatError);
    expect(() => parseReply('+OK\r\n+')).toThrow(ReplyFormatError);
    expect(() => parseReply('$5\r\nhel')).toThrow(ReplyFormatError);
    expect(() => parseReply('')).toThrow(ReplyFormatError);
  });
});
