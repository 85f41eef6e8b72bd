import { errorReply } from '../../errors.js';
import { helpSubcommand } from '../_help.js';
import type { CommandContext } from '../context.js';
import { type CommandSpec, command } from '../spec.js';
import { base } from './_shared.js';

const sub = { ...base, flags: ['pubsub', 'loading', 'stale'] } as const satisfies Partial<CommandSpec>;

/** CHANNELS and SHARDCHANNELS: the active ones, matching the optional pattern. */
function listChannels(c: CommandContext, shard: boolean): void {
  const a = c.args;
  if (a.argc > 3) {
    c.out.error(errorReply('subcommandSyntax', a.argString(1), 'PUBSUB'));
    return;
  }
  const names = c.server.pubsub.activeChannels(shard, a.argc === 3 ? a.arg(2) : null);
  c.out.arrayHeader(names.length);
  for (const name of names) c.out.bulkCopy(name);
}

/** NUMSUB and SHARDNUMSUB: each channel named, then its number of subscribers, in one flat array. */
function countSubscribers(c: CommandContext, shard: boolean): void {
  const a = c.args;
  c.out.arrayHeader((a.argc - 2) * 2);
  for (let i = 2; i < a.argc; i++) {
    c.out.bulkCopy(a.buffer, a.argStart(i), a.argEnd(i));
    c.out.integer(c.server.pubsub.subscriberCount(shard, a.arg(i)));
  }
}

const CHANNELS = command(
  {
    ...sub,
    name: 'pubsub|channels',
    summary: 'Lists the channels that have at least one subscriber, or those matching a glob-style pattern.',
    since: '2.8.0',
    complexity: 'O(N) for N active channels',
    arity: -2,
    arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
    reply: {
      resp2: 'Array of channel names, in no set order.',
      resp3: 'Array of channel names, in no set order.',
    },
    errors: ['subcommandSyntax'],
    example: ['> PUBSUB CHANNELS news*', '1) "news"'],
  },
  (c) => listChannels(c, false),
);

const NUMSUB = command(
  {
    ...sub,
    name: 'pubsub|numsub',
    summary: 'Counts the subscribers of each channel given (pattern subscribers are not counted).',
    since: '2.8.0',
    complexity: 'O(N) for N channels given',
    arity: -2,
    arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
    reply: {
      resp2: 'Flat array: each channel, then its number of subscribers.',
      resp3: 'Flat array: each channel, then its number of subscribers.',
    },
    example: ['> PUBSUB NUMSUB news sport', '1) "news"', '2) (integer) 2', '3) "sport"', '4) (integer) 0'],
  },
  (c) => countSubscribers(c, false),
);

const NUMPAT = command(
  {
    ...sub,
    name: 'pubsub|numpat',
    summary: 'Counts the distinct patterns that at least one connection subscribes to.',
    since: '2.8.0',
    complexity: 'O(1)',
    arity: 2,
    arguments: [],
    reply: { resp2: 'Integer.', resp3: 'Integer.' },
    example: ['> PUBSUB NUMPAT', '(integer) 1'],
  },
  (c) => c.out.integer(c.server.pubsub.counts().patterns),
);

const SHARDCHANNELS = command(
  {
    ...sub,
    name: 'pubsub|shardchannels',
    summary: 'Lists the shard channels that have at least one subscriber, or those matching a pattern.',
    since: '7.0.0',
    complexity: 'O(N) for N active shard channels',
    arity: -2,
    arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
    reply: {
      resp2: 'Array of shard channel names, in no set order.',
      resp3: 'Array of shard channel names, in no set order.',
    },
    errors: ['subcommandSyntax'],
    example: ['> PUBSUB SHARDCHANNELS', '1) "orders"'],
  },
  (c) => listChannels(c, true),
);

const SHARDNUMSUB = command(
  {
    ...sub,
    name: 'pubsub|shardnumsub',
    summary: 'Counts the subscribers of each shard channel given.',
    since: '7.0.0',
    complexity: 'O(N) for N shard channels given',
    arity: -2,
    arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
    reply: {
      resp2: 'Flat array: each shard channel, then its number of subscribers.',
      resp3: 'Flat array: each shard channel, then its number of subscribers.',
    },
    example: ['> PUBSUB SHARDNUMSUB orders', '1) "orders"', '2) (integer) 1'],
  },
  (c) => countSubscribers(c, true),
);

const HELP = helpSubcommand('pubsub', 'pubsub', [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
]);

export const PUBSUB = command({
  ...base,
  name: 'pubsub',
  summary: 'A container for commands that inspect Pub/Sub: active channels and subscriber counts.',
  since: '2.8.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  example: ['> PUBSUB NUMPAT', '(integer) 0'],
}, () => {}, [CHANNELS, HELP, NUMPAT, NUMSUB, SHARDCHANNELS, SHARDNUMSUB]);
