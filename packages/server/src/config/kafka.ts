/**
 * The log-mode settings read together: whether log mode is on, the brokers as a list, the security
 * settings as sluice-bridge's `KafkaSecurity`, and the checks that span several settings.
 */

import { type KafkaSecurity, securityProblems } from '@sluice/kafka-bridge';
import { ConfigError } from './error.js';

/** The settings read here (a `Config` has them). */
export interface KafkaSettings {
  readonly 'kafka-brokers': string;
  readonly 'kafka-topic': string;
  readonly 'kafka-tls': boolean;
  readonly 'kafka-tls-ca-file': string;
  readonly 'kafka-tls-cert-file': string;
  readonly 'kafka-tls-key-file': string;
  readonly 'kafka-sasl-mechanism': 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly 'kafka-sasl-username': string;
  readonly 'kafka-sasl-password': string;
  readonly 'cluster-enabled': boolean;
}

/** Whether the server runs in log mode (kafka-brokers and kafka-topic set). */
export function logModeOn(config: KafkaSettings): boolean {
  return config['kafka-brokers'] !== '' || config['kafka-topic'] !== '';
}

/** The bootstrap servers of kafka-brokers. */
export function brokersOf(config: KafkaSettings): string[] {
  return config['kafka-brokers']
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
}

export function kafkaSecurityOf(config: KafkaSettings): KafkaSecurity {
  const optional = (v: string) => (v === '' ? undefined : v);
  return {
    tls: config['kafka-tls'],
    tlsCaFile: optional(config['kafka-tls-ca-file']),
    tlsCertFile: optional(config['kafka-tls-cert-file']),
    tlsKeyFile: optional(config['kafka-tls-key-file']),
    saslMechanism: config['kafka-sasl-mechanism'],
    saslUsername: optional(config['kafka-sasl-username']),
    saslPassword: config['kafka-sasl-mechanism'] === 'none' ? undefined : config['kafka-sasl-password'],
  };
}

/** Throws a ConfigError for log-mode settings that cannot work together. */
export function checkKafkaSettings(config: KafkaSettings): void {
  const problems: string[] = [];
  if (logModeOn(config)) {
    const brokers = brokersOf(config);
    if (brokers.length === 0) problems.push('kafka-topic is set but kafka-brokers is empty');
    for (const broker of brokers) {
      if (!/^[^\s:,]+:\d{1,5}$/.test(broker) && !/^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(broker)) {
        problems.push(`kafka-brokers: ${JSON.stringify(broker)} is not host:port`);
      }
    }
    const topic = config['kafka-topic'];
    if (topic === '') problems.push('kafka-brokers is set but kafka-topic is empty');
    else if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic) || topic === '.' || topic === '..') {
      problems.push(`kafka-topic: ${JSON.stringify(topic)} is not a Kafka topic name`);
    }
  }
  for (const problem of securityProblems(kafkaSecurityOf(config))) {
    // kafka-sasl-password is never absent here (its default is ''): say so only when it is empty.
    if (problem.endsWith('needs kafka-sasl-password')) continue;
    problems.push(problem);
  }
  if (config['kafka-sasl-mechanism'] !== 'none' && config['kafka-sasl-password'] === '') {
    problems.push(`kafka-sasl-mechanism ${config['kafka-sasl-mechanism']} needs kafka-sasl-password`);
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
}
