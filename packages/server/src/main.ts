import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Config, ConfigError, loadConfig, logModeOn, parseArgs } from './config/index.js';
import { LogModeStartError } from './log/log-mode.js';
import { Logger } from './log.js';
import { isLoopback, Server } from './server.js';
import { REDIS_COMPAT_VERSION, VERSION } from './version.js';

const USAGE = `Usage: sluice-server [/path/to/sluice.conf] [options] [-]
       sluice-server -v or --version
       sluice-server -h or --help

Options are redis-server's settings as --name value, for example:
       sluice-server --port 6380 --dir ./data --appendfsync always
       sluice-server /etc/sluice.conf --loglevel verbose --requirepass secret
`;

/** Starts sluice-server from command-line arguments; resolves when it has shut down. */
export async function main(argv: readonly string[]): Promise<number> {
  let config: Config;
  try {
    const parsed = parseArgs(argv);
    if (parsed.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (parsed.version) {
      process.stdout.write(
        `Sluice server v=${VERSION} redis-compat=${REDIS_COMPAT_VERSION} node=${process.version}\n`,
      );
      return 0;
    }
    config = loadConfig(argv, (path) => readFileSync(path, 'utf8'));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`\n*** FATAL CONFIG ERROR (Sluice ${VERSION}) ***\n${err.message}\n`);
      return 1;
    }
    throw err;
  }

  const logger = new Logger(config.loglevel, config.logfile);
  const dir = resolve(config.dir);
  config.dir = dir;
  await mkdir(dir, { recursive: true });
  if (logModeOn(config) && config.databases !== 1) {
    // The topic is one keyspace: log mode has database 0 only (SELECT 1 is out of range, as MOVE is).
    logger.log('notice', `Log mode serves one database (databases ${config.databases} ignored)`);
    config.databases = 1;
  }
  let server: Server;
  try {
    server = new Server(config, logger, parsed(argv));
    await server.startScripting();
  } catch (err) {
    if (!(err instanceof LogModeStartError)) throw err;
    process.stderr.write(`\n*** FATAL CONFIG ERROR (Sluice ${VERSION}) ***\n${err.message}\n`);
    logger.log('warning', `Cannot start in log mode: ${err.message}`);
    return 1;
  }
  if (config['http-port'] > 0) {
    try {
      const httpPort = await server.listenHttp();
      logger.log('notice', `HTTP endpoints on ${server.bindHosts.join(', ')} port ${httpPort}`);
    } catch (err) {
      logger.log(
        'warning',
        `Failed listening for HTTP on port ${config['http-port']}: ${(err as Error).message}`,
      );
      await server.shutdown('Startup failed');
      return 1;
    }
  }
  const log = server.logMode;
  const startLog = (): void => {
    if (log === null) return;
    log.start();
    server.pubsubBus?.start();
    logger.log(
      'notice',
      `Log mode: topic ${config['kafka-topic']} on ${config['kafka-brokers']}, node ${log.nodeId}, consumer group ${log.groupId}`,
    );
  };
  // Cluster mode joins the group once listening: the node tells the others its address.
  if (!config['cluster-enabled']) startLog();
  const expired = await server.keyspace.expireDue();
  if (expired > 0) logger.log('notice', `Removed ${expired} keys that expired while the server was down`);
  let port: number;
  try {
    port = await server.listen();
  } catch (err) {
    logger.log('warning', `Failed listening on ${config.bind}:${config.port}: ${(err as Error).message}`);
    await server.shutdown('Startup failed');
    return 1;
  }
  if (config['cluster-enabled']) startLog();
  logger.log(
    'notice',
    `Sluice ${VERSION} (Redis ${REDIS_COMPAT_VERSION} protocol), pid=${process.pid}, Node ${process.version}`,
  );
  logger.log(
    'notice',
    `Data directory ${dir} (LMDB), ${config.databases} databases, appendfsync ${config.appendfsync}`,
  );
  logger.log(
    'notice',
    `Ready to accept connections tcp on ${config.bind.split(' ').join(', ')} port ${port}`,
  );
  const exposed = config.bind.split(' ').filter((a) => a !== '' && !isLoopback(a.replace(/^-/, '')));
  if (exposed.length > 0 && config.requirepass === '') {
    logger.log(
      'warning',
      `WARNING: listening on ${exposed.join(', ')} without a password (requirepass)${config['protected-mode'] ? '; protected mode refuses clients that are not on loopback' : ': any client that can reach it has full access'}`,
    );
  }
  if (config.pidfile !== '') writeFileSync(config.pidfile, `${process.pid}\n`);
  server.state = 'ready';

  return await new Promise<number>((resolveExit) => {
    server.onShutdown = () => {
      if (config.pidfile !== '') rmSync(config.pidfile, { force: true });
      resolveExit(0);
    };
    const stop = (signal: string) => () => {
      void server.shutdown(`Received ${signal} scheduling shutdown...`);
    };
    process.once('SIGTERM', stop('SIGTERM'));
    process.once('SIGINT', stop('SIGINT'));
  });
}

function parsed(argv: readonly string[]): string {
  const file = parseArgs(argv).configFile;
  return file === undefined ? '' : resolve(file);
}
