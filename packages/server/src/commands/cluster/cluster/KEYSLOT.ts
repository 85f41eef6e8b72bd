import { keySlot } from '@sluice/protocol';
import { command } from '../../spec.js';
import { base, clusterOf } from './_shared.js';

export const CLUSTER_KEYSLOT = command(
  {
    ...base,
    name: 'cluster|keyslot',
    summary: 'Returns the hash slot of a key: CRC16 of the key, or of its hash tag, modulo 16384.',
    since: '3.0.0',
    complexity: 'O(N) where N is the number of bytes in the key',
    arity: 3,
    flags: ['stale'],
    arguments: [{ name: 'key', type: 'string' }],
    reply: { resp2: 'Integer: the slot, 0 to 16383.', resp3: 'Integer: the slot, 0 to 16383.' },
    example: [
      '> CLUSTER KEYSLOT somekey',
      '(integer) 11058',
      '> CLUSTER KEYSLOT {user1}:a',
      '(integer) 8106',
    ],
  },
  (c) => {
    if (clusterOf(c) === null) return;
    const a = c.args;
    c.out.integer(keySlot(a.buffer, a.argStart(2), a.argEnd(2)));
  },
);
