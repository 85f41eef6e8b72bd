/**
 * The stores the integration suites write to. Every suite runs once per target named in
 * `SLUICE_BRIDGE_TEST_TARGETS` (comma-separated; default `redis,sluice`):
 *
 *   SLUICE_BRIDGE_TEST_TARGETS=redis    only real redis-server
 *   SLUICE_BRIDGE_TEST_TARGETS=sluice   only sluice-server
 */

import { type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { eventually } from './bridge-process.js';

export type TargetKind = 'redis' | 'sluice';

const KNOWN: readonly TargetKind[] = ['redis', 'sluice'];

export function testTargets(): TargetKind[] {
  const raw = process.env.SLUICE_BRIDGE_TEST_TARGETS ?? 'redis,sluice';
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  for (const name of names) {
    if (!(KNOWN as readonly string[]).includes(name)) {
      throw new Error(
        `SLUICE_BRIDGE_TEST_TARGETS: unknown target ${JSON.stringify(name)} (known: ${KNOWN.join(', ')})`,
      );
    }
  }
  if (names.length === 0) throw new Error('SLUICE_BRIDGE_TEST_TARGETS names no target');
  return [...new Set(names)] as TargetKind[];
}

export interface StartTargetOptions {
  dir?: string;
  port?: number;
}

/**
 * Start a target server. redis-server runs without persistence: killed, it comes back empty, which is
 * the harshest case for the bridge (everything must be applied again). sluice-server keeps its LMDB
 * directory, so pass `dir` (and `port`) to restart it with its data.
 */
export function startTarget(kind: TargetKind, options: StartTargetOptions = {}): Promise<RunningServer> {
  return kind === 'redis' ? startRedis(options) : startSluice(options);
}

/**
 * The keys of one of the target's databases (0 unless given) that start with `prefix` (prefix removed), except the bridge's
 * offset records, as key → value.
 */
export async function readState(port: number, prefix = '', db = 0): Promise<Map<string, string>> {
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: true, db });
  await client.connect();
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const state = new Map<string, string>();
    const data = keys.filter((k) => k.startsWith(prefix) && !k.startsWith(`${prefix}__sluice_bridge:`));
    for (let i = 0; i < data.length; i += 1000) {
      const chunk = data.slice(i, i + 1000);
      const values = await client.mget(chunk);
      chunk.forEach((key, j) => {
        const value = values[j];
        if (value !== null && value !== undefined) state.set(key.slice(prefix.length), value);
      });
    }
    return state;
  } finally {
    client.disconnect();
  }
}

/** The offset records of `topic`: partition → stored offset. */
export async function readOffsets(port: number, topic: string, prefix = ''): Promise<Map<number, bigint>> {
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: true });
  await client.connect();
  try {
    const pattern = `${prefix}__sluice_bridge:offset:${topic}:*`;
    const offsets = new Map<number, bigint>();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const value = await client.get(key);
        if (value !== null) offsets.set(Number(key.slice(key.lastIndexOf(':') + 1)), BigInt(value));
      }
    } while (cursor !== '0');
    return offsets;
  } finally {
    client.disconnect();
  }
}

/** Whether the server answers `COMMAND INFO multi` with a command (MULTI/EXEC supported). */
export async function supportsMulti(port: number): Promise<boolean> {
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: true });
  await client.connect();
  try {
    const info = (await client.call('COMMAND', 'INFO', 'MULTI', 'EXEC')) as unknown[];
    return Array.isArray(info[0]) && Array.isArray(info[1]);
  } finally {
    client.disconnect();
  }
}

/** A compact description of how `actual` differs from `expected`, for failure messages. */
export function diffStates(expected: Map<string, string>, actual: Map<string, string>): string {
  const missing: string[] = [];
  const wrong: string[] = [];
  const extra: string[] = [];
  for (const [key, value] of expected) {
    const got = actual.get(key);
    if (got === undefined) missing.push(key);
    else if (got !== value) wrong.push(`${key}: ${got} (expected ${value})`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) extra.push(key);
  const show = (list: string[]) => `${list.length} ${JSON.stringify(list.slice(0, 5))}`;
  return `missing ${show(missing)}, wrong ${show(wrong)}, extra ${show(extra)} (expected ${expected.size} keys, found ${actual.size})`;
}

/** Waits until the target holds exactly `expected` (under `prefix`, in `db`), else fails with the difference. */
export async function waitForState(
  port: number,
  expected: Map<string, string>,
  { prefix = '', db = 0, timeoutMs = 60_000 }: { prefix?: string; db?: number; timeoutMs?: number } = {},
): Promise<void> {
  let actual = new Map<string, string>();
  await eventually(
    async () => {
      actual = await readState(port, prefix, db);
      return diffStates(expected, actual).startsWith('missing 0 [], wrong 0 [], extra 0 []');
    },
    timeoutMs,
    () => `the target did not converge: ${diffStates(expected, actual)}`,
  );
}
