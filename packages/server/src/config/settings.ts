/**
 * The settings of sluice-server, as data: one entry per setting, with redis-server's name and redis.conf
 * syntax. The config file, the command line, CONFIG GET/SET and the generated docs all read this table.
 */

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;
/** C's INT_MAX, the upper bound Redis gives most of its integer settings. */
const INT_MAX = 2_147_483_647;
/**
 * C's LLONG_MAX (and LONG_MAX on 64-bit Linux), the upper bound redis-server 7.0 gives its `long` and
 * `long long` settings (`slowlog-max-len`, `proto-max-bulk-len`, …). A bigint, so that error messages name
 * it exactly; a value above 2^53 is kept as the nearest JavaScript number.
 */
const LLONG_MAX = 9_223_372_036_854_775_807n;
/** The largest byte count a memory setting can hold exactly in a JavaScript number (Sluice's settings). */
export const MEMORY_MAX = Number.MAX_SAFE_INTEGER;

export type SettingType =
  | 'integer'
  | 'string'
  | 'enum'
  | 'boolean'
  | 'memory'
  | 'save'
  | 'buffer-limits'
  | 'keyspace-events';

interface SpecBase {
  /** The name in redis.conf and on the command line (`--name`), lowercase. */
  readonly name: string;
  readonly type: SettingType;
  /** One sentence for the generated docs, in our own words. */
  readonly description: string;
  /** Whether CONFIG SET can change it while the server runs. */
  readonly live: boolean;
  /** Never logged, echoed in error messages or shown in examples (a password). */
  readonly sensitive?: boolean;
  /** Sluice's own setting: redis-server has no such name. */
  readonly sluice?: boolean;
  /** Accepted so that redis.conf files load, but it changes nothing in Sluice. */
  readonly redisOnly?: boolean;
  /** A remark for the docs, beyond the description. */
  readonly note?: string;
  /**
   * redis-server's other name for the setting (`lua-time-limit` for `busy-reply-threshold`): accepted
   * wherever the name is, and listed by CONFIG GET under both names, as redis-server 7 does.
   */
  readonly alias?: string;
}

export interface IntegerSpec extends SpecBase {
  readonly type: 'integer';
  readonly default: number;
  readonly min: number;
  /** A bigint when beyond what a JavaScript number holds exactly (LLONG_MAX). */
  readonly max: number | bigint;
}

/** A byte count, written as Redis writes them: `512mb`, `1gb`, `100k` (k = 1000, kb = 1024). */
export interface MemorySpec extends SpecBase {
  readonly type: 'memory';
  /** In bytes. */
  readonly default: number;
  readonly min: number;
  /** A bigint when beyond what a JavaScript number holds exactly (LLONG_MAX). */
  readonly max: number | bigint;
}

export interface StringSpec extends SpecBase {
  readonly type: 'string';
  readonly default: string;
  /**
   * Takes one or more arguments, kept joined by single spaces (`bind 127.0.0.1 ::1`); a single argument
   * is split again, so `--bind "127.0.0.1 ::1"` works too.
   */
  readonly multiArg?: boolean;
  /** With `multiArg`: the most arguments accepted. */
  readonly maxArgs?: number;
  /** With `multiArg`: the problem reported when there are more than `maxArgs`. */
  readonly tooManyArgs?: string;
}

export interface EnumSpec extends SpecBase {
  readonly type: 'enum';
  readonly default: string;
  /**
   * The accepted values, lowercase, in redis-server's order (its error message lists them so); input is
   * matched case-insensitively.
   */
  readonly values: readonly string[];
}

/** `yes` or `no`, case-insensitive. */
export interface BooleanSpec extends SpecBase {
  readonly type: 'boolean';
  readonly default: boolean;
  /** A value redis-server accepts that Sluice refuses, and why. */
  readonly unsupported?: { readonly value: boolean; readonly problem: string };
}

/** Redis's `save`: `""` or pairs of `<seconds> <changes>`, kept as a normalized string. */
export interface SaveSpec extends SpecBase {
  readonly type: 'save';
  readonly default: string;
}

/**
 * Redis's `client-output-buffer-limit`: per client class (normal, replica, pubsub) a hard limit in bytes,
 * a soft limit in bytes and the seconds a client may stay over the soft limit; kept normalized as CONFIG
 * GET shows it (`normal 0 0 0 slave … pubsub …`). A value names some classes; the others keep theirs.
 */
export interface BufferLimitsSpec extends SpecBase {
  readonly type: 'buffer-limits';
  readonly default: string;
}

/**
 * Redis's `notify-keyspace-events`: class characters (`KEA`, `Kl`, …), kept as their flags (pubsub/notify.ts),
 * because the text CONFIG GET shows may drop one (`KEAn` reads back as `AKE`, as in redis-server).
 */
export interface KeyspaceEventsSpec extends SpecBase {
  readonly type: 'keyspace-events';
  /** The flags: 0 for none. */
  readonly default: number;
}

export type SettingSpec =
  | KeyspaceEventsSpec
  | IntegerSpec
  | MemorySpec
  | StringSpec
  | EnumSpec
  | BooleanSpec
  | SaveSpec
  | BufferLimitsSpec;

export const SETTINGS = [
  {
    name: 'port',
    type: 'integer',
    default: 6379,
    min: 0,
    max: 65535,
    live: false,
    description:
      'TCP port on which the server accepts Redis-protocol connections; 0 picks a free port, which the start-up log reports (redis-server would not listen on TCP at all).',
  },
  {
    name: 'bind',
    type: 'string',
    default: '127.0.0.1',
    multiArg: true,
    maxArgs: 16,
    tooManyArgs: 'Too many bind addresses specified.',
    live: false,
    description: 'IP addresses of the interfaces to listen on, one or more separated by spaces.',
  },
  {
    name: 'dir',
    type: 'string',
    default: './data',
    live: false,
    description: 'Directory that holds the LMDB environment and the other files the server writes.',
  },
  {
    name: 'requirepass',
    type: 'string',
    default: '',
    live: true,
    sensitive: true,
    description: 'Password a client must give with AUTH before running other commands; empty means none.',
  },
  {
    name: 'maxclients',
    type: 'integer',
    default: 10000,
    min: 1,
    max: 4_294_967_295,
    live: true,
    description: 'Most clients connected at once; connections beyond it are refused with an error.',
  },
  {
    name: 'databases',
    type: 'integer',
    default: 16,
    min: 1,
    max: 1024,
    live: false,
    description: 'Number of numbered databases a client can switch between with SELECT.',
  },
  {
    name: 'appendfsync',
    type: 'enum',
    default: 'everysec',
    values: ['everysec', 'always', 'no'],
    live: true,
    description:
      'When committed writes are flushed to disk: after every write transaction, about once a second, or whenever the operating system decides.',
  },
  {
    name: 'appendonly',
    type: 'boolean',
    default: true,
    live: false,
    redisOnly: true,
    description: 'Accepted for compatibility with redis.conf; Sluice always journals writes through LMDB.',
  },
  {
    name: 'save',
    type: 'save',
    default: '',
    live: true,
    redisOnly: true,
    description:
      'Redis snapshot schedule, accepted for compatibility with redis.conf; Sluice writes no RDB files.',
    note: 'As in redis-server, several `save` lines add up, and `save ""` clears the schedule.',
  },
  {
    name: 'proto-max-bulk-len',
    type: 'memory',
    default: 512 * MB,
    min: 1 * MB,
    max: LLONG_MAX,
    live: true,
    description: 'Longest bulk string, in bytes, that a client may send in a request.',
  },
  {
    name: 'hll-sparse-max-bytes',
    type: 'memory',
    default: 3000,
    min: 0,
    max: LLONG_MAX,
    live: true,
    description:
      'Largest size in bytes, header included, of a HyperLogLog in the sparse encoding: one that would grow past it is converted to the dense encoding (12304 bytes).',
    note: 'A value only changes encoding when PFADD or PFMERGE changes it; lowering the setting converts nothing by itself, as in redis-server.',
  },
  {
    name: 'timeout',
    type: 'integer',
    default: 0,
    min: 0,
    max: INT_MAX,
    live: true,
    description: 'Seconds a client may stay idle before the server closes its connection; 0 means never.',
  },
  {
    name: 'tcp-keepalive',
    type: 'integer',
    default: 300,
    min: 0,
    max: INT_MAX,
    live: true,
    description: 'Seconds between TCP keepalive probes on client connections; 0 turns them off.',
  },
  {
    name: 'tcp-backlog',
    type: 'integer',
    default: 511,
    min: 0,
    max: INT_MAX,
    live: false,
    description: 'Length of the queue of connections waiting to be accepted, as passed to listen().',
  },
  {
    name: 'loglevel',
    type: 'enum',
    default: 'notice',
    values: ['debug', 'verbose', 'notice', 'warning'],
    live: true,
    description: 'Least severe kind of message written to the log.',
  },
  {
    name: 'logfile',
    type: 'string',
    default: '',
    live: false,
    description: 'File the log is appended to; empty means standard output.',
  },
  {
    name: 'protected-mode',
    type: 'boolean',
    default: true,
    live: true,
    description:
      'When yes and no password is set, connections from addresses other than loopback are refused.',
  },
  {
    name: 'cluster-enabled',
    type: 'boolean',
    default: false,
    live: false,
    description:
      'Whether the server speaks the Redis Cluster protocol (CLUSTER commands, MOVED and CROSSSLOT, database 0 only); without Kafka the node is a one-node cluster that serves all 16384 slots, with Kafka the nodes of one consumer group share them.',
  },
  {
    name: 'cluster-announce-ip',
    type: 'string',
    default: '',
    live: false,
    description:
      'Cluster mode: the address CLUSTER SLOTS, CLUSTER NODES and MOVED give clients for this node; empty means the first bind address that names one interface.',
  },
  {
    name: 'cluster-announce-port',
    type: 'integer',
    default: 0,
    min: 0,
    max: 65535,
    live: false,
    description:
      'Cluster mode: the port CLUSTER SLOTS, CLUSTER NODES and MOVED give clients for this node; 0 means the port the server listens on.',
  },
  {
    name: 'cluster-node-timeout',
    type: 'integer',
    default: 15000,
    min: 1000,
    max: 300000,
    live: false,
    description:
      "Cluster mode over Kafka: the consumer group's session timeout in ms, after which a node that stopped answering loses its slots to the others (a node whose process died loses them sooner: the others have the group remove it once its port refuses connections).",
  },
  {
    name: 'cluster-allow-reads-when-down',
    type: 'boolean',
    default: false,
    live: true,
    description:
      'Cluster mode over Kafka: whether a node whose plan may be out of date (it stalled, or the group has not confirmed it for cluster-node-timeout: Kafka unreachable) still serves reads of its keys, which may be stale, instead of answering CLUSTERDOWN.',
  },
  {
    name: 'cluster-standby-replicas',
    type: 'integer',
    default: 1,
    min: 0,
    max: 16,
    live: false,
    sluice: true,
    description:
      "Cluster mode over Kafka: how many other nodes keep a standby copy of each primary's partitions (they serve READONLY reads and take the slots over warm when the primary leaves).",
  },
  {
    name: 'http-port',
    type: 'integer',
    default: 0,
    min: 0,
    max: 65535,
    live: false,
    sluice: true,
    description:
      'TCP port of the HTTP endpoints (/healthz, /readyz, /metrics, the /v1 key API), on the bind addresses; 0 turns HTTP off.',
  },
  {
    name: 'http-max-body-bytes',
    type: 'memory',
    default: 64 * MB,
    min: 1,
    max: MEMORY_MAX,
    live: true,
    sluice: true,
    description:
      'Largest HTTP request body accepted (a PUT value, a POST /v1/mget key list); larger ones get 413.',
  },
  {
    name: 'client-query-buffer-limit',
    type: 'memory',
    default: 1 * GB,
    min: 1 * MB,
    max: LLONG_MAX,
    live: true,
    description: 'Most bytes of not yet executed requests held for one client before it is disconnected.',
  },
  {
    name: 'slowlog-log-slower-than',
    type: 'integer',
    default: 10000,
    min: -1,
    max: LLONG_MAX,
    live: true,
    description:
      'Commands that run at least this many microseconds are recorded in the slow log; 0 records every command, -1 none.',
  },
  {
    name: 'busy-reply-threshold',
    type: 'integer',
    default: 5000,
    min: 0,
    max: LLONG_MAX,
    live: true,
    description:
      'Milliseconds a script runs before the server answers other clients BUSY while it goes on (SCRIPT KILL stops it if it has not written; SHUTDOWN NOSAVE stops the server); 0 never.',
    alias: 'lua-time-limit',
    note: 'A script run inside MULTI/EXEC cannot let other clients in: past this time it is stopped if it has not written.',
  },
  {
    name: 'hash-max-listpack-entries',
    type: 'integer',
    default: 512,
    min: 0,
    max: LLONG_MAX,
    live: true,
    alias: 'hash-max-ziplist-entries',
    description:
      "Most fields a hash has while OBJECT ENCODING names it listpack (past it, hashtable, for good), as in redis-server; it changes only what OBJECT ENCODING reports and the order small hashes list their fields in, not Sluice's storage.",
  },
  {
    name: 'hash-max-listpack-value',
    type: 'memory',
    default: 64,
    min: 0,
    max: LLONG_MAX,
    live: true,
    alias: 'hash-max-ziplist-value',
    description:
      'Longest field or value, in bytes, a hash holds while OBJECT ENCODING names it listpack (past it, hashtable, for good).',
  },
  {
    name: 'set-max-intset-entries',
    type: 'integer',
    default: 512,
    min: 0,
    max: LLONG_MAX,
    live: true,
    description:
      'Most members a set of integers has while OBJECT ENCODING names it intset (and SMEMBERS lists it in numeric order); past it, or with a member that is not an integer, hashtable for good.',
  },
  {
    name: 'set-max-listpack-entries',
    type: 'integer',
    default: 128,
    min: 0,
    max: LLONG_MAX,
    live: true,
    description:
      "Accepted so that redis-server 7.2's configuration files load; Redis 7.0's set encodings (intset, hashtable) do not use it.",
  },
  {
    name: 'set-max-listpack-value',
    type: 'memory',
    default: 64,
    min: 0,
    max: LLONG_MAX,
    live: true,
    description:
      "Accepted so that redis-server 7.2's configuration files load; Redis 7.0's set encodings do not use it.",
  },
  {
    name: 'stream-node-max-bytes',
    type: 'memory',
    default: 4096,
    min: 0,
    max: LLONG_MAX,
    live: true,
    description:
      'A stream entry that would take its listpack node to this many bytes starts a new node, as in redis-server (what MAXLEN ~ and MINID ~ trim whole).',
  },
  {
    name: 'stream-node-max-entries',
    type: 'integer',
    default: 100,
    min: 0,
    max: LLONG_MAX,
    live: true,
    description:
      'A stream node holding this many entries (deleted ones included) is full: the next entry starts a new one, as in redis-server.',
  },
  {
    name: 'zset-max-listpack-entries',
    type: 'integer',
    default: 128,
    min: 0,
    max: LLONG_MAX,
    live: true,
    alias: 'zset-max-ziplist-entries',
    description:
      'Up to this many members a sorted set is reported as listpack by OBJECT ENCODING (then skiplist for good), whatever its storage.',
  },
  {
    name: 'zset-max-listpack-value',
    type: 'memory',
    default: 64,
    min: 0,
    max: LLONG_MAX,
    live: true,
    alias: 'zset-max-ziplist-value',
    description:
      'A sorted set with a member longer than this many bytes is reported as skiplist by OBJECT ENCODING for good.',
  },
  {
    name: 'list-max-listpack-size',
    type: 'integer',
    default: -2,
    min: -2_147_483_648,
    max: INT_MAX,
    live: true,
    alias: 'list-max-ziplist-size',
    description: 'Accepted for redis.conf files; lists are not in Sluice yet.',
  },
  {
    name: 'list-compress-depth',
    type: 'integer',
    default: 0,
    min: 0,
    max: INT_MAX,
    live: true,
    description: 'Accepted for redis.conf files; lists are not in Sluice yet.',
  },
  {
    name: 'slowlog-max-len',
    type: 'integer',
    default: 128,
    min: 0,
    max: LLONG_MAX,
    live: true,
    description: 'Most entries the slow log keeps; the oldest are dropped first.',
  },
  {
    name: 'tracking-table-max-keys',
    type: 'integer',
    default: 1_000_000,
    min: 0,
    max: LLONG_MAX,
    live: true,
    description:
      'Most keys the client-side caching table remembers (CLIENT TRACKING), past which keys are forgotten with an invalidation to the connections that read them, or 0 for no limit.',
    note: 'redis-server forgets keys picked at random; Sluice forgets the oldest first.',
  },
  {
    name: 'client-output-buffer-limit',
    type: 'buffer-limits',
    default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    live: true,
    description:
      'Per client class, `<class> <hard> <soft> <soft-seconds>`: a client whose unsent output reaches the hard limit, or stays at or over the soft limit for longer than soft-seconds, is disconnected (0 turns a limit off).',
    note: "Sluice applies the pubsub class to a subscribed connection as messages are queued for it, as redis-server does; normal and replica (slave) are accepted and shown, and a normal connection's own replies are bounded by sluice-output-pause-bytes instead (its requests stop being read).",
  },
  {
    name: 'notify-keyspace-events',
    type: 'keyspace-events',
    default: 0,
    live: true,
    description:
      'Which keyspace notifications are published: K (on `__keyspace@<db>__:<key>`), E (on `__keyevent@<db>__:<event>`) and the classes g, $, l, s, h, z, x, e, t, m, d, n, A (see the Pub/Sub guide); empty turns them off.',
    note: 'Sluice publishes the events of g, $, l, s, h, z, x, t and n; it has no eviction or modules, and does not publish key misses (m).',
  },
  {
    name: 'sluice-output-pause-bytes',
    type: 'memory',
    default: 1 * MB,
    min: 1,
    max: MEMORY_MAX,
    live: true,
    sluice: true,
    description:
      "When a client's unsent replies exceed this many bytes, the server stops reading its requests until they drain.",
  },
  {
    name: 'lmdb-map-size',
    type: 'memory',
    default: 64 * GB,
    min: 1 * MB,
    max: MEMORY_MAX,
    live: false,
    sluice: true,
    description:
      'Initial size of the LMDB memory map (address space, not memory), which grows by itself when the data outgrows it; with lmdb-writemap the data file is a sparse file of this apparent size.',
  },
  {
    name: 'lmdb-writemap',
    type: 'boolean',
    default: true,
    live: false,
    sluice: true,
    description:
      "Whether commits change pages in place through LMDB's writable memory map (MDB_WRITEMAP) instead of copying them into write() calls, which makes writes cheaper with the same durability (see the durability guide).",
  },
  {
    name: 'kafka-brokers',
    type: 'string',
    default: '',
    live: false,
    sluice: true,
    description:
      'Kafka bootstrap servers, as host:port separated by commas; with kafka-topic, the server runs in log mode (every write produced to the topic and applied from it), and empty means local mode.',
  },
  {
    name: 'kafka-topic',
    type: 'string',
    default: '',
    live: false,
    sluice: true,
    description:
      'The topic log mode writes to and materializes (every partition); the data directory holds this topic only.',
  },
  {
    name: 'kafka-pubsub-topic',
    type: 'string',
    default: '',
    live: false,
    sluice: true,
    description:
      'Log and cluster mode: the topic that carries PUBLISH messages to the other nodes (empty: `<kafka-topic>.pubsub`, created by the brokers on first use when they allow it).',
  },
  {
    name: 'kafka-group-id',
    type: 'string',
    default: '',
    live: false,
    sluice: true,
    description:
      "Log mode's Kafka consumer group, where the node reports its progress for lag tools; empty means `sluice-server.<topic>.<node id>`, a group of the node's own, as every log-mode node needs (nodes that share a group split the partitions between them); in cluster mode, the cluster's group, empty meaning `sluice-cluster.<topic>`.",
  },
  {
    name: 'kafka-client-id',
    type: 'string',
    default: 'sluice-server',
    live: false,
    sluice: true,
    description: 'Client id sent to the brokers, shown in their logs and quotas.',
  },
  {
    name: 'kafka-produce-timeout-ms',
    type: 'integer',
    default: 5_000,
    min: 100,
    max: INT_MAX,
    live: false,
    sluice: true,
    description:
      'Log mode: a write whose records Kafka has not acknowledged within this many milliseconds fails with an error instead of being acknowledged.',
  },
  {
    name: 'kafka-max-in-flight',
    type: 'integer',
    default: 1,
    min: 1,
    max: 5,
    live: false,
    sluice: true,
    description:
      'Log mode: how many sends of records may be on their way to the brokers at once, writes closed meanwhile going together in the next send; more helps when the brokers are far away, fewer and larger sends load them less.',
  },
  {
    name: 'log-max-record-bytes',
    type: 'integer',
    default: 1_000_000,
    min: 1024,
    max: INT_MAX,
    live: true,
    sluice: true,
    description:
      "Log mode: the largest record a write may produce (key and value; a collection's value is its whole DUMP), about Kafka's default max.message.bytes; a write that would produce a larger one fails with an error and is not applied.",
  },
  {
    name: 'kafka-fetch-max-wait-ms',
    type: 'integer',
    default: 100,
    min: 1,
    max: 10_000,
    live: false,
    sluice: true,
    description:
      'Log mode: how long a fetch may wait at the broker for new records (brokers answer as soon as records arrive; a test broker that does not delays each write by up to this long).',
  },
  {
    name: 'kafka-tls',
    type: 'boolean',
    default: false,
    live: false,
    sluice: true,
    description:
      "Connect to the brokers over TLS; their certificates are checked against the system's CAs, or kafka-tls-ca-file.",
  },
  {
    name: 'kafka-tls-ca-file',
    type: 'string',
    default: '',
    live: false,
    sluice: true,
    description: "PEM file of the CA certificates that sign the brokers' certificates (with kafka-tls yes).",
  },
  {
    name: 'kafka-tls-cert-file',
    type: 'string',
    default: '',
    live: false,
    sluice: true,
    description: 'PEM file of the client certificate, for brokers that authenticate clients by TLS (mTLS).',
  },
  {
    name: 'kafka-tls-key-file',
    type: 'string',
    default: '',
    live: false,
    sluice: true,
    description: "PEM file of the client certificate's private key (with kafka-tls-cert-file).",
  },
  {
    name: 'kafka-sasl-mechanism',
    type: 'enum',
    default: 'none',
    values: ['none', 'plain', 'scram-sha-256', 'scram-sha-512'],
    live: false,
    sluice: true,
    description:
      'SASL authentication with the brokers, where any mechanism but none needs kafka-sasl-username and kafka-sasl-password (use TLS with plain, which sends the password as it is).',
  },
  {
    name: 'kafka-sasl-username',
    type: 'string',
    default: '',
    live: false,
    sluice: true,
    description: 'SASL user name (with kafka-sasl-mechanism other than none).',
  },
  {
    name: 'kafka-sasl-password',
    type: 'string',
    default: '',
    live: false,
    sluice: true,
    sensitive: true,
    description: 'SASL password, with kafka-sasl-mechanism other than none; CONFIG GET never shows it.',
  },
  {
    name: 'replica-serve-stale-data',
    type: 'boolean',
    default: true,
    live: true,
    description:
      'Log mode: whether the node keeps serving reads while the brokers are unreachable (its data growing stale, the lag in INFO); no makes data commands fail with MASTERDOWN meanwhile, as a Redis replica whose link to its master is down.',
  },
  {
    name: 'daemonize',
    type: 'boolean',
    default: false,
    unsupported: { value: true, problem: 'daemonize yes is not supported; run under a supervisor' },
    live: false,
    redisOnly: true,
    description:
      'Accepted only as no: Sluice stays in the foreground, to be run by a supervisor such as systemd.',
  },
  {
    name: 'pidfile',
    type: 'string',
    default: '',
    live: false,
    description: "File the server's process id is written to at startup; empty means none.",
  },
] as const satisfies readonly SettingSpec[];

const BY_NAME: ReadonlyMap<string, SettingSpec> = new Map(
  (SETTINGS as readonly SettingSpec[]).flatMap((spec) =>
    spec.alias === undefined
      ? [[spec.name, spec] as const]
      : [[spec.name, spec] as const, [spec.alias, spec] as const],
  ),
);

/** The setting called `name` (case-insensitive), or undefined. */
export function findSetting(name: string): SettingSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}
