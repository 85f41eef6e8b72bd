/**
 * The keyspace notifications of each write command, as data for the docs (reference/keyspace-events.md):
 * which events a command publishes, of which class, and when. The commands publish them themselves
 * (commands/_notify.ts); the differential test (test/compat/notifications.test.ts) checks them against
 * redis-server, and a unit test that every write command has a row here.
 */

/** One event: its name, its class character (notify-keyspace-events), and when it is published. */
export interface EventDoc {
  readonly event: string;
  readonly cls: 'g' | '$' | 'l' | 's' | 'h' | 'z' | 'x' | 't' | 'n';
  readonly when?: string;
}

export interface EventRow {
  /** Lowercase command names (`function|load` for a subcommand). */
  readonly commands: readonly string[];
  /** In the order they are published; empty: the command publishes none. */
  readonly events: readonly EventDoc[];
  readonly note?: string;
}

const EMPTIED = { event: 'del', cls: 'g', when: 'after it, when the key became empty and is gone' } as const;

export const KEYSPACE_EVENTS: readonly EventRow[] = [
  {
    commands: ['set', 'setnx', 'getset', 'mset', 'msetnx'],
    events: [
      { event: 'set', cls: '$', when: 'per key written (MSET: each key, in order)' },
      { event: 'expire', cls: 'g', when: 'SET with EX, PX, EXAT or PXAT' },
    ],
    note: 'SET with a time already past also announces expired (x).',
  },
  {
    commands: ['setex', 'psetex'],
    events: [
      { event: 'set', cls: '$' },
      { event: 'expire', cls: 'g' },
    ],
  },
  { commands: ['setrange'], events: [{ event: 'setrange', cls: '$', when: 'unless nothing was written' }] },
  { commands: ['append'], events: [{ event: 'append', cls: '$' }] },
  { commands: ['incr', 'decr', 'incrby', 'decrby'], events: [{ event: 'incrby', cls: '$' }] },
  { commands: ['incrbyfloat'], events: [{ event: 'incrbyfloat', cls: '$' }] },
  { commands: ['getdel'], events: [{ event: 'del', cls: 'g' }] },
  {
    commands: ['getex'],
    events: [
      { event: 'expire', cls: 'g', when: 'EX, PX, EXAT, PXAT' },
      { event: 'persist', cls: 'g', when: 'PERSIST of a key that had a time to live' },
      { event: 'del', cls: 'g', when: 'EXAT or PXAT already past' },
    ],
  },
  {
    commands: ['setbit', 'bitfield'],
    events: [
      {
        event: 'setbit',
        cls: '$',
        when: 'when a bit changed or the value grew (BITFIELD: any SET or INCRBY)',
      },
    ],
  },
  {
    commands: ['bitop'],
    events: [
      { event: 'set', cls: '$' },
      { event: 'del', cls: 'g', when: 'an empty result deleted the destination' },
    ],
  },
  {
    commands: ['pfadd'],
    events: [{ event: 'pfadd', cls: '$', when: 'when a register changed or the key was created' }],
  },
  { commands: ['pfmerge'], events: [{ event: 'pfadd', cls: '$', when: 'always' }] },
  { commands: ['pfdebug'], events: [] },
  { commands: ['del', 'unlink'], events: [{ event: 'del', cls: 'g', when: 'per key deleted' }] },
  {
    commands: ['expire', 'pexpire', 'expireat', 'pexpireat'],
    events: [
      { event: 'expire', cls: 'g' },
      { event: 'del', cls: 'g', when: 'a time already past deletes the key' },
    ],
  },
  { commands: ['persist'], events: [{ event: 'persist', cls: 'g' }] },
  {
    commands: ['rename', 'renamenx'],
    events: [
      { event: 'rename_from', cls: 'g', when: 'on the source' },
      { event: 'rename_to', cls: 'g', when: 'on the destination' },
    ],
  },
  {
    commands: ['move'],
    events: [
      { event: 'move_from', cls: 'g', when: 'in the source database' },
      { event: 'move_to', cls: 'g', when: 'in the target database' },
    ],
  },
  { commands: ['copy'], events: [{ event: 'copy_to', cls: 'g', when: 'on the destination' }] },
  {
    commands: ['restore'],
    events: [
      { event: 'restore', cls: 'g' },
      { event: 'del', cls: 'g', when: 'REPLACE with a time to live already past' },
    ],
  },
  {
    commands: ['sort'],
    events: [
      { event: 'sortstore', cls: 'l', when: 'STORE' },
      { event: 'del', cls: 'g', when: 'STORE of an empty result over an existing key' },
    ],
  },
  { commands: ['hset', 'hmset', 'hsetnx'], events: [{ event: 'hset', cls: 'h' }] },
  { commands: ['hincrby'], events: [{ event: 'hincrby', cls: 'h' }] },
  { commands: ['hincrbyfloat'], events: [{ event: 'hincrbyfloat', cls: 'h' }] },
  { commands: ['hdel'], events: [{ event: 'hdel', cls: 'h' }, EMPTIED] },
  { commands: ['sadd'], events: [{ event: 'sadd', cls: 's', when: 'when a member was added' }] },
  { commands: ['srem'], events: [{ event: 'srem', cls: 's' }, EMPTIED] },
  { commands: ['spop'], events: [{ event: 'spop', cls: 's' }, EMPTIED] },
  {
    commands: ['smove'],
    events: [
      { event: 'srem', cls: 's', when: 'on the source' },
      EMPTIED,
      { event: 'sadd', cls: 's', when: 'on the destination, when added' },
    ],
  },
  {
    commands: ['sinterstore', 'sunionstore', 'sdiffstore'],
    events: [
      { event: 'sinterstore / sunionstore / sdiffstore', cls: 's' },
      { event: 'del', cls: 'g', when: 'an empty result deleted the destination' },
    ],
  },
  { commands: ['lpush', 'lpushx'], events: [{ event: 'lpush', cls: 'l' }] },
  { commands: ['rpush', 'rpushx'], events: [{ event: 'rpush', cls: 'l' }] },
  { commands: ['lpop', 'blpop'], events: [{ event: 'lpop', cls: 'l' }, EMPTIED] },
  { commands: ['rpop', 'brpop'], events: [{ event: 'rpop', cls: 'l' }, EMPTIED] },
  {
    commands: ['lmpop', 'blmpop'],
    events: [{ event: 'lpop or rpop', cls: 'l', when: 'on the key popped from' }, EMPTIED],
  },
  {
    commands: ['lmove', 'blmove', 'rpoplpush', 'brpoplpush'],
    events: [
      { event: 'lpush or rpush', cls: 'l', when: 'on the destination, first' },
      { event: 'lpop or rpop', cls: 'l', when: 'on the source' },
      EMPTIED,
    ],
  },
  { commands: ['linsert'], events: [{ event: 'linsert', cls: 'l' }] },
  { commands: ['lset'], events: [{ event: 'lset', cls: 'l' }] },
  { commands: ['lrem'], events: [{ event: 'lrem', cls: 'l' }, EMPTIED] },
  { commands: ['ltrim'], events: [{ event: 'ltrim', cls: 'l' }, EMPTIED] },
  {
    commands: ['zadd'],
    events: [{ event: 'zadd', cls: 'z', when: 'when a member was added or its score changed (INCR: zincr)' }],
  },
  { commands: ['zincrby'], events: [{ event: 'zincr', cls: 'z' }] },
  { commands: ['zrem'], events: [{ event: 'zrem', cls: 'z' }, EMPTIED] },
  {
    commands: ['zpopmin', 'bzpopmin'],
    events: [
      { event: 'zpopmin', cls: 'z', when: 'when a member was popped (not for a count of 0)' },
      EMPTIED,
    ],
  },
  {
    commands: ['zpopmax', 'bzpopmax'],
    events: [
      { event: 'zpopmax', cls: 'z', when: 'when a member was popped (not for a count of 0)' },
      EMPTIED,
    ],
  },
  {
    commands: ['zmpop', 'bzmpop'],
    events: [{ event: 'zpopmin or zpopmax', cls: 'z', when: 'on the key popped from' }, EMPTIED],
  },
  {
    commands: ['zremrangebyrank', 'zremrangebyscore', 'zremrangebylex'],
    events: [{ event: 'zremrangebyrank, zremrangebyscore or zremrangebylex', cls: 'z' }, EMPTIED],
  },
  {
    commands: ['zrangestore'],
    events: [
      { event: 'zrangestore', cls: 'z', when: 'when the range is not empty' },
      { event: 'del', cls: 'g', when: 'when the range is empty and the destination existed' },
    ],
  },
  {
    commands: ['zunionstore', 'zinterstore', 'zdiffstore'],
    events: [
      { event: 'zunionstore / zinterstore / zdiffstore', cls: 'z', when: 'when the result is not empty' },
      { event: 'del', cls: 'g', when: 'when the result is empty and the destination existed' },
    ],
  },
  {
    commands: ['xadd'],
    events: [
      { event: 'xadd', cls: 't', when: 'when the entry was added (not with NOMKSTREAM on a missing key)' },
      { event: 'xtrim', cls: 't', when: 'with MAXLEN or MINID, when entries were trimmed' },
    ],
  },
  { commands: ['xdel'], events: [{ event: 'xdel', cls: 't', when: 'when entries were deleted' }] },
  { commands: ['xtrim'], events: [{ event: 'xtrim', cls: 't', when: 'when entries were trimmed' }] },
  { commands: ['xsetid'], events: [{ event: 'xsetid', cls: 't' }] },
  {
    commands: ['xgroup|create'],
    events: [{ event: 'xgroup-create', cls: 't', when: 'when the group was created (MKSTREAM: new too)' }],
  },
  {
    commands: ['xgroup|createconsumer', 'xreadgroup', 'xclaim', 'xautoclaim'],
    events: [{ event: 'xgroup-createconsumer', cls: 't', when: 'when the consumer named did not exist yet' }],
    note: 'XACK, XCLAIM and XAUTOCLAIM announce nothing else.',
  },
  {
    commands: ['xgroup|delconsumer'],
    events: [{ event: 'xgroup-delconsumer', cls: 't', when: 'when the consumer existed' }],
  },
  {
    commands: ['xgroup|destroy'],
    events: [{ event: 'xgroup-destroy', cls: 't', when: 'when the group existed' }],
  },
  { commands: ['xgroup|setid'], events: [{ event: 'xgroup-setid', cls: 't' }] },
  { commands: ['xack'], events: [] },
  {
    commands: ['geoadd'],
    events: [{ event: 'zadd', cls: 'z', when: 'when a member was added or moved (GEOADD runs as ZADD)' }],
  },
  {
    commands: ['georadius', 'georadiusbymember'],
    events: [
      { event: 'georadiusstore', cls: 'z', when: 'STORE or STOREDIST, when members were found' },
      { event: 'del', cls: 'g', when: 'STORE or STOREDIST finding none, when the destination existed' },
    ],
  },
  {
    commands: ['geosearchstore'],
    events: [
      { event: 'geosearchstore', cls: 'z', when: 'when members were found' },
      { event: 'del', cls: 'g', when: 'when none were found and the destination existed' },
    ],
  },
  {
    commands: [
      'flushdb',
      'flushall',
      'swapdb',
      'function|delete',
      'function|flush',
      'function|load',
      'function|restore',
    ],
    events: [],
    note: 'As redis-server 7.0: FLUSHDB and FLUSHALL announce no key.',
  },
];
