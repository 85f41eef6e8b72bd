import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CommandDef } from '../commands/spec.js';
import type { PartitionLag } from '../log/log-mode.js';
import type { ServerStatus } from '../status.js';

/** Latency buckets in seconds: 10 µs to 1 s. */
const BUCKETS = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1];

/** Every metric and its help text, for the docs. */
export const METRIC_DOCS = {
  sluice_commands_total: 'Commands run, by command (a counter: rate() gives commands per second).',
  sluice_command_duration_seconds: 'Time to run a command, by command (a histogram).',
  sluice_connected_clients: 'Client connections open now.',
  sluice_keys: 'Keys per database (expired keys not yet swept included).',
  sluice_expiring_keys: 'Keys with an expiry per database.',
  sluice_lmdb_map_size_bytes: 'Size of the LMDB memory map.',
  sluice_lmdb_used_pages: 'Pages of the LMDB map in use.',
  sluice_lmdb_page_size_bytes: 'Size of an LMDB page.',
  sluice_writes_refused:
    '1 while writes are refused because the disk is full or LMDB failed to commit or flush (writes get MISCONF), else 0.',
  sluice_disk_free_bytes:
    "Free space on the data directory's filesystem at the last look (before the last commit).",
  sluice_write_refusals_total: 'Times writes started being refused (disk full, or a failed commit or flush).',
  sluice_net_input_bytes_total: 'Bytes received from clients (RESP).',
  sluice_net_output_bytes_total: 'Bytes sent to clients (RESP).',
  sluice_errors_total: 'Error replies, by error code (ERR, WRONGPASS, …).',
  sluice_expired_keys_total: 'Keys removed by expiry.',
  sluice_committed_writes_total: 'Writes committed to LMDB.',
  sluice_http_requests_total: 'HTTP requests, by route and status.',
  sluice_kafka_applied_offset:
    'Log mode: the last offset of each partition applied on this node, -1 when none.',
  sluice_kafka_high_watermark:
    "Log mode: each partition's end (the offset the next record gets), as last seen.",
  sluice_kafka_lag_records: 'Log mode: records of each partition not yet applied on this node.',
  sluice_kafka_lag_seconds:
    'Log mode: how long the oldest record of each partition not yet applied has been in Kafka; 0 when caught up. It grows while the brokers are unreachable.',
  sluice_kafka_loading:
    'Log mode: 1 until the node has applied what the topic held when it started (LOADING).',
  sluice_kafka_connected: 'Log mode: 1 while the brokers answer the consumer.',
  sluice_kafka_produced_records_total: 'Log mode: records produced to the topic and acknowledged.',
  sluice_kafka_failed_writes_total:
    'Log mode: batches of writes that failed because Kafka did not take their records (each client got an error).',
  sluice_pubsub_forwarded_total:
    'Log and cluster mode: PUBLISH messages sent to the other nodes through the Pub/Sub topic.',
  sluice_pubsub_received_total:
    'Log and cluster mode: PUBLISH messages from other nodes read from the Pub/Sub topic and delivered here.',
  sluice_pubsub_dropped_total:
    'Log and cluster mode: PUBLISH messages that did not reach the Pub/Sub topic (brokers unreachable, or too many waiting); the other nodes never see them.',
  sluice_cluster_state_ok:
    "Cluster mode: 1 while this node's CLUSTER INFO says cluster_state:ok, 0 while it says fail (not every slot served, or the node stalled or heard nothing from the group for cluster-node-timeout).",
  sluice_cluster_fenced_records_total:
    "Cluster mode: records this node skipped because their writer was not their partition's primary since its last handoff record (the fence); this node's own failed their writes.",
} as const;

/**
 * The server's Prometheus metrics. Most are read from the server's own counters when scraped; the
 * per-command latency histogram is fed by the dispatcher while metrics are enabled.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly duration: Histogram<'command'>;
  private readonly children = new Map<CommandDef, { observe(v: number): void }>();
  readonly httpRequests: Counter<'route' | 'status'>;

  constructor(server: ServerStatus) {
    const r = this.registry;
    collectDefaultMetrics({ register: r });
    this.duration = new Histogram({
      name: 'sluice_command_duration_seconds',
      help: METRIC_DOCS.sluice_command_duration_seconds,
      labelNames: ['command'],
      buckets: BUCKETS,
      registers: [r],
    });
    this.httpRequests = new Counter({
      name: 'sluice_http_requests_total',
      help: METRIC_DOCS.sluice_http_requests_total,
      labelNames: ['route', 'status'],
      registers: [r],
    });
    new Counter({
      name: 'sluice_commands_total',
      help: METRIC_DOCS.sluice_commands_total,
      labelNames: ['command'],
      registers: [r],
      collect() {
        this.reset();
        for (const def of server.commands.all) {
          for (const d of [def, ...(def.subcommands ?? [])]) {
            if (d.stats.calls > 0) this.inc({ command: d.spec.name }, d.stats.calls);
          }
        }
      },
    });
    const gauge = (name: keyof typeof METRIC_DOCS, read: () => number) =>
      new Gauge({
        name,
        help: METRIC_DOCS[name],
        registers: [r],
        collect() {
          this.set(read());
        },
      });
    gauge('sluice_connected_clients', () => server.connectedClients);
    const cluster = server.cluster;
    if (cluster !== null) gauge('sluice_cluster_state_ok', () => (cluster.stateOk(Date.now()) ? 1 : 0));
    gauge('sluice_lmdb_map_size_bytes', () => server.keyspace.stats().mapSize);
    gauge('sluice_lmdb_used_pages', () => server.keyspace.stats().usedPages);
    gauge('sluice_lmdb_page_size_bytes', () => server.keyspace.stats().pageSize);
    gauge('sluice_writes_refused', () => (server.keyspace.writesRefused ? 1 : 0));
    gauge('sluice_disk_free_bytes', () => server.keyspace.guard.measure());
    const counter = (name: keyof typeof METRIC_DOCS, read: () => number) =>
      new Counter({
        name,
        help: METRIC_DOCS[name],
        registers: [r],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    counter('sluice_net_input_bytes_total', () => server.stats.netInputBytes);
    counter('sluice_net_output_bytes_total', () => server.stats.netOutputBytes);
    counter('sluice_expired_keys_total', () => server.keyspace.expiredKeys);
    counter('sluice_committed_writes_total', () => server.keyspace.committedWrites);
    counter('sluice_write_refusals_total', () => server.keyspace.guard.refusals);
    new Counter({
      name: 'sluice_errors_total',
      help: METRIC_DOCS.sluice_errors_total,
      labelNames: ['code'],
      registers: [r],
      collect() {
        this.reset();
        for (const [code, n] of server.errorStats) this.inc({ code }, n);
      },
    });
    new Gauge({
      name: 'sluice_keys',
      help: METRIC_DOCS.sluice_keys,
      labelNames: ['db'],
      registers: [r],
      collect() {
        this.reset();
        for (const db of server.keyspace.dbs) {
          const n = db.size();
          if (n > 0) this.set({ db: String(db.index) }, n);
        }
      },
    });
    const log = server.logMode;
    if (log !== null) {
      const perPartition = (name: keyof typeof METRIC_DOCS, read: (p: PartitionLag) => number | null) =>
        new Gauge({
          name,
          help: METRIC_DOCS[name],
          labelNames: ['topic', 'partition'],
          registers: [r],
          collect() {
            this.reset();
            for (const p of log.lag()) {
              const value = read(p);
              if (value !== null) this.set({ topic: log.topic, partition: String(p.partition) }, value);
            }
          },
        });
      perPartition('sluice_kafka_applied_offset', (p) => Number(p.applied));
      perPartition('sluice_kafka_high_watermark', (p) => (p.high === null ? null : Number(p.high)));
      perPartition('sluice_kafka_lag_records', (p) => p.lagRecords);
      perPartition('sluice_kafka_lag_seconds', (p) => p.lagSeconds);
      gauge('sluice_kafka_loading', () => (log.loading ? 1 : 0));
      gauge('sluice_kafka_connected', () => (log.connected ? 1 : 0));
      counter('sluice_kafka_produced_records_total', () => log.counters.producedRecords);
      counter('sluice_kafka_failed_writes_total', () => log.counters.failedWrites);
      if (log.sweeper !== null)
        counter('sluice_cluster_fenced_records_total', () => log.counters.fencedRecords);
      const bus = server.pubsubBus;
      if (bus !== null) {
        counter('sluice_pubsub_forwarded_total', () => bus.counters.sent);
        counter('sluice_pubsub_received_total', () => bus.counters.received);
        counter('sluice_pubsub_dropped_total', () => bus.counters.dropped);
      }
    }
    new Gauge({
      name: 'sluice_expiring_keys',
      help: METRIC_DOCS.sluice_expiring_keys,
      labelNames: ['db'],
      registers: [r],
      collect() {
        this.reset();
        server.keyspace.expiringStats().forEach((s, i) => {
          if (s.expires > 0) this.set({ db: String(i) }, s.expires);
        });
      },
    });
  }

  /** Records how long a command took, in microseconds. */
  observe(def: CommandDef, usec: number): void {
    let child = this.children.get(def);
    if (child === undefined) {
      child = this.duration.labels(def.spec.name);
      this.children.set(def, child);
    }
    child.observe(usec / 1e6);
  }
}
