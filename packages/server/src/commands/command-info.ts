import { REDIS_COMMAND_INFO } from './redis-command-info.generated.js';
import type { CommandFlag, CommandGroup, CommandInfo, CommandSpec, KeySpec } from './spec.js';

/**
 * Where COMMAND INFO lists each flag, in redis-server 7.0's order; null for the flags it does not show
 * (redis-server hides `may_replicate` on purpose: Sluice keeps it for its own use, see dispatch.ts).
 */
const FLAG_RANK: Readonly<Record<CommandFlag, number | null>> = {
  write: 0,
  readonly: 1,
  denyoom: 2,
  admin: 3,
  pubsub: 4,
  noscript: 5,
  blocking: 6,
  loading: 7,
  stale: 8,
  skip_monitor: 9,
  skip_slowlog: 10,
  fast: 11,
  no_auth: 12,
  may_replicate: null,
  no_mandatory_keys: 13,
  no_multi: 14,
  movablekeys: 15,
  allow_busy: 16,
};

/** A command's flags as COMMAND INFO lists them: in redis-server's order, without the hidden ones. */
export function reportedFlags(spec: CommandSpec): CommandFlag[] {
  return spec.flags
    .filter((f) => FLAG_RANK[f] !== null)
    .sort((a, b) => (FLAG_RANK[a] as number) - (FLAG_RANK[b] as number));
}

/** redis-server's ACL categories, in the order COMMAND INFO lists them. */
const ACL_CATEGORIES = [
  '@keyspace',
  '@read',
  '@write',
  '@set',
  '@sortedset',
  '@list',
  '@hash',
  '@string',
  '@bitmap',
  '@hyperloglog',
  '@geo',
  '@stream',
  '@pubsub',
  '@admin',
  '@fast',
  '@slow',
  '@blocking',
  '@dangerous',
  '@connection',
  '@transaction',
  '@scripting',
];

/** The ACL category of a command group, for commands redis-server does not have: `@hash` for hash, … */
function groupCategory(group: CommandGroup): string | undefined {
  if (group === 'generic') return '@keyspace';
  if (group === 'transactions') return '@transaction';
  return ACL_CATEGORIES.includes(`@${group}`) ? `@${group}` : undefined;
}

/**
 * The categories, tips and key specifications COMMAND INFO shows for a command: redis-server 7.0.15's
 * own for the commands it has (read from it by scripts/command-info.mjs), derived from the spec for the
 * others (SLUICE, and commands of later versions such as CLIENT SETINFO): categories from the flags and
 * the group, no tips, one key specification from the key positions if it has keys.
 */
export function commandInfo(spec: CommandSpec): CommandInfo {
  if (Object.hasOwn(REDIS_COMMAND_INFO, spec.name)) return REDIS_COMMAND_INFO[spec.name] as CommandInfo;
  return derivedInfo(spec);
}

function derivedInfo(spec: CommandSpec): CommandInfo {
  const has = (f: CommandFlag): boolean => spec.flags.includes(f);
  const cats = new Set<string | undefined>([groupCategory(spec.group)]);
  if (has('write')) cats.add('@write');
  if (has('readonly')) cats.add('@read');
  if (has('admin')) cats.add('@admin').add('@dangerous');
  cats.add(has('fast') ? '@fast' : '@slow');
  const keys = spec.keys;
  const keySpecs: KeySpec[] =
    keys === undefined
      ? []
      : [
          {
            flags: has('write') ? ['RW', 'update'] : ['RO', 'access'],
            beginSearch: { type: 'index', index: keys.first },
            findKeys: {
              type: 'range',
              lastkey: keys.last < 0 ? keys.last : keys.last - keys.first,
              keystep: keys.step,
              limit: 0,
            },
          },
        ];
  return { categories: ACL_CATEGORIES.filter((c) => cats.has(c)), tips: [], keySpecs };
}
