import { errorReply } from '../../errors.js';
import { TYPE_STRING, typeOf } from '../../keyspace/collections.js';
import { isToken, recordAt } from '../_args.js';
import { copyCollection } from '../_collection.js';
import { announceReplacing, NOTIFY_GENERIC, notify } from '../_notify.js';
import { command } from '../spec.js';
import { databaseArg, recordFor } from './_keys.js';

export const COPY = command(
  {
    name: 'copy',
    group: 'generic',
    summary: 'Copies the value (and expiry) of a key to another key, possibly in another database.',
    since: '6.2.0',
    complexity: 'O(N) worst case for collections, where N is the number of nested items.',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key' },
      { name: 'destination-db', type: 'integer', token: 'DB', optional: true },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
    ],
    reply: {
      resp2:
        'Integer: 1 if copied, 0 if the source does not exist or the destination exists (without REPLACE).',
      resp3:
        'Integer: 1 if copied, 0 if the source does not exist or the destination exists (without REPLACE).',
    },
    errors: ['syntax', 'notInteger', 'intRange', 'dbIndexOutOfRange', 'copyDbInCluster', 'sameObject'],
    example: ['> SET a 1', 'OK', '> COPY a b DB 1', '(integer) 1'],
  },
  (c) => {
    const a = c.args;
    let target = c.db;
    let replace = false;
    for (let j = 3; j < a.argc; j++) {
      if (isToken(c, j, 'replace')) {
        replace = true;
      } else if (isToken(c, j, 'db') && j + 1 < a.argc) {
        const db = databaseArg(c, ++j);
        if (db === undefined) return;
        target = db;
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    if (c.server.cluster !== null && (target !== c.db || c.db.index !== 0)) {
      c.out.error(errorReply('copyDbInCluster'));
      return;
    }
    const from = a.arg(1);
    const to = a.arg(2);
    if (target === c.db && from.equals(to)) {
      c.out.error(errorReply('sameObject'));
      return;
    }
    const read = recordAt(c, 1);
    if (read === undefined) return c.out.integer(0);
    // A copy: the record read may be lmdb-js's shared read buffer, which the target's reads below overwrite.
    const source = Buffer.from(read.subarray(0, read.length));
    if (!replace && target.get(to, 0, to.length, c.now) !== undefined) return c.out.integer(0);
    announceReplacing(c, to, target);
    if (typeOf(source) !== TYPE_STRING) copyCollection(c, source, target, to);
    else target.put(to, 0, to.length, recordFor(to, source));
    notify(c, NOTIFY_GENERIC, 'copy_to', to, target);
    c.out.integer(1);
  },
);
