/**
 * A slow subscriber is bounded as redis-server bounds it: client-output-buffer-limit's pubsub class
 * (default `pubsub 32mb 8mb 60`). A subscriber that stops reading is disconnected once its unsent output
 * reaches the hard limit, or stays over the soft limit for longer than its seconds; what was queued for
 * it is freed, so the server's memory does not grow with what is published to it. Run against
 * redis-server and sluice-server alike.
 */
import { connect, type Socket } from 'node:net';
import { encodeCommand } from '@sluice/protocol';
import type { RawClient } from '@sluice/testkit';
import { describe, expect, it } from 'vitest';
import { int, OK } from './resp.js';
import { targets, useServer } from './targets.js';

const MB = 1024 * 1024;

/**
 * A subscriber to `channel` that reads its confirmation, then nothing more (its socket is paused).
 * `closed` resolves once the server has closed the connection; `drain()` reads what the kernel still
 * holds so that the close is seen.
 */
async function stalledSubscriber(
  port: number,
  channel: string,
): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(encodeCommand(['SUBSCRIBE', channel]));
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  socket.pause();
  return { socket, closed };
}

/** Reads what a stalled subscriber's kernel buffers hold, then waits until the server has closed it. */
async function closedByServer(sub: { socket: Socket; closed: Promise<void> }): Promise<void> {
  sub.socket.resume();
  await sub.closed;
}

/** The server's resident memory, from INFO memory. */
async function rss(c: RawClient): Promise<number> {
  const info = await c.call('INFO', 'memory');
  return Number(/used_memory_rss:(\d+)/.exec(info)?.[1]);
}

async function numsub(c: RawClient, channel: string): Promise<string> {
  return c.call('PUBSUB', 'NUMSUB', channel);
}

describe.each(targets())('a slow subscriber against %s', { timeout: 60_000 }, (target) => {
  const t = useServer(target);

  it('is disconnected at the hard limit (default 32mb), and the server does not keep what it was sent', async () => {
    const pub = await t.connect();
    expect(await pub.call('CONFIG', 'GET', 'client-output-buffer-limit')).toContain(
      'pubsub 33554432 8388608 60',
    );
    const sub = await stalledSubscriber(t.port, 'firehose');
    const before = await rss(pub);
    const message = Buffer.alloc(MB, 'x');
    let delivered = 0;
    let refused = 0;
    // 256 MB offered in all; the subscriber reads none of it.
    for (let i = 0; i < 256; i++) {
      const reply = await pub.call('PUBLISH', 'firehose', message);
      if (reply === int(1)) delivered++;
      else {
        expect(reply).toBe(int(0));
        refused++;
      }
    }
    await closedByServer(sub);
    // At least the hard limit was queued (the kernel's socket buffers hold more), then it was closed.
    expect(delivered).toBeGreaterThanOrEqual(32);
    expect(delivered).toBeLessThan(128);
    expect(refused).toBe(256 - delivered);
    expect(await numsub(pub, 'firehose')).toBe('*2\r\n$8\r\nfirehose\r\n:0\r\n');
    // Bounded: far less than the 256 MB published, whatever the allocator keeps for reuse.
    const grown = (await rss(pub)) - before;
    expect(grown).toBeLessThan(128 * MB);
  });

  it('is disconnected after staying over the soft limit for longer than its seconds', async () => {
    const pub = await t.connect();
    try {
      expect(await pub.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 1mb 1')).toBe(OK);
      const sub = await stalledSubscriber(t.port, 'slow');
      const message = Buffer.alloc(MB, 'y');
      // Enough to fill the kernel's buffers and go over the soft limit: the clock starts, nobody is closed.
      for (let i = 0; i < 24; i++) expect(await pub.call('PUBLISH', 'slow', message)).toBe(int(1));
      expect(await numsub(pub, 'slow')).toBe('*2\r\n$4\r\nslow\r\n:1\r\n');
      // Past the soft seconds (redis-server counts whole seconds), the next message closes it.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await pub.call('PUBLISH', 'slow', 'one more');
      await closedByServer(sub);
      expect(await numsub(pub, 'slow')).toBe('*2\r\n$4\r\nslow\r\n:0\r\n');
      expect(await pub.call('PUBLISH', 'slow', 'gone')).toBe(int(0));
    } finally {
      await pub.call(
        'CONFIG',
        'SET',
        'client-output-buffer-limit',
        'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
      );
    }
  });

  it('a subscriber that reads is never disconnected, however much is published', async () => {
    const pub = await t.connect();
    expect(await pub.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 4mb 2mb 1')).toBe(OK);
    try {
      const reader = await t.connect();
      await reader.call('SUBSCRIBE', 'steady');
      const message = Buffer.alloc(256 * 1024, 'z');
      for (let i = 0; i < 64; i++) {
        expect(await pub.call('PUBLISH', 'steady', message)).toBe(int(1));
        expect((await reader.readReplies(1))[0]?.length).toBeGreaterThan(256 * 1024);
      }
      expect(reader.isClosed).toBe(false);
    } finally {
      await pub.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 33554432 8388608 60');
    }
  });
});
