import { errorReply } from '../../errors.js';
import { command } from '../spec.js';
import { dropNack, getGroup, getNack, putGroup } from './_groups.js';
import { oneKey, parseId, type StreamId, saveStream, streamForWrite } from './_shared.js';

export const XACK = command(
  {
    ...oneKey,
    name: 'xack',
    summary: 'Acknowledges entries of a consumer group: removes them from its pending entries.',
    since: '5.0.0',
    complexity: 'O(log N) for each id.',
    arity: -4,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      { name: 'id', type: 'string', multiple: true },
    ],
    reply: {
      resp2: 'Integer: the number of entries acknowledged (0 when the key or the group does not exist).',
      resp3: 'Integer: the number of entries acknowledged (0 when the key or the group does not exist).',
    },
    errors: ['wrongType', 'streamInvalidId', 'collectionsLogMode'],
    example: ['> XACK s g 1-1', '(integer) 1'],
  },
  (c) => {
    const a = c.args;
    const s = streamForWrite(c, 1, false);
    if (s === undefined) return;
    const g = s === null ? null : getGroup(c, s, a.arg(2));
    if (s === null || g === null) return c.out.integer(0);
    const ids: StreamId[] = [];
    for (let j = 3; j < a.argc; j++) {
      const parsed = parseId(a.arg(j), 0n, true);
      if (parsed === null) return c.out.error(errorReply('streamInvalidId'));
      ids.push(parsed.id);
    }
    let acked = 0;
    for (const id of ids) {
      const nack = getNack(c, s, g, id);
      if (nack === null) continue;
      dropNack(c, s, g, nack);
      acked++;
    }
    if (acked > 0) {
      putGroup(c, s, g);
      saveStream(c, 1, s);
    }
    c.out.integer(acked);
  },
);
