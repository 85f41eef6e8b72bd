import { errorReply } from '../../errors.js';
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
  engine.eval(sha, keys, argv, c.server.scriptHost(c, readOnly), out);
}
