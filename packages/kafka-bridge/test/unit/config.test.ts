import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Config,
  ConfigError,
  loadConfig,
  parseArgs,
  securityOf,
  unknownEnvNames,
} from '../../src/config/index.js';
import { SETTINGS } from '../../src/config/settings.js';
import { kafkajsSecurity } from '../../src/kafka/security.js';

const REQUIRED = ['--brokers', 'kafka:9092', '--topic', 'items'];

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('settings', () => {
  it('has defaults for everything but the required settings', () => {
    const config: Config = loadConfig(REQUIRED, {}, 'pod-1');
    expect(config.brokers).toEqual(['kafka:9092']);
    expect(config.topic).toBe('items');
    expect(config.target).toBe('redis://127.0.0.1:6379');
    expect(config['group-id']).toBe('sluice-bridge.items.pod-1');
    expect(config['key-prefix']).toBe('');
    expect(config['http-port']).toBeUndefined();
    expect(config.transactions).toBe('auto');
    for (const spec of SETTINGS) {
      if ('required' in spec || spec.name === 'group-id') continue;
      // Settings without a default (http-port, the TLS files, the SASL user) are off: undefined.
      expect(config[spec.name], spec.name).toEqual('default' in spec ? spec.default : undefined);
    }
  });

  it('checks the Kafka security settings together, and turns them into kafkajs options', () => {
    const base = ['--brokers', 'k:1', '--topic', 't'];
    const check = (argv: string[]) => problems(() => loadConfig([...base, ...argv], {}, 'h'));
    expect(check(['--kafka-sasl-mechanism', 'scram-sha-512'])).toEqual([
      'kafka-sasl-mechanism scram-sha-512 needs kafka-sasl-username',
      'kafka-sasl-mechanism scram-sha-512 needs kafka-sasl-password',
    ]);
    expect(check(['--kafka-tls-ca-file', '/ca.pem'])).toEqual([
      'kafka-tls-ca-file is set but kafka-tls is no',
    ]);
    expect(check(['--kafka-tls', 'yes', '--kafka-tls-cert-file', '/c.pem'])).toEqual([
      'kafka-tls-cert-file needs kafka-tls-key-file',
    ]);
    expect(check(['--kafka-sasl-mechanism', 'md5'])[0]).toMatch(/--kafka-sasl-mechanism "md5": /);
    const config = loadConfig(
      [...base, '--kafka-tls', 'yes', '--kafka-sasl-mechanism', 'plain', '--kafka-sasl-username', 'u'],
      { SLUICE_BRIDGE_KAFKA_SASL_PASSWORD: 'secret' },
      'h',
    );
    expect(kafkajsSecurity(securityOf(config))).toEqual({
      ssl: true,
      sasl: { mechanism: 'plain', username: 'u', password: 'secret' },
    });
    expect(kafkajsSecurity(securityOf(loadConfig(base, {}, 'h')))).toEqual({});
  });

  it('reads the PEM files of kafka-tls-ca-file, -cert-file and -key-file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
    try {
      for (const name of ['ca', 'cert', 'key']) writeFileSync(join(dir, `${name}.pem`), `${name} pem`);
      const security = kafkajsSecurity({
        tls: true,
        tlsCaFile: join(dir, 'ca.pem'),
        tlsCertFile: join(dir, 'cert.pem'),
        tlsKeyFile: join(dir, 'key.pem'),
        saslMechanism: 'none',
      });
      expect(security).toEqual({ ssl: { ca: ['ca pem'], cert: 'cert pem', key: 'key pem' } });
      expect(() =>
        kafkajsSecurity({ tls: true, tlsCaFile: join(dir, 'missing.pem'), saslMechanism: 'none' }),
      ).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads --name value, --name=value and SLUICE_BRIDGE_NAME, the command line winning', () => {
    const config = loadConfig(
      ['--brokers=a:1,b:2', '--http-port', '8080', '--key-prefix='],
      { SLUICE_BRIDGE_TOPIC: 'from-env', SLUICE_BRIDGE_HTTP_PORT: '9', SLUICE_BRIDGE_KEY_PREFIX: 'env:' },
      'h',
    );
    expect(config.brokers).toEqual(['a:1', 'b:2']);
    expect(config.topic).toBe('from-env');
    expect(config['http-port']).toBe(8080);
    expect(config['key-prefix']).toBe('');
  });

  it('names every problem at once', () => {
    expect(
      problems(() => loadConfig(['--concurrency', '0', '--log-level', 'verbose', '--nope', 'x'], {}, 'h')),
    ).toEqual([
      '--nope: unknown setting',
      '--brokers (SLUICE_BRIDGE_BROKERS) is required',
      '--topic (SLUICE_BRIDGE_TOPIC) is required',
      '--concurrency "0": must be between 1 and 256',
      '--log-level "verbose": must be one of debug, info, warn, error',
    ]);
  });

  it('checks brokers, topics and target URLs', () => {
    const bad = (flag: string, value: string) =>
      problems(() => loadConfig([...REQUIRED, flag, value], {}, 'h'));
    expect(bad('--brokers', 'kafka')).toEqual(['--brokers "kafka": "kafka" is not host:port']);
    expect(bad('--brokers', 'kafka:0')).toEqual(['--brokers "kafka:0": "kafka:0" is not host:port']);
    expect(loadConfig(['--brokers', '[::1]:9092, k2:9093', '--topic', 't'], {}, 'h').brokers).toEqual([
      '[::1]:9092',
      'k2:9093',
    ]);
    expect(bad('--topic', 'a b')[0]).toMatch(/not a valid Kafka topic name/);
    expect(bad('--topic', '..')[0]).toMatch(/not a valid Kafka topic name/);
    expect(bad('--topic', 'x'.repeat(250))[0]).toMatch(/not a valid Kafka topic name/);
    expect(bad('--target', 'http://x:1')).toEqual([
      '--target: must start with redis:// or rediss:// (not http://)',
    ]);
    expect(bad('--target', 'redis://:pw@h:1/db')).toEqual([
      '--target: the path must be empty or a database number, like /0',
    ]);
    const ok = loadConfig([...REQUIRED, '--target', 'rediss://user:pw@cache:6380/2'], {}, 'h');
    expect(ok.target).toBe('rediss://user:pw@cache:6380/2');
  });

  it('suggests the setting a misspelt flag probably meant', () => {
    expect(problems(() => loadConfig([...REQUIRED, '--http-prot', '1'], {}, 'h'))).toEqual([
      '--http-prot: unknown setting (did you mean --http-port?)',
    ]);
  });

  it('recognizes --help and --version, and reports a flag without a value', () => {
    expect(parseArgs(['-h']).help).toBe(true);
    expect(parseArgs(['--version']).version).toBe(true);
    expect(parseArgs(['--topic']).problems).toEqual(['--topic (SLUICE_BRIDGE_TOPIC): a value is required']);
  });

  it('flags unknown SLUICE_BRIDGE_ variables', () => {
    expect(unknownEnvNames({ SLUICE_BRIDGE_BROKER: 'x', SLUICE_BRIDGE_TOPIC: 't', PATH: '/bin' })).toEqual([
      'SLUICE_BRIDGE_BROKER',
    ]);
  });

  it('has one description per setting and unique names', () => {
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const spec of SETTINGS) {
      expect(spec.name).toMatch(/^[a-z][a-z-]*[a-z]$/);
      expect(spec.description.length).toBeGreaterThan(20);
    }
  });
});
