/**
 * What the differential tests share to read and compare raw replies (latin1 strings, as `RawClient`
 * returns them), and to replay a random sequence from its seed.
 */
import { connectRaw, type RawClient, type RunningServer } from '@sluice/testkit';

/** A small deterministic generator (an LCG), so that a failing sequence can be replayed from its seed. */
export function random(seed: number): {
  next(): number;
  below(n: number): number;
  pick<T>(items: readonly T[]): T;
} {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return {
    next,
    below: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  };
}

export type Random = ReturnType<typeof random>;

/** The bulk strings of a raw reply (an array or set, possibly nested), in order. */
export function bulkTexts(raw: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < raw.length) {
    const end = raw.indexOf('\r\n', pos);
    const head = raw.slice(pos, end);
    pos = end + 2;
    if (head[0] === '$' && Number(head.slice(1)) >= 0) {
      const n = Number(head.slice(1));
      out.push(raw.slice(pos, pos + n));
      pos += n + 2;
    }
  }
  return out;
}

/** Recursively sorts the items of every aggregate made only of bulk strings. */
export function sortedReply(raw: string): string {
  let pos = 0;
  const line = (): string => {
    const end = raw.indexOf('\r\n', pos);
    const text = raw.slice(pos, end);
    pos = end + 2;
    return text;
  };
  const node = (): string => {
    const head = line();
    const type = head[0] as string;
    const n = Number(head.slice(1));
    if ('$=!'.includes(type)) {
      if (n < 0) return `${head}\r\n`;
      const body = raw.slice(pos, pos + n);
      pos += n + 2;
      return `${head}\r\n${body}\r\n`;
    }
    if ('*~>%|'.includes(type) && n >= 0) {
      const items = Array.from({ length: type === '%' || type === '|' ? 2 * n : n }, node);
      if (items.every((item) => item.startsWith('$'))) items.sort();
      return `${head}\r\n${items.join('')}`;
    }
    return `${head}\r\n`;
  };
  return node();
}

/** A reply's first line: its type and length (a bulk string: its type only; a simple reply: whole). */
export const header = (raw: string): string =>
  /^\$\d/.test(raw) ? '$' : raw.slice(0, raw.indexOf('\r\n') + 2);

/**
 * A raw connection to each server of a differential test (redis-server's first), emptied with FLUSHALL,
 * given the `setup` commands (their replies unread), then switched to RESP3 when `proto` is 3.
 */
export async function openPair(
  redis: RunningServer,
  sluice: RunningServer,
  proto: 2 | 3,
  setup: readonly (readonly string[])[] = [],
): Promise<[RawClient, RawClient]> {
  const pair: [RawClient, RawClient] = [await connectRaw(redis.port), await connectRaw(sluice.port)];
  for (const c of pair) {
    await c.call('FLUSHALL');
    for (const step of setup) await c.call(...step);
    if (proto === 3) await c.call('HELLO', '3');
  }
  return pair;
}

/** Another raw connection to `server`, in protocol `proto`. */
export async function connectIn(server: RunningServer, proto: 2 | 3): Promise<RawClient> {
  const c = await connectRaw(server.port);
  if (proto === 3) await c.call('HELLO', '3');
  return c;
}
