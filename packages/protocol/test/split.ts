import fc from 'fast-check';
import { ProtocolError, RequestDecoder } from '../src/index.js';

/** A small deterministic PRNG so that random splits are reproducible from the seed in a failure. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export type SplitMode = 'one chunk' | 'byte by byte' | 'random splits';
export const SPLIT_MODES: readonly SplitMode[] = ['one chunk', 'byte by byte', 'random splits'];

export function split(input: Buffer, mode: SplitMode, seed = 42): Buffer[] {
  if (mode === 'one chunk') return [input];
  if (mode === 'byte by byte') return [...input].map((b) => Buffer.from([b]));
  const next = rng(seed);
  const chunks: Buffer[] = [];
  let pos = 0;
  while (pos < input.length) {
    const len = 1 + Math.floor(next() * Math.min(64, input.length - pos));
    // Copy, so that each chunk is its own Buffer as a socket would deliver it.
    chunks.push(Buffer.from(input.subarray(pos, pos + len)));
    pos += len;
  }
  return chunks;
}

export interface Decoded {
  commands: string[][];
  error?: ProtocolError;
}

/** Feeds the chunks one at a time, draining complete commands after each (as a server does). */
export function decode(
  chunks: Buffer[],
  decoder = new RequestDecoder(),
  encoding: BufferEncoding = 'latin1',
): Decoded {
  const commands: string[][] = [];
  try {
    for (const chunk of chunks) {
      decoder.feed(chunk);
      while (decoder.next()) {
        const argv: string[] = [];
        for (let i = 0; i < decoder.argc; i++) argv.push(decoder.argString(i, encoding));
        commands.push(argv);
      }
    }
  } catch (err) {
    if (err instanceof ProtocolError) return { commands, error: err };
    throw err;
  }
  return { commands };
}

export function multibulk(...argv: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Split points for property tests, as fractions of the input length. */
export const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });

/** `input` cut at the given fractions of its length, each chunk a Buffer of its own. */
export function cut(input: Buffer, fractions: number[]): Buffer[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * input.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, input.length]) {
    if (p > prev) chunks.push(Buffer.from(input.subarray(prev, p)));
    prev = p;
  }
  return chunks;
}
