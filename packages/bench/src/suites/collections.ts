/**
 * The collections suite: what a write or a read of one element costs in a small collection and in a large
 * one (10⁶ elements in the full run), side by side with redis-server. Sluice stores one LMDB entry per
 * element, so the two should cost nearly the same; the report gives both, and Sluice's large-over-small
 * ratio is the cost growth. A last row times DEL of the large hash.
 *
 * Rows run redis-benchmark with a custom command over random fields or members (`__rand_int__`); the
 * large collections are filled first, unmeasured, by pipelined HSET/SADD/RPUSH of 1,000 elements each.
 * HSET rows set a random value too (redis-benchmark draws each `__rand_int__` on its own), so that each
 * one changes its field: Sluice writes nothing for a field set to the value it holds, and a row of
 * unchanged values would measure reads.
 * List rows rotate a list (LMOVE from its tail to its head: a pop and a push, the length unchanged) and
 * read its first 100 elements (LRANGE 0 99), in a list of 100 elements and in the large one. Sorted-set
 * rows add random members with random scores (ZADD), read a score (ZSCORE) and a rank (ZRANK), and read
 * the 10 members after a random score (ZRANGE … BYSCORE LIMIT 0 10); the large set is filled with members
 * whose scores are their numbers. Stream rows read the large stream (entries `<n>-0`) through a consumer
 * group one new entry at a time (XREADGROUP … COUNT 1 … >) and acknowledge random entries (XACK).
 */
import { toolMissing } from '../exec.js';
import { connect } from '../raw-client.js';
import {
  type BenchRow,
  type Mode,
  type RunContext,
  type Suite,
  type SuitePlan,
  sluiceRatios,
  type Target,
} from '../suite.js';
import type { TargetName } from '../targets.js';
import { REDIS_BENCHMARK, REQUESTS, runRedisBenchmark } from './redis-benchmark.js';

const CLIENTS = 50;
const PIPELINE = 16;
/** Elements of the large collections. */
export const LARGE: Record<Mode, number> = { full: 1_000_000, quick: 100_000, tiny: 10_000 };
/** Elements the small collections get (random names drawn over this many). */
const SMALL = 100;
const FILL_CHUNK = 1000;

interface CollectionRow {
  id: string;
  label: string;
  /** The command after `-r`: its key and a `__rand_int__` element. */
  command: string[];
  /** The collection it needs filled first (large rows, small lists), or none. */
  fill?: Fill;
  large: boolean;
}

const HASH_BIG = 'coll:hash:large';
const SET_BIG = 'coll:set:large';
const LIST_BIG = 'coll:list:large';
const LIST_SMALL = 'coll:list:small';
const ZSET_BIG = 'coll:zset:large';
const STREAM_BIG = 'coll:stream:large';

type Fill = 'hash' | 'set' | 'list' | 'small-list' | 'zset' | 'stream';
/** The key each fill fills. */
const FILL_KEYS: Record<Fill, string> = {
  hash: HASH_BIG,
  set: SET_BIG,
  list: LIST_BIG,
  'small-list': LIST_SMALL,
  zset: ZSET_BIG,
  stream: STREAM_BIG,
};

const ROWS: readonly CollectionRow[] = [
  {
    id: 'hset-small',
    label: 'HSET · small hash',
    command: ['HSET', 'coll:hash:small', 'f:__rand_int__', '__rand_int__'],
    large: false,
  },
  {
    id: 'hset-large',
    label: 'HSET · large hash',
    command: ['HSET', HASH_BIG, 'f:__rand_int__', '__rand_int__'],
    fill: 'hash',
    large: true,
  },
  {
    id: 'hget-small',
    label: 'HGET · small hash',
    command: ['HGET', 'coll:hash:small', 'f:__rand_int__'],
    large: false,
  },
  {
    id: 'hget-large',
    label: 'HGET · large hash',
    command: ['HGET', HASH_BIG, 'f:__rand_int__'],
    fill: 'hash',
    large: true,
  },
  {
    id: 'sadd-small',
    label: 'SADD · small set',
    command: ['SADD', 'coll:set:small', 'm:__rand_int__'],
    large: false,
  },
  {
    id: 'sadd-large',
    label: 'SADD · large set',
    command: ['SADD', SET_BIG, 'm:__rand_int__'],
    fill: 'set',
    large: true,
  },
  {
    id: 'sismember-small',
    label: 'SISMEMBER · small set',
    command: ['SISMEMBER', 'coll:set:small', 'm:__rand_int__'],
    large: false,
  },
  {
    id: 'sismember-large',
    label: 'SISMEMBER · large set',
    command: ['SISMEMBER', SET_BIG, 'm:__rand_int__'],
    fill: 'set',
    large: true,
  },
  {
    id: 'lmove-small',
    label: 'LMOVE (rotate) · small list',
    command: ['LMOVE', LIST_SMALL, LIST_SMALL, 'RIGHT', 'LEFT'],
    fill: 'small-list',
    large: false,
  },
  {
    id: 'lmove-large',
    label: 'LMOVE (rotate) · large list',
    command: ['LMOVE', LIST_BIG, LIST_BIG, 'RIGHT', 'LEFT'],
    fill: 'list',
    large: true,
  },
  {
    id: 'lrange-small',
    label: 'LRANGE 0 99 · small list',
    command: ['LRANGE', LIST_SMALL, '0', '99'],
    fill: 'small-list',
    large: false,
  },
  {
    id: 'lrange-large',
    label: 'LRANGE 0 99 · large list',
    command: ['LRANGE', LIST_BIG, '0', '99'],
    fill: 'list',
    large: true,
  },
  {
    id: 'zadd-small',
    label: 'ZADD · small sorted set',
    command: ['ZADD', 'coll:zset:small', '__rand_int__', 'm:__rand_int__'],
    large: false,
  },
  {
    id: 'zadd-large',
    label: 'ZADD · large sorted set',
    command: ['ZADD', ZSET_BIG, '__rand_int__', 'm:__rand_int__'],
    fill: 'zset',
    large: true,
  },
  {
    id: 'zscore-small',
    label: 'ZSCORE · small sorted set',
    command: ['ZSCORE', 'coll:zset:small', 'm:__rand_int__'],
    large: false,
  },
  {
    id: 'zscore-large',
    label: 'ZSCORE · large sorted set',
    command: ['ZSCORE', ZSET_BIG, 'm:__rand_int__'],
    fill: 'zset',
    large: true,
  },
  {
    id: 'zrank-small',
    label: 'ZRANK · small sorted set',
    command: ['ZRANK', 'coll:zset:small', 'm:__rand_int__'],
    large: false,
  },
  {
    id: 'zrank-large',
    label: 'ZRANK · large sorted set',
    command: ['ZRANK', ZSET_BIG, 'm:__rand_int__'],
    fill: 'zset',
    large: true,
  },
  {
    id: 'zrange-small',
    label: 'ZRANGE BYSCORE LIMIT 0 10 · small sorted set',
    command: ['ZRANGE', 'coll:zset:small', '(__rand_int__', '+inf', 'BYSCORE', 'LIMIT', '0', '10'],
    large: false,
  },
  {
    id: 'zrange-large',
    label: 'ZRANGE BYSCORE LIMIT 0 10 · large sorted set',
    command: ['ZRANGE', ZSET_BIG, '(__rand_int__', '+inf', 'BYSCORE', 'LIMIT', '0', '10'],
    fill: 'zset',
    large: true,
  },
  {
    id: 'xreadgroup-large',
    label: 'XREADGROUP COUNT 1, new entries · large stream',
    command: ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', STREAM_BIG, '>'],
    fill: 'stream',
    large: true,
  },
  {
    id: 'xack-large',
    label: 'XACK · large stream, its entries pending',
    // The entries' ids are their numbers (`<n>-0`): a random one is acknowledged (again: 0).
    command: ['XACK', STREAM_BIG, 'g', '__rand_int__-0'],
    fill: 'stream',
    large: true,
  },
];

/** redis-benchmark's arguments for a row (after `-h … -p …`). */
export function collectionArgs(row: CollectionRow, requests: number, mode: Mode): string[] {
  const range = row.large ? LARGE[mode] : SMALL;
  return [
    '-c',
    `${CLIENTS}`,
    '-r',
    `${range}`,
    '-n',
    `${requests}`,
    '-P',
    `${PIPELINE}`,
    '--csv',
    ...row.command,
  ];
}

/**
 * Fills `key` with `count` elements `f:000000000000`… (redis-benchmark's __rand_int__ form; `e:…` in a
 * list), pipelined.
 */
async function fill(
  port: number,
  key: string,
  kind: 'hash' | 'set' | 'list' | 'zset' | 'stream',
  count: number,
  signal: AbortSignal,
): Promise<void> {
  const c = await connect(port, '127.0.0.1', 30_000);
  try {
    if (kind === 'stream') {
      // Entries `<n>-0` for n from 1, one XADD each (pipelined), then a group that has read none.
      let pending: Promise<unknown>[] = [];
      for (let i = 1; i <= count; i++) {
        if (i % FILL_CHUNK === 0) signal.throwIfAborted();
        pending.push(c.command('XADD', key, `${i}-0`, 'f', 'v'));
        if (pending.length >= FILL_CHUNK) {
          await Promise.all(pending);
          pending = [];
        }
      }
      await Promise.all(pending);
      await c.command('XGROUP', 'CREATE', key, 'g', '0');
      return;
    }
    const prefix = { hash: 'f', set: 'm', list: 'e', zset: 'm' }[kind];
    const name = (i: number) => `${prefix}:${String(i).padStart(12, '0')}`;
    let pending: Promise<unknown>[] = [];
    for (let start = 0; start < count; start += FILL_CHUNK) {
      signal.throwIfAborted();
      const args: string[] = [];
      for (let i = start; i < Math.min(count, start + FILL_CHUNK); i++) {
        if (kind === 'hash') args.push(name(i), 'v');
        else if (kind === 'zset') args.push(String(i), name(i));
        else args.push(name(i));
      }
      pending.push(c.command({ hash: 'HSET', set: 'SADD', list: 'RPUSH', zset: 'ZADD' }[kind], key, ...args));
      if (pending.length >= 16) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
  } finally {
    c.close();
  }
}

export const collectionsSuite: Suite = {
  name: 'collections',
  title: 'Collections',
  description:
    'What one element costs in a small collection and in a large one: HSET of random fields to random ' +
    'values and HGET of random fields, ' +
    'SADD and SISMEMBER of random members, LMOVE rotating a list and LRANGE of its first 100 elements, ' +
    'ZADD, ZSCORE, ZRANK and a 10-member ZRANGE BYSCORE of a sorted set, ' +
    'XREADGROUP of one new entry and XACK of a random pending one in a large stream, ' +
    'in a collection of about 100 elements and in one filled first ' +
    `(unmeasured) with 10⁶ elements in the full run, by Debian's \`redis-benchmark\` with ${CLIENTS} ` +
    `connections and \`-P ${PIPELINE}\`. A second table gives the time of DEL of the large hash (Sluice ` +
    'drops its metadata and reclaims the fields in the background; redis-server frees them before it replies).',
  check: () => toolMissing(REDIS_BENCHMARK, ['--version']),
  plan(mode: Mode, targets: readonly TargetName[]): SuitePlan {
    const requests = REQUESTS[mode] * 2;
    /** Per target, the large collections filled so far. */
    const filled = new Map<TargetName, Set<string>>();
    const prepareFill = async (target: Target, kind: Fill, ctx: RunContext) => {
      const done = filled.get(target.name) ?? new Set<string>();
      filled.set(target.name, done);
      if (done.has(kind)) return undefined;
      const started = Date.now();
      const count = kind === 'small-list' ? SMALL : LARGE[mode];
      await fill(
        target.server.port,
        FILL_KEYS[kind],
        kind === 'small-list' ? 'list' : kind,
        count,
        ctx.signal,
      );
      done.add(kind);
      return { filled: count, fillMs: Date.now() - started };
    };
    const rows: BenchRow[] = ROWS.map((spec) => {
      const args = collectionArgs(spec, requests, mode);
      return {
        id: spec.id,
        label: spec.label,
        command: [REDIS_BENCHMARK, '-h', '127.0.0.1', '-p', '<port>', ...args].join(' '),
        prepare:
          spec.fill === undefined ? undefined : (target, ctx) => prepareFill(target, spec.fill as Fill, ctx),
        measure: (target, ctx) => runRedisBenchmark(target.server.port, args, requests, ctx.signal),
      };
    });
    rows.push({
      id: 'del-large-hash',
      label: `DEL · hash of ${LARGE[mode].toLocaleString('en-US')} fields`,
      command: `DEL ${HASH_BIG} (one command, timed by the client)`,
      prepare: (target, ctx) => prepareFill(target, 'hash', ctx),
      async measure(target, ctx) {
        ctx.signal.throwIfAborted();
        const c = await connect(target.server.port, '127.0.0.1', 30_000);
        try {
          const started = process.hrtime.bigint();
          const deleted = await c.command('DEL', HASH_BIG);
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          filled.get(target.name)?.delete('hash');
          return { measurement: { rps: 1000 / ms, delMs: ms }, detail: { deleted } };
        } finally {
          c.close();
        }
      },
    });
    const throughput = rows.filter((r) => r.id !== 'del-large-hash').map((r) => r.id);
    return {
      settings: {
        clients: CLIENTS,
        pipeline: PIPELINE,
        'requests per row': requests,
        'small collections': `${SMALL} random names`,
        'large collections': `${LARGE[mode].toLocaleString('en-US')} elements`,
      },
      rows,
      tables: [
        {
          caption: 'Throughput (requests per second, higher is better):',
          columns: [
            { header: 'rps', figures: ['rps'], format: 'rate' },
            { header: 'p50 / p99 ms', figures: ['p50Ms', 'p99Ms'], format: 'ms' },
          ],
          ratios: sluiceRatios(targets, 'rps'),
          rows: throughput,
        },
        {
          caption: 'DEL of the large hash (milliseconds until the reply, lower is better):',
          columns: [{ header: 'DEL ms', figures: ['delMs'], format: 'ms' }],
          ratios: sluiceRatios(targets, 'delMs'),
          rows: ['del-large-hash'],
        },
      ],
      charts: sluiceRatios(targets, 'rps').length > 0 ? [{ kind: 'ratio-bars' }] : [],
    };
  },
};
