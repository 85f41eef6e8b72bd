/**
 * `redis.call` from a script: runs a command as the script's connection would, with the checks
 * redis-server applies to commands called from scripts, and hands back the reply's bytes. The command
 * writes into a reply writer of the script's own, in the protocol the script chose (redis.setresp), and
 * its writes join the batch of the command that runs the script, so they commit with it, together.
 */
import { Args, type ReplyWriter, type RespVersion } from '@sluice/protocol';
import { isRouted, route } from '../cluster/routing.js';
import type { CommandContext } from '../commands/context.js';
import type { CommandDef } from '../commands/spec.js';
import type { CommandTable } from '../commands/table.js';
import { errorReply } from '../errors.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { LogLevel } from '../log.js';
import type { ScriptHost } from './engine.js';

export interface ScriptCallerOptions {
  readonly table: CommandTable;
  /** Where called commands write their replies (one for the server: one script runs at a time). */
  readonly writer: ReplyWriter;
  readonly keyspace: Keyspace;
  log(level: LogLevel, message: string): void;
  /** A command called by the script ran (client-side caching remembers the keys it read for the caller). */
  ran?(def: CommandDef, args: Args): void;
}

export class ScriptCaller implements ScriptHost {
  wrote = false;
  private readonly writer: ReplyWriter;
  /** The context commands called by the script run in: the caller's, with the script's writer. */
  private readonly context: CommandContext;

  constructor(
    private readonly options: ScriptCallerOptions,
    caller: CommandContext,
    private readonly readOnly: boolean,
  ) {
    this.writer = options.writer;
    this.context = {
      args: caller.args,
      out: this.writer,
      // SELECT inside a script changes the script's database, not its caller's (as in Redis 7).
      db: caller.db,
      now: caller.now,
      session: caller.session,
      server: caller.server,
      block: () => false,
      inTransaction: true,
      inScript: true,
    };
  }

  call(argv: Buffer[], resp: RespVersion): { reply: Buffer } | { refused: string } {
    const { table, keyspace } = this.options;
    const args = Args.of(argv);
    let def = table.lookup(args);
    if (def !== undefined && def.subcommands !== undefined && args.argc >= 2) {
      def = table.lookupSubcommand(def, args);
    }
    if (def === undefined) return { refused: errorReply('scriptUnknownCommand') };
    const arity = def.spec.arity;
    if (arity > 0 ? args.argc !== arity : args.argc < -arity) return { refused: errorReply('scriptArity') };
    const flags = def.spec.flags;
    if (flags.includes('noscript')) return { refused: errorReply('scriptNotAllowed') };
    if (def.writes) {
      if (this.readOnly) return { refused: errorReply('scriptReadOnly') };
      let bytes = 0;
      for (const a of argv) bytes += a.length;
      if (!keyspace.admitsWrite(argv.length, bytes)) {
        return { refused: errorReply('diskRefused', keyspace.guard.refusal ?? '') };
      }
    }
    // Cluster mode: the command's keys must be in one slot this node serves (redis-server's
    // scriptVerifyClusterState), whatever keys the script declared.
    const cluster = this.context.server.cluster;
    if (cluster !== null && isRouted(def)) {
      const stale = cluster.refusesReads(Date.now());
      const redirect = route(
        cluster.topology,
        { def, args },
        this.context.session.readOnly,
        def.writes,
        stale,
      );
      if (redirect !== null)
        return { refused: errorReply(redirect.kind === 'down' ? 'scriptClusterDown' : 'scriptNonLocalKey') };
    }
    const context = this.context as { args: Args };
    context.args = args;
    this.writer.protocol = resp;
    // Commands that read the whole keyspace from LMDB see the script's writes so far.
    if (def.spec.barrier) keyspace.commitNow();
    try {
      def.run(this.context);
    } catch (err) {
      this.writer.take();
      this.options.log(
        'warning',
        `command '${def.spec.name}' failed in a script: ${(err as Error).stack ?? err}`,
      );
      return { refused: `ERR internal error: ${(err as Error).message}` };
    }
    def.stats.calls++;
    if (def.writes) this.wrote = true;
    this.options.ran?.(def, args);
    return { reply: this.writer.takeBuffer() };
  }

  log(level: LogLevel, message: string): void {
    this.options.log(level, message);
  }

  exists(argv: Buffer[]): boolean {
    const { table } = this.options;
    const args = Args.of(argv);
    const def = table.lookup(args);
    if (def === undefined) return false;
    if (def.subcommands === undefined || args.argc < 2) return true;
    return table.lookupSubcommand(def, args) !== undefined;
  }
}
