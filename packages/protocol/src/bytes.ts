/**
 * Byte copies for the hot paths of the server and the codecs. Node's `Buffer.from(view)` and
 * `set(subarray)` go through a view object and a generic path that cost more than the copy itself for
 * the short runs (keys, members, small values) that most requests carry.
 */

/**
 * Copies `src[start, end)` into `out` at `pos`. Short runs byte by byte: a loop beats allocating the
 * view (`subarray`) that `set` needs, and keys, members and small values are mostly short.
 */
export function copyBytes(out: Uint8Array, pos: number, src: Uint8Array, start: number, end: number): void {
  const len = end - start;
  if (len <= 64) for (let i = 0; i < len; i++) out[pos + i] = src[start + i] as number;
  else out.set(src.subarray(start, end), pos);
}

/** `src[start, end)` in a fresh buffer (`copyBytes`: cheaper than `Buffer.from` of a view). */
export function sliceCopy(src: Uint8Array, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  copyBytes(out, 0, src, start, end);
  return out;
}
