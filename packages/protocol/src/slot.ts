/**
 * Hash slots, as Redis Cluster computes them: CRC16 (the XMODEM variant of redis-server's crc16.c:
 * polynomial 0x1021, initial value 0, no reflection) of the key, or of its hash tag, modulo 16384. The
 * server routes commands by them (CLUSTER KEYSLOT, MOVED); the bridge sends a cluster target's writes to
 * the node of their slot.
 */

/** The number of hash slots. */
export const SLOTS = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc & 0xffff;
  }
  return table;
})();

/** CRC16-XMODEM of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++)
    crc = ((crc << 8) ^ (TABLE[((crc >>> 8) ^ (bytes[i] as number)) & 0xff] as number)) & 0xffff;
  return crc;
}

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }

/**
 * The hash slot of the key `bytes[start, end)`, as redis-server's keyHashSlot: when the key has a `{`
 * followed later by a `}` with at least one byte between them, only the bytes between the first `{` and
 * the first `}` after it are hashed (the hash tag); otherwise the whole key.
 */
export function keySlot(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let s = start;
  while (s < end && bytes[s] !== OPEN) s++;
  if (s === end) return crc16(bytes, start, end) & 0x3fff;
  let e = s + 1;
  while (e < end && bytes[e] !== CLOSE) e++;
  if (e === end || e === s + 1) return crc16(bytes, start, end) & 0x3fff;
  return crc16(bytes, s + 1, e) & 0x3fff;
}
