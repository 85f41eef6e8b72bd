import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connectRaw, startSluice } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

/** Resident memory of a process, from /proc. */
function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(line?.[1] ?? 0) * 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('bounded memory and fairness', () => {
  it('stops reading from a client whose replies pile up unread, and serves others meanwhile', async () => {
    const server = await startSluice();
    const setup = new Redis(server.port, '127.0.0.1');
    await setup.set('big', 'x'.repeat(64 * 1024));
    const baseline = rssBytes(server.pid);

    // 20,000 GETs of 64 KiB: 1.3 GB of replies, none of them read for now.
    const flood = connect({ port: server.port, host: '127.0.0.1' });
    flood.pause();
    const command = Buffer.from('*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n');
    const batch = Buffer.concat(Array.from({ length: 1000 }, () => command));
    for (let i = 0; i < 20; i++) flood.write(batch);
    await sleep(1500);

    const grown = rssBytes(server.pid) - baseline;
    expect(grown).toBeLessThan(200 * 1024 * 1024);
    const t0 = Date.now();
    expect(await setup.ping()).toBe('PONG');
    expect(Date.now() - t0).toBeLessThan(1000);

    // Once the client reads, every reply arrives, complete and in order.
    const expected = 20000 * (64 * 1024 + '$65536\r\n\r\n'.length);
    let received = 0;
    flood.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    flood.resume();
    const deadline = Date.now() + 30000;
    while (received < expected && Date.now() < deadline) await sleep(50);
    expect(received).toBe(expected);
    flood.destroy();
    setup.disconnect();
    await server.dispose();
  }, 60_000);

  it('holds 10,000 idle connections in bounded memory and keeps serving', async () => {
    const server = await startSluice({ args: ['--maxclients', '10100'] });
    const baseline = rssBytes(server.pid);
    const sockets: Socket[] = [];
    for (let i = 0; i < 10000; i += 500) {
      await Promise.all(
        Array.from(
          { length: 500 },
          () =>
            new Promise<void>((resolve, reject) => {
              const s = connect({ port: server.port, host: '127.0.0.1' }, () => resolve());
              s.on('error', reject);
              sockets.push(s);
            }),
        ),
      );
    }
    const client = new Redis(server.port, '127.0.0.1');
    expect(await client.ping()).toBe('PONG');
    const info = await client.info('clients');
    expect(info).toContain('connected_clients:10001');
    const perConnection = (rssBytes(server.pid) - baseline) / 10000;
    expect(perConnection).toBeLessThan(16 * 1024);
    client.disconnect();
    for (const s of sockets) s.destroy();
    await server.dispose();
  }, 120_000);

  it('refuses connections past maxclients with redis-server error', async () => {
    const server = await startSluice({ args: ['--maxclients', '2'] });
    const a = await connectRaw(server.port);
    const b = await connectRaw(server.port);
    const c = await connectRaw(server.port);
    expect(await c.read(2000)).toBe('-ERR max number of clients reached\r\n');
    await c.closed;
    expect(await a.call('PING')).toBe('+PONG\r\n');
    await a.close();
    await b.close();
    await server.dispose();
  });

  it('disconnects a client whose unexecuted requests pass client-query-buffer-limit', async () => {
    const server = await startSluice({ args: ['--client-query-buffer-limit', '1mb'] });
    const greedy = await connectRaw(server.port);
    greedy.send(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n${'x'.repeat(1_200_000)}`);
    await greedy.closed;
    const other = await connectRaw(server.port);
    expect(await other.call('PING')).toBe('+PONG\r\n');
    await other.close();
    expect(server.output()).toContain('closing client that reached max query buffer length');
    await server.dispose();
  });

  it('stores and returns a 100 MiB value', async () => {
    const server = await startSluice();
    const client = new Redis(server.port, '127.0.0.1');
    const value = Buffer.alloc(100 * 1024 * 1024, 0x61);
    value.write('start', 0);
    value.write('end', value.length - 3);
    expect(await client.set('huge', value)).toBe('OK');
    const back = await client.getBuffer('huge');
    expect(back?.length).toBe(value.length);
    expect(back?.equals(value)).toBe(true);
    client.disconnect();
    await server.dispose();
  }, 60_000);
});
