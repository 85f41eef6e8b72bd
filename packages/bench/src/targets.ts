/**
 * The targets a run measures: sluice-server, and redis-server twice as the reference, once with the
 * same durability as Sluice (AOF, fsync every second) and once without persistence.
 */
import { connect } from './raw-client.js';
import { type RunningServer, startRedis, startSluice } from './servers.js';

export const TARGET_NAMES = ['sluice', 'redis', 'redis-mem'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** What `--target` accepts. */
export const TARGET_CHOICES = ['sluice', 'redis', 'both'] as const;
export type TargetChoice = (typeof TARGET_CHOICES)[number];

export interface TargetSpec {
  readonly name: TargetName;
  readonly description: string;
  start(): Promise<RunningServer>;
  /**
   * Waits until background work a preload may have started is over (redis-server's AOF rewrite), so that
   * it does not land on whichever measured run comes next.
   */
  settle(server: RunningServer, signal: AbortSignal): Promise<void>;
}

export const TARGETS: Record<TargetName, TargetSpec> = {
  sluice: {
    name: 'sluice',
    description: 'sluice-server over LMDB',
    start: () => startSluice(),
    settle: async () => {},
  },
  redis: {
    name: 'redis',
    description: 'redis-server, AOF with appendfsync everysec (the like-for-like durability reference)',
    start: () => startRedis({ persistence: 'aof-everysec' }),
    settle: waitForAofRewrite,
  },
  'redis-mem': {
    name: 'redis-mem',
    description: 'redis-server without persistence (appendonly no, no RDB snapshots)',
    start: () => startRedis({ persistence: 'none' }),
    settle: waitForAofRewrite,
  },
};

/** `both` is every target; `redis` is both redis-server configurations. */
export function targetsFor(choice: TargetChoice): TargetName[] {
  switch (choice) {
    case 'sluice':
      return ['sluice'];
    case 'redis':
      return ['redis', 'redis-mem'];
    case 'both':
      return [...TARGET_NAMES];
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
