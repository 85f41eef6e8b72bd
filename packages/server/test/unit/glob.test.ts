import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/keyspace/glob.js';

const m = (p: string, s: string, nocase = false) => globMatch(Buffer.from(p), Buffer.from(s), nocase);

describe('globMatch (stringmatchlen)', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['key:1*', 'key:1', true],
    ['key:1*', 'key:21', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['[\\]]', ']', true],
    ['**', 'x', true],
    ['abc', 'abcd', false],
  ] as const)('%s ~ %s → %s', (p, s, expected) => {
    expect(m(p, s)).toBe(expected);
  });

  it('folds ASCII case when asked', () => {
    expect(m('MAX*', 'maxclients', true)).toBe(true);
    expect(m('MAX*', 'maxclients')).toBe(false);
  });

  it('does not blow up on pathological patterns', () => {
    expect(m('a*a*a*a*a*a*a*a*b', 'a'.repeat(40))).toBe(false);
  });
});
