import { SLOTS } from '@sluice/protocol';
import { errorReply } from '../../../errors.js';
import { integerArg } from '../../_args.js';
import { command } from '../../spec.js';
import { base, clusterOf } from './_shared.js';

export const CLUSTER_GETKEYSINSLOT = command(
  {
    ...base,
    name: 'cluster|getkeysinslot',
    summary: "Returns up to count of this node's keys in a hash slot.",
    since: '3.0.0',
    complexity: 'O(N) where N is the number of keys returned',
    arity: 4,
    flags: ['stale'],
    arguments: [
      { name: 'slot', type: 'integer' },
      { name: 'count', type: 'integer' },
    ],
    reply: {
      resp2: 'Array of bulk strings: the keys, in the order of the slot index.',
      resp3: 'Array of bulk strings: the keys, in the order of the slot index.',
    },
    errors: ['clusterDisabled', 'notInteger', 'invalidSlotOrCount'],
    example: ['> CLUSTER GETKEYSINSLOT 7000 3', '1) "key_39015"', '2) "key_89793"', '3) "key_92937"'],
    barrier: true,
  },
  (c) => {
    const cluster = clusterOf(c);
    if (cluster === null) return;
    const slot = integerArg(c, 2);
    const count = slot === null ? null : integerArg(c, 3);
    if (slot === null || count === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    if (slot < 0 || slot >= SLOTS || count < 0) {
      c.out.error(errorReply('invalidSlotOrCount'));
      return;
    }
    // redis-server counts in an unsigned int: a larger count is all of the slot's keys anyway.
    const keys = cluster.keysInSlot(slot, Math.min(count, 2 ** 32 - 1));
    c.out.arrayHeader(keys.length);
    for (const key of keys) c.out.bulk(key);
  },
);
