import { errorReply } from '../../errors.js';
import { parseInteger } from '../_args.js';
import { helpSubcommand } from '../_help.js';
import type { CommandContext } from '../context.js';
import { type CommandDef, type CommandSpec, command } from '../spec.js';
import {
  consumerPending,
  consumersOf,
  type Group,
  getGroup,
  getNack,
  groupLag,
  groupPending,
  groupsOf,
  INVALID_ENTRIES_READ,
} from './_groups.js';
import {
  edgeId,
  entriesIn,
  formatId,
  idBytes,
  MAX_ID,
  MIN_ID,
  nodeMasters,
  type OpenStream,
  replyEntries,
  replyEntry,
  type StreamId,
  streamAt,
} from './_shared.js';

const sub = {
  group: 'stream',
  since: '5.0.0',
  flags: ['readonly'],
  keys: { first: 2, last: 2, step: 1 },
} as const satisfies Partial<CommandSpec>;

/** The stream at argument 2, or null once `no such key` or WRONGTYPE is replied. */
function streamArg(c: CommandContext): OpenStream | null {
  const s = streamAt(c, 2);
  if (s === undefined) return null;
  if (s === null) {
    c.out.error(errorReply('noSuchKey'));
    return null;
  }
  return s;
}

/**
 * The number of nodes of redis-server's radix tree holding keys `keys` (16-byte master ids, sorted): a
 * compressed trie, one node per branching point, per chain of single children, per key, and the root.
 */
export function raxNodes(keys: readonly Buffer[]): number {
  if (keys.length === 0) return 1;
  const walk = (from: number, to: number, d: number): number => {
    const first = keys[from] as Buffer;
    if (to - from === 1 && first.length === d) return 1;
    if ((keys[to - 1] as Buffer)[d] === first[d]) {
      let l = 0;
      const last = keys[to - 1] as Buffer;
      while (d + l < first.length && first[d + l] === last[d + l]) l++;
      return 1 + walk(from, to, d + l);
    }
    let total = 1;
    let i = from;
    while (i < to) {
      let j = i + 1;
      while (j < to && (keys[j] as Buffer)[d] === (keys[i] as Buffer)[d]) j++;
      total += walk(i, j, d + 1);
      i = j;
    }
    return total;
  };
  return walk(0, keys.length, 0);
}

function replyStreamHeader(c: CommandContext, s: OpenStream, fields: number): void {
  const out = c.out;
  const masters = nodeMasters(c, s).map(idBytes);
  out.mapHeader(fields);
  out.bulkString('length');
  out.integer(s.count);
  out.bulkString('radix-tree-keys');
  out.integer(masters.length);
  out.bulkString('radix-tree-nodes');
  out.integer(raxNodes(masters));
  out.bulkString('last-generated-id');
  out.bulkString(formatId(s.state.lastId));
  out.bulkString('max-deleted-entry-id');
  out.bulkString(formatId(s.state.maxDeletedId));
  out.bulkString('entries-added');
  out.integer(s.state.entriesAdded);
  out.bulkString('recorded-first-entry-id');
  out.bulkString(formatId(s.state.firstId));
}

function replyLag(c: CommandContext, s: OpenStream, g: Group): void {
  c.out.bulkString('entries-read');
  if (g.entriesRead === INVALID_ENTRIES_READ) c.out.nullBulk();
  else c.out.integer(g.entriesRead);
  c.out.bulkString('lag');
  const lag = groupLag(s, g);
  if (lag === null) c.out.nullBulk();
  else c.out.integer(lag);
}

const STREAM = command(
  {
    ...sub,
    name: 'xinfo|stream',
    summary:
      'Returns information about a stream; with FULL, its entries, groups, consumers and pending entries too.',
    complexity:
      'O(N) for the N listpack nodes; with FULL, O(M) for the M entries and pending entries returned.',
    arity: -3,
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'full-block',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'full', type: 'pure-token', token: 'FULL' },
          { name: 'count', type: 'integer', token: 'COUNT', optional: true },
        ],
      },
    ],
    reply: {
      resp2: 'Array of field names and values (a map in RESP3).',
      resp3: 'Map of field names to values.',
    },
    errors: ['wrongType', 'noSuchKey', 'notInteger', 'subcommandSyntax'],
    example: ['> XINFO STREAM s', '1) "length"', '2) (integer) 1', '...'],
  },
  (c) => {
    const a = c.args;
    const s = streamArg(c);
    if (s === null) return;
    let full = false;
    let count = 10;
    if (a.argc > 3) {
      if (a.argString(3, 'latin1').toLowerCase() !== 'full') {
        c.out.error(errorReply('subcommandSyntax', a.argString(1, 'latin1'), 'XINFO'));
        return;
      }
      full = true;
      if (a.argc > 4) {
        if (a.argc !== 6 || a.argString(4, 'latin1').toLowerCase() !== 'count') {
          c.out.error(errorReply('subcommandSyntax', a.argString(1, 'latin1'), 'XINFO'));
          return;
        }
        const n = parseInteger(a.arg(5), 0, a.arg(5).length);
        if (n === null) {
          c.out.error(errorReply('notInteger'));
          return;
        }
        count = n < 0n ? 10 : Number(n);
      }
    }
    const out = c.out;
    if (!full) {
      replyStreamHeader(c, s, 10);
      out.bulkString('groups');
      out.integer(groupsOf(c, s).length);
      for (const last of [false, true]) {
        out.bulkString(last ? 'last-entry' : 'first-entry');
        const id = edgeId(c, s, last);
        const e = id === null ? undefined : entriesIn(c, s, id, id, false, 1)[0];
        if (e === undefined) out.nullBulk();
        else replyEntry(c, e);
      }
      return;
    }
    replyStreamHeader(c, s, 9);
    out.bulkString('entries');
    replyEntries(c, entriesIn(c, s, MIN_ID, MAX_ID, false, count));
    out.bulkString('groups');
    const groups = groupsOf(c, s);
    out.arrayHeader(groups.length);
    for (const g of groups) {
      out.mapHeader(7);
      out.bulkString('name');
      out.bulk(g.name);
      out.bulkString('last-delivered-id');
      out.bulkString(formatId(g.lastId));
      replyLag(c, s, g);
      out.bulkString('pel-count');
      out.integer(g.pending);
      out.bulkString('pending');
      const nacks: { id: StreamId; consumer: Buffer; time: number; deliveries: bigint }[] = [];
      groupPending(c, s, g, MIN_ID, MAX_ID, (n) => {
        nacks.push({ id: n.id, consumer: n.consumer, time: n.deliveryTime, deliveries: n.deliveryCount });
        return count === 0 || nacks.length < count;
      });
      out.arrayHeader(nacks.length);
      for (const n of nacks) {
        out.arrayHeader(4);
        out.bulkString(formatId(n.id));
        out.bulk(n.consumer);
        out.integer(n.time);
        out.integer(n.deliveries);
      }
      out.bulkString('consumers');
      const consumers = consumersOf(c, s, g);
      out.arrayHeader(consumers.length);
      for (const k of consumers) {
        out.mapHeader(4);
        out.bulkString('name');
        out.bulk(k.name);
        out.bulkString('seen-time');
        out.integer(k.seenTime);
        out.bulkString('pel-count');
        out.integer(k.pending);
        out.bulkString('pending');
        const ids = consumerPending(c, s, g, k.name, MIN_ID, MAX_ID, count);
        out.arrayHeader(ids.length);
        for (const id of ids) {
          const n = getNack(c, s, g, id);
          out.arrayHeader(3);
          out.bulkString(formatId(id));
          out.integer(n?.deliveryTime ?? 0);
          out.integer(n?.deliveryCount ?? 0n);
        }
      }
    }
  },
);

const GROUPS = command(
  {
    ...sub,
    name: 'xinfo|groups',
    summary:
      "Returns a stream's consumer groups: name, consumers, pending entries, last delivered id, entries read, lag.",
    complexity: 'O(N) for the N groups.',
    arity: 3,
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Array of groups, each an array of field names and values.',
      resp3: 'Array of groups, each a map of field names to values.',
    },
    errors: ['wrongType', 'noSuchKey'],
    example: ['> XINFO GROUPS s', '1) 1) "name"', '   2) "g"', '...'],
  },
  (c) => {
    const s = streamArg(c);
    if (s === null) return;
    const out = c.out;
    const groups = groupsOf(c, s);
    out.arrayHeader(groups.length);
    for (const g of groups) {
      out.mapHeader(6);
      out.bulkString('name');
      out.bulk(g.name);
      out.bulkString('consumers');
      out.integer(g.consumers);
      out.bulkString('pending');
      out.integer(g.pending);
      out.bulkString('last-delivered-id');
      out.bulkString(formatId(g.lastId));
      replyLag(c, s, g);
    }
  },
);

const CONSUMERS = command(
  {
    ...sub,
    name: 'xinfo|consumers',
    summary: "Returns a consumer group's consumers: name, pending entries, idle milliseconds.",
    complexity: 'O(N) for the N consumers.',
    arity: 4,
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
    ],
    reply: {
      resp2: 'Array of consumers, each an array of field names and values.',
      resp3: 'Array of consumers, each a map of field names to values.',
    },
    errors: ['wrongType', 'noSuchKey', 'noGroup'],
    example: ['> XINFO CONSUMERS s g', '1) 1) "name"', '   2) "alice"', '...'],
  },
  (c) => {
    const a = c.args;
    const s = streamArg(c);
    if (s === null) return;
    const g = getGroup(c, s, a.arg(3));
    if (g === null) {
      c.out.error(errorReply('noGroup', a.argString(3, 'latin1'), a.argString(2, 'latin1')));
      return;
    }
    const out = c.out;
    const consumers = consumersOf(c, s, g);
    out.arrayHeader(consumers.length);
    for (const k of consumers) {
      out.mapHeader(3);
      out.bulkString('name');
      out.bulk(k.name);
      out.bulkString('pending');
      out.integer(k.pending);
      out.bulkString('idle');
      out.integer(Math.max(0, c.now - k.seenTime));
    }
  },
);

const HELP = helpSubcommand('xinfo', 'stream', [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
]);

export const XINFO: CommandDef = command({
  group: 'stream',
  name: 'xinfo',
  summary: 'A container for stream introspection commands.',
  since: '5.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  errors: [],
  example: ['> XINFO STREAM s', '1) "length"', '2) (integer) 1', '...'],
}, () => {}, [CONSUMERS, GROUPS, HELP, STREAM]);
