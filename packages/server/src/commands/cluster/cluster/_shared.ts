import { errorReply } from '../../../errors.js';
import type { ClusterOps, CommandContext } from '../../context.js';
import type { CommandSpec } from '../../spec.js';

export const base = {
  group: 'cluster',
  errors: ['clusterDisabled'],
} as const satisfies Partial<CommandSpec>;

/**
 * Cluster mode's operations, or null after replying that cluster support is disabled (as redis-server
 * answers every CLUSTER subcommand, READONLY, READWRITE and ASKING without cluster-enabled yes).
 */
export function clusterOf(c: CommandContext): ClusterOps | null {
  const cluster = c.server.cluster;
  if (cluster === null) c.out.error(errorReply('clusterDisabled'));
  return cluster;
}
