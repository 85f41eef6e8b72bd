import { parseReply, type ReplyValue } from '@sluice/protocol';

/**
 * Expected reply bytes, written the way they appear on the wire (latin1 strings, as `RawClient` returns
 * them), so assertions read like the protocol: `expect(await c.call('GET', 'k')).toBe(bulk('v'))`.
 */

export const OK = '+OK\r\n';
/** RESP2 null bulk string. */
export const NIL = '$-1\r\n';
/** RESP3 null. */
export const NULL3 = '_\r\n';
/** The RESP2 or RESP3 null reply. */
export const nil = (proto: 2 | 3): string => (proto === 3 ? NULL3 : NIL);

export const simple = (text: string): string => `+${text}\r\n`;
export const error = (text: string): string => `-${text}\r\n`;
export const int = (n: number | bigint): string => `:${n}\r\n`;
/** A bulk string; a Buffer is converted byte for byte (latin1), like `RawClient` replies. */
export const bulk = (value: string | Buffer): string => {
  const text = typeof value === 'string' ? value : value.toString('latin1');
  return `$${Buffer.byteLength(text, 'latin1')}\r\n${text}\r\n`;
};
/** An array of already-encoded replies. */
export const array = (...items: string[]): string => `*${items.length}\r\n${items.join('')}`;
/** An array of bulk strings. */
export const bulks = (...items: string[]): string => array(...items.map((item) => bulk(item)));

/** Redis's common error messages, exactly. */
export const ERR = {
  syntax: error('ERR syntax error'),
  notInteger: error('ERR value is not an integer or out of range'),
  setExpire: error("ERR invalid expire time in 'set' command"),
  dbRange: error('ERR DB index is out of range'),
  intRange: error('ERR value is out of range, value must between -2147483648 and 2147483647'),
  arity: (command: string): string => error(`ERR wrong number of arguments for '${command}' command`),
  wrongType: error('WRONGTYPE Operation against a key holding the wrong kind of value'),
  noAuth: error('NOAUTH Authentication required.'),
  wrongPass: error('WRONGPASS invalid username-password pair or user is disabled.'),
} as const;

/** A raw reply (as `RawClient` returns it) decoded, bulk strings as latin1 strings. */
export function parse(raw: string): ReplyValue {
  return parseReply(raw, { strings: 'latin1' });
}

/** `ReplyValue`s paired up: a RESP3 map, or a RESP2 flat `[k1, v1, k2, v2, ...]` array. */
export function entries(value: unknown): [unknown, unknown][] {
  if (value instanceof Map) return [...value.entries()];
  if (!Array.isArray(value) || value.length % 2 !== 0) {
    throw new Error(`expected a map or a flat array of pairs, got ${JSON.stringify(value)}`);
  }
  const pairs: [unknown, unknown][] = [];
  for (let i = 0; i < value.length; i += 2) pairs.push([value[i], value[i + 1]]);
  return pairs;
}
