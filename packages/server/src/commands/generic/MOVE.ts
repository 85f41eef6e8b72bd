import { errorReply } from '../../errors.js';
import { recordAt } from '../_args.js';
import { movedRecord } from '../_collection.js';
import { NOTIFY_GENERIC, notify } from '../_notify.js';
import { command } from '../spec.js';
import { databaseArg, recordFor } from './_keys.js';

export const MOVE = command(
  {
    name: 'move',
    group: 'generic',
    summary: 'Moves a key to another database, unless a key with its name exists there.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['write', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'db', type: 'integer' },
    ],
    reply: {
      resp2: 'Integer: 1 if moved, 0 if the key does not exist or exists in the target database.',
      resp3: 'Integer: 1 if moved, 0 if the key does not exist or exists in the target database.',
    },
    errors: ['moveInCluster', 'notInteger', 'intRange', 'dbIndexOutOfRange', 'sameObject'],
    example: ['> SET k v', 'OK', '> MOVE k 1', '(integer) 1'],
  },
  (c) => {
    if (c.server.cluster !== null) {
      c.out.error(errorReply('moveInCluster'));
      return;
    }
    const target = databaseArg(c, 2);
    if (target === undefined) return;
    if (target === c.db) {
      c.out.error(errorReply('sameObject'));
      return;
    }
    const key = c.args.arg(1);
    const source = recordAt(c, 1);
    if (source === undefined) return c.out.integer(0);
    const moved = recordFor(key, source);
    if (target.get(key, 0, key.length, c.now) !== undefined) return c.out.integer(0);
    target.put(key, 0, key.length, moved);
    movedRecord(c, target, key, moved);
    c.db.delete(key, 0, key.length);
    notify(c, NOTIFY_GENERIC, 'move_from', key);
    notify(c, NOTIFY_GENERIC, 'move_to', key, target);
    c.out.integer(1);
  },
);
