/**
 * Splitting of inline commands (`SET "a b" c\r\n`), a port of redis-server's `sdssplitargs`:
 * blanks separate arguments; double quotes allow `\n \r \t \b \a`, `\\x41`-style hex escapes and `\\c`
 * for any other c; single quotes allow only `\'`; a closing quote must be followed by a blank or the
 * end of the line; a NUL byte ends the line (the C string ends there).
 */

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;
const LOWER_X = 0x78;

function isSpace(c: number): boolean {
  return c === SPACE || (c >= TAB && c <= CR); // \t \n \v \f \r: C's isspace()
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function escaped(c: number): number {
  switch (c) {
    case 0x6e:
      return LF; // n
    case 0x72:
      return CR; // r
    case 0x74:
      return TAB; // t
    case 0x62:
      return 0x08; // b
    case 0x61:
      return 0x07; // a
    default:
      return c;
  }
}

export interface InlineArgs {
  /** The unescaped arguments, back to back. */
  buffer: Buffer;
  /** `offsets[2i]` and `offsets[2i + 1]` bound argument i in `buffer`. */
  offsets: number[];
}

/**
 * Splits `src[start, end)` into arguments. Returns null on unbalanced quotes, like `sdssplitargs`.
 * The unescaped output is never longer than the input, so one buffer of the line's length holds it.
 */
export function splitInlineArgs(src: Uint8Array, start: number, end: number): InlineArgs | null {
  const out = Buffer.allocUnsafe(end - start);
  const offsets: number[] = [];
  let o = 0;
  let p = start;
  // Reading past the end or at a NUL behaves as the C code's terminating NUL.
  const at = (i: number): number => (i < end ? (src[i] as number) : 0);

  for (;;) {
    while (p < end && src[p] !== 0 && isSpace(src[p] as number)) p++;
    if (at(p) === 0) return { buffer: out, offsets };
    const argStart = o;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (
          c === BACKSLASH &&
          at(p + 1) === LOWER_X &&
          hexValue(at(p + 2)) >= 0 &&
          hexValue(at(p + 3)) >= 0
        ) {
          out[o++] = hexValue(at(p + 2)) * 16 + hexValue(at(p + 3));
          p += 3;
        } else if (c === BACKSLASH && at(p + 1) !== 0) {
          p++;
          out[o++] = escaped(at(p));
        } else if (c === DQUOTE) {
          const next = at(p + 1);
          if (next !== 0 && !isSpace(next)) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          out[o++] = c;
        }
      } else if (inSingle) {
        if (c === BACKSLASH && at(p + 1) === SQUOTE) {
          p++;
          out[o++] = SQUOTE;
        } else if (c === SQUOTE) {
          const next = at(p + 1);
          if (next !== 0 && !isSpace(next)) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else {
          out[o++] = c;
        }
      } else if (c === SPACE || c === LF || c === CR || c === TAB || c === 0) {
        done = true;
      } else if (c === DQUOTE) {
        inDouble = true;
      } else if (c === SQUOTE) {
        inSingle = true;
      } else {
        out[o++] = c;
      }
      if (at(p) !== 0) p++;
    }
    offsets.push(argStart, o);
  }
}
