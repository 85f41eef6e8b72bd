/**
 * A closed-loop load generator on a Redis client library: a few connections, each with a fixed number of
 * requests in flight; every request is timed and its latency recorded in an HDR histogram. Runs in its own
 * process (client-worker.ts), so that the harness's own work does not land on the measurement.
 */
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { type KeySampler, seededRandom, uniformSampler, zipfSampler } from './keys.js';

export const LIBRARIES = ['ioredis', 'node-redis'] as const;
export type Library = (typeof LIBRARIES)[number];

export type Workload =
  /** GET or SET of one key, GET with probability `readPercent` / 100. */
  | { kind: 'mix'; readPercent: number }
  /** MGET of `keys` keys, each drawn separately. */
  | { kind: 'mget'; keys: number }
  /**
   * Hashes of `fields` fields each (a record cache, a session store): HGET of a random field with
   * probability `readPercent` / 100, else HSET of a random field to a new value (a counter ahead of the
   * value's bytes, so that every HSET changes its field).
   */
  | { kind: 'hash'; readPercent: number; fields: number }
  /**
   * Sets of up to `members` members each (tags, memberships): SISMEMBER of a random member with
   * probability `readPercent` / 100, else SADD or SREM of a random member, half each.
   */
  | { kind: 'set'; readPercent: number; members: number };

export interface LoadConfig {
  library: Library;
  port: number;
  /**
   * Talk to a Redis Cluster through `port`, one of its nodes: ioredis `Cluster`, node-redis
   * `createCluster`, each routing keys to their slot's node. Absent: one server, ioredis `Redis`,
   * node-redis `createClient`.
   */
  cluster?: boolean;
  connections: number;
  /** Requests in flight on each connection. */
  inFlight: number;
  workload: Workload;
  /** Keys are `<keyPrefix><index>`, the index in `keyDigits` digits, for index in [0, keyspace). */
  keyPrefix: string;
  keyDigits: number;
  keyspace: number;
  distribution: 'uniform' | 'zipf';
  zipfExponent: number;
  valueSize: number;
  /** Unrecorded time before the measured window, for the JIT, the connections and the server's caches. */
  warmupMs: number;
  durationMs: number;
  seed: number;
}

/** Latencies in microseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LoadResult {
  /** Requests that started and finished inside the measured window. */
  ops: number;
  windowMs: number;
  errors: number;
  firstError?: string;
  latencyUs: LatencySummary;
  /** The whole histogram, HdrHistogram's compressed Base64 encoding (microseconds). */
  histogram: string;
}

/** What the load needs of a client library. */
interface Driver {
  get(key: string): Promise<unknown>;
  set(key: string, value: Buffer): Promise<unknown>;
  mget(keys: string[]): Promise<unknown>;
  hget(key: string, field: string): Promise<unknown>;
  hset(key: string, field: string, value: Buffer): Promise<unknown>;
  sismember(key: string, member: string): Promise<unknown>;
  sadd(key: string, member: string): Promise<unknown>;
  srem(key: string, member: string): Promise<unknown>;
  close(): Promise<void>;
}

/** The commands of the hash and set workloads, the same through ioredis's `Redis` and `Cluster`. */
function ioredisCollections(
  client: Redis | Cluster,
): Pick<Driver, 'hget' | 'hset' | 'sismember' | 'sadd' | 'srem'> {
  return {
    hget: (key, field) => client.hget(key, field),
    hset: (key, field, value) => client.hset(key, field, value),
    sismember: (key, member) => client.sismember(key, member),
    sadd: (key, member) => client.sadd(key, member),
    srem: (key, member) => client.srem(key, member),
  };
}

/** The same through node-redis's client and cluster. */
function nodeRedisCollections(client: {
  hGet(key: string, field: string): Promise<unknown>;
  hSet(key: string, field: string, value: Buffer): Promise<unknown>;
  sIsMember(key: string, member: string): Promise<unknown>;
  sAdd(key: string, member: string): Promise<unknown>;
  sRem(key: string, member: string): Promise<unknown>;
}): Pick<Driver, 'hget' | 'hset' | 'sismember' | 'sadd' | 'srem'> {
  return {
    hget: (key, field) => client.hGet(key, field),
    hset: (key, field, value) => client.hSet(key, field, value),
    sismember: (key, member) => client.sIsMember(key, member),
    sadd: (key, member) => client.sAdd(key, member),
    srem: (key, member) => client.sRem(key, member),
  };
}

async function connectDriver(library: Library, port: number, cluster: boolean): Promise<Driver> {
  if (cluster) return connectClusterDriver(library, port);
  switch (library) {
    case 'ioredis': {
      const client = new Redis({
        host: '127.0.0.1',
        port,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      await client.connect();
      return {
        get: (key) => client.get(key),
        set: (key, value) => client.set(key, value),
        mget: (keys) => client.mget(keys),
        ...ioredisCollections(client),
        close: async () => {
          client.disconnect();
        },
      };
    }
    case 'node-redis': {
      const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
      let failure: Error | undefined;
      client.on('error', (err: Error) => {
        failure ??= err;
      });
      await client.connect();
      if (failure) throw failure;
      return {
        get: (key) => client.get(key),
        set: (key, value) => client.set(key, value),
        mget: (keys) => client.mGet(keys),
        ...nodeRedisCollections(client),
        close: () => client.close(),
      };
    }
  }
}

/** A cluster client started from one node; it learns the others from CLUSTER SLOTS. */
async function connectClusterDriver(library: Library, port: number): Promise<Driver> {
  switch (library) {
    case 'ioredis': {
      const client = new Cluster([{ host: '127.0.0.1', port }], {
        lazyConnect: true,
        enableOfflineQueue: true,
        clusterRetryStrategy: () => null,
        redisOptions: { maxRetriesPerRequest: 0 },
      });
      await client.connect();
      return {
        get: (key) => client.get(key),
        set: (key, value) => client.set(key, value),
        mget: (keys) => client.mget(keys),
        ...ioredisCollections(client),
        close: async () => {
          client.disconnect();
        },
      };
    }
    case 'node-redis': {
      const client = createCluster({
        rootNodes: [{ socket: { host: '127.0.0.1', port } }],
        defaults: { socket: { reconnectStrategy: false } },
      });
      let failure: Error | undefined;
      client.on('error', (err: Error) => {
        failure ??= err;
      });
      await client.connect();
      if (failure) throw failure;
      return {
        get: (key) => client.get(key),
        set: (key, value) => client.set(key, value),
        mget: (keys) => client.mGet(keys),
        ...nodeRedisCollections(client),
        close: () => client.close(),
      };
    }
  }
}

/** Stop early when a server keeps failing: the run is failed anyway. */
const MAX_ERRORS = 1000;

export async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const keys = Array.from(
    { length: config.keyspace },
    (_, i) => `${config.keyPrefix}${String(i).padStart(config.keyDigits, '0')}`,
  );
  const sampler: KeySampler =
    config.distribution === 'zipf'
      ? zipfSampler(config.keyspace, config.zipfExponent)
      : uniformSampler(config.keyspace);
  const value = Buffer.alloc(config.valueSize, 'x');
  /** HSET's values: `value` with a counter in its first bytes, a copy per request (requests overlap). */
  let written = 0;
  const nextValue = (): Buffer => {
    const v = Buffer.from(value);
    const n = String(++written);
    v.write(n, 0, Math.min(n.length, v.length), 'latin1');
    return v;
  };
  const histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });

  const drivers = await Promise.all(
    Array.from({ length: config.connections }, () =>
      connectDriver(config.library, config.port, config.cluster ?? false),
    ),
  );
  let ops = 0;
  let errors = 0;
  let firstError: string | undefined;
  const begin = performance.now();
  const windowStart = begin + config.warmupMs;
  const windowEnd = windowStart + config.durationMs;
  let stopping = false;
  const timer = setTimeout(() => {
    stopping = true;
  }, config.warmupMs + config.durationMs);

  const loop = async (driver: Driver, random: () => number) => {
    const key = () => keys[sampler(random)] as string;
    while (!stopping) {
      const started = performance.now();
      try {
        const workload = config.workload;
        if (workload.kind === 'mget') {
          await driver.mget(Array.from({ length: workload.keys }, key));
        } else if (workload.kind === 'hash') {
          const field = `f${Math.floor(random() * workload.fields)}`;
          if (random() * 100 < workload.readPercent) await driver.hget(key(), field);
          else await driver.hset(key(), field, nextValue());
        } else if (workload.kind === 'set') {
          const member = `m${Math.floor(random() * workload.members)}`;
          const r = random() * 100;
          if (r < workload.readPercent) await driver.sismember(key(), member);
          else if (r < workload.readPercent + (100 - workload.readPercent) / 2)
            await driver.sadd(key(), member);
          else await driver.srem(key(), member);
        } else if (random() * 100 < workload.readPercent) {
          await driver.get(key());
        } else {
          await driver.set(key(), value);
        }
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
        if (errors >= MAX_ERRORS) stopping = true;
        continue;
      }
      const finished = performance.now();
      if (started >= windowStart && finished <= windowEnd) {
        histogram.recordValue(Math.max(1, Math.round((finished - started) * 1000)));
        ops++;
      }
    }
  };

  try {
    await Promise.all(
      drivers.flatMap((driver, c) =>
        Array.from({ length: config.inFlight }, (_, slot) =>
          loop(driver, seededRandom(config.seed + c * 1000 + slot)),
        ),
      ),
    );
  } finally {
    clearTimeout(timer);
    await Promise.allSettled(drivers.map((d) => d.close()));
  }
  const windowMs = Math.min(performance.now(), windowEnd) - windowStart;
  const result: LoadResult = {
    ops,
    windowMs,
    errors,
    latencyUs: {
      count: histogram.totalCount,
      min: histogram.minNonZeroValue,
      mean: histogram.mean,
      p50: histogram.getValueAtPercentile(50),
      p90: histogram.getValueAtPercentile(90),
      p99: histogram.getValueAtPercentile(99),
      p999: histogram.getValueAtPercentile(99.9),
      max: histogram.maxValue,
    },
    histogram: encodeIntoCompressedBase64(histogram),
  };
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}
