/**
 * Which servers the differential compatibility suite runs against, and one running server per target per
 * test file. Every assertion is what redis-server 7 replies, so the same tests check sluice-server.
 *
 *   SLUICE_COMPAT_TARGETS=redis,sluice   (default) both
 *   SLUICE_COMPAT_TARGETS=redis          only the reference server, to check the expectations themselves
 */
import {
  connectRaw,
  type RawClient,
  type RunningServer,
  type StartRedisOptions,
  startRedis,
  startSluice,
} from '@sluice/testkit';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export type Target = RunningServer['kind'];

const KNOWN: readonly Target[] = ['redis', 'sluice'];

/** How long starting or stopping a server may take in a hook. */
export const HOOK_TIMEOUT_MS = 60_000;
/** Per-test timeout for compat tests: generous, they talk to real processes. */
export const TEST_TIMEOUT_MS = 30_000;

/** The targets named by `SLUICE_COMPAT_TARGETS` (comma-separated; default `redis,sluice`). */
export function targets(): Target[] {
  const raw = process.env.SLUICE_COMPAT_TARGETS ?? 'redis,sluice';
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!(KNOWN as readonly string[]).includes(name)) {
      throw new Error(
        `SLUICE_COMPAT_TARGETS: unknown target ${JSON.stringify(name)} (known: ${KNOWN.join(', ')})`,
      );
    }
  }
  if (names.length === 0) throw new Error('SLUICE_COMPAT_TARGETS names no target');
  return [...new Set(names)] as Target[];
}

/** Start a server of the given kind on a free port with a fresh temporary directory. */
export function startTarget(target: Target, opts: StartRedisOptions = {}): Promise<RunningServer> {
  return target === 'redis' ? startRedis(opts) : startSluice(opts);
}

/** The server of one `describe.each(targets())` block, available inside tests and hooks. */
export interface TargetServer {
  readonly server: RunningServer;
  readonly port: number;
  /** A raw connection that is closed after the current test. */
  connect(): Promise<RawClient>;
}

/**
 * Start one server for the enclosing describe block (beforeAll), stop it and remove its directory
 * (afterAll), close the test's raw connections after each test, and FLUSHALL before each test so every
 * test starts with empty databases.
 */
export function useServer(target: Target, opts: StartRedisOptions = {}): TargetServer {
  let running: RunningServer | undefined;
  const open = new Set<RawClient>();
  const handle: TargetServer = {
    get server(): RunningServer {
      if (running === undefined) throw new Error(`${target} server is not running (did beforeAll fail?)`);
      return running;
    },
    get port(): number {
      return handle.server.port;
    },
    async connect(): Promise<RawClient> {
      const client = await connectRaw(handle.port);
      open.add(client);
      return client;
    },
  };
  beforeAll(async () => {
    running = await startTarget(target, opts);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await running?.dispose();
  }, HOOK_TIMEOUT_MS);
  beforeEach(async () => {
    const client = await connectRaw(handle.port);
    try {
      // With requirepass the flush needs the password; tests that set one pass it in opts.args.
      const password = passwordOf(opts.args);
      if (password !== undefined) await client.call('AUTH', password);
      const reply = await client.call('FLUSHALL');
      if (reply !== '+OK\r\n') throw new Error(`FLUSHALL before the test failed: ${JSON.stringify(reply)}`);
    } finally {
      await client.close();
    }
  }, HOOK_TIMEOUT_MS);
  afterEach(async () => {
    await Promise.all([...open].map((client) => client.close()));
    open.clear();
  }, HOOK_TIMEOUT_MS);
  return handle;
}

function passwordOf(args: readonly string[] = []): string | undefined {
  const at = args.indexOf('--requirepass');
  return at < 0 ? undefined : args[at + 1];
}
