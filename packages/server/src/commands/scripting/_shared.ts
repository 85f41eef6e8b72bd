import { errorReply } from '../../errors.js';
import type { ScriptRun } from '../../scripting/engine.js';
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
  const keyspace = c.server.keyspace;
  const ended = c.session.scriptRun;
  if (ended !== null) {
    // Run again once the script this connection started (and waited for) has ended: its reply.
    c.session.scriptRun = null;
    reply(c, ended);
    return;
  }
  const numkeysText = args.argString(2);
  if (!/^-?\d{1,19}$/.test(numkeysText)) {
    out.error(errorReply('notInteger'));
    return;
  }
  const numkeys = Number(numkeysText);
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
  const keys: Buffer[] = [];
  const argv: Buffer[] = [];
  for (let i = 3; i < args.argc; i++) (i < 3 + numkeys ? keys : argv).push(args.arg(i));
  const log = c.server.logMode;
  if (log !== null && log.partitions > 1 && new Set(keys.map((k) => log.partitionOf(k))).size > 1) {
    // Log mode: a script's records become visible together only within one partition (as EXEC's).
    out.error(errorReply('crossPartition'));
    return;
  }
  const run = engine.start(sha, keys, argv, c.server.scriptHost(c, readOnly), out.protocol, !c.inTransaction);
  if (run === undefined) {
    out.error(errorReply('noScript'));
    return;
  }
  if (step(c, run)) {
    reply(c, run);
    return;
  }
  // The script runs past busy-reply-threshold: it goes on in later turns of the event loop (other
  // clients get BUSY meanwhile), its writes held in the open batch so that they commit together, and
  // this connection waits; once it ends, this command runs again and replies (above).
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
