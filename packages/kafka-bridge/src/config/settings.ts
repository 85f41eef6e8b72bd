/**
 * The settings of sluice-bridge, as data: one entry per setting. The command line (`--name value`), the
 * environment (`SLUICE_BRIDGE_NAME`), `--help` and the generated docs page all read this table.
 */

export type SettingType = 'string' | 'integer' | 'enum' | 'brokers' | 'topic' | 'url';

/** The section of the docs and of `--help` a setting is listed in. */
export type SettingGroup = 'Kafka' | 'Target' | 'Readiness and HTTP' | 'Tuning' | 'Process';

interface SpecBase {
  /** The command-line name (`--name`), lowercase with dashes; the environment variable is derived from it. */
  readonly name: string;
  readonly type: SettingType;
  readonly group: SettingGroup;
  /** One or two sentences for `--help` and the docs. */
  readonly description: string;
  /** Start fails when it is missing. */
  readonly required?: boolean;
  /** Contains a secret (a password in a URL): never logged or echoed in error messages. */
  readonly sensitive?: boolean;
  /** Shown as the default in the docs when the default is computed at start (`group-id`). */
  readonly defaultText?: string;
}

export interface IntegerSpec extends SpecBase {
  readonly type: 'integer';
  /** Absent: the setting is off unless given (`http-port`). */
  readonly default?: number;
  readonly min: number;
  readonly max: number;
}

export interface StringSpec extends SpecBase {
  readonly type: 'string';
  readonly default?: string;
  /** Whether the empty string is accepted. */
  readonly allowEmpty?: boolean;
}

export interface EnumSpec extends SpecBase {
  readonly type: 'enum';
  readonly default: string;
  readonly values: readonly string[];
}

/** A comma-separated list of `host:port`. */
export interface BrokersSpec extends SpecBase {
  readonly type: 'brokers';
}

/** A Kafka topic name: 1 to 249 of `[a-zA-Z0-9._-]`, not `.` or `..`. */
export interface TopicSpec extends SpecBase {
  readonly type: 'topic';
}

/** `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). */
export interface UrlSpec extends SpecBase {
  readonly type: 'url';
  readonly default: string;
}

export type SettingSpec = IntegerSpec | StringSpec | EnumSpec | BrokersSpec | TopicSpec | UrlSpec;

/** The prefix of every environment variable that sets a setting. */
export const ENV_PREFIX = 'SLUICE_BRIDGE_';

/** `http-port` → `SLUICE_BRIDGE_HTTP_PORT`. */
export function envName(name: string): string {
  return `${ENV_PREFIX}${name.toUpperCase().replaceAll('-', '_')}`;
}

const INT32_MAX = 2_147_483_647;

export const SETTINGS = [
  {
    name: 'brokers',
    type: 'brokers',
    group: 'Kafka',
    required: true,
    description:
      'Kafka bootstrap servers, as `host:port` separated by commas. The bridge finds the rest of the cluster from them.',
  },
  {
    name: 'topic',
    type: 'topic',
    group: 'Kafka',
    required: true,
    description:
      'The topic to materialize, normally a compacted one. Every partition is read, including partitions added later.',
  },
  {
    name: 'group-id',
    type: 'string',
    group: 'Kafka',
    defaultText: '`sluice-bridge.<topic>.<hostname>`',
    description:
      'Kafka consumer group. The bridge commits its progress to it so that lag tools can see it, but resumes from the offsets stored in the target. Bridges writing to different targets need different groups; the default (the hostname is the pod name in Kubernetes) gives each replica its own.',
  },
  {
    name: 'client-id',
    type: 'string',
    group: 'Kafka',
    default: 'sluice-bridge',
    description: 'Client id sent to the brokers, shown in their logs and quotas.',
  },
  {
    name: 'session-timeout-ms',
    type: 'integer',
    group: 'Kafka',
    default: 30_000,
    min: 1_000,
    max: INT32_MAX,
    description:
      'How long the group coordinator waits for a heartbeat before it gives this bridge’s partitions to another member. After a bridge is killed, a new member of the same group waits up to this long for the old one to be dropped.',
  },
  {
    name: 'metadata-max-age-ms',
    type: 'integer',
    group: 'Kafka',
    default: 30_000,
    min: 100,
    max: INT32_MAX,
    description:
      'How often the topic’s metadata is refreshed; partitions added to the topic are picked up within this time.',
  },
  {
    name: 'commit-interval-ms',
    type: 'integer',
    group: 'Kafka',
    default: 5_000,
    min: 100,
    max: INT32_MAX,
    description:
      'How often the applied offsets are committed to the Kafka consumer group (for lag tools only; never read back).',
  },
  {
    name: 'kafka-tls',
    type: 'enum',
    group: 'Kafka',
    default: 'no',
    values: ['no', 'yes'],
    description:
      'Connect to the brokers over TLS. The server certificates are checked against the system’s CAs, or `kafka-tls-ca-file`.',
  },
  {
    name: 'kafka-tls-ca-file',
    type: 'string',
    group: 'Kafka',
    description:
      'PEM file of the CA certificates that sign the brokers’ certificates (with `kafka-tls yes`).',
  },
  {
    name: 'kafka-tls-cert-file',
    type: 'string',
    group: 'Kafka',
    description: 'PEM file of the client certificate, for brokers that authenticate clients by TLS (mTLS).',
  },
  {
    name: 'kafka-tls-key-file',
    type: 'string',
    group: 'Kafka',
    description: 'PEM file of the client certificate’s private key (with `kafka-tls-cert-file`).',
  },
  {
    name: 'kafka-sasl-mechanism',
    type: 'enum',
    group: 'Kafka',
    default: 'none',
    values: ['none', 'plain', 'scram-sha-256', 'scram-sha-512'],
    description:
      'SASL authentication with the brokers; with any mechanism but `none`, `kafka-sasl-username` and `kafka-sasl-password` are required. Use TLS with `plain`: it sends the password as it is.',
  },
  {
    name: 'kafka-sasl-username',
    type: 'string',
    group: 'Kafka',
    description: 'SASL user name (with `kafka-sasl-mechanism` other than `none`).',
  },
  {
    name: 'kafka-sasl-password',
    type: 'string',
    group: 'Kafka',
    sensitive: true,
    description: 'SASL password. Prefer the environment variable to the command line, where `ps` shows it.',
  },
  {
    name: 'target',
    type: 'url',
    group: 'Target',
    default: 'redis://127.0.0.1:6379',
    sensitive: true,
    description:
      'The Redis-protocol store to write to: `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. sluice-server or any Redis-compatible server.',
  },
  {
    name: 'key-prefix',
    type: 'string',
    group: 'Target',
    default: '',
    allowEmpty: true,
    description:
      'Prepended to every record key to form the target key, and to the offset records (see the offsets namespace). Lets several topics share one database.',
  },
  {
    name: 'transactions',
    type: 'enum',
    group: 'Target',
    default: 'auto',
    values: ['auto', 'require', 'off'],
    description:
      '`auto`: apply each batch with MULTI/EXEC when the target has it, else as one pipelined write (see the semantics section). `require`: refuse to write to a target without MULTI/EXEC. `off`: never use MULTI/EXEC.',
  },
  {
    name: 'target-cluster',
    type: 'enum',
    group: 'Target',
    default: 'auto',
    values: ['auto', 'yes', 'no'],
    description:
      'Whether the target is a Redis Cluster (sluice-server’s cluster mode, or redis-server with `cluster-enabled yes`), reached through any of its nodes and written one transaction per hash slot (see cluster targets): `yes`, `no`, or `auto` to ask the target (`INFO cluster`).',
  },
  {
    name: 'http-port',
    type: 'integer',
    group: 'Readiness and HTTP',
    min: 0,
    max: 65_535,
    description:
      'Port for `/healthz`, `/readyz` and `/metrics`. Not set: no HTTP server. 0: a free port, reported in the `http listening` log line.',
  },
  {
    name: 'http-host',
    type: 'string',
    group: 'Readiness and HTTP',
    default: '0.0.0.0',
    description:
      'Address the HTTP server listens on. The default lets the kubelet and Prometheus reach it on the pod IP.',
  },
  {
    name: 'ready-max-lag-records',
    type: 'integer',
    group: 'Readiness and HTTP',
    default: 1_000,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    description:
      '`/readyz` answers 200 only while every partition is at most this many records behind the topic’s end.',
  },
  {
    name: 'ready-max-lag-seconds',
    type: 'integer',
    group: 'Readiness and HTTP',
    default: 10,
    min: 0,
    max: INT32_MAX,
    description:
      '`/readyz` answers 200 only while no partition has had records waiting for longer than this many seconds.',
  },
  {
    name: 'lag-interval-ms',
    type: 'integer',
    group: 'Readiness and HTTP',
    default: 1_000,
    min: 50,
    max: INT32_MAX,
    description:
      'How often the topic’s end offsets and the target’s stored offsets are read to compute lag and readiness.',
  },
  {
    name: 'max-batch-records',
    type: 'integer',
    group: 'Tuning',
    default: 5_000,
    min: 1,
    max: 100_000,
    description:
      'Most records applied in one transaction; a larger fetched batch is applied as several transactions, each with its offset.',
  },
  {
    name: 'fetch-max-bytes',
    type: 'integer',
    group: 'Tuning',
    default: 4 * 1024 * 1024,
    min: 1024,
    max: INT32_MAX,
    description: 'Most bytes fetched per partition in one fetch request.',
  },
  {
    name: 'fetch-max-wait-ms',
    type: 'integer',
    group: 'Tuning',
    default: 100,
    min: 0,
    max: INT32_MAX,
    description:
      'How long a broker may hold a fetch request open waiting for new records; bounds the delay of a new record when the bridge is caught up.',
  },
  {
    name: 'concurrency',
    type: 'integer',
    group: 'Tuning',
    default: 4,
    min: 1,
    max: 256,
    description:
      'Partitions applied at the same time, each on its own connection to the target. Records of one partition are always applied in order.',
  },
  {
    name: 'retry-initial-ms',
    type: 'integer',
    group: 'Tuning',
    default: 100,
    min: 1,
    max: INT32_MAX,
    description: 'First delay before retrying a failed write, read or connection; doubles on each failure.',
  },
  {
    name: 'retry-max-ms',
    type: 'integer',
    group: 'Tuning',
    default: 10_000,
    min: 1,
    max: INT32_MAX,
    description: 'Longest delay between retries. The bridge retries for ever: it never gives up and exits.',
  },
  {
    name: 'connect-timeout-ms',
    type: 'integer',
    group: 'Tuning',
    default: 10_000,
    min: 100,
    max: INT32_MAX,
    description: 'How long a connection attempt to a broker or to the target may take.',
  },
  {
    name: 'log-level',
    type: 'enum',
    group: 'Process',
    default: 'info',
    values: ['debug', 'info', 'warn', 'error'],
    description: 'Least severe level logged. Logs are JSON lines on standard output.',
  },
  {
    name: 'shutdown-timeout-ms',
    type: 'integer',
    group: 'Process',
    default: 30_000,
    min: 0,
    max: INT32_MAX,
    description:
      'On SIGTERM or SIGINT the bridge finishes the batch in flight, commits and exits 0; if that takes longer than this, it exits 1 (nothing is lost: the batch is applied again on the next start).',
  },
] as const satisfies readonly SettingSpec[];

export type Setting = (typeof SETTINGS)[number];
export type SettingName = Setting['name'];

const BY_NAME: ReadonlyMap<string, SettingSpec> = new Map(SETTINGS.map((s) => [s.name, s]));

export function findSetting(name: string): SettingSpec | undefined {
  return BY_NAME.get(name);
}
