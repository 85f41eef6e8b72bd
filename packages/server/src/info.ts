import { arch, cpus, platform, release } from 'node:os';
import type { ServerStatus } from './status.js';
import { REDIS_COMPAT_VERSION, VERSION } from './version.js';

type Fields = [string, string | number][];

/** INFO's sections, in redis-server's order, each a list of `field:value` lines. */
const SECTIONS: Record<string, (s: ServerStatus) => Fields> = {
  server: (s) => {
    const uptime = Math.floor((Date.now() - s.startedAt) / 1000);
    return [
      ['redis_version', REDIS_COMPAT_VERSION],
      ['sluice_version', VERSION],
      ['redis_git_sha1', '00000000'],
      ['redis_git_dirty', 0],
      ['redis_build_id', '0'],
      ['redis_mode', s.config['cluster-enabled'] ? 'cluster' : 'standalone'],
      ['os', `${platform()} ${release()} ${arch()}`],
      ['arch_bits', 64],
      ['multiplexing_api', 'epoll'],
      ['gcc_version', '0.0.0'],
      ['process_id', process.pid],
      ['process_supervised', 'no'],
      ['run_id', s.runId],
      ['tcp_port', s.port],
      ['server_time_usec', Date.now() * 1000],
      ['uptime_in_seconds', uptime],
      ['uptime_in_days', Math.floor(uptime / 86400)],
      ['hz', 10],
      ['configured_hz', 10],
      ['executable', process.argv[1] ?? ''],
      ['config_file', s.configFile],
      ['io_threads_active', 0],
      ['node_version', process.version],
    ];
  },
  clients: (s) => [
    ['connected_clients', s.connectedClients],
    ['cluster_connections', 0],
    ['maxclients', s.config.maxclients],
    ['blocked_clients', s.blockedClients],
    ['tracking_clients', s.trackingCounts().clients],
    ['clients_in_timeout_table', s.clientsInTimeoutTable],
  ],
  memory: () => {
    const m = process.memoryUsage();
    return [
      ['used_memory', m.heapUsed + m.external],
      ['used_memory_human', human(m.heapUsed + m.external)],
      ['used_memory_rss', m.rss],
      ['used_memory_rss_human', human(m.rss)],
      ['used_memory_peak', m.rss],
      ['total_system_memory', Number(process.constrainedMemory?.() ?? 0)],
      ['maxmemory', 0],
      ['maxmemory_human', '0B'],
      ['maxmemory_policy', 'noeviction'],
      ['mem_allocator', 'node'],
    ];
  },
  persistence: (s) => {
    const lmdb = s.keyspace.stats();
    const loading = s.logMode?.loading === true;
    return [
      ['loading', loading ? 1 : 0],
      ...(loading ? ([['loading_eta_seconds', 1]] as Fields) : []),
      ['async_loading', 0],
      ['rdb_changes_since_last_save', 0],
      ['rdb_bgsave_in_progress', 0],
      ['rdb_last_save_time', Math.floor(s.startedAt / 1000)],
      ['rdb_last_bgsave_status', 'ok'],
      ['aof_enabled', 1],
      ['aof_rewrite_in_progress', 0],
      ['aof_last_write_status', s.keyspace.writesRefused ? 'err' : 'ok'],
      ['sluice_appendfsync', s.keyspace.durability],
      ['sluice_pending_writes', s.keyspace.pending ? 1 : 0],
      ['sluice_committed_batches', s.keyspace.committedBatches],
      ['sluice_committed_writes', s.keyspace.committedWrites],
      ['sluice_flushes', s.keyspace.flushes],
      ['sluice_last_flush_time', Math.floor(s.keyspace.lastFlushAt / 1000)],
      ['sluice_writes_refused', s.keyspace.writesRefused ? 1 : 0],
      ['sluice_writes_refused_reason', s.keyspace.guard.refusal ?? ''],
      ['sluice_writes_refused_since', Math.floor(s.keyspace.guard.refusedSince / 1000)],
      ['sluice_write_refusals', s.keyspace.guard.refusals],
      ['sluice_disk_free_bytes', s.keyspace.guard.measure()],
      ['lmdb_map_size', lmdb.mapSize],
      ['lmdb_page_size', lmdb.pageSize],
      ['lmdb_used_pages', lmdb.usedPages],
    ];
  },
  stats: (s) => [
    ['total_connections_received', s.stats.connectionsReceived],
    ['total_commands_processed', s.stats.commandsProcessed],
    ['instantaneous_ops_per_sec', s.opsPerSec],
    ['total_net_input_bytes', s.stats.netInputBytes],
    ['total_net_output_bytes', s.stats.netOutputBytes],
    ['rejected_connections', s.stats.rejectedConnections],
    ['expired_keys', s.keyspace.expiredKeys],
    ['sluice_reclaimed_elements', s.keyspace.reclaimedElements],
    ['sluice_stored_elements', s.keyspace.storedElements],
    ['evicted_keys', 0],
    ['keyspace_hits', 0],
    ['keyspace_misses', 0],
    ['pubsub_channels', s.pubsub.counts().channels],
    ['pubsub_patterns', s.pubsub.counts().patterns],
    ['pubsubshard_channels', s.pubsub.counts().shardChannels],
    ['tracking_total_keys', s.trackingCounts().keys],
    ['tracking_total_items', s.trackingCounts().items],
    ['tracking_total_prefixes', s.trackingCounts().prefixes],
    ['total_error_replies', s.stats.errorReplies],
  ],
  replication: (s) => [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', s.runId],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
  ],
  cpu: () => {
    const u = process.cpuUsage();
    return [
      ['used_cpu_sys', (u.system / 1e6).toFixed(6)],
      ['used_cpu_user', (u.user / 1e6).toFixed(6)],
      ['cpus', cpus().length],
    ];
  },
  commandstats: (s) => {
    const out: Fields = [];
    for (const def of s.commands.all) {
      for (const d of [def, ...(def.subcommands ?? [])]) {
        const st = d.stats;
        if (st.calls === 0 && st.rejected === 0) continue;
        const usec = Math.round(st.usec);
        out.push([
          `cmdstat_${d.spec.name}`,
          `calls=${st.calls},usec=${usec},usec_per_call=${st.calls ? (st.usec / st.calls).toFixed(2) : '0.00'},rejected_calls=${st.rejected},failed_calls=${st.failed}`,
        ]);
      }
    }
    return out;
  },
  errorstats: (s) => [...s.errorStats].map(([code, count]) => [`errorstat_${code}`, `count=${count}`]),
  cluster: (s) => [['cluster_enabled', s.config['cluster-enabled'] ? 1 : 0]],
  kafka: (s) => {
    const log = s.logMode;
    if (log === null) return [['log_mode', 0]];
    const out: Fields = [
      ['log_mode', 1],
      ['kafka_topic', log.topic],
      ['kafka_partitions', log.partitions],
      ['kafka_node_id', log.nodeId],
      ['kafka_group_id', log.groupId],
      ['kafka_connected', log.connected ? 1 : 0],
      ['kafka_loading', log.loading ? 1 : 0],
      ['kafka_produced_records', log.counters.producedRecords],
      ['kafka_failed_sends', log.counters.failedSends],
      ['kafka_failed_writes', log.counters.failedWrites],
      ['kafka_pending_batches', log.writer.pending],
    ];
    const bus = s.pubsubBus;
    if (bus !== null) {
      out.push(
        ['kafka_pubsub_topic', bus.topic],
        ['kafka_pubsub_ready', bus.ready ? 1 : 0],
        ['kafka_pubsub_sent', bus.counters.sent],
        ['kafka_pubsub_received', bus.counters.received],
        ['kafka_pubsub_dropped', bus.counters.dropped],
      );
    }
    if (log.sweeper !== null) {
      // Cluster mode: keys deleted of partitions this node no longer holds, and the sweeps running now.
      out.push(['cluster_swept_keys', log.sweeper.sweptKeys]);
      out.push(['cluster_sweeping_partitions', log.sweeper.sweeping.join(',')]);
      // Records skipped by the fence (log/fence.ts): a writer other than the partition's primary.
      out.push(['cluster_fenced_records', log.counters.fencedRecords]);
    }
    for (const p of log.lag()) {
      const high = p.high === null ? '' : String(p.high);
      const records = p.lagRecords === null ? '' : String(p.lagRecords);
      const seconds = p.lagSeconds === null ? '' : p.lagSeconds.toFixed(3);
      out.push([
        `partition${p.partition}`,
        `applied=${p.applied},high=${high},lag_records=${records},lag_seconds=${seconds}`,
      ]);
    }
    return out;
  },
  keyspace: (s) => {
    const out: Fields = [];
    const expiring = s.keyspace.expiringStats();
    for (const db of s.keyspace.dbs) {
      const keys = db.size();
      if (keys === 0) continue;
      const e = expiring[db.index] ?? { expires: 0, avgTtl: 0 };
      out.push([`db${db.index}`, `keys=${keys},expires=${e.expires},avg_ttl=${e.avgTtl}`]);
    }
    return out;
  },
};

const TITLES: Record<string, string> = {
  server: 'Server',
  clients: 'Clients',
  memory: 'Memory',
  persistence: 'Persistence',
  stats: 'Stats',
  replication: 'Replication',
  cpu: 'CPU',
  commandstats: 'Commandstats',
  errorstats: 'Errorstats',
  cluster: 'Cluster',
  kafka: 'Kafka',
  keyspace: 'Keyspace',
};

export const INFO_SECTIONS = Object.keys(SECTIONS);
/** What INFO and INFO default show: all but commandstats, as redis-server does (Kafka in log mode only). */
const DEFAULT_SECTIONS = INFO_SECTIONS.filter((s) => s !== 'commandstats');

/** The INFO text for the requested sections (`default`, `all`, `everything` or section names). */
export function infoText(server: ServerStatus, requested: readonly string[]): string {
  const wanted = new Set<string>();
  const names = requested.length === 0 ? ['default'] : requested.map((r) => r.toLowerCase());
  for (const name of names) {
    if (name === 'default') {
      for (const s of DEFAULT_SECTIONS) if (s !== 'kafka' || server.logMode !== null) wanted.add(s);
    } else if (name === 'all' || name === 'everything') {
      for (const s of INFO_SECTIONS) wanted.add(s);
    } else if (name in SECTIONS) {
      wanted.add(name);
    }
  }
  const parts: string[] = [];
  for (const name of INFO_SECTIONS) {
    if (!wanted.has(name)) continue;
    const fields = (SECTIONS[name] as (s: ServerStatus) => Fields)(server);
    parts.push(`# ${TITLES[name]}\r\n${fields.map(([k, v]) => `${k}:${v}\r\n`).join('')}`);
  }
  return parts.join('\r\n');
}

function human(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v}B` : `${v.toFixed(2)}${units[u]}`;
}
