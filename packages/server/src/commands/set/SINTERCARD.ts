import { errorReply } from '../../errors.js';
import { integerArg, isToken } from '../_args.js';
import type { OpenCollection } from '../_collection.js';
import { command } from '../spec.js';
import { intersection } from './_operations.js';
import { base, openSets } from './_shared.js';

export const SINTERCARD = command(
  {
    ...base,
    name: 'sintercard',
    summary: 'Returns the number of members common to every given set, counting up to a limit if given.',
    since: '7.0.0',
    complexity:
      'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    arity: -3,
    flags: ['readonly', 'movablekeys'],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', multiple: true },
      { name: 'limit', type: 'integer', token: 'LIMIT', optional: true },
    ],
    reply: {
      resp2:
        'Integer: the size of the intersection, or the limit if it is reached first (LIMIT 0: no limit).',
      resp3:
        'Integer: the size of the intersection, or the limit if it is reached first (LIMIT 0: no limit).',
    },
    errors: ['wrongType', 'numkeysPositive', 'tooManyKeys', 'limitNegative', 'syntax'],
    example: [
      '> SADD a 1 2 3',
      '(integer) 3',
      '> SADD b 2 3 4',
      '(integer) 3',
      '> SINTERCARD 2 a b LIMIT 1',
      '(integer) 1',
    ],
  },
  (c) => {
    const a = c.args;
    const numkeys = integerArg(c, 1);
    if (numkeys === null || numkeys < 1) {
      c.out.error(errorReply('numkeysPositive'));
      return;
    }
    if (numkeys > a.argc - 2) {
      c.out.error(errorReply('tooManyKeys'));
      return;
    }
    let limit = 0;
    for (let j = 2 + numkeys; j < a.argc; j++) {
      if (!isToken(c, j, 'limit') || j + 1 >= a.argc) {
        c.out.error(errorReply('syntax'));
        return;
      }
      const n = integerArg(c, ++j);
      if (n === null || n < 0) {
        c.out.error(errorReply('limitNegative'));
        return;
      }
      limit = n;
    }
    const sets = openSets(c, 2, 2 + numkeys);
    if (sets === undefined) return;
    if (sets.includes(null)) return c.out.integer(0);
    const found = intersection(c, sets as OpenCollection[], limit === 0 ? Number.POSITIVE_INFINITY : limit);
    c.out.integer(found.names.length);
  },
);
