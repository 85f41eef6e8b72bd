import { describe, expect, it } from 'vitest';
import { encodeCommands, type Reply, ReplyError, ReplyReader } from '../../src/target/resp.js';

describe('encodeCommands', () => {
  it('writes each command as an array of bulk strings, one after the other', () => {
    const bytes = encodeCommands([
      ['SET', Buffer.from('k'), 'välue'],
      ['DEL', Buffer.from([0xff, 0x00])],
    ]);
    expect(bytes).toEqual(
      Buffer.concat([
        Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nvälue\r\n'),
        Buffer.from('*2\r\n$3\r\nDEL\r\n$2\r\n'),
        Buffer.from([0xff, 0x00]),
        Buffer.from('\r\n'),
      ]),
    );
  });

  it('handles empty arguments and large ones', () => {
    const big = Buffer.alloc(100_000, 'x');
    const bytes = encodeCommands([['MSET', '', big]]);
    expect(bytes.subarray(0, 22).toString()).toBe('*3\r\n$4\r\nMSET\r\n$0\r\n\r\n$1');
    expect(bytes.length).toBe(4 + 10 + 6 + 9 + 100_000 + 2);
  });
});

/** Replies as the reader returns them, fed in the given chunks. */
function read(chunks: Buffer[]): Reply[] {
  const reader = new ReplyReader();
  const replies: Reply[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let reply = reader.next(); reply !== undefined; reply = reader.next()) replies.push(reply);
  }
  return replies;
}

const STREAM = Buffer.from(
  '+OK\r\n-ERR wrong\r\n:42\r\n$5\r\nhello\r\n$-1\r\n$0\r\n\r\n*3\r\n+QUEUED\r\n*2\r\n:1\r\n$1\r\nx\r\n*-1\r\n*0\r\n',
);

function expectStream(replies: Reply[]): void {
  expect(replies).toHaveLength(8);
  expect(replies[0]).toBe('OK');
  expect(replies[1]).toBeInstanceOf(ReplyError);
  expect((replies[1] as ReplyError).message).toBe('ERR wrong');
  expect(replies.slice(2)).toEqual([
    42,
    Buffer.from('hello'),
    null,
    Buffer.alloc(0),
    ['QUEUED', [1, Buffer.from('x')], null],
    [],
  ]);
}

describe('ReplyReader', () => {
  it('reads replies from one chunk', () => {
    expectStream(read([STREAM]));
  });

  it('reads replies fed byte by byte', () => {
    expectStream(read([...STREAM].map((b) => Buffer.from([b]))));
  });

  it('reads replies split at random points', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const chunks: Buffer[] = [];
      let at = 0;
      let state = seed;
      while (at < STREAM.length) {
        state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
        const size = 1 + (state % 9);
        chunks.push(STREAM.subarray(at, at + size));
        at += size;
      }
      expectStream(read(chunks));
    }
  });

  it('rejects a byte that cannot start a reply', () => {
    expect(() => read([Buffer.from('?x\r\n')])).toThrow(/unexpected reply byte 0x3f/);
  });
});
