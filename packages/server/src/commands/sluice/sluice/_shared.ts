import { errorReply } from '../../../errors.js';
import type { CommandContext, LogOps } from '../../context.js';
import type { CommandSpec } from '../../spec.js';

export const base = { group: 'sluice', since: '0.1.0' } as const satisfies Partial<CommandSpec>;

/** Log mode's operations, or null after replying that the server is not in log mode. */
export function logModeOrReply(c: CommandContext): LogOps | null {
  const log = c.server.logMode;
  if (log === null) c.out.error(errorReply('notLogMode'));
  return log;
}
