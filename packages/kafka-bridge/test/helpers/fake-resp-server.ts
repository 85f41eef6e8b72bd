/**
 * A tiny Redis-protocol server for wire-level tests of the target: it records every command it gets,
 * keeps strings in a Map, and can pretend to lack MULTI or WATCH, or abort the next EXEC.
 */

import { createServer, type Server, type Socket } from 'node:net';
import { RequestDecoder } from '@sluice/protocol';

export interface FakeServerOptions {
  multi?: boolean;
  watch?: boolean;
}

export class FakeRespServer {
  readonly data = new Map<string, string>();
  /** Every command received, as its arguments (latin1). */
  readonly commands: string[][] = [];
  /** Make the next EXEC answer nil, as if a watched key had changed. */
  abortNextExec = false;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #options: Required<FakeServerOptions>;
  port = 0;

  constructor(options: FakeServerOptions = {}) {
    this.#options = { multi: options.multi ?? true, watch: options.watch ?? true };
    this.#server = createServer((socket) => this.#serve(socket));
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
    return this.port;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The command names received, in order. */
  names(): string[] {
    return this.commands.map((c) => (c[0] ?? '').toUpperCase());
  }

  #serve(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    const decoder = new RequestDecoder();
    let queue: string[][] | undefined;
    socket.on('data', (chunk: Buffer) => {
      decoder.feed(chunk);
      const out: string[] = [];
      while (decoder.next()) {
        const args = Array.from({ length: decoder.argc }, (_, i) => decoder.argString(i, 'latin1'));
        this.commands.push(args);
        const name = (args[0] ?? '').toUpperCase();
        if (queue !== undefined && name !== 'EXEC' && name !== 'DISCARD') {
          queue.push(args);
          out.push('+QUEUED\r\n');
          continue;
        }
        if (name === 'MULTI' && this.#options.multi) {
          queue = [];
          out.push('+OK\r\n');
        } else if (name === 'EXEC' && queue !== undefined) {
          const queued = queue;
          queue = undefined;
          if (this.abortNextExec) {
            this.abortNextExec = false;
            out.push('*-1\r\n');
          } else {
            out.push(`*${queued.length}\r\n${queued.map((c) => this.#run(c)).join('')}`);
          }
        } else if (name === 'DISCARD' && queue !== undefined) {
          queue = undefined;
          out.push('+OK\r\n');
        } else {
          out.push(this.#run(args));
        }
      }
      if (out.length > 0) socket.write(out.join(''), 'latin1');
    });
  }

  #run(args: string[]): string {
    const [raw, ...rest] = args;
    const name = (raw ?? '').toUpperCase();
    const bulk = (v: string | undefined) =>
      v === undefined ? '$-1\r\n' : `$${Buffer.byteLength(v, 'latin1')}\r\n${v}\r\n`;
    switch (name) {
      case 'COMMAND': {
        const known = (n: string) =>
          n === 'MULTI' || n === 'EXEC' ? this.#options.multi : n === 'WATCH' ? this.#options.watch : true;
        const names = rest.slice(1).map((n) => n.toUpperCase());
        return `*${names.length}\r\n${names.map((n) => (known(n) ? `*1\r\n${bulk(n.toLowerCase())}` : '*-1\r\n')).join('')}`;
      }
      case 'AUTH':
      case 'SELECT':
      case 'UNWATCH':
        return '+OK\r\n';
      case 'WATCH':
        return this.#options.watch ? '+OK\r\n' : "-ERR unknown command 'watch'\r\n";
      case 'GET':
        return bulk(this.data.get(rest[0] ?? ''));
      case 'MGET':
        return `*${rest.length}\r\n${rest.map((k) => bulk(this.data.get(k))).join('')}`;
      case 'MSET':
        for (let i = 0; i + 1 < rest.length; i += 2) this.data.set(rest[i] ?? '', rest[i + 1] ?? '');
        return '+OK\r\n';
      case 'DEL': {
        let n = 0;
        for (const k of rest) if (this.data.delete(k)) n++;
        return `:${n}\r\n`;
      }
      default:
        return `-ERR unknown command '${raw}'\r\n`;
    }
  }
}
