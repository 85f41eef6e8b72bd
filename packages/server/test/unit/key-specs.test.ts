/**
 * Key specifications: the legacy key positions derived from them, and the keys they find, for the cases
 * Sluice's own commands do not reach (keyword searches, range limits, several specs). The key
 * specifications are redis-server 7.0.15's (redis-command-info.generated.ts); the expectations are what
 * redis-server 7.0.15 answers to COMMAND INFO and COMMAND GETKEYSANDFLAGS.
 */
import { describe, expect, it } from 'vitest';
import { findKeys, legacyKeyRange } from '../../src/commands/key-specs.js';
import { REDIS_COMMAND_INFO } from '../../src/commands/redis-command-info.generated.js';
import type { CommandSpec, KeySpec } from '../../src/commands/spec.js';

const specsOf = (name: string): readonly KeySpec[] => {
  const info = REDIS_COMMAND_INFO[name];
  if (info === undefined) throw new Error(`${name}: not in the generated table`);
  return info.keySpecs;
};

/** The keys and flags found in `args` (the command's name first) with `name`'s key specifications. */
function keys(name: string, ...args: string[]): [string, string][] {
  const spec = { name, arity: -2 } as CommandSpec;
  const argv = args.map((a) => Buffer.from(a));
  return findKeys(spec, specsOf(name), argv).map((k) => [String(argv[k.index]), k.flags.join(' ')]);
}

describe('key specifications', () => {
  it('give the first, last and step of COMMAND INFO', () => {
    expect(legacyKeyRange(specsOf('get'))).toEqual({ first: 1, last: 1, step: 1 });
    expect(legacyKeyRange(specsOf('mset'))).toEqual({ first: 1, last: -1, step: 2 });
    // Two consecutive ranges merge; a last key counted from the end wins.
    expect(legacyKeyRange(specsOf('copy'))).toEqual({ first: 1, last: 2, step: 1 });
    expect(legacyKeyRange(specsOf('blmove'))).toEqual({ first: 1, last: 2, step: 1 });
    expect(legacyKeyRange(specsOf('brpop'))).toEqual({ first: 1, last: -2, step: 1 });
    // Only keyword or key-count specs: no fixed positions.
    expect(legacyKeyRange(specsOf('eval'))).toBeUndefined();
    expect(legacyKeyRange(specsOf('xread'))).toBeUndefined();
    expect(legacyKeyRange(specsOf('ping'))).toBeUndefined();
    // An index range before a keyword spec: the range alone.
    expect(legacyKeyRange(specsOf('migrate'))).toEqual({ first: 3, last: 3, step: 1 });
  });

  it('find keys after a keyword, searching from the end or from an index', () => {
    expect(keys('georadius', 'GEORADIUS', 'src', '0', '0', '1', 'km', 'STORE', 'dst')).toEqual([
      ['src', 'RO access'],
      ['dst', 'OW update'],
    ]);
    expect(keys('georadius', 'GEORADIUS', 'src', '0', '0', '1', 'km')).toEqual([['src', 'RO access']]);
  });

  it('find keys in a range limited to a fraction of the arguments (XREAD STREAMS a b id id)', () => {
    expect(keys('xread', 'XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '0', '0')).toEqual([
      ['a', 'RO access'],
      ['b', 'RO access'],
    ]);
  });

  it('find keys after a key count, and none when the count is not usable', () => {
    expect(keys('zunionstore', 'ZUNIONSTORE', 'd', '2', 'a', 'b')).toEqual([
      ['d', 'OW update'],
      ['a', 'RO access'],
      ['b', 'RO access'],
    ]);
    expect(keys('zunionstore', 'ZUNIONSTORE', 'd', '3', 'a', 'b')).toEqual([]);
    expect(keys('zunionstore', 'ZUNIONSTORE', 'd', 'x', 'a')).toEqual([]);
  });
});
