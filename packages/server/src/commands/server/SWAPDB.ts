import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { command } from '../spec.js';

export const SWAPDB = command(
  {
    name: 'swapdb',
    group: 'server',
    summary: 'Swaps two databases: clients on one see the data of the other at once.',
    since: '4.0.0',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    arity: 3,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'index1', type: 'integer' },
      { name: 'index2', type: 'integer' },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['swapdbInCluster', 'invalidFirstDb', 'invalidSecondDb', 'dbIndexOutOfRange'],
    example: ['> SWAPDB 0 1', 'OK'],
    barrier: true,
  },
  (c) => {
    if (c.server.cluster !== null) {
      c.out.error(errorReply('swapdbInCluster'));
      return;
    }
    const a = integerArg(c, 1);
    if (a === null || a > 2147483647 || a < -2147483648) {
      c.out.error(errorReply('invalidFirstDb'));
      return;
    }
    const b = integerArg(c, 2);
    if (b === null || b > 2147483647 || b < -2147483648) {
      c.out.error(errorReply('invalidSecondDb'));
      return;
    }
    const keyspace = c.server.keyspace;
    if (a < 0 || b < 0 || a >= keyspace.dbs.length || b >= keyspace.dbs.length) {
      c.out.error(errorReply('dbIndexOutOfRange'));
      return;
    }
    if (a !== b) {
      // Every connection keeps its SELECT number, and so sees the other database's data from now on.
      c.server.swapDatabases(a, b);
    }
    c.out.ok();
  },
);
