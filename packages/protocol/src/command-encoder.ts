/**
 * The client side of RESP, writing: commands as arrays of bulk strings, the way every client library
 * sends them. A pipeline is encoded into one buffer of exactly its size, so that thousands of commands
 * cost one allocation and one socket write; arguments are copied once, into that buffer.
 */

/** A command argument: a string is sent as its UTF-8 bytes. */
export type CommandArg = string | Uint8Array;

/** Decimal digits of a non-negative integer, without making a string. */
function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

function argLength(arg: CommandArg): number {
  return typeof arg === 'string' ? Buffer.byteLength(arg) : arg.length;
}

/** Encode commands, one after the other, into a single buffer. */
export function encodeCommands(commands: readonly (readonly CommandArg[])[]): Buffer {
  let size = 0;
  for (const args of commands) {
    size += 3 + digits(args.length);
    for (const arg of args) {
      const length = argLength(arg);
      size += 5 + digits(length) + length;
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const args of commands) at = writeCommand(out, at, args);
  return out;
}

/** Encode one command. */
export function encodeCommand(args: readonly CommandArg[]): Buffer {
  return encodeCommands([args]);
}

function writeCommand(out: Buffer, start: number, args: readonly CommandArg[]): number {
  let at = start;
  at += out.write(`*${args.length}\r\n`, at, 'latin1');
  for (const arg of args) {
    if (typeof arg === 'string') {
      at += out.write(`$${Buffer.byteLength(arg)}\r\n`, at, 'latin1');
      at += out.write(arg, at, 'utf8');
    } else {
      at += out.write(`$${arg.length}\r\n`, at, 'latin1');
      out.set(arg, at);
      at += arg.length;
    }
    out[at++] = 0x0d;
    out[at++] = 0x0a;
  }
  return at;
}
