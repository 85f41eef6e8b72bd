/** `--target-cluster auto`: asking the target whether it is a cluster, and going on with the right target. */

import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { planInOrder } from '../../src/plan.js';
import { DetectingTarget, isCluster } from '../../src/target/detecting-target.js';
import { type Target, TargetUnavailableError } from '../../src/target/target.js';
import { FakeRespServer } from '../helpers/fake-resp-server.js';
import { MemoryTarget } from '../helpers/fakes.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server that answers every command with `reply`. */
async function answering(reply: string): Promise<number> {
  const server = createServer((socket) => socket.on('data', () => socket.write(reply)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

const info = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

describe('isCluster', () => {
  it('is true when INFO cluster says cluster_enabled:1, false when it says 0', async () => {
    const yes = await answering(info('# Cluster\r\ncluster_enabled:1\r\n'));
    const no = await answering(info('# Cluster\r\ncluster_enabled:0\r\n'));
    expect(await isCluster(`redis://127.0.0.1:${yes}`, 1_000)).toBe(true);
    expect(await isCluster(`redis://127.0.0.1:${no}`, 1_000)).toBe(false);
  });

  it('is false for a server without INFO (an error reply)', async () => {
    const fake = new FakeRespServer();
    const port = await fake.listen();
    closers.push(() => fake.close());
    expect(await isCluster(`redis://127.0.0.1:${port}`, 1_000)).toBe(false);
    expect(fake.names()).toEqual(['INFO']);
  });

  it('fails as TargetUnavailableError while nothing listens', async () => {
    const port = await answering('');
    await closers.pop()?.();
    await expect(isCluster(`redis://127.0.0.1:${port}`, 1_000)).rejects.toBeInstanceOf(
      TargetUnavailableError,
    );
  });
});

describe('DetectingTarget', () => {
  it('asks once, then goes on with the target it chose; a failed question is asked again', async () => {
    const answers: (boolean | Error)[] = [new TargetUnavailableError('down'), true];
    let asked = 0;
    const cluster = Object.assign(new MemoryTarget('t'), { planner: planInOrder }) as Target;
    const single = new MemoryTarget('t');
    const t = new DetectingTarget({
      detect: async () => {
        asked++;
        const answer = answers.shift();
        if (answer instanceof Error) throw answer;
        return answer as boolean;
      },
      single: () => single,
      cluster: () => cluster,
      logger: silentLogger,
    });
    expect(t.planner).toBeUndefined();
    await expect(t.readOffsets([0])).rejects.toBeInstanceOf(TargetUnavailableError);
    expect(await t.readOffsets([0, 1])).toEqual(
      new Map([
        [0, null],
        [1, null],
      ]),
    );
    expect(await t.readOffsets([0])).toEqual(new Map([[0, null]]));
    expect(asked).toBe(2);
    expect(t.planner).toBe(planInOrder);
    expect(t.mode).toBe('multi');
  });
});
