import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRaw } from '../src/raw-client.js';

/** A TCP server on a free loopback port whose connection handler is `onConnection`. */
async function serve(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('RawClient', () => {
  it('readReplies assembles replies that arrive split at random points', async () => {
    const replies = ['+OK\r\n', '$5\r\nhello\r\n', '*2\r\n$1\r\na\r\n_\r\n', ':7\r\n'];
    const bytes = Buffer.from(replies.join(''));
    let port: number;
    ({ server, port } = await serve((socket) => {
      socket.once('data', async () => {
        for (let i = 0; i < bytes.length; ) {
          const size = 1 + Math.floor(Math.random() * 4);
          socket.write(bytes.subarray(i, i + size));
          i += size;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      });
    }));
    const c = await connectRaw(port);
    c.send('go');
    expect(await c.readReplies(3)).toEqual(replies.slice(0, 3));
    expect(await c.readReplies(1)).toEqual([':7\r\n']);
    await c.close();
  });

  it('read returns what arrived until a quiet period; closed resolves when the server hangs up', async () => {
    let port: number;
    ({ server, port } = await serve((socket) => {
      socket.once('data', () => {
        socket.write('-ERR Protocol error: x\r\n');
        socket.end();
      });
    }));
    const c = await connectRaw(port);
    c.sendCommand('PING');
    expect(await c.read()).toBe('-ERR Protocol error: x\r\n');
    await c.closed;
    expect(c.isClosed).toBe(true);
    expect(await c.read(50)).toBe('');
  });

  it('readReplies fails with the buffered bytes on timeout', async () => {
    let port: number;
    ({ server, port } = await serve((socket) => {
      socket.write('$10\r\nabc');
    }));
    const c = await connectRaw(port);
    await expect(c.readReplies(1, 200)).rejects.toThrow(/timed out after 200 ms.*\$10\\r\\nabc/);
    await c.close();
  });
});
