import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCommand, encodeCommands, RequestDecoder } from '../src/index.js';

describe('encodeCommand', () => {
  it('writes a RESP array of bulk strings: byte lengths for UTF-8, Buffers as they are', () => {
    expect(encodeCommand(['SET', 'k', 'é', Buffer.from([0, 255])]).toString('latin1')).toBe(
      '*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\xc3\xa9\r\n$2\r\n\x00\xff\r\n',
    );
  });

  it('writes empty arguments and no arguments', () => {
    expect(encodeCommand(['ECHO', '']).toString('latin1')).toBe('*2\r\n$4\r\nECHO\r\n$0\r\n\r\n');
    expect(encodeCommand([]).toString('latin1')).toBe('*0\r\n');
  });

  it('takes any Uint8Array, including a view into a larger buffer', () => {
    const backing = Buffer.from('xxabcxx');
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 3);
    expect(encodeCommand(['GET', view]).toString('latin1')).toBe('*2\r\n$3\r\nGET\r\n$3\r\nabc\r\n');
  });

  it('sizes lengths of every digit count exactly (9, 10, 99, 100, 1 MiB)', () => {
    for (const n of [9, 10, 99, 100, 1 << 20]) {
      const value = Buffer.alloc(n, 'v');
      const bytes = encodeCommand(['SET', 'k', value]);
      expect(bytes.length).toBe(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${n}\r\n`.length + n + 2);
      expect(bytes.subarray(bytes.length - n - 2, bytes.length - 2).equals(value)).toBe(true);
    }
  });
});

describe('encodeCommands', () => {
  it('writes a pipeline into one buffer, one command after the other', () => {
    expect(encodeCommands([['MULTI'], ['SET', 'a', '1'], ['EXEC']]).toString('latin1')).toBe(
      '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*1\r\n$4\r\nEXEC\r\n',
    );
    expect(encodeCommands([])).toHaveLength(0);
  });

  it('is read back exactly by the server side request decoder, for any arguments', () => {
    const arg = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.uint8Array({ maxLength: 300 }));
    fc.assert(
      fc.property(fc.array(fc.array(arg, { minLength: 1, maxLength: 10 }), { maxLength: 20 }), (commands) => {
        const decoder = new RequestDecoder();
        decoder.feed(encodeCommands(commands));
        const decoded: Buffer[][] = [];
        while (decoder.next()) decoded.push(decoder.argv().map((a) => Buffer.from(a)));
        expect(decoded).toEqual(commands.map((args) => args.map((a) => Buffer.from(a))));
      }),
      { numRuns: 500 },
    );
  });
});
