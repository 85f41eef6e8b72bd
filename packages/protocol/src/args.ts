/**
 * A command's arguments as offsets into one buffer: argument i is `buffer[offsets[2i], offsets[2i + 1])`.
 * The request decoder is one (its current command); `Args.of` makes a standalone one that can be kept,
 * for commands queued by MULTI.
 */
import { sliceCopy } from './bytes.js';

export class Args {
  constructor(
    /** Holds the arguments. */
    public buffer: Buffer,
    /** `offsets[2i]`, `offsets[2i + 1]`: start and end of argument i in `buffer`. */
    public offsets: Uint32Array,
    /** Number of arguments. */
    public argc: number,
  ) {}

  /** A standalone copy of `argv`, in one buffer. */
  static of(argv: readonly Uint8Array[]): Args {
    let total = 0;
    for (const a of argv) total += a.length;
    const buffer = Buffer.allocUnsafe(total);
    const offsets = new Uint32Array(2 * argv.length);
    let pos = 0;
    argv.forEach((a, i) => {
      buffer.set(a, pos);
      offsets[2 * i] = pos;
      pos += a.length;
      offsets[2 * i + 1] = pos;
    });
    return new Args(buffer, offsets, argv.length);
  }

  /** A standalone copy of these arguments. */
  copy(): Args {
    return Args.of(this.argv());
  }

  /** Argument i as a view into `buffer` (for a decoder: valid until its next `next()`). */
  arg(i: number): Buffer {
    return this.buffer.subarray(this.offsets[2 * i], this.offsets[2 * i + 1]);
  }

  /** Argument i as a fresh copy that the caller may keep. */
  argCopy(i: number): Buffer {
    return sliceCopy(this.buffer, this.offsets[2 * i] as number, this.offsets[2 * i + 1] as number);
  }

  /** Argument i decoded as a string (UTF-8 unless told otherwise). */
  argString(i: number, encoding: BufferEncoding = 'utf8'): string {
    return this.buffer.toString(encoding, this.offsets[2 * i], this.offsets[2 * i + 1]);
  }

  /** Where argument i starts in `buffer`. */
  argStart(i: number): number {
    return this.offsets[2 * i] as number;
  }

  /** Where argument i ends in `buffer` (exclusive). */
  argEnd(i: number): number {
    return this.offsets[2 * i + 1] as number;
  }

  argLength(i: number): number {
    return (this.offsets[2 * i + 1] as number) - (this.offsets[2 * i] as number);
  }

  /** Whether argument i equals `lower` (lowercase ASCII bytes), ignoring ASCII case. */
  argEqualsIgnoreCase(i: number, lower: Uint8Array): boolean {
    const start = this.offsets[2 * i] as number;
    const end = this.offsets[2 * i + 1] as number;
    if (end - start !== lower.length) return false;
    const buf = this.buffer;
    for (let j = 0; j < lower.length; j++) {
      let c = buf[start + j] as number;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== lower[j]) return false;
    }
    return true;
  }

  /** All arguments as views (allocates one Buffer per argument: for tests and slow paths). */
  argv(): Buffer[] {
    const out = new Array<Buffer>(this.argc);
    for (let i = 0; i < this.argc; i++) out[i] = this.arg(i);
    return out;
  }
}
