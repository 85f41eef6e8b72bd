/**
 * Keyspace notifications without a server: the setting's class characters read and printed as
 * redis-server 7.0.15 does (the values below are what it answered to CONFIG SET then GET), and the
 * keyspace's own announcements (`new`, `expired`) on a real keyspace: an expired key is announced once,
 * by the first read that finds it expired or else by active expiry.
 */
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/commands/index.js';
import { KEYSPACE_EVENTS } from '../../src/pubsub/events.js';
import { formatKeyspaceEvents, parseKeyspaceEvents } from '../../src/pubsub/notify.js';
import { useKeyspace } from './context.js';

describe('notify-keyspace-events', () => {
  it.each([
    ['', ''],
    ['KEA', 'AKE'],
    ['AKE', 'AKE'],
    ['KEAn', 'AKE'],
    ['KEAm', 'AKEm'],
    ['g$lshzxetd', 'A'],
    ['Ex', 'xE'],
    ['Kl', 'lK'],
    ['Eg$', 'g$E'],
    ['nK', 'nK'],
    ['KEg$lshzxetdnm', 'AKEm'],
    ['Ag', 'A'],
    ['mmEE', 'Em'],
  ])('%j reads back as %j', (text, shown) => {
    const flags = parseKeyspaceEvents(text);
    expect(flags).not.toBeNull();
    expect(formatKeyspaceEvents(flags as number)).toBe(shown);
  });

  it('keeps n under A though it does not show it', () => {
    expect(parseKeyspaceEvents('KEAn')).not.toBe(parseKeyspaceEvents('KEA'));
  });

  it.each(['Q', 'KEa', 'K E', 'x1'])('refuses %j', (text) => {
    expect(parseKeyspaceEvents(text)).toBeNull();
  });
});

describe('what the keyspace announces', () => {
  const { ks, context } = useKeyspace();

  /** Connects the keyspace's notifier to a list of `channel message` lines. */
  function record(setting: string): string[] {
    const lines: string[] = [];
    const notifier = ks().notifier;
    notifier.flags = parseKeyspaceEvents(setting) as number;
    notifier.connect((channel, message) => lines.push(`${channel.toString()} ${message.toString()}`));
    return lines;
  }

  const idle = (): Promise<void> => new Promise((resolve) => ks().whenIdle(resolve));

  it('new on the write that creates a key, not on the next one', () => {
    const lines = record('Kn');
    const c = context();
    c.call('SET', 'k', 'v');
    c.call('SET', 'k', 'w');
    c.call('DEL', 'k');
    c.call('RPUSH', 'l', 'a');
    c.call('RPUSH', 'l', 'b');
    expect(lines).toEqual(['__keyspace@0__:k new', '__keyspace@0__:l new']);
  });

  it('expired once, on the first read that finds the key expired; active expiry does not repeat it', async () => {
    const lines = record('Ex');
    const c = context();
    c.call('SET', 'read', 'v', 'PX', '10');
    c.call('SET', 'unread', 'v', 'PX', '10');
    c.now += 20;
    ks().notifier.now = c.now;
    expect(c.call('GET', 'read')).toBe('$-1\r\n');
    expect(c.call('EXISTS', 'read')).toBe(':0\r\n');
    expect(lines).toEqual(['__keyevent@0__:expired read']);
    await idle();
    // Both keys' records are still stored: the sweep removes them, announcing only the unread one.
    ks().sweep(Date.now() + 1000);
    expect(lines).toEqual(['__keyevent@0__:expired read', '__keyevent@0__:expired unread']);
  });

  it('expired again for a key written again after its announced expiry', async () => {
    const lines = record('Kx');
    const c = context();
    c.call('SET', 'k', 'v', 'PX', '10');
    c.now += 20;
    c.call('GET', 'k');
    c.call('SET', 'k', 'w', 'PX', '10');
    c.now += 20;
    c.call('GET', 'k');
    expect(lines).toEqual(['__keyspace@0__:k expired', '__keyspace@0__:k expired']);
    await idle();
    ks().sweep(Date.now() + 1000);
    expect(lines).toHaveLength(2);
  });

  it('nothing when the setting is empty, or names classes without K or E', () => {
    for (const setting of ['', 'A']) {
      const lines = record(setting);
      const c = context();
      c.call('SET', 'k', 'v', 'PX', '10');
      c.now += 20;
      c.call('GET', 'k');
      expect(lines).toEqual([]);
    }
  });
});

describe('the events table of the docs', () => {
  const all = allCommands.flatMap((d) => [d, ...(d.subcommands ?? [])]);
  const listed = KEYSPACE_EVENTS.flatMap((row) => row.commands);

  it('has a row for every write command (with its events, or none)', () => {
    const writes = all.filter((d) => d.spec.flags.includes('write')).map((d) => d.spec.name);
    expect(writes.filter((name) => !listed.includes(name))).toEqual([]);
  });

  it('names each command once, and only commands Sluice has', () => {
    const names = new Set(all.map((d) => d.spec.name));
    expect(listed.filter((name) => !names.has(name))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });
});
