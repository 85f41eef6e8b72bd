/**
 * Pub/Sub, byte-exact against redis-server 7.0.15 and sluice-server, RESP2 and RESP3: subscribe and
 * unsubscribe confirmations and their counts, message / pmessage / smessage frames (RESP3 pushes),
 * PUBLISH's receiver counts, RESP2 subscriber mode and its refusals, RESET, MULTI/EXEC and scripts,
 * PUBSUB's subcommands, INFO and CLIENT LIST fields, and client-output-buffer-limit in CONFIG.
 *
 * redis-server keeps a connection's channels, and the server's channels and patterns, in hash tables
 * seeded at random when it starts: where it lists several (UNSUBSCRIBE without arguments, PUBSUB
 * CHANNELS, the patterns a message matches) the order changes from run to run, so those are compared
 * as sets, each frame still byte for byte.
 */
import type { RawClient } from '@sluice/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { array, bulk, ERR, error, int, OK, simple } from './resp.js';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

type Proto = 2 | 3;

/** A Pub/Sub frame: a RESP2 array or a RESP3 push of already-encoded items. */
const frame = (proto: Proto, ...items: string[]): string =>
  `${proto === 3 ? '>' : '*'}${items.length}\r\n${items.join('')}`;
const nullName = (proto: Proto): string => (proto === 3 ? '_\r\n' : '$-1\r\n');

/** `[word, name, count]`, as (P|S)(UN)SUBSCRIBE confirm each name. */
const confirm = (proto: Proto, word: string, name: string | null, count: number): string =>
  frame(proto, bulk(word), name === null ? nullName(proto) : bulk(name), int(count));
const message = (proto: Proto, channel: string, text: string): string =>
  frame(proto, bulk('message'), bulk(channel), bulk(text));
const pmessage = (proto: Proto, pattern: string, channel: string, text: string): string =>
  frame(proto, bulk('pmessage'), bulk(pattern), bulk(channel), bulk(text));
const smessage = (proto: Proto, channel: string, text: string): string =>
  frame(proto, bulk('smessage'), bulk(channel), bulk(text));

const notAllowed = (name: string): string =>
  error(
    `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  );

/** Sends one command and reads `n` replies (a SUBSCRIBE of n channels answers n frames). */
async function callN(c: RawClient, n: number, ...args: string[]): Promise<string[]> {
  c.sendCommand(...args);
  return c.readReplies(n);
}

/** Nothing more arrives within a short while (no stray frame). */
async function quiet(c: RawClient): Promise<void> {
  expect(await c.read(150, 50)).toBe('');
}

describe.each(targets())('Pub/Sub against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  /** A connection speaking `proto`. */
  async function connect(proto: Proto): Promise<RawClient> {
    const c = await t.connect();
    if (proto === 3) await c.call('HELLO', '3');
    return c;
  }

  describe.each([2, 3] as const)('subscriber in RESP%i', (proto) => {
    let sub: RawClient;
    let pub: RawClient;
    beforeEach(async () => {
      sub = await connect(proto);
      pub = await connect(2);
    });

    it('confirms each channel with the count of channels and patterns; a repeat counts once', async () => {
      expect(await callN(sub, 3, 'SUBSCRIBE', 'a', 'b', 'a')).toEqual([
        confirm(proto, 'subscribe', 'a', 1),
        confirm(proto, 'subscribe', 'b', 2),
        confirm(proto, 'subscribe', 'a', 2),
      ]);
      expect(await callN(sub, 2, 'PSUBSCRIBE', 'h*', 'h*')).toEqual([
        confirm(proto, 'psubscribe', 'h*', 3),
        confirm(proto, 'psubscribe', 'h*', 3),
      ]);
      // Shard channels are counted apart.
      expect(await sub.call('SSUBSCRIBE', 's1')).toBe(confirm(proto, 'ssubscribe', 's1', 1));
      expect(await sub.call('UNSUBSCRIBE', 'never')).toBe(confirm(proto, 'unsubscribe', 'never', 3));
      expect(await sub.call('UNSUBSCRIBE', 'b')).toBe(confirm(proto, 'unsubscribe', 'b', 2));
      expect(await sub.call('PUNSUBSCRIBE', 'h*')).toBe(confirm(proto, 'punsubscribe', 'h*', 1));
      expect(await sub.call('SUNSUBSCRIBE', 's1')).toBe(confirm(proto, 'sunsubscribe', 's1', 0));
      expect(await sub.call('UNSUBSCRIBE', 'a')).toBe(confirm(proto, 'unsubscribe', 'a', 0));
      // No longer subscribed: every command runs again.
      expect(await sub.call('SET', 'k', 'v')).toBe(OK);
    });

    it('without arguments the UNSUBSCRIBEs leave everything of their kind, or confirm a null name', async () => {
      expect(await sub.call('UNSUBSCRIBE')).toBe(confirm(proto, 'unsubscribe', null, 0));
      expect(await sub.call('PUNSUBSCRIBE')).toBe(confirm(proto, 'punsubscribe', null, 0));
      expect(await sub.call('SUNSUBSCRIBE')).toBe(confirm(proto, 'sunsubscribe', null, 0));
      await callN(sub, 3, 'SUBSCRIBE', 'x', 'y', 'z');
      await callN(sub, 2, 'PSUBSCRIBE', 'p1*', 'p2*');
      await callN(sub, 2, 'SSUBSCRIBE', 's1', 's2');
      // Channels in the server's own order: the names as a set, the counts going down in order.
      const left = await callN(sub, 3, 'UNSUBSCRIBE');
      expect(left.map(nameOf).sort()).toEqual(['x', 'y', 'z']);
      expect(left).toEqual(left.map((f, i) => confirm(proto, 'unsubscribe', nameOf(f), 4 - i)));
      // redis-server 7.0 keeps a connection's patterns in a list: in the order subscribed.
      expect(await callN(sub, 2, 'PUNSUBSCRIBE')).toEqual([
        confirm(proto, 'punsubscribe', 'p1*', 1),
        confirm(proto, 'punsubscribe', 'p2*', 0),
      ]);
      const shards = await callN(sub, 2, 'SUNSUBSCRIBE');
      expect(shards.map(nameOf).sort()).toEqual(['s1', 's2']);
      expect(shards).toEqual(shards.map((f, i) => confirm(proto, 'sunsubscribe', nameOf(f), 1 - i)));
      expect(await sub.call('UNSUBSCRIBE')).toBe(confirm(proto, 'unsubscribe', null, 0));
    });

    it('receives message, pmessage and smessage frames; PUBLISH counts every receiver', async () => {
      await callN(sub, 2, 'SUBSCRIBE', 'news', 'sport');
      await callN(sub, 2, 'PSUBSCRIBE', 'n*', 'x?');
      await sub.call('SSUBSCRIBE', 'orders');
      const other = await connect(proto === 2 ? 3 : 2);
      await other.call('SUBSCRIBE', 'news');

      // The channel's subscribers, then the pattern's.
      expect(await pub.call('PUBLISH', 'news', 'hello')).toBe(int(3));
      expect(await sub.readReplies(2)).toEqual([
        message(proto, 'news', 'hello'),
        pmessage(proto, 'n*', 'news', 'hello'),
      ]);
      expect(await other.readReplies(1)).toEqual([message(proto === 2 ? 3 : 2, 'news', 'hello')]);
      expect(await pub.call('PUBLISH', 'xy', 'pattern only')).toBe(int(1));
      expect(await sub.readReplies(1)).toEqual([pmessage(proto, 'x?', 'xy', 'pattern only')]);
      expect(await pub.call('PUBLISH', 'nobody', 'lost')).toBe(int(1)); // n* matches
      expect(await sub.readReplies(1)).toEqual([pmessage(proto, 'n*', 'nobody', 'lost')]);
      expect(await pub.call('PUBLISH', 'zzz', 'lost')).toBe(int(0));
      // SPUBLISH reaches shard subscribers only, never patterns or plain channels.
      expect(await pub.call('SPUBLISH', 'orders', 'o1')).toBe(int(1));
      expect(await sub.readReplies(1)).toEqual([smessage(proto, 'orders', 'o1')]);
      expect(await pub.call('SPUBLISH', 'news', 'o2')).toBe(int(0));
      expect(await pub.call('PUBLISH', 'orders', 'o3')).toBe(int(0));
      // Binary-safe names and messages.
      const bin = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x2a]);
      await sub.call('SUBSCRIBE', bin);
      pub.sendCommand('PUBLISH', bin, bin);
      expect(await pub.readReplies(1)).toEqual([int(1)]);
      expect(await sub.readReplies(1)).toEqual([
        message(proto, bin.toString('latin1'), bin.toString('latin1')),
      ]);
      await quiet(sub);
      await quiet(other);
    });

    it('a message to several patterns is counted and sent once per matching pattern', async () => {
      await callN(sub, 3, 'PSUBSCRIBE', 'a*', '*', 'b*');
      expect(await pub.call('PUBLISH', 'abc', 'm')).toBe(int(2));
      expect((await sub.readReplies(2)).sort()).toEqual(
        [pmessage(proto, 'a*', 'abc', 'm'), pmessage(proto, '*', 'abc', 'm')].sort(),
      );
      await quiet(sub);
    });

    it('RESET leaves every subscription, and the connection leaves Pub/Sub mode', async () => {
      await callN(sub, 2, 'SUBSCRIBE', 'a', 'b');
      await sub.call('PSUBSCRIBE', 'a*');
      await sub.call('SSUBSCRIBE', 's');
      expect(await sub.call('RESET')).toBe(simple('RESET'));
      expect(await pub.call('PUBLISH', 'a', 'm')).toBe(int(0));
      expect(await pub.call('SPUBLISH', 's', 'm')).toBe(int(0));
      expect(await pub.call('PUBSUB', 'NUMPAT')).toBe(int(0));
      expect(await sub.call('GET', 'k')).toBe('$-1\r\n');
      await quiet(sub);
    });

    it('a closed subscriber is no longer counted', async () => {
      await sub.call('SUBSCRIBE', 'gone');
      await sub.call('PSUBSCRIBE', 'go*');
      await sub.close();
      for (let i = 0; i < 50; i++) {
        if ((await pub.call('PUBSUB', 'NUMSUB', 'gone')) === array(bulk('gone'), int(0))) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await pub.call('PUBLISH', 'gone', 'm')).toBe(int(0));
      expect(await pub.call('PUBSUB', 'NUMPAT')).toBe(int(0));
    });

    it('CLIENT LIST and CLIENT INFO show sub, psub, ssub and flag P; INFO counts channels and patterns', async () => {
      await callN(sub, 2, 'SUBSCRIBE', 'a', 'b');
      await callN(sub, 2, 'PSUBSCRIBE', 'p*', 'q*');
      await sub.call('SSUBSCRIBE', 's');
      const watcher = await connect(3);
      await watcher.call('PSUBSCRIBE', 'p*');
      const list = parseText(await pub.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
      expect(lines(list).some((l) => / flags=P db=0 sub=2 psub=2 ssub=1 multi=-1 /.test(l))).toBe(true);
      expect(lines(list).some((l) => / flags=P db=0 sub=0 psub=1 ssub=0 multi=-1 /.test(l))).toBe(true);
      expect(lines(list).every((l) => l.includes(' flags=P '))).toBe(true);
      const normal = parseText(await pub.call('CLIENT', 'LIST', 'TYPE', 'normal'));
      expect(normal).toMatch(/ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 .*cmd=client\|list /);
      expect(lines(normal).every((l) => / flags=N db=0 sub=0 psub=0 ssub=0 /.test(l))).toBe(true);
      const info = parseText(await pub.call('INFO', 'stats'));
      expect(info).toMatch(/\r\npubsub_channels:2\r\npubsub_patterns:2\r\npubsubshard_channels:1\r\n/);
      if (proto === 3) {
        // RESP3 subscribers run anything, CLIENT INFO included.
        expect(parseText(await sub.call('CLIENT', 'INFO'))).toMatch(/ flags=P db=0 sub=2 psub=2 ssub=1 /);
      }
    });
  });

  describe('RESP2 subscriber mode', () => {
    it('refuses all but (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET, naming the command as redis-server does', async () => {
      const c = await connect(2);
      await c.call('SUBSCRIBE', 'a');
      expect(await c.call('GET', 'k')).toBe(notAllowed('get'));
      expect(await c.call('CLIENT', 'LIST')).toBe(notAllowed('client|list'));
      expect(await c.call('HELLO', '3')).toBe(notAllowed('hello'));
      expect(await c.call('MULTI')).toBe(notAllowed('multi'));
      expect(await c.call('PUBLISH', 'a', 'm')).toBe(notAllowed('publish'));
      expect(await c.call('PUBSUB', 'NUMPAT')).toBe(notAllowed('pubsub|numpat'));
      // Unknown commands and arity come first.
      expect(await c.call('NOSUCH')).toBe(error("ERR unknown command 'NOSUCH', with args beginning with: "));
      expect(await c.call('GET')).toBe(ERR.arity('get'));
      expect(await c.call('SUBSCRIBE')).toBe(ERR.arity('subscribe'));
      // PING answers like a message: pong and the argument, or an empty string.
      expect(await c.call('PING')).toBe(array(bulk('pong'), bulk('')));
      expect(await c.call('PING', 'hi')).toBe(array(bulk('pong'), bulk('hi')));
      expect(await c.call('PING', 'a', 'b')).toBe(ERR.arity('ping'));
      await c.call('PSUBSCRIBE', 'x*');
      await c.call('UNSUBSCRIBE', 'a');
      // Still in the mode while a pattern is left.
      expect(await c.call('ECHO', 'e')).toBe(notAllowed('echo'));
      await c.call('PUNSUBSCRIBE');
      expect(await c.call('PING')).toBe(simple('PONG'));
      expect(await c.call('ECHO', 'e')).toBe(bulk('e'));
      await c.call('SSUBSCRIBE', 's');
      expect(await c.call('DBSIZE')).toBe(notAllowed('dbsize'));
      expect(await c.call('QUIT')).toBe(OK);
      await c.closed;
    });

    it('PING in RESP3 is the plain PONG while subscribed, and every command runs', async () => {
      const c = await connect(3);
      await c.call('SUBSCRIBE', 'a');
      expect(await c.call('PING')).toBe(simple('PONG'));
      expect(await c.call('PING', 'x')).toBe(bulk('x'));
      expect(await c.call('SET', 'k', 'v')).toBe(OK);
      expect(await c.call('GET', 'k')).toBe(bulk('v'));
    });
  });

  describe.each([2, 3] as const)('RESP%i transactions and scripts', (proto) => {
    it('SUBSCRIBE inside MULTI confirms inside EXEC, and a RESP2 connection is then in subscriber mode', async () => {
      const c = await connect(proto);
      expect(await c.call('MULTI')).toBe(OK);
      expect(await c.call('SUBSCRIBE', 'a')).toBe('+QUEUED\r\n');
      expect(await c.call('PUBLISH', 'a', 'mine')).toBe('+QUEUED\r\n');
      expect(await c.call('SET', 'k', 'v')).toBe('+QUEUED\r\n');
      // The message to the connection itself lands where it is published, inside EXEC's array, which
      // redis-server 7.0 does not count in the array's length: read as bytes, the reply is exact.
      c.sendCommand('EXEC');
      expect(await c.read()).toBe(
        `*3\r\n${confirm(proto, 'subscribe', 'a', 1)}${message(proto, 'a', 'mine')}${int(1)}${OK}`,
      );
      if (proto === 2) expect(await c.call('GET', 'k')).toBe(notAllowed('get'));
      else expect(await c.call('GET', 'k')).toBe(bulk('v'));
    });

    it('a RESP3 subscriber that publishes gets its message before the PUBLISH reply, from scripts too', async () => {
      if (proto === 2) return;
      const c = await connect(3);
      await c.call('SUBSCRIBE', 'a');
      await c.call('PSUBSCRIBE', 'a*');
      c.sendCommand('PUBLISH', 'a', 'self');
      expect(await c.readReplies(3)).toEqual([
        message(3, 'a', 'self'),
        pmessage(3, 'a*', 'a', 'self'),
        int(2),
      ]);
      c.sendCommand('EVAL', "return redis.call('publish', 'a', 'lua')", '0');
      expect(await c.readReplies(3)).toEqual([message(3, 'a', 'lua'), pmessage(3, 'a*', 'a', 'lua'), int(2)]);
    });

    it('scripts may PUBLISH but not SUBSCRIBE', async () => {
      const sub = await connect(proto);
      await sub.call('SUBSCRIBE', 'ch');
      const c = await connect(proto);
      expect(await c.call('EVAL', "return redis.call('publish', 'ch', 'from lua')", '0')).toBe(int(1));
      expect(await sub.readReplies(1)).toEqual([message(proto, 'ch', 'from lua')]);
      const refused = await c.call('EVAL', "return redis.call('subscribe', 'ch')", '0');
      expect(refused).toMatch(
        /^-ERR This Redis command is not allowed from script script: [0-9a-f]{40}, on @user_script:1\.\r\n$/,
      );
    });

    it('PUBSUB lists and counts channels, shard channels and patterns, with redis-server errors', async () => {
      const a = await connect(2);
      const b = await connect(3);
      await callN(a, 2, 'SUBSCRIBE', 'news', 'sport');
      await callN(a, 2, 'PSUBSCRIBE', 'n*', 'n*');
      await a.call('SSUBSCRIBE', 'shard1');
      await b.call('SUBSCRIBE', 'news');
      await b.call('PSUBSCRIBE', 'x?');
      const c = await connect(proto);
      expect(sortedArray(await c.call('PUBSUB', 'CHANNELS'))).toBe(array(bulk('news'), bulk('sport')));
      expect(await c.call('PUBSUB', 'CHANNELS', 'n*')).toBe(array(bulk('news')));
      expect(await c.call('PUBSUB', 'CHANNELS', 'none*')).toBe(array());
      expect(await c.call('PUBSUB', 'CHANNELS', 'a', 'b')).toBe(
        error("ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."),
      );
      expect(await c.call('PUBSUB', 'NUMSUB')).toBe(array());
      expect(await c.call('PUBSUB', 'NUMSUB', 'news', 'sport', 'none')).toBe(
        array(bulk('news'), int(2), bulk('sport'), int(1), bulk('none'), int(0)),
      );
      expect(await c.call('PUBSUB', 'NUMPAT')).toBe(int(2));
      expect(await c.call('PUBSUB', 'NUMPAT', 'x')).toBe(ERR.arity('pubsub|numpat'));
      expect(await c.call('PUBSUB', 'SHARDCHANNELS')).toBe(array(bulk('shard1')));
      expect(await c.call('PUBSUB', 'SHARDCHANNELS', 'x*')).toBe(array());
      expect(await c.call('PUBSUB', 'shardchannels', 'a', 'b')).toBe(
        error("ERR unknown subcommand or wrong number of arguments for 'shardchannels'. Try PUBSUB HELP."),
      );
      expect(await c.call('PUBSUB', 'SHARDNUMSUB', 'shard1', 'news')).toBe(
        array(bulk('shard1'), int(1), bulk('news'), int(0)),
      );
      expect(await c.call('PUBSUB')).toBe(ERR.arity('pubsub'));
      expect(await c.call('PUBSUB', 'FOO')).toBe(error("ERR unknown subcommand 'FOO'. Try PUBSUB HELP."));
      expect(await c.call('PUBLISH', 'a')).toBe(ERR.arity('publish'));
      expect(await c.call('SPUBLISH', 'a', 'b', 'c')).toBe(ERR.arity('spublish'));
    });

    it('client-output-buffer-limit: CONFIG SET merges classes, CONFIG GET shows them, errors as redis-server', async () => {
      const c = await connect(proto);
      const get = async (): Promise<string> => c.call('CONFIG', 'GET', 'client-output-buffer-limit');
      const value = (text: string): string =>
        proto === 3
          ? `%1\r\n${bulk('client-output-buffer-limit')}${bulk(text)}`
          : array(bulk('client-output-buffer-limit'), bulk(text));
      const fail = (problem: string): string =>
        error(
          `ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - ${problem} in buffer limit configuration.`,
        );
      try {
        expect(await get()).toBe(
          value('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'),
        );
        expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'Pubsub 1k 2kb 3')).toBe(OK);
        expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'replica 1 1 +5')).toBe(OK);
        expect(await get()).toBe(value('normal 0 0 0 slave 1 1 5 pubsub 1000 2048 3'));
        expect(
          await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 20000000000gb 1 4294967297'),
        ).toBe(OK);
        expect(await get()).toBe(value('normal 3028092406290448384 1 1 slave 1 1 5 pubsub 1000 2048 3'));
        expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', '')).toBe(OK);
        for (const [bad, problem] of [
          ['normal', 'Wrong number of arguments'],
          ['normal  1 1 1', 'Wrong number of arguments'],
          ['master 1 1 1', 'Invalid client class specified'],
          ['bogus 1 1 1', 'Invalid client class specified'],
          ['normal 1.5mb 1 1', 'Error in hard, soft or soft_seconds setting'],
          ['normal 1 -1 1', 'Error in hard, soft or soft_seconds setting'],
          ['normal 1 1 2147483648', 'Error in hard, soft or soft_seconds setting'],
          ['normal 1 1 ""', 'Error in hard, soft or soft_seconds setting'],
          ['pubsub 1 1 1 normal 1 1 x', 'Error in hard, soft or soft_seconds setting'],
        ] as const) {
          expect(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', bad), bad).toBe(fail(problem));
        }
        // A refused value changes no class, not even those before the bad one.
        expect(await get()).toBe(value('normal 3028092406290448384 1 1 slave 1 1 5 pubsub 1000 2048 3'));
      } finally {
        await c.call(
          'CONFIG',
          'SET',
          'client-output-buffer-limit',
          'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
        );
      }
    });
  });
});

/** The name in a `[word, name, count]` confirmation. */
function nameOf(frame: string): string {
  return frame.split('\r\n')[4] ?? '';
}

/** The text of a bulk or verbatim string reply. */
function parseText(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n') + 2, -2);
  return raw.startsWith('=') ? body.slice(4) : body;
}

/** An array of bulk strings with its elements sorted (for replies in the server's hash order). */
function sortedArray(raw: string): string {
  const lines = raw.split('\r\n');
  const items: string[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) items.push(`${lines[i]}\r\n${lines[i + 1]}\r\n`);
  return `${lines[0]}\r\n${items.sort().join('')}`;
}
