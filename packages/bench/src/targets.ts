/**
 * The targets a run measures: sluice-server, and redis-server twice as the reference, once with the
 * same durability as Sluice (AOF, fsync every second) and once without persistence. With `--baseline`, a
 * fourth: the sluice-server of another checkout (`sluice-base`), the build the new one is compared with.
 */
import { connect } from './raw-client.js';
import { type RunningServer, type StartOptions, startRedis, startSluice } from './servers.js';

/** Every target, in column order. */
export const TARGET_NAMES = ['sluice', 'sluice-base', 'redis', 'redis-mem'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** What `--target` accepts. */
export const TARGET_CHOICES = ['sluice', 'redis', 'both'] as const;
export type TargetChoice = (typeof TARGET_CHOICES)[number];

export interface TargetSpec {
  readonly name: TargetName;
  readonly description: string;
  /** Starts a server of this target; suites that need servers of their own (scale, HTTP) call it too. */
  start(options?: StartOptions): Promise<RunningServer>;
  /**
   * Waits until background work a preload may have started is over (redis-server's AOF rewrite), so that
   * it does not land on whichever measured run comes next.
   */
  settle(server: RunningServer, signal: AbortSignal): Promise<void>;
}

/** The targets that need only this checkout and redis-server. */
export const TARGETS: Record<Exclude<TargetName, 'sluice-base'>, TargetSpec> = {
  sluice: {
    name: 'sluice',
    description: 'sluice-server over LMDB',
    start: (options) => startSluice(options),
    settle: async () => {},
  },
  redis: {
    name: 'redis',
    description: 'redis-server, AOF with appendfsync everysec (the like-for-like durability reference)',
    start: (options) => startRedis({ ...options, persistence: 'aof-everysec' }),
    settle: waitForAofRewrite,
  },
  'redis-mem': {
    name: 'redis-mem',
    description: 'redis-server without persistence (appendonly no, no RDB snapshots)',
    start: (options) => startRedis({ ...options, persistence: 'none' }),
    settle: waitForAofRewrite,
  },
};

/** The checkout `--baseline` names: its sluice-server is the target `sluice-base`. */
export interface BaseCheckout {
  /** Absolute path of the checkout. */
  dir: string;
  /** Its `git rev-parse HEAD`, or null when it is not the top of a git checkout. */
  commit: string | null;
  /** Its packages/server/package.json version, or null when that is missing. */
  version: string | null;
}

/** The target `sluice-base`: the other checkout's sluice-server, started exactly as `sluice` is. */
export function baseTarget(checkout: BaseCheckout): TargetSpec {
  const at = checkout.commit === null ? '' : ` at ${checkout.commit.slice(0, 12)}`;
  return {
    name: 'sluice-base',
    description: `sluice-server of the baseline checkout ${checkout.dir}${at}`,
    start: (options) => startSluice({ ...options, checkout: checkout.dir }),
    settle: async () => {},
  };
}

/** How each target of a run is started: `sluice-base` needs the checkout `--baseline` named. */
export function targetSpec(name: TargetName, baseline: BaseCheckout | undefined): TargetSpec {
  if (name !== 'sluice-base') return TARGETS[name];
  if (baseline === undefined) throw new Error('the target sluice-base needs a baseline checkout');
  return baseTarget(baseline);
}

/**
 * `both` is every target; `redis` is both redis-server configurations. A baseline adds `sluice-base` next
 * to `sluice` (with `redis` there is no sluice to compare it with: parseOptions refuses that).
 */
export function targetsFor(choice: TargetChoice, baseline = false): TargetName[] {
  const base: TargetName[] = baseline ? ['sluice-base'] : [];
  switch (choice) {
    case 'sluice':
      return ['sluice', ...base];
    case 'redis':
      return ['redis', 'redis-mem'];
    case 'both':
      return ['sluice', ...base, 'redis', 'redis-mem'];
  }
}

/** Polls INFO persistence until no AOF rewrite is running or scheduled (at most a minute). */
async function waitForAofRewrite(server: RunningServer, signal: AbortSignal): Promise<void> {
  const conn = await connect(server.port);
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      signal.throwIfAborted();
      const info = await conn.command('INFO', 'persistence');
      if (typeof info !== 'string') return;
      if (!/^aof_rewrite_in_progress:1/m.test(info) && !/^aof_rewrite_scheduled:1/m.test(info)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    conn.close();
  }
}
