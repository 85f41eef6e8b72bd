/**
 * Finding a command's keys in its arguments from its key specifications, as redis-server 7.0 does for
 * COMMAND GETKEYS and COMMAND GETKEYSANDFLAGS (db.c: getKeysFromCommandWithSpecs), and the legacy key
 * positions (first, last, step) that COMMAND INFO shows, derived from the same specifications.
 */
import { parseInteger } from './_args.js';
import type { CommandSpec, KeySpec, KeySpecFlag } from './spec.js';

/** One key: its argument index (0 is the command name) and how the command uses it. */
export interface KeyRef {
  readonly index: number;
  readonly flags: readonly KeySpecFlag[];
}

export interface KeyRange {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

const isPlainRange = (k: KeySpec): boolean => k.beginSearch.type === 'index' && k.findKeys.type === 'range';

/**
 * The (first, last, step) of COMMAND INFO, from the key specifications (redis-server's
 * populateCommandLegacyRangeSpec): one index-and-range spec as it is, else the consecutive step-1
 * ranges merged; undefined when there are none.
 */
export function legacyKeyRange(specs: readonly KeySpec[]): KeyRange | undefined {
  const range = (k: KeySpec): KeyRange | undefined => {
    if (k.beginSearch.type !== 'index' || k.findKeys.type !== 'range') return undefined;
    const first = k.beginSearch.index;
    const last = k.findKeys.lastkey;
    return { first, last: last >= 0 ? first + last : last, step: k.findKeys.keystep };
  };
  const [only] = specs;
  if (specs.length === 1 && only !== undefined) return range(only);
  let first = Number.MAX_SAFE_INTEGER;
  let last = 0;
  let prevLast = 0;
  for (const k of specs) {
    const r = range(k);
    if (r === undefined || r.step !== 1 || (prevLast !== 0 && prevLast !== r.first - 1)) continue;
    first = Math.min(first, r.first);
    // Compared as unsigned, as redis-server does, so that a last counted from the end (-1) wins.
    last = last >>> 0 >= r.last >>> 0 ? last : r.last;
    prevLast = last;
  }
  return first === Number.MAX_SAFE_INTEGER ? undefined : { first, last, step: 1 };
}

/** Whether the key specifications alone cannot give every key position: COMMAND INFO's `movablekeys`. */
export function hasMovableKeys(specs: readonly KeySpec[]): boolean {
  return specs.some((k) => !isPlainRange(k) || k.flags.includes('incomplete'));
}

/** Whether the command has keys at all (a key specification that is not `not_key`): doesCommandHaveKeys. */
export function hasKeys(spec: CommandSpec, specs: readonly KeySpec[]): boolean {
  return Object.hasOwn(KEY_FUNCTIONS, spec.name) || specs.some((k) => !k.flags.includes('not_key'));
}

/**
 * The keys of a command call (`argv[0]` is the command's name, `argv[1]` a subcommand's), as
 * redis-server 7.0's getKeysFromCommandWithSpecs finds them: by the key specifications when their flags
 * are fixed, else (or when they fail: a bad key count) by the command's own key function. Empty when the
 * arguments hold no keys that way.
 */
export function findKeys(spec: CommandSpec, specs: readonly KeySpec[], argv: readonly Buffer[]): KeyRef[] {
  const usable = specs.some((k) => !k.flags.includes('not_key'));
  const variable = specs.some((k) => k.flags.includes('variable_flags'));
  if (usable && !variable) {
    const keys = keysBySpecs(specs, argv);
    if (keys !== null) return keys;
  }
  const fn = Object.hasOwn(KEY_FUNCTIONS, spec.name) ? KEY_FUNCTIONS[spec.name] : undefined;
  return fn === undefined ? [] : fn(argv);
}

/** getKeysUsingKeySpecs: the keys every specification finds, or null if one of them is not usable. */
function keysBySpecs(specs: readonly KeySpec[], argv: readonly Buffer[]): KeyRef[] | null {
  const argc = argv.length;
  const keys: KeyRef[] = [];
  for (const k of specs) {
    if (k.flags.includes('not_key')) continue;
    let first = 0;
    const bs = k.beginSearch;
    if (bs.type === 'index') {
      first = bs.index;
    } else if (bs.type === 'keyword') {
      const start = bs.startfrom > 0 ? bs.startfrom : argc + bs.startfrom;
      const end = bs.startfrom > 0 ? argc - 1 : 1;
      const keyword = bs.keyword.toLowerCase();
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if ((argv[i] as Buffer).toString('latin1').toLowerCase() === keyword) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue; // the keyword is not there: no keys from this spec
    } else {
      return null;
    }
    let last: number;
    let step: number;
    const fk = k.findKeys;
    if (fk.type === 'range') {
      step = fk.keystep;
      if (fk.lastkey >= 0) last = first + fk.lastkey;
      else if (fk.limit === 0) last = argc + fk.lastkey;
      else last = first + (Math.trunc((argc - first) / fk.limit) + fk.lastkey);
    } else if (fk.type === 'keynum') {
      step = fk.keystep;
      const at = argv[first + fk.keynumidx];
      if (at === undefined) return null;
      const numkeys = parseInteger(at, 0, at.length);
      if (numkeys === null || numkeys < 0n) return null;
      first += fk.firstkey;
      // redis-server takes the count as a C int.
      last = (first + Number(BigInt.asIntN(32, numkeys)) - 1) | 0;
    } else {
      return null;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      // Past the arguments (a command of variable arity given too few): no key there.
      if (i >= argc) continue;
      keys.push({ index: i, flags: k.flags });
    }
    if (k.flags.includes('incomplete')) return null;
  }
  return keys;
}

/** C's atoi (strtol, then the cast to int): leading spaces, a sign, the digits up to the first other byte. */
function atoi(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 0x20 || ((buf[i] as number) >= 0x09 && (buf[i] as number) <= 0x0d)))
    i++;
  let negative = false;
  if (buf[i] === 0x2b || buf[i] === 0x2d) negative = buf[i++] === 0x2d;
  let n = 0n;
  const max = 2n ** 63n;
  while (i < buf.length && (buf[i] as number) >= 0x30 && (buf[i] as number) <= 0x39) {
    if (n <= max) n = n * 10n + BigInt((buf[i] as number) - 0x30);
    i++;
  }
  if (negative) n = n > max ? -max : -n;
  else if (n >= max) n = max - 1n;
  return Number(BigInt.asIntN(32, n));
}

/** redis-server's genericGetKeys for `command <first> <numkeys> <key>…` (EVAL's and FCALL's key function). */
function numkeysAt2(argv: readonly Buffer[]): KeyRef[] {
  const num = atoi(argv[2] as Buffer);
  if (num < 1 || num > argv.length - 3) return [];
  return Array.from({ length: num }, (_, i) => ({ index: 3 + i, flags: [] }));
}

/**
 * redis-server's genericGetKeys with a count of keys at `countAt` (read with atoi) and the keys from
 * `first` on, then a destination at `storeAt` when not 0 (listed last): ZUNION and the other sorted-set
 * operations, their STORE forms, SINTERCARD, LMPOP and BLMPOP.
 */
function countedKeys(storeAt: number, countAt: number, first: number): (argv: readonly Buffer[]) => KeyRef[] {
  return (argv) => {
    const num = atoi(argv[countAt] as Buffer);
    if (num < 1 || num > argv.length - first) return [];
    const keys: KeyRef[] = Array.from({ length: num }, (_, i) => ({ index: first + i, flags: [] }));
    if (storeAt !== 0) keys.push({ index: storeAt, flags: [] });
    return keys;
  };
}

/** SET's key function: the key is read too (RW) when GET is given, else only overwritten. */
function setKeys(argv: readonly Buffer[]): KeyRef[] {
  for (let i = 3; i < argv.length; i++) {
    const a = argv[i] as Buffer;
    // Compared as a C string: a NUL byte ends it.
    if (
      a.length >= 3 &&
      a.toString('latin1', 0, 3).toLowerCase() === 'get' &&
      (a.length === 3 || a[3] === 0)
    ) {
      return [{ index: 1, flags: ['RW', 'access', 'update'] }];
    }
  }
  return [{ index: 1, flags: ['OW', 'update'] }];
}

/**
 * SORT's key function (redis-server's sortGetKeys): the key to sort, and the destination of the last
 * STORE. The options are skipped with the number of values redis-server expects of each (LIMIT 2, GET
 * and BY 1, any other word none), so a destination named like an option is read as one.
 */
function sortKeys(argv: readonly Buffer[]): KeyRef[] {
  const keys: KeyRef[] = [{ index: 1, flags: ['RO', 'access'] }];
  let destination = 0;
  for (let i = 2; i < argv.length; i++) {
    const word = cWord(argv[i] as Buffer);
    if (word === 'limit') i += 2;
    else if (word === 'get' || word === 'by') i += 1;
    else if (word === 'store' && i + 1 < argv.length) destination = i + 1;
  }
  if (destination !== 0) keys.push({ index: destination, flags: ['OW', 'update'] });
  return keys;
}

/** SORT_RO's key function: only the key to sort. */
function sortROKeys(): KeyRef[] {
  return [{ index: 1, flags: ['RO', 'access'] }];
}

/**
 * GEORADIUS's and GEORADIUSBYMEMBER's key function (redis-server's georadiusGetKeys): the key searched,
 * and the destination of the last STORE or STOREDIST followed by a value, looked for from argument 5.
 */
function georadiusKeys(argv: readonly Buffer[]): KeyRef[] {
  const keys: KeyRef[] = [{ index: 1, flags: [] }];
  let destination = 0;
  for (let i = 5; i < argv.length; i++) {
    const word = cWord(argv[i] as Buffer);
    if ((word === 'store' || word === 'storedist') && i + 1 < argv.length) {
      destination = i + 1;
      i++;
    }
  }
  if (destination !== 0) keys.push({ index: destination, flags: [] });
  return keys;
}

/** An argument as strcasecmp sees it: lowercase, up to its first NUL byte. */
function cWord(arg: Buffer): string {
  const nul = arg.indexOf(0);
  return arg.toString('latin1', 0, nul < 0 ? arg.length : nul).toLowerCase();
}

/**
 * The key functions (getkeys_proc) redis-server has for Sluice's commands: used where the key
 * specifications cannot answer (a bad key count, keys found by keyword anywhere, or flags that depend on
 * the arguments). Their keys carry no flags, except SET's and SORT's.
 */
const KEY_FUNCTIONS: Readonly<Record<string, (argv: readonly Buffer[]) => KeyRef[]>> = {
  set: setKeys,
  eval: numkeysAt2,
  evalsha: numkeysAt2,
  eval_ro: numkeysAt2,
  evalsha_ro: numkeysAt2,
  fcall: numkeysAt2,
  fcall_ro: numkeysAt2,
  sort: sortKeys,
  sort_ro: sortROKeys,
  sintercard: countedKeys(0, 1, 2),
  lmpop: countedKeys(0, 1, 2),
  blmpop: countedKeys(0, 2, 3),
  zunion: countedKeys(0, 1, 2),
  zinter: countedKeys(0, 1, 2),
  zdiff: countedKeys(0, 1, 2),
  zintercard: countedKeys(0, 1, 2),
  zunionstore: countedKeys(1, 2, 3),
  zinterstore: countedKeys(1, 2, 3),
  zdiffstore: countedKeys(1, 2, 3),
  georadius: georadiusKeys,
  georadiusbymember: georadiusKeys,
};
