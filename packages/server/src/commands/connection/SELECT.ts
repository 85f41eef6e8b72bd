import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { command } from '../spec.js';

export const SELECT = command(
  {
    name: 'select',
    group: 'connection',
    summary: 'Changes the selected database of the connection.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    arguments: [{ name: 'index', type: 'integer' }],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['notInteger', 'intRange', 'selectInCluster', 'dbIndexOutOfRange'],
    example: ['> SELECT 1', 'OK'],
  },
  (c) => {
    const index = integerArg(c, 1);
    if (index === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    if (index > 2147483647 || index < -2147483648) {
      c.out.error(errorReply('intRange'));
      return;
    }
    if (c.server.cluster !== null && index !== 0) {
      c.out.error(errorReply('selectInCluster'));
      return;
    }
    const db = c.server.keyspace.dbs[index];
    if (index < 0 || db === undefined) {
      c.out.error(errorReply('dbIndexOutOfRange'));
      return;
    }
    c.db = db;
    c.out.ok();
  },
);
