/**
 * The scripting suite: EVALSHA of the scripts libraries run most, side by side with redis-server. A
 * rate limiter (INCR, and PEXPIRE on the first hit) and a script of ten calls (INCRBY on ten keys), each
 * loaded once with SCRIPT LOAD and run by redis-benchmark as a custom command over random keys.
 */
import { createHash } from 'node:crypto';
import { toolMissing } from '../exec.js';
import { connect } from '../raw-client.js';
import type { BenchRow, Mode, RunContext, Suite, SuitePlan, Target } from '../suite.js';
import { KEYSPACE, REDIS_BENCHMARK, REQUESTS, runRedisBenchmark } from './redis-benchmark.js';

const CLIENTS = 50;

interface ScriptRow {
  id: string;
  label: string;
  script: string;
  pipeline: 1 | 16;
}

const RATE_LIMITER =
  "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";
const TEN_CALLS = "for i = 1, 10 do redis.call('INCRBY', KEYS[1] .. ':' .. i, ARGV[1]) end return 10";

const ROWS: readonly ScriptRow[] = [
  {
    id: 'evalsha-rate-limiter-p1',
    label: 'EVALSHA rate limiter (INCR, PEXPIRE) · -P 1',
    script: RATE_LIMITER,
    pipeline: 1,
  },
  {
    id: 'evalsha-rate-limiter-p16',
    label: 'EVALSHA rate limiter (INCR, PEXPIRE) · -P 16',
    script: RATE_LIMITER,
    pipeline: 16,
  },
  {
    id: 'evalsha-10-calls-p1',
    label: 'EVALSHA 10 calls (INCRBY × 10) · -P 1',
    script: TEN_CALLS,
    pipeline: 1,
  },
];

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The redis-benchmark arguments of a row: EVALSHA as a custom command over a random key. */
export function scriptArgs(row: ScriptRow, requests: number, keyspace: number): string[] {
  const [argument] = row.script === RATE_LIMITER ? ['60000'] : ['1'];
  return [
    '-c',
    `${CLIENTS}`,
    '-r',
    `${keyspace}`,
    '-n',
    `${requests}`,
    '-P',
    `${row.pipeline}`,
    '--csv',
    'EVALSHA',
    sha1(row.script),
    '1',
    'script:__rand_int__',
    argument as string,
  ];
}

/** SCRIPT LOAD on the target (redis-benchmark's EVALSHA needs the script cached). */
async function load(target: Target, script: string, ctx: RunContext): Promise<void> {
  const c = await connect(target.server.port);
  try {
    ctx.signal.throwIfAborted();
    const reply = await c.command('SCRIPT', 'LOAD', script);
    if (String(reply) !== sha1(script)) throw new Error(`SCRIPT LOAD answered ${String(reply)}`);
  } finally {
    c.close();
  }
}

export const scriptingSuite: Suite = {
  name: 'scripting',
  title: 'Lua scripting',
  description:
    'EVALSHA of two scripts, each loaded first with SCRIPT LOAD: a rate limiter (INCR, then PEXPIRE on a ' +
    "key's first hit) and a script of ten calls (INCRBY on ten keys derived from its key), over random keys, " +
    `run by Debian's \`redis-benchmark\` as a custom command with ${CLIENTS} connections. Figures are ` +
    "redis-benchmark's own: scripts per second and latency percentiles in ms.",
  check: () => toolMissing(REDIS_BENCHMARK, ['--version']),
  plan(mode: Mode): SuitePlan {
    const keyspace = KEYSPACE[mode];
    const rows = ROWS.map((spec): BenchRow => {
      const requests = REQUESTS[mode] * (spec.pipeline === 16 ? 2 : 1);
      const args = scriptArgs(spec, requests, keyspace);
      return {
        id: spec.id,
        label: spec.label,
        command: [REDIS_BENCHMARK, '-h', '127.0.0.1', '-p', '<port>', ...args].join(' '),
        async prepare(target: Target, ctx: RunContext) {
          await load(target, spec.script, ctx);
          return { loaded: sha1(spec.script) };
        },
        measure: (target: Target, ctx: RunContext) =>
          runRedisBenchmark(target.server.port, args, requests, ctx.signal),
      };
    });
    return {
      settings: {
        clients: CLIENTS,
        keyspace: `${keyspace.toLocaleString('en-US')} keys`,
        'requests (-P 1 rows)': REQUESTS[mode],
        'requests (-P 16 rows)': REQUESTS[mode] * 2,
        'rate limiter': RATE_LIMITER,
        '10 calls': TEN_CALLS,
      },
      rows,
    };
  },
};
