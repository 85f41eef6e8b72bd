/**
 * @sluice/testkit: start real sluice-server and redis-server processes on free loopback ports with
 * temporary directories, talk to them byte for byte, and drive redis-cli and Python clients against them.
 */
export { mountSmallDisk, removeDir, removeTempDirs, type SmallDisk, tempDir } from './fs.js';
export {
  buildMockBroker,
  latestPerKey,
  MOCK_BROKER_SOURCE,
  type MockBroker,
  type MockBrokerOptions,
  produceWithKcat,
  readTopicWithKcat,
  startMockBroker,
  type TestRecord,
  type TopicRecord,
} from './kafka.js';
export { freePort } from './net.js';
export { connectRaw, type RawClient } from './raw-client.js';
export { type RedisCluster, type RedisClusterOptions, startRedisCluster } from './redis-cluster.js';
export {
  type ExitStatus,
  hasRedisServer,
  type RunningServer,
  repoRoot,
  ServerStartError,
  type StartOptions,
  type StartRedisOptions,
  sluiceServerScript,
  startRedis,
  startSluice,
} from './server.js';
export { PYTHON, python, type RunOptions, type RunResult, redisCli, run } from './tools.js';
