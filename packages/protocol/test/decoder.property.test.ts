import fc from 'fast-check';
// redis-parser is the client-side reply parser from the design card; an array of bulk strings is
// both a request and a reply, so on valid multibulk streams it must agree with our decoder.
import RedisParser from 'redis-parser';
import { describe, expect, it } from 'vitest';
import { ProtocolError, RequestDecoder } from '../src/index.js';
import { cut, cutsArb, multibulk } from './split.js';

const argvArb = fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 12 });
const pipelineArb = fc.array(argvArb, { minLength: 1, maxLength: 20 });
function decodeAll(chunks: Buffer[]): Buffer[][] {
  const d = new RequestDecoder();
  const out: Buffer[][] = [];
  for (const chunk of chunks) {
    d.feed(chunk);
    while (d.next()) out.push(d.argv().map((a) => Buffer.from(a)));
  }
  return out;
}

describe('decoder properties', () => {
  it('any argv encodes and decodes back exactly, however it is split', () => {
    fc.assert(
      fc.property(pipelineArb, cutsArb, (pipeline, cuts) => {
        const input = Buffer.concat(pipeline.map((argv) => multibulk(...argv.map((a) => Buffer.from(a)))));
        const decoded = decodeAll(cut(input, cuts));
        expect(decoded).toEqual(pipeline.map((argv) => argv.map((a) => Buffer.from(a))));
      }),
      { numRuns: 1000 },
    );
  });

  it('any byte string either decodes or yields a protocol error, never another exception or a hang', () => {
    // Bias the bytes towards protocol characters so that deep paths are reached.
    const byteArb = fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(...Buffer.from('*$\r\n0123456789-"\'\\ x')),
    );
    fc.assert(
      fc.property(fc.array(byteArb, { maxLength: 400 }), cutsArb, (bytes, cuts) => {
        const input = Buffer.from(bytes);
        const d = new RequestDecoder({ maxBulkLength: 1000 });
        let consumedCommands = 0;
        try {
          for (const chunk of cut(input, cuts)) {
            d.feed(chunk);
            while (d.next()) {
              consumedCommands++;
              // A decoded command never claims more bytes than it was sent.
              expect(consumedCommands).toBeLessThanOrEqual(input.length);
            }
          }
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with redis-parser on random valid multibulk streams', () => {
    fc.assert(
      fc.property(pipelineArb, cutsArb, (pipeline, cuts) => {
        const input = Buffer.concat(pipeline.map((argv) => multibulk(...argv.map((a) => Buffer.from(a)))));
        const chunks = cut(input, cuts);
        const theirs: Buffer[][] = [];
        const parser = new RedisParser({
          returnBuffers: true,
          returnReply: (reply: unknown) => theirs.push(reply as Buffer[]),
          returnError: (err: Error) => {
            throw err;
          },
        });
        for (const chunk of chunks) parser.execute(chunk);
        expect(decodeAll(chunks)).toEqual(theirs);
      }),
      { numRuns: 1000 },
    );
  });
});
