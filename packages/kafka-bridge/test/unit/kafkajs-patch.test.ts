import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '@sluice/testkit';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('../fixtures/fetch-manager-stop.cjs', import.meta.url));
const KAFKAJS = dirname(createRequire(import.meta.url).resolve('kafkajs/package.json'));

describe('the kafkajs patch', () => {
  it('ends the fetch manager when it is stopped during a rebalance of its fetchers', async () => {
    // In a process of its own, killed after the timeout: a starved event loop cannot hang the test runner.
    // Unpatched kafkajs 2.2.4 spins forever here: that hung sluice-bridge on SIGTERM with the brokers down.
    const result = await run(process.execPath, [FIXTURE, KAFKAJS], { timeoutMs: 15_000 });
    expect(result).toEqual({ stdout: 'returned\n', stderr: '', code: 0 });
  });
});
