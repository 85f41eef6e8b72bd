/**
 * How a Kafka client authenticates to the brokers and encrypts its connections: the `kafka-tls*` and
 * `kafka-sasl-*` settings, shared by sluice-bridge and sluice-server's log mode, turned into kafkajs's
 * `ssl` and `sasl` options.
 */

import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

export type SaslMechanism = 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaSecurity {
  tls: boolean;
  tlsCaFile?: string | undefined;
  tlsCertFile?: string | undefined;
  tlsKeyFile?: string | undefined;
  saslMechanism: SaslMechanism;
  saslUsername?: string | undefined;
  saslPassword?: string | undefined;
}

/** Settings that cannot work together, one line each (empty when they can). */
export function securityProblems(s: KafkaSecurity): string[] {
  const problems: string[] = [];
  if (!s.tls) {
    for (const [name, value] of [
      ['kafka-tls-ca-file', s.tlsCaFile],
      ['kafka-tls-cert-file', s.tlsCertFile],
      ['kafka-tls-key-file', s.tlsKeyFile],
    ] as const) {
      if (value !== undefined && value !== '') problems.push(`${name} is set but kafka-tls is no`);
    }
  }
  if ((s.tlsCertFile ?? '') !== '' && (s.tlsKeyFile ?? '') === '') {
    problems.push('kafka-tls-cert-file needs kafka-tls-key-file');
  }
  if ((s.tlsKeyFile ?? '') !== '' && (s.tlsCertFile ?? '') === '') {
    problems.push('kafka-tls-key-file needs kafka-tls-cert-file');
  }
  if (s.saslMechanism !== 'none') {
    if ((s.saslUsername ?? '') === '') {
      problems.push(`kafka-sasl-mechanism ${s.saslMechanism} needs kafka-sasl-username`);
    }
    if (s.saslPassword === undefined) {
      problems.push(`kafka-sasl-mechanism ${s.saslMechanism} needs kafka-sasl-password`);
    }
  }
  return problems;
}

/** kafkajs's `ssl` and `sasl` options; reads the PEM files (throws when one cannot be read). */
export function kafkajsSecurity(s: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (s.tls) {
    const read = (file: string | undefined) =>
      file === undefined || file === '' ? undefined : readFileSync(file, 'utf8');
    const ca = read(s.tlsCaFile);
    const cert = read(s.tlsCertFile);
    const key = read(s.tlsKeyFile);
    out.ssl =
      ca === undefined && cert === undefined
        ? true
        : { ...(ca === undefined ? {} : { ca: [ca] }), ...(cert === undefined ? {} : { cert, key }) };
  }
  if (s.saslMechanism !== 'none') {
    out.sasl = {
      mechanism: s.saslMechanism,
      username: s.saslUsername ?? '',
      password: s.saslPassword ?? '',
    } as SASLOptions;
  }
  return out;
}
