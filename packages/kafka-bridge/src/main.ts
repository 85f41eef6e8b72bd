import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { sleep } from './backoff.js';
import { Bridge } from './bridge.js';
import {
  type Config,
  ConfigError,
  loadConfig,
  parseArgs,
  securityOf,
  unknownEnvNames,
} from './config/index.js';
import { usage } from './docs.js';
import { createHttpServer, listen } from './http.js';
import { KafkajsSource } from './kafka/kafkajs-source.js';
import { createLogger, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { OffsetKeys, SlotOffsetKeys } from './offsets.js';
import { ClusterTarget } from './target/cluster-target.js';
import { DetectingTarget, isCluster } from './target/detecting-target.js';
import { RedisTarget } from './target/redis-target.js';
import type { Target } from './target/target.js';
import { VERSION } from './version.js';

/**
 * Runs sluice-bridge with command-line arguments and environment; resolves with the exit code once it has
 * stopped (after SIGTERM or SIGINT).
 */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let config: Config;
  try {
    const args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(usage());
      return 0;
    }
    if (args.version) {
      process.stdout.write(`sluice-bridge ${VERSION} node=${process.version}\n`);
      return 0;
    }
    config = loadConfig(argv, env, hostname());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`sluice-bridge: ${err.message}\nRun sluice-bridge --help for the settings.\n`);
    createLogger('error').error('invalid configuration', { problems: err.problems });
    return 1;
  }

  const logger = createLogger(config['log-level']);
  const unknown = unknownEnvNames(env);
  if (unknown.length > 0) logger.warn('unknown environment variables ignored', { names: unknown });
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason }));

  const metrics = new Metrics();
  const keys = new OffsetKeys(config.topic, Buffer.from(config['key-prefix']));
  const targetLogger = logger.child({ component: 'target' });
  const single = (): Target =>
    new RedisTarget({
      url: config.target,
      connections: config.concurrency,
      transactions: config.transactions,
      keys,
      connectTimeoutMs: config['connect-timeout-ms'],
      logger: targetLogger,
    });
  const cluster = (): Target =>
    new ClusterTarget({
      url: config.target,
      transactions: config.transactions,
      keys,
      slotKeys: new SlotOffsetKeys(config.topic, Buffer.from(config['key-prefix'])),
      connectTimeoutMs: config['connect-timeout-ms'],
      logger: targetLogger,
    });
  const target =
    config['target-cluster'] === 'yes'
      ? cluster()
      : config['target-cluster'] === 'no'
        ? single()
        : new DetectingTarget({
            detect: () => isCluster(config.target, config['connect-timeout-ms']),
            single,
            cluster,
            logger: targetLogger,
          });
  const source = new KafkajsSource({
    brokers: config.brokers,
    topic: config.topic,
    groupId: config['group-id'],
    clientId: config['client-id'],
    sessionTimeoutMs: config['session-timeout-ms'],
    metadataMaxAgeMs: config['metadata-max-age-ms'],
    fetchMaxBytes: config['fetch-max-bytes'],
    fetchMaxWaitMs: config['fetch-max-wait-ms'],
    concurrency: config.concurrency,
    connectTimeoutMs: config['connect-timeout-ms'],
    retryInitialMs: config['retry-initial-ms'],
    retryMaxMs: config['retry-max-ms'],
    security: securityOf(config),
    logger,
  });
  const bridge = new Bridge({
    topic: config.topic,
    keyPrefix: Buffer.from(config['key-prefix']),
    maxBatchRecords: config['max-batch-records'],
    retryInitialMs: config['retry-initial-ms'],
    retryMaxMs: config['retry-max-ms'],
    commitIntervalMs: config['commit-interval-ms'],
    lagIntervalMs: config['lag-interval-ms'],
    readyMaxLagRecords: config['ready-max-lag-records'],
    readyMaxLagSeconds: config['ready-max-lag-seconds'],
    source,
    target,
    logger,
    metrics,
  });

  logger.info('starting', {
    version: VERSION,
    brokers: config.brokers,
    topic: config.topic,
    groupId: config['group-id'],
    target: redact(config.target),
    keyPrefix: config['key-prefix'],
    offsetKey: keys.describe(0).replace(/:0$/, ':<partition>'),
    transactions: config.transactions,
    targetCluster: config['target-cluster'],
  });

  let http: Server | undefined;
  const httpPort = config['http-port'];
  if (httpPort !== undefined) {
    http = createHttpServer(bridge, metrics);
    try {
      const port = await listen(http, httpPort, config['http-host']);
      logger.info('http listening', { host: config['http-host'], port });
    } catch (err) {
      logger.error('cannot listen for HTTP', { host: config['http-host'], port: httpPort, error: err });
      await target.close();
      return 1;
    }
  }

  const stopSignal = new Promise<string>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
  });
  bridge.start();
  const signal = await stopSignal;
  return await shutdown(bridge, http, config, logger, signal);
}

async function shutdown(
  bridge: Bridge,
  http: Server | undefined,
  config: Config,
  logger: Logger,
  signal: string,
): Promise<number> {
  logger.info('received signal; shutting down', { signal });
  const stopped = await Promise.race([
    bridge.stop().then(() => true),
    sleep(config['shutdown-timeout-ms']).then(() => false),
  ]);
  http?.closeAllConnections();
  http?.close();
  if (!stopped) {
    logger.error('shutdown took longer than --shutdown-timeout-ms; exiting anyway', {
      timeoutMs: config['shutdown-timeout-ms'],
    });
    return 1;
  }
  return 0;
}

/** The target URL without its password, for logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}
