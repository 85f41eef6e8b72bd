import fc from 'fast-check';
// redis-parser is the reply parser ioredis uses: on RESP2 streams our decoder must agree with it.
import RedisParser from 'redis-parser';
import { describe, expect, it } from 'vitest';
import {
  formatDouble,
  PushReply,
  R,
  type Reply,
  ReplyDecoder,
  ReplyError,
  ReplyFormatError,
  type ReplyValue,
  ReplyWriter,
} from '../src/index.js';
import { cut, cutsArb } from './split.js';

function ours(chunks: Buffer[]): { replies: ReplyValue[]; sizes: number[] } {
  const replies: ReplyValue[] = [];
  const sizes: number[] = [];
  const decoder = new ReplyDecoder((reply, size) => {
    replies.push(reply);
    sizes.push(size);
  });
  for (const chunk of chunks) decoder.write(chunk);
  return { replies, sizes };
}

function theirs(chunks: Buffer[]): unknown[] {
  const replies: unknown[] = [];
  const parser = new RedisParser({
    returnBuffers: true,
    returnReply: (reply: unknown) => replies.push(reply),
    returnError: (err: Error) => replies.push({ error: err.message }),
    returnFatalError: (err: Error) => {
      throw err;
    },
  });
  for (const chunk of chunks) parser.execute(chunk);
  // Inside an array, redis-parser leaves an error reply as an Error element.
  const plain = (v: unknown): unknown =>
    v instanceof Error ? { error: v.message } : Array.isArray(v) ? v.map(plain) : v;
  return replies.map(plain);
}

/** Our values in redis-parser's shapes: with `returnBuffers` it gives simple strings as Buffers too. */
function comparable(value: ReplyValue): unknown {
  if (value instanceof ReplyError) return { error: value.message };
  if (typeof value === 'string') return Buffer.from(value);
  if (Array.isArray(value)) return value.map(comparable);
  return value;
}

// A RESP2 reply as bytes, for the redis-parser comparison.
const line = fc.stringMatching(/^[ -~]{0,20}$/);
const resp2: fc.Arbitrary<Buffer> = fc.letrec<{ reply: Buffer }>((tie) => ({
  reply: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    line.map((s) => Buffer.from(`+${s}\r\n`)),
    line.map((s) => Buffer.from(`-ERR ${s}\r\n`)),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map((n) => Buffer.from(`:${n}\r\n`)),
    fc
      .uint8Array({ maxLength: 200 })
      .map((b) => Buffer.concat([Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n')])),
    fc.constant(Buffer.from('$-1\r\n')),
    fc.constant(Buffer.from('*-1\r\n')),
    fc
      .array(tie('reply'), { maxLength: 5 })
      .map((items) => Buffer.concat([Buffer.from(`*${items.length}\r\n`), ...items])),
  ),
})).reply;

// A reply as a value for our own encoder, with the value the decoder must give back for it.
type Pair = { reply: Reply; expected: (protocol: 2 | 3) => ReplyValue };
const scalar: fc.Arbitrary<Pair> = fc.oneof(
  line.map((s) => ({ reply: R.simple(s), expected: () => s })),
  line.map((s) => ({ reply: R.error(`ERR ${s}`), expected: () => new ReplyError(`ERR ${s}`) })),
  fc.maxSafeInteger().map((n) => ({ reply: n, expected: () => n })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => ({
    reply: R.bignum(n),
    expected: (p: 2 | 3) => (p === 3 ? n : Buffer.from(String(n))),
  })),
  fc.uint8Array({ maxLength: 100 }).map((b) => ({ reply: Buffer.from(b), expected: () => Buffer.from(b) })),
  fc.boolean().map((b) => ({ reply: b, expected: (p: 2 | 3) => (p === 3 ? b : b ? 1 : 0) })),
  fc.constant({ reply: null, expected: () => null }),
  fc.double({ noNaN: true }).map((d) => ({
    reply: R.double(d),
    expected: (p: 2 | 3) => (p === 3 ? d : Buffer.from(formatDouble(d))),
  })),
  line.map((s) => ({
    reply: R.verbatim(s),
    expected: () => Buffer.from(s),
  })),
);
const tree: fc.Arbitrary<Pair> = fc.letrec<{ pair: Pair }>((tie) => ({
  pair: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('pair'), { maxLength: 4 }).map((items) => ({
      reply: items.map((i) => i.reply),
      expected: (p: 2 | 3) => items.map((i) => i.expected(p)),
    })),
    fc.array(tie('pair'), { maxLength: 4 }).map((items) => ({
      reply: R.set(items.map((i) => i.reply)),
      expected: (p: 2 | 3) => items.map((i) => i.expected(p)),
    })),
    fc.array(tie('pair'), { maxLength: 4 }).map((items) => ({
      reply: R.push(items.map((i) => i.reply)),
      expected: (p: 2 | 3) =>
        p === 3 ? new PushReply(items.map((i) => i.expected(p))) : items.map((i) => i.expected(p)),
    })),
    fc.uniqueArray(fc.tuple(line, tie('pair')), { maxLength: 4, selector: ([k]) => k }).map((entries) => ({
      reply: R.map(entries.map(([k, v]) => [k, v.reply] as const)),
      expected: (p: 2 | 3) =>
        p === 3
          ? new Map(entries.map(([k, v]) => [Buffer.from(k), v.expected(p)]))
          : entries.flatMap(([k, v]) => [Buffer.from(k), v.expected(p)]),
    })),
    fc.tuple(line, tie('pair')).map(([k, v]) => ({
      reply: R.attribute([[k, 1]], v.reply),
      expected: (p: 2 | 3) => v.expected(p),
    })),
  ),
})).pair;

describe('reply decoder properties', () => {
  it('agrees with redis-parser on any RESP2 stream, however it is split', () => {
    fc.assert(
      fc.property(fc.array(resp2, { minLength: 1, maxLength: 10 }), cutsArb, (replies, cuts) => {
        const input = Buffer.concat(replies);
        const chunks = cut(input, cuts);
        const decoded = ours(chunks);
        expect(decoded.replies.map(comparable)).toEqual(theirs(chunks));
        expect(decoded.sizes).toEqual(replies.map((r) => r.length));
      }),
      { numRuns: 1000 },
    );
  });

  for (const protocol of [2, 3] as const) {
    it(`decodes whatever our own encoder writes in RESP${protocol}, however it is split`, () => {
      fc.assert(
        fc.property(fc.array(tree, { minLength: 1, maxLength: 6 }), cutsArb, (pairs, cuts) => {
          const writer = new ReplyWriter(protocol);
          const sizes: number[] = [];
          for (const { reply } of pairs) {
            const before = writer.pendingBytes;
            writer.reply(reply);
            sizes.push(writer.pendingBytes - before);
          }
          const decoded = ours(cut(writer.takeBuffer(), cuts));
          expect(decoded.replies).toEqual(pairs.map((p) => p.expected(protocol)));
          expect(decoded.sizes).toEqual(sizes);
        }),
        { numRuns: 500 },
      );
    });
  }

  it('any byte string either decodes or is a format error, the same however it is split', () => {
    const byteArb = fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(...Buffer.from('*$%~>|!=(,#_+-:\r\n0123456789-tf')),
    );
    fc.assert(
      fc.property(fc.array(byteArb, { maxLength: 300 }), cutsArb, (bytes, cuts) => {
        const input = Buffer.from(bytes);
        const run = (chunks: Buffer[]): { replies: ReplyValue[]; failed: boolean } => {
          const replies: ReplyValue[] = [];
          const decoder = new ReplyDecoder((r) => replies.push(r));
          try {
            for (const chunk of chunks) decoder.write(chunk);
          } catch (err) {
            if (!(err instanceof ReplyFormatError)) throw err;
            return { replies, failed: true };
          }
          return { replies, failed: false };
        };
        expect(run(cut(input, cuts))).toEqual(run([input]));
      }),
      { numRuns: 2000 },
    );
  });
});
