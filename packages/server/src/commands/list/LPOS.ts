import { errorReply } from '../../errors.js';
import { integerArg, isToken } from '../_args.js';
import { command } from '../spec.js';
import { listAt, oneKey, reader, walk } from './_shared.js';

export const LPOS = command(
  {
    ...oneKey,
    name: 'lpos',
    summary:
      'Returns the index of matching elements in a list: the RANK-th match, COUNT matches, within MAXLEN elements.',
    since: '6.0.6',
    complexity: 'O(N) where N is the number of elements scanned (at most MAXLEN).',
    arity: -3,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'element', type: 'string' },
      { name: 'rank', type: 'integer', token: 'RANK', optional: true },
      { name: 'num-matches', type: 'integer', token: 'COUNT', optional: true },
      { name: 'len', type: 'integer', token: 'MAXLEN', optional: true },
    ],
    reply: {
      resp2:
        'Without COUNT: an integer, or a null bulk string when nothing matches. With COUNT: an array of integers (empty when nothing matches).',
      resp3:
        'Without COUNT: an integer, or null when nothing matches. With COUNT: an array of integers (empty when nothing matches).',
    },
    errors: ['wrongType', 'syntax', 'notInteger', 'lposRank', 'lposCount', 'lposMaxlen'],
    example: [
      '> RPUSH q a b a',
      '(integer) 3',
      '> LPOS q a RANK -1',
      '(integer) 2',
      '> LPOS q a COUNT 0',
      '1) (integer) 0',
      '2) (integer) 2',
    ],
  },
  (c) => {
    const a = c.args;
    let rank = 1;
    let count = -1;
    let maxlen = 0;
    for (let j = 3; j < a.argc; j++) {
      const more = j + 1 < a.argc;
      if (isToken(c, j, 'rank') && more) {
        const n = integerArg(c, ++j);
        if (n === null) return c.out.error(errorReply('notInteger'));
        if (n === 0) return c.out.error(errorReply('lposRank'));
        rank = n;
      } else if (isToken(c, j, 'count') && more) {
        const n = integerArg(c, ++j);
        if (n === null || n < 0) return c.out.error(errorReply('lposCount'));
        count = n;
      } else if (isToken(c, j, 'maxlen') && more) {
        const n = integerArg(c, ++j);
        if (n === null || n < 0) return c.out.error(errorReply('lposMaxlen'));
        maxlen = n;
      } else {
        return c.out.error(errorReply('syntax'));
      }
    }
    const list = listAt(c, 1);
    if (list === undefined) return;
    if (list === null) return count === -1 ? c.out.nullBulk() : c.out.arrayHeader(0);
    const element = a.arg(2);
    // redis-server negates RANK -2^63 into itself: it then takes the first match from the tail.
    const fromTail = rank < 0;
    const skip = rank <= -(2 ** 63) ? 0 : Math.abs(rank) - 1;
    const wanted = count === -1 ? 1 : count === 0 ? Number.POSITIVE_INFINITY : count;
    const limit = maxlen === 0 ? list.count : Math.min(maxlen, list.count);
    const found: number[] = [];
    let matches = 0;
    const consider = (value: Buffer, position: number): boolean => {
      if (!value.equals(element)) return false;
      if (matches++ >= skip) found.push(position);
      return found.length >= wanted;
    };
    if (!fromTail) {
      let position = 0;
      for (const value of walk(c, list)) {
        if (position >= limit || consider(value, position)) break;
        position++;
      }
    } else {
      // Backwards, reading each chunk once.
      const read = reader(c, list);
      for (let n = 0; n < limit; n++) {
        const position = list.count - 1 - n;
        if (consider(read(position), position)) break;
      }
    }
    if (count !== -1) {
      c.out.arrayHeader(found.length);
      for (const position of found) c.out.integer(position);
    } else if (found.length === 0) {
      c.out.nullBulk();
    } else {
      c.out.integer(found[0] as number);
    }
  },
);
