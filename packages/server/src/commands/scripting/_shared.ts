import { errorReply } from '../../errors.js';
import type { LuaFunction, ScriptRun } from '../../scripting/engine.js';
import type { ScriptFlags } from '../../scripting/shebang.js';
import { integerArg } from '../_args.js';
import type { CommandContext } from '../context.js';
import type { ArgSpec } from '../spec.js';

/** The arguments EVAL and its variants share after the script or its SHA1. */
export const SCRIPT_ARGS: readonly ArgSpec[] = [
  { name: 'numkeys', type: 'integer' },
  { name: 'key', type: 'key', optional: true, multiple: true },
  { name: 'arg', type: 'string', optional: true, multiple: true },
];

/**
 * Runs a script given as its source (`EVAL`) or its SHA1 (`EVALSHA`) with the keys and arguments that
 * follow `numkeys`, and writes its reply. `readOnly`: EVAL_RO / EVALSHA_RO, whose scripts may not write.
 */
export function runScript(c: CommandContext, bySha: boolean, readOnly: boolean): void {
  const { args, out } = c;
  if (replyEnded(c)) return;
  const numkeys = integerArg(c, 2);
  if (numkeys === null) {
    out.error(errorReply('notInteger'));
    return;
  }
  if (numkeys < 0) {
    out.error(errorReply('negativeKeys'));
    return;
  }
  if (numkeys > args.argc - 3) {
    out.error(errorReply('tooManyKeys'));
    return;
  }
  const engine = c.server.scripts;
  let sha: string;
  if (bySha) {
    sha = args.argString(1).toLowerCase();
    if (sha.length !== 40 || !engine.has(sha)) {
      out.error(errorReply('noScript'));
      return;
    }
  } else {
    const loaded = engine.load(args.arg(1));
    if ('error' in loaded) {
      out.error(loaded.error);
      return;
    }
    sha = loaded.sha;
  }
  const flags = engine.scriptFlags(sha) ?? null;
  const { keys, argv } = splitKeys(c, numkeys);
  const refusal = prepare(c, flags, readOnly, keys);
  if (refusal !== null) {
    out.error(refusal);
    return;
  }
  const run = engine.start(
    sha,
    keys,
    argv,
    c.server.scriptHost(c, readOnly || (flags?.has('no-writes') ?? false)),
    out.protocol,
    !c.inTransaction,
    args.argv(),
  );
  if (run === undefined) {
    out.error(errorReply('noScript'));
    return;
  }
  drive(c, run);
}

/** FCALL and FCALL_RO: runs a library's function with the keys and arguments after `numkeys`. */
export function runFunction(c: CommandContext, readOnly: boolean): void {
  const { args, out } = c;
  if (replyEnded(c)) return;
  const engine = c.server.scripts;
  const fn: LuaFunction | undefined = engine.findFunction(args.argString(1));
  if (fn === undefined) {
    out.error(errorReply('functionNotFound'));
    return;
  }
  const numkeys = integerArg(c, 2);
  if (numkeys === null) {
    out.error(errorReply('badNumKeys'));
    return;
  }
  if (numkeys > args.argc - 3) {
    out.error(errorReply('tooManyKeys'));
    return;
  }
  if (numkeys < 0) {
    out.error(errorReply('negativeKeys'));
    return;
  }
  const { keys, argv } = splitKeys(c, numkeys);
  const refusal = prepare(c, fn.flags, readOnly, keys);
  if (refusal !== null) {
    out.error(refusal);
    return;
  }
  const host = c.server.scriptHost(c, readOnly || fn.flags.has('no-writes'));
  drive(c, engine.startFunction(fn, keys, argv, host, out.protocol, !c.inTransaction, args.argv()));
}

/** Run again once the script this connection started (and waited for) has ended: its reply. */
function replyEnded(c: CommandContext): boolean {
  const ended = c.session.scriptRun;
  if (ended === null) return false;
  c.session.scriptRun = null;
  reply(c, ended);
  return true;
}

function splitKeys(c: CommandContext, numkeys: number): { keys: Buffer[]; argv: Buffer[] } {
  const keys: Buffer[] = [];
  const argv: Buffer[] = [];
  for (let i = 3; i < c.args.argc; i++) (i < 3 + numkeys ? keys : argv).push(c.args.arg(i));
  return { keys, argv };
}

/**
 * What refuses a run before it starts (redis-server's scriptPrepareForRun): for a script with a `#!lua`
 * line or a function, its flags against the server's state; for any, log mode's one-partition rule.
 */
function prepare(
  c: CommandContext,
  flags: ScriptFlags,
  readOnly: boolean,
  keys: readonly Buffer[],
): string | null {
  const log = c.server.logMode;
  const stale = log !== null && !c.server.config['replica-serve-stale-data'] && !log.connected;
  if (flags === null) {
    if (stale) return errorReply('masterDown');
  } else {
    if (flags.has('no-cluster') && c.server.cluster !== null) return errorReply('scriptNoCluster');
    if (stale && !flags.has('allow-stale')) return errorReply('masterDownScript');
    if (!flags.has('no-writes')) {
      const keyspace = c.server.keyspace;
      if (keyspace.writesRefused) return errorReply('diskRefusedScript', keyspace.guard.refusal ?? '');
      if (readOnly) return errorReply('scriptWriteFlagReadOnly');
    }
  }
  if (log !== null && log.partitions > 1 && new Set(keys.map((k) => log.partitionOf(k))).size > 1) {
    // Log mode: a script's records become visible together only within one partition (as EXEC's).
    return errorReply('crossPartition');
  }
  return null;
}

/**
 * Runs a started script; past busy-reply-threshold it goes on in later turns of the event loop (other
 * clients get BUSY meanwhile), its writes held in the open batch so that they commit together, and this
 * connection waits; once it ends, the command runs again and replies (`replyEnded`).
 */
function drive(c: CommandContext, run: ScriptRun): void {
  const keyspace = c.server.keyspace;
  if (step(c, run)) {
    reply(c, run);
    return;
  }
  keyspace.hold();
  c.block((wake) => {
    const tick = (): void => {
      if (run.abandoned) return;
      if (!step(c, run)) {
        setImmediate(tick);
        return;
      }
      keyspace.release();
      c.session.scriptRun = run;
      wake();
    };
    setImmediate(tick);
    // The connection closed: the script still runs to its end (it may have written).
    return () => {};
  });
}

/** One step of the script, its writes recorded on the run (the reply waits for them). */
function step(c: CommandContext, run: ScriptRun): boolean {
  const keyspace = c.server.keyspace;
  const recorder = keyspace.recorder;
  keyspace.recorder = run.commits;
  try {
    return c.server.scripts.step(run);
  } finally {
    keyspace.recorder = recorder;
  }
}

/** The script's reply, waiting for the batches its writes joined. */
function reply(c: CommandContext, run: ScriptRun): void {
  const recorder = c.server.keyspace.recorder;
  if (recorder !== null) for (const batch of run.commits.take()) recorder.add(batch);
  c.out.raw(run.reply as Buffer);
}
