import type { Args, ReplyWriter } from '@sluice/protocol';

const MAX_ARGS = 32;
const MAX_ARG_BYTES = 128;

interface Entry {
  id: number;
  time: number;
  usec: number;
  args: string[];
  addr: string;
  name: string;
}

/** SLOWLOG: the most recent commands that ran longer than `slowlog-log-slower-than` microseconds. */
export class SlowLog {
  private entries: Entry[] = [];
  private nextId = 0;

  constructor(private readonly maxLen: () => number) {}

  /** Records a command that took `usec` microseconds, from the connection at `addr` named `name`. */
  add(a: Args, addr: string, name: string, usec: number): void {
    const args: string[] = [];
    const shown = Math.min(a.argc, a.argc > MAX_ARGS ? MAX_ARGS - 1 : MAX_ARGS);
    for (let i = 0; i < shown; i++) {
      const len = a.argLength(i);
      args.push(
        len > MAX_ARG_BYTES
          ? `${a.argString(i, 'latin1').slice(0, MAX_ARG_BYTES)}... (${len - MAX_ARG_BYTES} more bytes)`
          : a.argString(i, 'latin1'),
      );
    }
    if (a.argc > MAX_ARGS) args.push(`... (${a.argc - shown} more arguments)`);
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      usec: Math.round(usec),
      args,
      addr,
      name,
    });
    this.trim();
  }

  trim(): void {
    const max = Math.max(0, this.maxLen());
    if (this.entries.length > max) this.entries.length = max;
  }

  get length(): number {
    return this.entries.length;
  }

  reset(): void {
    this.entries = [];
  }

  /** SLOWLOG GET: the `count` newest entries (all with -1). */
  write(out: ReplyWriter, count: number): void {
    const list = count < 0 ? this.entries : this.entries.slice(0, count);
    out.arrayHeader(list.length);
    for (const e of list) {
      out.arrayHeader(6);
      out.integer(e.id);
      out.integer(e.time);
      out.integer(e.usec);
      out.arrayHeader(e.args.length);
      for (const arg of e.args) out.bulk(Buffer.from(arg, 'latin1'));
      out.bulkString(e.addr);
      out.bulkString(e.name);
    }
  }
}
