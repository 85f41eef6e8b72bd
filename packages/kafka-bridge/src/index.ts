/**
 * sluice-bridge: tails a compacted Kafka topic into a Redis-protocol store, exactly once in effect.
 * The CLI is `bin/sluice-bridge.js`; these exports are for tests and embedding.
 */
export { Backoff, sleep } from './backoff.js';
export {
  Bridge,
  type BridgeOptions,
  type Health,
  type PartitionStatus,
  PositionError,
  type Readiness,
} from './bridge.js';
export {
  type Config,
  ConfigError,
  ENV_PREFIX,
  envName,
  loadConfig,
  parseArgs,
  SETTINGS,
  type SettingSpec,
} from './config/index.js';
export { generatedSections, renderMetrics, renderSettings, updateGenerated, usage } from './docs.js';
export { createHttpServer, listen } from './http.js';
export {
  type GroupAssignment,
  type GroupControl,
  type GroupMember,
  type GroupProtocol,
  KafkajsSource,
  type KafkajsSourceOptions,
} from './kafka/kafkajs-source.js';
export {
  type KafkaSecurity,
  kafkajsSecurity,
  type SaslMechanism,
  securityProblems,
} from './kafka/security.js';
export type {
  KafkaSource,
  PartitionOffsets,
  SourceBatch,
  SourceHandlers,
  SourceRecord,
} from './kafka/source.js';
export { LagClock, lagRecords, nextOffset } from './lag.js';
export { createLogger, type LogFields, type Logger, type LogLevel, silentLogger } from './log.js';
export { main, redact } from './main.js';
export { METRIC_PREFIX, METRICS, type MetricSpec, Metrics } from './metrics.js';
export {
  isReservedKey,
  OffsetKeys,
  parseStoredOffset,
  RESERVED_PREFIX,
  SlotOffsetKeys,
  StoredOffsetError,
} from './offsets.js';
export {
  type ExpiringSet,
  type OrderedWrite,
  type Plan,
  type PlanOptions,
  planInOrder,
  planRecords,
  SKIP_REASONS,
  type SkipReason,
} from './plan.js';
export {
  DUMP_FORMAT,
  dumpHeaders,
  EXPIRE_AT_HEADER,
  expiryFromHeaders,
  expiryHeaders,
  FORMAT_HEADER,
  isDumpRecord,
  type RecordHeaders,
  TTL_HEADER,
} from './record-headers.js';
export { bySlot, ClusterTarget, type ClusterTargetOptions } from './target/cluster-target.js';
export { DetectingTarget, type DetectingTargetOptions, isCluster } from './target/detecting-target.js';
export { parseTarget, RedisTarget, type RedisTargetOptions } from './target/redis-target.js';
export { ConnectionError, type Reply, RespConnection } from './target/resp.js';
export {
  type ApplyResult,
  type Planner,
  type Target,
  TargetConfigError,
  TargetUnavailableError,
  type TransactionMode,
} from './target/target.js';
export { VERSION } from './version.js';
