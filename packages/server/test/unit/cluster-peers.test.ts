/**
 * PeerWatch (cluster/peers.ts) against real listeners on loopback: a peer whose port closes after it
 * accepted a connection has its members removed, once; a peer that closes a connection but still
 * listens, and an address that never accepted one, do not.
 */
import net from 'node:net';
import { freePort } from '@sluice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { PEER_CLIENT_NAME, PeerWatch } from '../../src/cluster/peers.js';

const ID = 'a'.repeat(40);

/** A listener on a free loopback port that records what its connections send. */
async function listener(
  port = 0,
): Promise<{ server: net.Server; port: number; sockets: net.Socket[]; got: string[] }> {
  const sockets: net.Socket[] = [];
  const got: string[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (d) => got.push(d.toString('latin1')));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port: (server.address() as net.AddressInfo).port, sockets, got };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Closes the listener and every connection it accepted, as the death of its process does. */
async function kill(l: { server: net.Server; sockets: net.Socket[] }): Promise<void> {
  const closed = new Promise((resolve) => l.server.close(resolve));
  for (const s of l.sockets) s.destroy();
  await closed;
}

describe('PeerWatch', () => {
  let watch: PeerWatch | null = null;
  afterEach(() => watch?.stop());

  it('removes every member of a peer whose port refuses connections after it accepted one, and names its connection', async () => {
    const l = await listener();
    const removed: string[] = [];
    const lines: string[] = [];
    watch = new PeerWatch({
      remove: async (member) => {
        removed.push(member);
      },
      log: (m) => lines.push(m),
      retryMs: 200,
    });
    watch.watch([{ id: ID, host: '127.0.0.1', port: l.port, members: ['m1', 'm2'] }]);
    await until(() => l.got.join('').includes(PEER_CLIENT_NAME));
    expect(l.got.join('')).toBe(`*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$19\r\n${PEER_CLIENT_NAME}\r\n`);
    await kill(l);
    await until(() => removed.length === 2);
    expect(removed).toEqual(['m1', 'm2']);
    expect(lines.join('\n')).toMatch(
      /refuses connections: asking the group to remove its member\(s\) m1, m2 now/,
    );
    // Still refused at the next tries: asked once.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(removed).toEqual(['m1', 'm2']);
    // A new plan names new members of the node (it restarted and rejoined): they are watched anew.
    const again = await listener(l.port);
    watch.watch([{ id: ID, host: '127.0.0.1', port: l.port, members: ['m3'] }]);
    await until(() => again.sockets.length > 0);
    await kill(again);
    await until(() => removed.length === 3);
    expect(removed[2]).toBe('m3');
  });

  it('a peer that closes the connection but still listens is connected to again, not removed', async () => {
    const l = await listener();
    const removed: string[] = [];
    watch = new PeerWatch({ remove: async (m) => void removed.push(m), log: () => {}, retryMs: 100 });
    watch.watch([{ id: ID, host: '127.0.0.1', port: l.port, members: ['m1'] }]);
    await until(() => l.sockets.length === 1);
    (l.sockets[0] as net.Socket).destroy();
    await until(() => l.sockets.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(removed).toEqual([]);
    await kill(l);
  });

  it('an address that never accepted a connection proves nothing: no removal', async () => {
    const port = await freePort();
    const removed: string[] = [];
    watch = new PeerWatch({ remove: async (m) => void removed.push(m), log: () => {}, retryMs: 50 });
    watch.watch([{ id: ID, host: '127.0.0.1', port, members: ['m1'] }]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(removed).toEqual([]);
  });

  it('a removal the coordinator refuses for another reason is asked again; an unknown member is not', async () => {
    const l = await listener();
    let calls = 0;
    watch = new PeerWatch({
      remove: async () => {
        calls++;
        if (calls === 1) throw new Error('coordinator not available');
        throw Object.assign(new Error('The coordinator is not aware of this member'), {
          type: 'UNKNOWN_MEMBER_ID',
        });
      },
      log: () => {},
      retryMs: 50,
    });
    watch.watch([{ id: ID, host: '127.0.0.1', port: l.port, members: ['m1'] }]);
    await until(() => l.sockets.length === 1);
    await kill(l);
    await until(() => calls === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toBe(2);
  });

  it('stops watching nodes that leave the plan, and everything when stopped', async () => {
    const l = await listener();
    watch = new PeerWatch({ remove: async () => {}, log: () => {} });
    watch.watch([
      { id: ID, host: '127.0.0.1', port: l.port, members: ['m1'] },
      // Not watched: no address, no members (a plan of an older node).
      { id: 'b'.repeat(40), host: '', port: l.port, members: ['m2'] },
      { id: 'c'.repeat(40), host: '127.0.0.1', port: l.port },
    ]);
    expect(watch.peers).toEqual([ID]);
    await until(() => l.sockets.length === 1);
    watch.watch([]);
    expect(watch.peers).toEqual([]);
    await until(() => (l.sockets[0] as net.Socket).destroyed || (l.sockets[0] as net.Socket).readableEnded);
    watch.stop();
    await kill(l);
  });
});
