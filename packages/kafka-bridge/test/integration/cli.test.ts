/** The command line contract: settings from flags or environment, fail-fast errors, logs, signals. */

import { run } from '@sluice/testkit';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config/settings.js';
import { envName } from '../../src/index.js';
import { BRIDGE_BIN, startBridge } from '../helpers/bridge-process.js';

function bridgeCli(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [BRIDGE_BIN, ...args], { env, timeoutMs: 20_000 });
}

describe('sluice-bridge command line', () => {
  it('fails fast with exit code 1, naming every missing or invalid setting', async () => {
    const result = await bridgeCli(['--http-port', 'eighty', '--fetch-max-wait-ms', '-5', '--tpoic', 'x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--brokers (SLUICE_BRIDGE_BROKERS) is required');
    expect(result.stderr).toContain('--topic (SLUICE_BRIDGE_TOPIC) is required');
    expect(result.stderr).toContain('--http-port "eighty": must be an integer');
    expect(result.stderr).toContain('--fetch-max-wait-ms "-5": must be between 0 and');
    expect(result.stderr).toContain('--tpoic: unknown setting (did you mean --topic?)');
    // The same problems as one structured log line on standard output.
    const line = JSON.parse(result.stdout.trim()) as { level: string; msg: string; problems: string[] };
    expect(line).toMatchObject({ level: 'error', msg: 'invalid configuration' });
    expect(line.problems).toHaveLength(5);
  });

  it('reads every setting from SLUICE_BRIDGE_* variables and names the variable in errors', async () => {
    const result = await bridgeCli([], {
      SLUICE_BRIDGE_BROKERS: 'localhost',
      SLUICE_BRIDGE_TOPIC: 'ok',
      SLUICE_BRIDGE_TARGET: 'http://user:hunter2@127.0.0.1:6379',
      SLUICE_BRIDGE_LOG_LEVEL: 'loud',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SLUICE_BRIDGE_BROKERS "localhost": "localhost" is not host:port');
    expect(result.stderr).toContain(
      'SLUICE_BRIDGE_LOG_LEVEL "loud": must be one of debug, info, warn, error',
    );
    expect(result.stderr).toContain('SLUICE_BRIDGE_TARGET: must start with redis:// or rediss://');
    // A password in the target URL is never echoed.
    expect(result.stderr + result.stdout).not.toContain('hunter2');
  });

  it('lets the command line win over the environment', async () => {
    const result = await bridgeCli(['--topic', 'bad topic'], {
      SLUICE_BRIDGE_TOPIC: 'good',
      SLUICE_BRIDGE_BROKERS: 'a:1',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--topic "bad topic"');
  });

  it('documents every setting and its variable in --help, and prints its version', async () => {
    const help = await bridgeCli(['--help']);
    expect(help.code).toBe(0);
    for (const spec of SETTINGS) {
      expect(help.stdout).toContain(`--${spec.name} `);
      expect(help.stdout).toContain(envName(spec.name));
    }
    const version = await bridgeCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^sluice-bridge \d+\.\d+\.\d+/);
  });

  it('starts with its settings in the environment, logs JSON lines, and exits 0 on SIGTERM even with nothing reachable', async () => {
    const bridge = await startBridge({
      viaEnv: true,
      // Nothing listens on port 1: neither Kafka nor the target can be reached.
      brokers: '127.0.0.1:1',
      topic: 'unreachable',
      target: 'redis://:secret@127.0.0.1:1/3',
      args: ['--retry-initial-ms', '50'],
    });
    await bridge.waitForLog((l) => l.msg === 'starting');
    expect((await bridge.get('/healthz')).status).toBe(200);
    const readyz = await bridge.get('/readyz');
    expect(readyz.status).toBe(503);
    expect(readyz.body).toContain('kafka');
    await new Promise((r) => setTimeout(r, 1_500));
    const started = Date.now();
    expect(await bridge.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const line of bridge.output().trim().split('\n')) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(typeof parsed.time).toBe('string');
      expect(['debug', 'info', 'warn', 'error']).toContain(parsed.level);
      expect(typeof parsed.msg).toBe('string');
    }
    expect(bridge.output()).not.toContain('secret');
    expect(bridge.logs().find((l) => l.msg === 'starting')?.target).toBe('redis://:***@127.0.0.1:1/3');
  });
});
