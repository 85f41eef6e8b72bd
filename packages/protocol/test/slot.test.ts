/**
 * Redis Cluster's hash slots (slot.ts): CRC16-XMODEM and the hash tag rule, against the values
 * redis-server's crc16.c and CLUSTER KEYSLOT give.
 */
import { describe, expect, it } from 'vitest';
import { crc16, keySlot } from '../src/slot.js';

const slot = (key: string): number => keySlot(Buffer.from(key, 'latin1'));

describe('CRC16 and hash slots', () => {
  it('CRC16-XMODEM of "123456789" is 0x31C3, as redis-server\'s crc16.c says', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });

  it('gives the slots redis-server gives', () => {
    expect(slot('somekey')).toBe(11058);
    expect(slot('foo')).toBe(12182);
    expect(slot('bar')).toBe(5061);
    expect(slot('hello')).toBe(866);
    expect(slot('a')).toBe(15495);
    expect(slot('b')).toBe(3300);
    expect(slot('')).toBe(0);
  });

  it('hashes only the hash tag: between the first { and the first } after it, when not empty', () => {
    expect(slot('{user1000}.following')).toBe(slot('user1000'));
    expect(slot('{user1000}.followers')).toBe(slot('user1000'));
    expect(slot('foo{bar}{zap}')).toBe(slot('bar'));
    expect(slot('foo{{bar}}zap')).toBe(slot('{bar'));
    // An empty tag, or no closing brace: the whole key.
    expect(slot('{}foo')).toBe(crc16(Buffer.from('{}foo')) & 0x3fff);
    expect(slot('{}foo')).toBe(9500);
    expect(slot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) & 0x3fff);
    expect(slot('foo{bar')).toBe(crc16(Buffer.from('foo{bar')) & 0x3fff);
  });

  it('reads a key inside a larger buffer', () => {
    const buf = Buffer.from('xx{a}1yy');
    expect(keySlot(buf, 2, 6)).toBe(slot('a'));
  });
});
