import { errorReply } from '../../errors.js';
import { isToken } from '../_args.js';
import type { CommandContext } from '../context.js';
import type { ArgSpec } from '../spec.js';

export const flushArguments: readonly ArgSpec[] = [
  {
    name: 'flush-type',
    type: 'oneof',
    optional: true,
    arguments: [
      { name: 'async', type: 'pure-token', token: 'ASYNC' },
      { name: 'sync', type: 'pure-token', token: 'SYNC' },
    ],
  },
];

/** Checks the optional ASYNC|SYNC argument; replies with a syntax error and returns false otherwise. */
export function flushModeOk(c: CommandContext): boolean {
  if (c.args.argc === 1 || (c.args.argc === 2 && (isToken(c, 1, 'async') || isToken(c, 1, 'sync'))))
    return true;
  c.out.error(errorReply('syntax'));
  return false;
}
