/**
 * RespConnection over a real socket: a loopback server that answers with the bytes each test gives it.
 * The codec itself (encodeCommands, ReplyDecoder) is tested in @sluice/protocol.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ReplyError } from '@sluice/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, RespConnection } from '../../src/target/resp.js';

/** A server that hands each received chunk to `respond` and writes back what it returns. */
async function server(respond: (received: Buffer, socket: Socket) => string | undefined): Promise<Server> {
  const s = createServer((socket) => {
    socket.on('data', (chunk) => {
      const out = respond(chunk, socket);
      if (out !== undefined) socket.write(out, 'latin1');
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

const servers: Server[] = [];
const connections: RespConnection[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

async function connectTo(s: Server, options: { requestTimeoutMs?: number; password?: string } = {}) {
  servers.push(s);
  const connection = await RespConnection.connect({
    host: '127.0.0.1',
    port: (s.address() as { port: number }).port,
    tls: false,
    db: 0,
    connectTimeoutMs: 1000,
    requestTimeoutMs: options.requestTimeoutMs ?? 2000,
    password: options.password,
  });
  connections.push(connection);
  return connection;
}

describe('RespConnection', () => {
  it('gives each pipelined request its own replies, in order, however the replies are split', async () => {
    let received = '';
    const replies = '+OK\r\n:42\r\n$5\r\nhello\r\n*2\r\n$1\r\nx\r\n-ERR no\r\n$-1\r\n';
    const s = await server((chunk, socket) => {
      // Answer all three requests once the last one is in, a byte at a time.
      received += chunk.toString('latin1');
      if (!received.endsWith('missing\r\n')) return undefined;
      for (const byte of Buffer.from(replies, 'latin1')) socket.write(Buffer.from([byte]));
      return undefined;
    });
    const c = await connectTo(s);
    const first = c.call(['SET', 'a', '1'], ['INCR', 'n']);
    const second = c.call(['GET', 'g'], ['EXEC']);
    const third = c.call(['GET', 'missing']);
    expect(await first).toEqual(['OK', 42]);
    const [hello, exec] = await second;
    expect(hello).toEqual(Buffer.from('hello'));
    expect((exec as unknown[])[0]).toEqual(Buffer.from('x'));
    expect((exec as unknown[])[1]).toBeInstanceOf(ReplyError);
    expect(await third).toEqual([null]);
  });

  it('sends AUTH first and fails to connect on its error reply', async () => {
    const received: string[] = [];
    const s = await server((chunk) => {
      received.push(chunk.toString('latin1'));
      return '-WRONGPASS invalid username-password pair or user is disabled.\r\n';
    });
    await expect(connectTo(s, { password: 'pw' })).rejects.toThrow(/WRONGPASS/);
    expect(received.join('')).toBe('*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n');
  });

  it('fails every request in flight with a ConnectionError on bytes that cannot be a reply', async () => {
    const s = await server(() => '?what\r\n');
    const c = await connectTo(s);
    const request = c.call(['PING']);
    await expect(request).rejects.toBeInstanceOf(ConnectionError);
    await expect(request).rejects.toThrow(/unknown reply type byte 0x3f/);
    expect(c.closed).toBe(true);
    await expect(c.call(['PING'])).rejects.toBeInstanceOf(ConnectionError);
  });

  it('closes on a reply nobody asked for', async () => {
    const s = await server(() => '+PONG\r\n+EXTRA\r\n');
    const c = await connectTo(s);
    const reasons: Error[] = [];
    c.onClose((reason) => reasons.push(reason));
    expect(await c.call(['PING'])).toEqual(['PONG']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(c.closed).toBe(true);
    expect(reasons[0]?.message).toBe('a reply nobody asked for');
  });

  it('fails a request without its replies after the request timeout', async () => {
    const s = await server(() => undefined);
    const c = await connectTo(s, { requestTimeoutMs: 100 });
    await expect(c.call(['PING'])).rejects.toThrow('no reply within 100 ms');
    expect(c.closed).toBe(true);
  });
});
