/**
 * The cluster target's pure parts: the offset keys of (partition, slot), and how a plan is split by slot
 * (hash slots themselves are tested in the protocol package).
 */

import { keySlot, SLOTS } from '@sluice/protocol';
import { describe, expect, it } from 'vitest';
import { SlotOffsetKeys } from '../../src/offsets.js';
import type { OrderedWrite } from '../../src/plan.js';
import { bySlot } from '../../src/target/cluster-target.js';

const slot = (key: string) => keySlot(Buffer.from(key));

describe('SlotOffsetKeys', () => {
  it('names one key per slot that hashes to that slot, the same on every start', () => {
    const keys = new SlotOffsetKeys('orders', Buffer.from(''));
    for (let s = 0; s < SLOTS; s++) expect(keySlot(keys.key(3, s))).toBe(s);
    expect(keys.describe(3, 12182)).toMatch(/^__sluice_bridge:offset:\{[0-9a-z]+\}:orders:3$/);
    expect(new SlotOffsetKeys('orders', Buffer.from('')).describe(5, 100)).toBe(keys.describe(5, 100));
  });

  it('works under a key prefix, even one with an unclosed {', () => {
    for (const prefix of ['app:', 'a{b:']) {
      const keys = new SlotOffsetKeys('t', Buffer.from(prefix));
      for (let s = 0; s < SLOTS; s += 97) {
        expect(keySlot(keys.key(0, s))).toBe(s);
        expect(keys.describe(0, s).startsWith(`${prefix}__sluice_bridge:offset:`)).toBe(true);
      }
    }
  });

  it('under a prefix with its own hash tag, every key is in that tag’s slot, and so is the offset key', () => {
    const keys = new SlotOffsetKeys('t', Buffer.from('{app}:'));
    expect(keySlot(keys.key(0, slot('app')))).toBe(slot('app'));
    expect(() => keys.key(0, (slot('app') + 1) % SLOTS)).toThrow(/no offset key hashes to slot/);
  });
});

describe('bySlot', () => {
  const write = (key: string, value: string | null, offset: number): OrderedWrite => ({
    key: Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    at: 0,
    offset: BigInt(offset),
  });

  it('keeps the last write of each key, grouped by slot, in record order', () => {
    const works = bySlot([
      write('{a}1', 'x', 10),
      write('{a}2', 'y', 11),
      write('{b}1', 'z', 12),
      write('{a}1', null, 13),
      write('{b}1', 'w', 14),
    ]);
    const show = works.map((w) => ({
      slot: w.slot,
      writes: w.writes.map((x) => `${x.key}=${x.value ?? 'DEL'}@${x.offset}`),
      offsets: w.offsets,
    }));
    // `offsets` keeps every record's offset, to count the records a slot already has.
    expect(show).toEqual([
      { slot: slot('a'), writes: ['{a}2=y@11', '{a}1=DEL@13'], offsets: [10n, 11n, 13n] },
      { slot: slot('b'), writes: ['{b}1=w@14'], offsets: [12n, 14n] },
    ]);
  });
});
