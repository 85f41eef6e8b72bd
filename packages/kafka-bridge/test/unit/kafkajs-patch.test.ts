import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('../fixtures/fetch-manager-stop.cjs', import.meta.url));
const KAFKAJS = dirname(createRequire(import.meta.url).resolve('kafkajs/package.json'));

/** Runs the fixture in its own process: a starved event loop there cannot hang the test runner. */
function runFixture(timeoutMs: number): Promise<{ output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FIXTURE, KAFKAJS], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve({ output: output.trim(), timedOut });
    });
  });
}

describe('the kafkajs patch', () => {
  it('ends the fetch manager when it is stopped during a rebalance of its fetchers', async () => {
    // Unpatched kafkajs 2.2.4 spins forever here: that hung sluice-bridge on SIGTERM with the brokers down.
    expect(await runFixture(15_000)).toEqual({ output: 'returned', timedOut: false });
  });
});
