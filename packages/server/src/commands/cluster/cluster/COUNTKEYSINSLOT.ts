import { SLOTS } from '@sluice/protocol';
import { errorReply } from '../../../errors.js';
import { integerArg } from '../../_args.js';
import { command } from '../../spec.js';
import { base, clusterOf } from './_shared.js';

export const CLUSTER_COUNTKEYSINSLOT = command(
  {
    ...base,
    name: 'cluster|countkeysinslot',
    summary: "Returns the number of this node's keys in a hash slot.",
    since: '3.0.0',
    complexity: 'O(N) where N is the number of keys in the slot (a range of the slot index)',
    arity: 3,
    flags: ['stale'],
    arguments: [{ name: 'slot', type: 'integer' }],
    reply: { resp2: 'Integer: the number of keys.', resp3: 'Integer: the number of keys.' },
    errors: ['clusterDisabled', 'notInteger', 'invalidSlot'],
    example: ['> CLUSTER COUNTKEYSINSLOT 7000', '(integer) 50341'],
    barrier: true,
  },
  (c) => {
    const cluster = clusterOf(c);
    if (cluster === null) return;
    const slot = integerArg(c, 2);
    if (slot === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    if (slot < 0 || slot >= SLOTS) {
      c.out.error(errorReply('invalidSlot'));
      return;
    }
    c.out.integer(cluster.countKeysInSlot(slot));
  },
);
