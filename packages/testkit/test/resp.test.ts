import { describe, expect, it } from 'vitest';
import {
  encodeCommand,
  parseReply,
  RespError,
  RespFormatError,
  replyEnd,
  splitReplies,
} from '../src/resp.js';

/** [description, one complete reply, its decoded value] */
const CASES: [string, string, unknown][] = [
  ['simple string', '+OK\r\n', 'OK'],
  ['error', '-ERR syntax error\r\n', new RespError('ERR syntax error')],
  ['integer', ':-42\r\n', -42],
  ['bulk string', '$5\r\nhello\r\n', 'hello'],
  ['bulk string holding CRLF', '$4\r\n\r\n\r\n\r\n', '\r\n\r\n'],
  ['empty bulk string', '$0\r\n\r\n', ''],
  ['null bulk string', '$-1\r\n', null],
  ['null array', '*-1\r\n', null],
  ['empty array', '*0\r\n', []],
  ['nested array', '*2\r\n*1\r\n:1\r\n$1\r\nx\r\n', [[1], 'x']],
  ['RESP3 null', '_\r\n', null],
  ['RESP3 boolean', '#t\r\n', true],
  ['RESP3 double', ',1.5\r\n', 1.5],
  ['RESP3 infinity', ',-inf\r\n', Number.NEGATIVE_INFINITY],
  ['RESP3 big number', '(12345678901234567890\r\n', 12345678901234567890n],
  ['RESP3 blob error', '!9\r\nERR oops!\r\n', new RespError('ERR oops!')],
  ['RESP3 verbatim string', '=8\r\ntxt:a\r\nb\r\n', 'a\r\nb'],
  ['RESP3 set', '~2\r\n+a\r\n+b\r\n', ['a', 'b']],
  ['RESP3 push', '>2\r\n$7\r\nmessage\r\n:1\r\n', ['message', 1]],
  [
    'RESP3 map',
    '%2\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n',
    new Map<unknown, unknown>([
      ['proto', 3],
      ['modules', []],
    ]),
  ],
  ['RESP3 attribute before a reply', '|1\r\n+ttl\r\n:3\r\n:7\r\n', 7],
];

describe('replyEnd', () => {
  it.each(CASES)('%s: the whole reply in one chunk', (_name, reply) => {
    const buf = Buffer.from(reply, 'latin1');
    expect(replyEnd(buf)).toBe(buf.length);
    expect(replyEnd(Buffer.concat([Buffer.from('+x\r\n'), buf, Buffer.from(':1\r\n')]), 4)).toBe(
      4 + buf.length,
    );
  });

  it.each(CASES)('%s: every shorter prefix (byte by byte) is incomplete', (_name, reply) => {
    const buf = Buffer.from(reply, 'latin1');
    for (let length = 0; length < buf.length; length++) expect(replyEnd(buf.subarray(0, length))).toBe(-1);
  });

  it('rejects unknown type bytes and bad lengths', () => {
    expect(() => replyEnd(Buffer.from('?x\r\n'))).toThrow(RespFormatError);
    expect(() => replyEnd(Buffer.from('$x\r\n'))).toThrow(RespFormatError);
  });
});

describe('splitReplies', () => {
  it('splits concatenated replies and leaves a partial one', () => {
    const all = CASES.map(([, reply]) => reply).join('');
    const buf = Buffer.from(`${all}$10\r\npartial`, 'latin1');
    const { replies, rest } = splitReplies(buf);
    expect(replies.map((r) => r.toString('latin1'))).toEqual(CASES.map(([, reply]) => reply));
    expect(buf.toString('latin1', rest)).toBe('$10\r\npartial');
  });

  it('stops at max', () => {
    const { replies, rest } = splitReplies(Buffer.from('+a\r\n+b\r\n+c\r\n'), 2);
    expect(replies).toHaveLength(2);
    expect(rest).toBe(8);
  });
});

describe('parseReply', () => {
  it.each(CASES)('%s', (_name, reply, value) => {
    expect(parseReply(reply)).toEqual(value);
  });

  it('rejects trailing bytes and incomplete replies', () => {
    expect(() => parseReply('+OK\r\n+OK\r\n')).toThrow(RespFormatError);
    expect(() => parseReply('$5\r\nhel')).toThrow(RespFormatError);
  });
});

describe('encodeCommand', () => {
  it('encodes a RESP array of bulk strings, byte lengths for UTF-8 and Buffers', () => {
    expect(encodeCommand(['SET', 'k', 'é', Buffer.from([0, 255])]).toString('latin1')).toBe(
      '*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\xc3\xa9\r\n$2\r\n\x00\xff\r\n',
    );
  });
});
