/**
 * COMMAND, COMMAND INFO, COMMAND GETKEYS and COMMAND GETKEYSANDFLAGS, differentially: each request goes to
 * redis-server 7.0 and to sluice-server, in RESP2 and RESP3, and the raw reply bytes must be equal, for
 * every command Sluice has. Cluster clients (redis-py's RedisCluster, ioredis's Cluster) read key
 * positions, flags and key specifications from COMMAND, and call COMMAND GETKEYS for the commands whose
 * keys move (EVAL, FCALL).
 *
 * redis-server lists subcommands in the order of its command dictionary, whose hash is seeded at random
 * when it starts: the order changes from one run to the next. So subcommands are compared as a set
 * (sorted by name on both sides) and each one byte for byte; Sluice lists them in name order, the order
 * in which redis-server declares them.
 */
import { ReplyDecoder } from '@sluice/protocol';
import { connectRaw, type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../src/commands/index.js';
import { parse } from './resp.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

/** Every command and subcommand of Sluice's table, as COMMAND LIST names them. */
const NAMES = allCommands.flatMap((d) => [d.spec.name, ...(d.subcommands ?? []).map((s) => s.spec.name)]);

/** Sluice's commands that redis-server 7.0.15 does not have: COMMAND INFO answers null there. */
const NOT_IN_REDIS: Record<string, string> = {
  sluice: "Sluice's own (log mode: POSITION, WAIT, LAG)",
  'sluice|help': "Sluice's own",
  'sluice|lag': "Sluice's own",
  'sluice|position': "Sluice's own",
  'sluice|wait': "Sluice's own",
  'client|setinfo': 'came with redis-server 7.2; clients send it on connect',
};

/** Containers whose subcommands are not redis-server's: their own fields and each subcommand are compared. */
const PARTIAL_CONTAINERS: Record<string, { missing: string[]; extra: string[]; why: string }> = {
  client: {
    missing: ['reply'],
    extra: ['setinfo'],
    why: 'Sluice has no CLIENT REPLY; SETINFO is from 7.2',
  },
  config: { missing: ['rewrite'], extra: [], why: 'Sluice does not rewrite its configuration file' },
  script: { missing: ['debug'], extra: [], why: 'Sluice has no Lua debugger' },
};

/** Known differences, each with its reason: the test expects them to differ, and fails once they agree. */
const KNOWN_DIFFERENCES: Record<string, string> = {};

/** The raw bytes of each element of an aggregate reply (array, set or map), in order. */
function elements(raw: string): string[] {
  const header = raw.indexOf('\r\n') + 2;
  const sizes: number[] = [];
  new ReplyDecoder((_reply, size) => sizes.push(size)).write(Buffer.from(raw.slice(header), 'latin1'));
  const out: string[] = [];
  let at = header;
  for (const size of sizes) {
    out.push(raw.slice(at, at + size));
    at += size;
  }
  return out;
}

/** A COMMAND INFO entry with its subcommands sorted by name (redis-server's order is random). */
function sortSubcommands(entry: string): string {
  const fields = elements(entry);
  const subs = fields[9] as string;
  const sorted = elements(subs).sort((a, b) => {
    const [x, y] = [String(parse(elements(a)[0] as string)), String(parse(elements(b)[0] as string))];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return `${entry.slice(0, entry.indexOf('\r\n') + 2)}${fields.slice(0, 9).join('')}${subs.slice(0, subs.indexOf('\r\n') + 2)}${sorted.join('')}`;
}

/** The names of a COMMAND INFO entry's subcommands, without the container's prefix. */
function subcommandNames(entry: string): string[] {
  return elements(elements(entry)[9] as string)
    .map((sub) => String(parse(elements(sub)[0] as string)).split('|')[1] as string)
    .sort();
}

/** COMMAND GETKEYS and GETKEYSANDFLAGS cases: the command whose keys are asked for, with its arguments. */
const GETKEYS_CASES: readonly (readonly string[])[] = [
  ['GET', 'k'],
  ['get', 'k'],
  ['SET', 'k', 'v'],
  ['SET', 'k', 'v', 'GET'],
  ['SET', 'k', 'v', 'get'],
  ['SET', 'k', 'v', 'EX', '10', 'NX', 'GET'],
  ['SET', 'k', 'v', 'PX', '100', 'XX'],
  ['SET', 'k', 'v', 'KEEPTTL'],
  ['GETEX', 'k', 'PERSIST'],
  ['GETDEL', 'k'],
  ['GETSET', 'k', 'v'],
  ['APPEND', 'k', 'v'],
  ['INCRBYFLOAT', 'k', '1.5'],
  ['SETRANGE', 'k', '3', 'v'],
  ['MSET', 'a', '1', 'b', '2', 'c', '3'],
  ['MSET', 'a', '1', 'b'],
  ['MSETNX', 'a', '1', 'b', '2'],
  ['MGET', ...Array.from({ length: 40 }, (_, i) => `key:${i}`)],
  ['DEL', 'a', 'b', 'c'],
  ['UNLINK', 'a'],
  ['EXISTS', 'a', 'a', 'b'],
  ['TOUCH', 'a', 'b'],
  ['RENAME', 'a', 'b'],
  ['RENAMENX', 'a', 'b'],
  ['COPY', 'a', 'b'],
  ['COPY', 'a', 'b', 'DB', '1', 'REPLACE'],
  ['MOVE', 'a', '1'],
  ['LCS', 'a', 'b'],
  ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '2', 'WITHMATCHLEN'],
  ['EXPIRE', 'k', '10', 'NX'],
  ['PEXPIREAT', 'k', '1000'],
  ['TTL', 'k'],
  ['TYPE', 'k'],
  ['PERSIST', 'k'],
  ['WATCH', 'a', 'b', 'c'],
  ['OBJECT', 'ENCODING', 'k'],
  ['object', 'freq', 'k'],
  ['OBJECT', 'REFCOUNT', 'k'],
  ['OBJECT', 'IDLETIME', 'k'],
  ['EVAL', 'return 1', '0'],
  ['EVAL', 'return 1', '0', 'arg'],
  ['EVAL', 'return KEYS', '2', 'k1', 'k2', 'a1'],
  ['EVAL', 'return KEYS', '2', 'k1', 'k2'],
  ['EVAL', 'return KEYS', '3', 'k1', 'k2'],
  ['EVAL', 'return KEYS', '-1', 'k1'],
  ['EVAL', 'return KEYS', 'x', 'k1'],
  ['EVAL', 'return KEYS', '2abc', 'k1', 'k2'],
  ['EVAL', 'return KEYS', ' 1', 'k1'],
  ['EVAL', 'return KEYS', '+1', 'k1'],
  ['EVAL', 'return KEYS', '01', 'k1'],
  ['EVAL', 'return KEYS', '4294967297', 'k1'],
  ['EVAL', 'return KEYS', '-0', 'k1'],
  ['EVAL', 'return KEYS', '99999999999999999999', 'k1'],
  ['EVAL', 'return KEYS', '1\u00002', 'k1'],
  ['SET', 'k', 'v', 'get\u0000x'],
  ['SET', 'k', 'v', 'getx'],
  // Sorted-set operations: numkeys keys, and the destination first; a count the key specifications
  // cannot read (atoi can: `01`, `+2`, ` 2`, `2x`) takes redis-server's key function, destination last.
  ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
  ['ZINTER', '1', 'a', 'WEIGHTS', '2'],
  ['ZDIFF', '3', 'a', 'b'],
  ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
  ['ZUNIONSTORE', 'd', '2', 'a', 'b'],
  ['ZINTERSTORE', 'd', '1', 'a', 'WEIGHTS', '2'],
  ['ZDIFFSTORE', 'd', '0', 'a'],
  ['ZDIFFSTORE', 'd', '-1', 'a'],
  ['ZUNIONSTORE', 'd', 'x', 'a'],
  ['ZUNIONSTORE', 'd', '01', 'a'],
  ['ZINTERSTORE', 'd', '2x', 'a', 'b'],
  ['ZUNIONSTORE', 'd', '3x', 'a', 'b'],
  ['ZUNION', '+2', 'a', 'b'],
  ['ZINTER', ' 1', 'a'],
  ['ZDIFF', '01', 'a'],
  ['ZINTERCARD', '01', 'a'],
  ['ZUNION', '4294967297', 'a'],
  ['SINTERCARD', '01', 'a'],
  ['LMPOP', '01', 'a', 'LEFT'],
  ['BLMPOP', '0', '01', 'a', 'LEFT'],
  // SORT: the key, and the destination of the last STORE, options skipped by their number of values.
  ['SORT', 'k'],
  ['SORT', 'k', 'STORE', 'd'],
  ['SORT', 'k', 'BY', 'w_*', 'LIMIT', '0', '1', 'GET', '#', 'ALPHA', 'STORE', 'd', 'DESC'],
  ['SORT', 'k', 'STORE', 'd1', 'STORE', 'd2'],
  ['SORT', 'k', 'GET', 'store', 'd'],
  ['SORT', 'k', 'LIMIT', 'store', 'x', 'STORE'],
  ['SORT', 'k', 'STORE', 'limit', 'a', 'b'],
  ['SORT', 'k', 'store\u0000x', 'd'],
  ['SORT_RO', 'k', 'STORE', 'd'],
  ['SORT_RO', 'k', 'BY', 'w_*'],
  ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '1', 'k'],
  ['EVAL_RO', 'return 1', '1', 'k'],
  ['EVALSHA_RO', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
  ['FCALL', 'f', '1', 'k', 'a'],
  ['FCALL', 'f', '0'],
  ['FCALL', 'f', '2', 'k'],
  ['FCALL_RO', 'f', '2', 'a', 'b'],
  // Errors: no such command or subcommand, no keys, a wrong number of arguments.
  ['NOSUCH', 'a', 'b'],
  ['config|get', 'x'],
  ['OBJECT', 'NOSUCH', 'k'],
  ['OBJECT', 'encoding|x', 'k'],
  ['PING', 'x'],
  ['ECHO', 'x'],
  ['KEYS', '*'],
  ['SCAN', '0'],
  ['CONFIG', 'GET', 'x'],
  ['CLIENT', 'LIST', 'x'],
  ['OBJECT', 'HELP'],
  ['FUNCTION', 'LIST', 'x'],
  ['GET', 'a', 'b'],
  ['MSET', 'a'],
  ['EXPIRE', 'k'],
  ['OBJECT', 'ENCODING', 'a', 'b'],
  ['EVAL', 'x'],
  ['COPY', 'a'],
];

describe('COMMAND against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  beforeAll(async () => {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  it('COMMAND LIST names every command and subcommand of the table', async () => {
    const s = await connectRaw(sluice.port);
    const listed = parse(await s.call('COMMAND', 'LIST')) as string[];
    await s.close();
    expect([...listed].sort()).toEqual([...NAMES].sort());
  });

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let r: RawClient;
    let s: RawClient;
    beforeEach(async () => {
      r = await connectRaw(redis.port);
      s = await connectRaw(sluice.port);
      if (proto === 3) for (const c of [r, s]) await c.call('HELLO', '3');
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    const info = async (c: RawClient, name: string): Promise<string> =>
      elements(await c.call('COMMAND', 'INFO', name))[0] as string;

    for (const name of NAMES) {
      const known = KNOWN_DIFFERENCES[name];
      const partial = PARTIAL_CONTAINERS[name];
      const title = `COMMAND INFO ${name}${known ? ` (known difference: ${known})` : ''}`;
      (known ? it.fails : it)(title, async () => {
        const [expected, actual] = [await info(r, name), await info(s, name)];
        expect(actual, `sluice-server has no ${name}`).toMatch(/^\*10\r\n/);
        if (name in NOT_IN_REDIS) {
          expect(expected).toBe(proto === 3 ? '_\r\n' : '$-1\r\n');
          return;
        }
        if (partial === undefined) {
          expect({ name, reply: sortSubcommands(actual) }).toEqual({
            name,
            reply: sortSubcommands(expected),
          });
          return;
        }
        // The container's own fields agree; its subcommands are compared one by one (COMMAND INFO x|y).
        expect(elements(actual).slice(0, 9)).toEqual(elements(expected).slice(0, 9));
        const [theirs, ours] = [subcommandNames(expected), subcommandNames(actual)];
        expect(theirs.filter((n) => !ours.includes(n))).toEqual(partial.missing);
        expect(ours.filter((n) => !theirs.includes(n))).toEqual(partial.extra);
      });
    }

    it('COMMAND INFO of several names, unknown ones included', async () => {
      const args = ['COMMAND', 'INFO', 'get', 'nosuch', 'SET', 'config|get', 'eval'];
      expect(await s.call(...args)).toBe(await r.call(...args));
    });

    it('COMMAND lists every command once, each as COMMAND INFO describes it', async () => {
      const all = elements(await s.call('COMMAND'));
      expect(await s.call('COMMAND', 'COUNT')).toBe(`:${all.length}\r\n`);
      const names = all.map((entry) => String(parse(elements(entry)[0] as string)));
      expect(names).toEqual(allCommands.map((d) => d.spec.name).sort((a, b) => a.localeCompare(b)));
      for (const [i, name] of names.entries()) expect(all[i], name).toBe(await info(s, name));
    });

    it('COMMAND HELP', async () => {
      expect(await s.call('COMMAND', 'HELP')).toBe(await r.call('COMMAND', 'HELP'));
    });

    it('COMMAND LIST FILTERBY ACLCAT: the categories agree', async () => {
      const inRedis = NAMES.filter((n) => !(n in NOT_IN_REDIS));
      const categories = ['keyspace', 'read', 'write', 'string', 'admin', 'fast', 'slow', 'dangerous'];
      for (const category of [...categories, 'connection', 'transaction', 'scripting', 'nosuchcategory']) {
        const list = async (c: RawClient): Promise<string[]> =>
          (parse(await c.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', category)) as string[]).sort();
        const theirs = (await list(r)).filter((n) => inRedis.includes(n));
        const ours = (await list(s)).filter((n) => inRedis.includes(n));
        expect({ category, ours }).toEqual({ category, ours: theirs });
      }
    });

    it.each(GETKEYS_CASES.map((args) => [args.join(' '), args] as const))(
      'COMMAND GETKEYS / GETKEYSANDFLAGS %s',
      async (_title, args) => {
        for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
          const call = ['COMMAND', sub, ...args];
          expect({ call, reply: await s.call(...call) }).toEqual({ call, reply: await r.call(...call) });
        }
      },
    );

    it('COMMAND GETKEYS with too few arguments', async () => {
      for (const call of [
        ['COMMAND', 'GETKEYS'],
        ['COMMAND', 'GETKEYS', 'get'],
        ['COMMAND', 'GETKEYSANDFLAGS', 'nosuch'],
      ]) {
        expect({ call, reply: await s.call(...call) }).toEqual({ call, reply: await r.call(...call) });
      }
    });
  });
});
