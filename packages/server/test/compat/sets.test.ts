/**
 * Sets, differentially: each case runs on redis-server 7 and on sluice-server, in RESP2 and RESP3, and
 * the raw reply bytes must be equal. Replies whose order Redis leaves to its hash table (a set past its
 * intset encoding) are compared with their members sorted; replies Redis picks at random are compared by
 * their header (type and length) only. Covers every set command with its options and errors, WRONGTYPE
 * both ways with strings, OBJECT ENCODING's intset → hashtable conversions (by a non-integer, by size,
 * and the encodings of the *STORE, SMOVE and SPOP results), the generic commands on sets, MULTI/EXEC,
 * big sets, and a seeded random sequence on both servers.
 */
import { connectRaw, type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkTexts, header, random, sortedReply } from './differential.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Args = readonly (string | Buffer)[];
/** How a step's replies are compared: byte for byte, with sorted members, or by header only. */
type Step = Args | { readonly sorted: Args } | { readonly shape: Args };

const sorted = (...args: string[]): Step => ({ sorted: args });
const shape = (...args: string[]): Step => ({ shape: args });

/** `SADD key 1 2 … n`. */
const range = (key: string, from: number, to: number): string[] => {
  const out = ['SADD', key];
  for (let i = from; i <= to; i++) out.push(String(i));
  return out;
};

const LLONG_MAX = '9223372036854775807';
const LLONG_MIN = '-9223372036854775808';

const CASES: Record<string, readonly Step[]> = {
  'SADD, SCARD, SISMEMBER, SMISMEMBER and SREM on an intset': [
    ['SADD', 's', '3', '1', '2'],
    ['SADD', 's', '2', '4', '4'],
    ['SCARD', 's'],
    ['SMEMBERS', 's'],
    ['SISMEMBER', 's', '2'],
    ['SISMEMBER', 's', '5'],
    ['SISMEMBER', 's', 'x'],
    ['SISMEMBER', 'missing', '1'],
    ['SMISMEMBER', 's', '1', 'x', '4', '9', '1'],
    ['SMISMEMBER', 'missing', 'a', 'b'],
    ['SREM', 's', '1', '7', 'x'],
    ['SREM', 's', '1'],
    ['SREM', 'missing', '1'],
    ['SMEMBERS', 's'],
    ['OBJECT', 'ENCODING', 's'],
    ['TYPE', 's'],
    // SREM stops at the member that empties the set (the key is gone).
    ['SREM', 's', '2', '3', '4', '5'],
    ['EXISTS', 's'],
    ['SCARD', 's'],
    ['SMEMBERS', 's'],
    ['SADD', 's'],
    ['SCARD', 's', 'x'],
  ],
  'intset order: integers as string2ll reads them, ascending by value': [
    ['SADD', 'n', '10', '-5', '0', LLONG_MAX, LLONG_MIN, '-10', '9', '100', '-1', '99'],
    ['SMEMBERS', 'n'],
    ['OBJECT', 'ENCODING', 'n'],
    ['SSCAN', 'n', '0'],
    ['SINTER', 'n'],
    ['SUNION', 'n', 'missing'],
    ['SDIFF', 'n', 'missing'],
    ['SRANDMEMBER', 'n', '100'],
    ['SADD', 'z', '0', '-0'],
    ['OBJECT', 'ENCODING', 'z'],
    ['SADD', 'a', '01'],
    ['OBJECT', 'ENCODING', 'a'],
    ['SADD', 'b', '+1'],
    ['OBJECT', 'ENCODING', 'b'],
    ['SADD', 'c', '9223372036854775808'],
    ['OBJECT', 'ENCODING', 'c'],
    ['SADD', 'd', '-9223372036854775809'],
    ['OBJECT', 'ENCODING', 'd'],
    ['SADD', 'e', '1.0'],
    ['OBJECT', 'ENCODING', 'e'],
    ['SADD', 'f', ' 1'],
    ['OBJECT', 'ENCODING', 'f'],
    ['SADD', 'g', ''],
    ['OBJECT', 'ENCODING', 'g'],
    ['SMEMBERS', 'g'],
    ['SISMEMBER', 'n', '-0'],
    ['SISMEMBER', 'n', '010'],
    ['SISMEMBER', 'n', LLONG_MIN],
  ],
  'a non-integer member makes a hashtable, for good': [
    ['SADD', 'h', '1', '2', '3'],
    ['OBJECT', 'ENCODING', 'h'],
    ['SADD', 'h', 'x'],
    ['OBJECT', 'ENCODING', 'h'],
    sorted('SMEMBERS', 'h'),
    ['SREM', 'h', 'x'],
    ['OBJECT', 'ENCODING', 'h'],
    sorted('SMEMBERS', 'h'),
    ['SADD', 'h2', 'x', '1'],
    ['OBJECT', 'ENCODING', 'h2'],
    ['SADD', 'h3', 'a', 'b', 'c', 'd'],
    sorted('SMEMBERS', 'h3'),
    ['SISMEMBER', 'h3', 'c'],
    ['SMISMEMBER', 'h3', 'a', 'z', 'd'],
    ['SADD', 'bin', Buffer.from([0, 0xff, 0x0d, 0x0a]), 'x'.repeat(3000)],
    ['SISMEMBER', 'bin', Buffer.from([0, 0xff, 0x0d, 0x0a])],
    ['SISMEMBER', 'bin', 'x'.repeat(3000)],
    ['SISMEMBER', 'bin', 'x'.repeat(2999)],
    sorted('SMEMBERS', 'bin'),
    ['SREM', 'bin', 'x'.repeat(3000)],
    ['SCARD', 'bin'],
  ],
  'set-max-intset-entries: past it a set is a hashtable, for good': [
    ['CONFIG', 'SET', 'set-max-intset-entries', '4'],
    ['SADD', 'a', '1', '2', '3', '4'],
    ['OBJECT', 'ENCODING', 'a'],
    ['SADD', 'a', '4'],
    ['OBJECT', 'ENCODING', 'a'],
    ['SADD', 'a', '5'],
    ['OBJECT', 'ENCODING', 'a'],
    ['SREM', 'a', '5', '4'],
    ['OBJECT', 'ENCODING', 'a'],
    sorted('SMEMBERS', 'a'),
    // A new set built from a hashtable of few integers is an intset, listed in order.
    ['SUNION', 'a'],
    ['SDIFF', 'a', 'missing'],
    ['SINTERSTORE', 'a2', 'a', 'a'],
    ['OBJECT', 'ENCODING', 'a2'],
    ['SPOP', 'a', '3'],
    ['SADD', 'b', '1', '2', '3', '4', '5', '6'],
    ['OBJECT', 'ENCODING', 'b'],
    // Lowered below a set's size: it stays an intset until an integer is added.
    ['SADD', 'c', '1', '2', '3'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '2'],
    ['OBJECT', 'ENCODING', 'c'],
    ['SADD', 'c', '3'],
    ['OBJECT', 'ENCODING', 'c'],
    ['SADD', 'c', '0'],
    ['OBJECT', 'ENCODING', 'c'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '0'],
    ['SADD', 'z', '5'],
    ['OBJECT', 'ENCODING', 'z'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
  ],
  'SMEMBERS, SINTER, SUNION, SDIFF: sets in RESP3, intset order, missing keys': [
    ['SADD', 'a', '5', '1', '3', '7'],
    ['SADD', 'b', '3', '7', '9'],
    ['SADD', 'c', '7', 'x', '3'],
    ['SMEMBERS', 'missing'],
    ['SINTER', 'a', 'b'],
    ['SINTER', 'b', 'a'],
    ['SINTER', 'a', 'b', 'c'],
    ['SINTER', 'a', 'a'],
    ['SINTER', 'a', 'missing'],
    ['SINTER', 'missing', 'a'],
    ['SINTER', 'missing'],
    sorted('SINTER', 'c', 'c'),
    ['SUNION', 'a', 'b'],
    ['SUNION', 'missing', 'b', 'missing'],
    ['SUNION', 'missing'],
    sorted('SUNION', 'a', 'c'),
    ['SDIFF', 'a', 'b'],
    ['SDIFF', 'a', 'missing', 'c'],
    ['SDIFF', 'a', 'a'],
    ['SDIFF', 'a', 'b', 'a'],
    ['SDIFF', 'missing', 'a'],
    ['SDIFF', 'c', 'a'],
    ['SDIFF', 'a'],
  ],
  'SINTERCARD: numkeys, LIMIT and their errors': [
    ['SADD', 'a', '1', '2', '3', '4', '5'],
    ['SADD', 'b', '2', '3', '4', '5', '6', 'x'],
    ['SINTERCARD', '2', 'a', 'b'],
    ['SINTERCARD', '1', 'a'],
    ['SINTERCARD', '2', 'a', 'missing'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '2'],
    ['SINTERCARD', '2', 'a', 'b', 'limit', '0'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '100'],
    ['SINTERCARD', '1', 'a', 'LIMIT', '1', 'LIMIT', '3'],
    ['SINTERCARD', '0', 'a'],
    ['SINTERCARD', '-1', 'a'],
    ['SINTERCARD', 'x', 'a'],
    ['SINTERCARD', '99999999999999999999', 'a'],
    ['SINTERCARD', '3', 'a', 'b'],
    ['SINTERCARD', '1', 'a', 'LIMIT'],
    ['SINTERCARD', '1', 'a', 'LIMIT', '-1'],
    ['SINTERCARD', '1', 'a', 'LIMIT', 'x'],
    ['SINTERCARD', '1', 'missing', 'LIMIT', '-1'],
    ['SINTERCARD', '1', 'a', 'foo', '1'],
    ['SINTERCARD', '1', 'a', 'b'],
    ['SINTERCARD', '1'],
  ],
  'SINTERSTORE, SUNIONSTORE, SDIFFSTORE: overwrite any type, drop the TTL, delete on empty': [
    ['SADD', 'a', '1', '2', '3'],
    ['SADD', 'b', '2', '3', '4'],
    ['SET', 'dst', 'string'],
    ['EXPIRE', 'dst', '100'],
    ['SINTERSTORE', 'dst', 'a', 'b'],
    ['TYPE', 'dst'],
    ['TTL', 'dst'],
    ['SMEMBERS', 'dst'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['SUNIONSTORE', 'dst', 'a', 'b'],
    ['SMEMBERS', 'dst'],
    ['SDIFFSTORE', 'dst', 'a', 'b'],
    ['SMEMBERS', 'dst'],
    ['SINTERSTORE', 'dst', 'a', 'missing'],
    ['EXISTS', 'dst'],
    ['SET', 'dst', 'v'],
    ['SUNIONSTORE', 'dst', 'missing'],
    ['EXISTS', 'dst'],
    ['SET', 'dst', 'v'],
    ['SDIFFSTORE', 'dst', 'a', 'a'],
    ['EXISTS', 'dst'],
    ['SDIFFSTORE', 'dst', 'missing', 'a'],
    ['EXISTS', 'dst'],
    // The destination among the sources.
    ['SUNIONSTORE', 'a', 'a', 'b'],
    ['SMEMBERS', 'a'],
    ['SINTERSTORE', 'a', 'a', 'b'],
    ['SMEMBERS', 'a'],
    ['SDIFFSTORE', 'b', 'b', 'a'],
    ['SMEMBERS', 'b'],
    ['SINTERSTORE', 'x', 'b', 'missing'],
    ['SET', 's', 'v'],
    ['SINTERSTORE', 'x', 's', 'a'],
    ['SINTERSTORE', 'x', 'missing', 's'],
    ['SUNIONSTORE', 'x', 'a', 's'],
    ['SDIFFSTORE', 'x', 'missing', 's'],
    ['EXISTS', 'x'],
    ['SINTERSTORE', 'x'],
  ],
  'encodings of the *STORE results (set-max-intset-entries 4)': [
    ['CONFIG', 'SET', 'set-max-intset-entries', '4'],
    ['SADD', 'h', '1', '2', '3', 'x'],
    ['SADD', 'i', '1', '2', '3', '4'],
    ['SINTERSTORE', 'd1', 'h', 'i'],
    ['OBJECT', 'ENCODING', 'd1'],
    ['SMEMBERS', 'd1'],
    ['SUNIONSTORE', 'd2', 'i'],
    ['OBJECT', 'ENCODING', 'd2'],
    ['SUNIONSTORE', 'd3', 'i', 'h'],
    ['OBJECT', 'ENCODING', 'd3'],
    ['SDIFFSTORE', 'd4', 'h', 'i'],
    ['OBJECT', 'ENCODING', 'd4'],
    ['SMEMBERS', 'd4'],
    ['SADD', 'big', '1', '2', '3', '4', '5', '6', '7'],
    ['OBJECT', 'ENCODING', 'big'],
    ['SDIFFSTORE', 'd5', 'big', 'i'],
    ['OBJECT', 'ENCODING', 'd5'],
    ['SMEMBERS', 'd5'],
    ['SDIFF', 'big', 'i'],
    ['SINTERSTORE', 'd6', 'big', 'big'],
    ['OBJECT', 'ENCODING', 'd6'],
    range('x', 1, 13),
    ['SADD', 'p1', '1', '2', '3'],
    ['SADD', 'p2', '4', '5', '6'],
    ['SADD', 'p3', '7', '8', '9'],
    ['SADD', 'p4', '10', '11', '12'],
    // Redis's second difference algorithm adds the whole first set: a hashtable, even for one member.
    ['SDIFFSTORE', 'd7', 'x', 'p1', 'p2', 'p3', 'p4'],
    ['OBJECT', 'ENCODING', 'd7'],
    ['SMEMBERS', 'd7'],
    ['SDIFF', 'x', 'p1', 'p2', 'p3', 'p4'],
    ['SDIFFSTORE', 'd8', 'x', 'p1', 'i', 'p3'],
    ['OBJECT', 'ENCODING', 'd8'],
    sorted('SMEMBERS', 'd8'),
    ['SDIFFSTORE', 'd9', 'x', 'p1', 'p2', 'p3'],
    ['OBJECT', 'ENCODING', 'd9'],
    sorted('SMEMBERS', 'd9'),
    ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
  ],
  SMOVE: [
    ['SADD', 'src', '1', '2', 'x'],
    ['SADD', 'dst', '5'],
    ['SMOVE', 'src', 'dst', '1'],
    ['SMOVE', 'src', 'dst', '1'],
    ['SMEMBERS', 'dst'],
    ['SMOVE', 'src', 'dst', 'x'],
    ['OBJECT', 'ENCODING', 'dst'],
    sorted('SMEMBERS', 'dst'),
    ['SMOVE', 'src', 'new', '2'],
    ['EXISTS', 'src'],
    ['SMEMBERS', 'new'],
    ['OBJECT', 'ENCODING', 'new'],
    ['SADD', 'src', 'y', 'z'],
    ['SMOVE', 'src', 'new2', 'y'],
    ['OBJECT', 'ENCODING', 'new2'],
    ['SMOVE', 'src', 'src', 'z'],
    ['SMOVE', 'src', 'src', 'nope'],
    ['SMEMBERS', 'src'],
    ['SADD', 'dup', 'z'],
    ['SMOVE', 'src', 'dup', 'z'],
    ['EXISTS', 'src'],
    ['SMEMBERS', 'dup'],
    ['SET', 'str', 'v'],
    ['SMOVE', 'missing', 'str', 'a'],
    ['SMOVE', 'dup', 'str', 'z'],
    ['SMOVE', 'str', 'dup', 'z'],
    ['SMOVE', 'dup', 'missing2', 'nope'],
    ['EXISTS', 'missing2'],
    ['SMEMBERS', 'dup'],
    ['SMOVE', 'dup', 'x'],
  ],
  'SPOP: counts, errors, and what it leaves': [
    ['SPOP', 'missing'],
    ['SPOP', 'missing', '3'],
    ['SPOP', 'missing', '0'],
    ['SPOP', 'missing', '-1'],
    ['SPOP', 'missing', 'x'],
    ['SPOP', 'missing', '99999999999999999999'],
    ['SPOP', 'missing', LLONG_MAX],
    ['SADD', 's', '1', '2', '3'],
    ['SPOP', 's', '1', '2'],
    ['SPOP', 's', '-1'],
    ['SPOP', 's', '0'],
    shape('SPOP', 's'),
    ['SCARD', 's'],
    shape('SPOP', 's', '1'),
    ['SCARD', 's'],
    ['SADD', 'one', 'only'],
    ['SPOP', 'one'],
    ['EXISTS', 'one'],
    ['SADD', 'one', 'only'],
    ['SPOP', 'one', '1'],
    ['EXISTS', 'one'],
    // The whole set: listed as a new set of those members (ascending when it can be an intset).
    ['SADD', 'w', '5', '3', '1', '7'],
    ['SPOP', 'w', '4'],
    ['EXISTS', 'w'],
    ['SADD', 'w', '5', '3', '1', '7'],
    ['SPOP', 'w', '100'],
    ['SADD', 'w', 'a', 'b'],
    sorted('SPOP', 'w', '2'),
    ['EXISTS', 'w'],
    ['SET', 'str', 'v'],
    ['SPOP', 'str'],
    ['SPOP', 'str', '1'],
    ['SPOP', 'str', '-1'],
  ],
  'SPOP leaves a new set when few members stay: its encoding is chosen afresh': [
    ['CONFIG', 'SET', 'set-max-intset-entries', '4'],
    range('q', 1, 12),
    ['OBJECT', 'ENCODING', 'q'],
    // 2 members stay, 10 go (2 × 5 ≤ 10): a new intset.
    shape('SPOP', 'q', '10'),
    ['SCARD', 'q'],
    ['OBJECT', 'ENCODING', 'q'],
    range('r', 1, 12),
    // 10 stay (10 × 5 > 2): the set is kept, a hashtable.
    shape('SPOP', 'r', '2'),
    ['SCARD', 'r'],
    ['OBJECT', 'ENCODING', 'r'],
    range('t', 1, 6),
    ['SADD', 't', 'x'],
    ['SREM', 't', 'x'],
    shape('SPOP', 't', '5'),
    ['OBJECT', 'ENCODING', 't'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
  ],
  'SRANDMEMBER: counts, errors': [
    ['SRANDMEMBER', 'missing'],
    ['SRANDMEMBER', 'missing', '3'],
    ['SRANDMEMBER', 'missing', '-3'],
    ['SRANDMEMBER', 'missing', '0'],
    ['SRANDMEMBER', 'missing', 'x'],
    ['SRANDMEMBER', 'missing', '99999999999999999999'],
    ['SRANDMEMBER', 'missing', LLONG_MIN],
    ['SRANDMEMBER', 'missing', '-9223372036854775807'],
    ['SADD', 's', '9', '3', '5'],
    ['SRANDMEMBER', 's', '1', '2'],
    ['SRANDMEMBER', 's', LLONG_MIN],
    ['SRANDMEMBER', 's', '0'],
    ['SRANDMEMBER', 's', '3'],
    ['SRANDMEMBER', 's', '100'],
    ['SRANDMEMBER', 's', LLONG_MAX],
    shape('SRANDMEMBER', 's'),
    shape('SRANDMEMBER', 's', '1'),
    shape('SRANDMEMBER', 's', '2'),
    shape('SRANDMEMBER', 's', '-7'),
    ['SADD', 'one', 'm'],
    ['SRANDMEMBER', 'one'],
    ['SRANDMEMBER', 'one', '-4'],
    ['SRANDMEMBER', 'one', '1'],
    ['SADD', 'h', 'a', 'b', 'c'],
    sorted('SRANDMEMBER', 'h', '3'),
    sorted('SRANDMEMBER', 'h', '10'),
    shape('SRANDMEMBER', 'h', '-10'),
    ['SCARD', 's'],
    ['SET', 'str', 'v'],
    ['SRANDMEMBER', 'str'],
    ['SRANDMEMBER', 'str', '2'],
  ],
  'SSCAN: an intset comes whole; cursor and option errors': [
    ['SADD', 's', '3', '1', '2', '-5', '10'],
    ['SSCAN', 's', '0'],
    ['SSCAN', 's', '5'],
    ['SSCAN', 's', '-1'],
    ['SSCAN', 's', '0', 'COUNT', '1'],
    ['SSCAN', 's', '0', 'MATCH', '1*'],
    ['SSCAN', 's', '0', 'match', '*', 'count', '2'],
    ['SSCAN', 's', '0', 'COUNT', '0'],
    ['SSCAN', 's', '0', 'COUNT', 'x'],
    ['SSCAN', 's', '0', 'COUNT'],
    ['SSCAN', 's', '0', 'TYPE', 'set'],
    ['SSCAN', 's', '0', 'bogus', 'x'],
    ['SSCAN', 's', 'x'],
    ['SSCAN', 's', '18446744073709551616'],
    ['SSCAN', 'missing', 'x'],
    ['SSCAN', 'missing', '0', 'COUNT', '0'],
    ['SSCAN', 'missing', '0', 'bogus'],
    ['SADD', 'h', 'a', 'b', 'c', 'ab'],
    sorted('SSCAN', 'h', '0', 'COUNT', '100'),
    sorted('SSCAN', 'h', '0', 'MATCH', 'a*', 'COUNT', '100'),
    ['SSCAN', 'h', '0', 'COUNT', '0'],
    ['SET', 'str', 'v'],
    ['SSCAN', 'str', '0', 'bogus'],
    ['SSCAN', 'str', 'x'],
    ['SSCAN', 's'],
  ],
  'WRONGTYPE against a string key, and string commands against a set': [
    ['SET', 'str', 'v'],
    ['SADD', 'str', 'a'],
    ['SREM', 'str', 'a'],
    ['SCARD', 'str'],
    ['SISMEMBER', 'str', 'a'],
    ['SMISMEMBER', 'str', 'a'],
    ['SMEMBERS', 'str'],
    ['SINTER', 'str'],
    ['SINTER', 'missing', 'str'],
    ['SINTERCARD', '2', 'missing', 'str'],
    ['SINTERSTORE', 'd', 'missing', 'str'],
    ['SUNION', 'missing', 'str'],
    ['SUNIONSTORE', 'd', 'str'],
    ['SDIFF', 'missing', 'str'],
    ['SDIFFSTORE', 'd', 'str'],
    ['SPOP', 'str'],
    ['SRANDMEMBER', 'str'],
    ['SSCAN', 'str', '0'],
    ['SMOVE', 'str', 'd', 'a'],
    ['SADD', 'set', 'a'],
    ['GET', 'set'],
    ['APPEND', 'set', 'x'],
    ['INCR', 'set'],
    ['STRLEN', 'set'],
    ['GETRANGE', 'set', '0', '1'],
    ['MGET', 'set', 'str'],
    ['SET', 'set', 'now a string'],
    ['GET', 'set'],
    ['SCARD', 'set'],
  ],
  'generic commands on sets: TYPE, DEL, EXISTS, EXPIRE, RENAME, COPY, MOVE, SCAN TYPE': [
    ['SADD', 's', '3', '1', '2'],
    ['SADD', 'h', 'a', 'b'],
    ['TYPE', 's'],
    ['EXISTS', 's', 'h', 'missing'],
    ['EXPIRE', 's', '100'],
    ['TTL', 's'],
    ['SADD', 's', '4'],
    ['TTL', 's'],
    ['SREM', 's', '4'],
    ['TTL', 's'],
    ['PERSIST', 's'],
    ['TTL', 's'],
    ['COPY', 's', 's2'],
    ['SMEMBERS', 's2'],
    ['OBJECT', 'ENCODING', 's2'],
    ['COPY', 'h', 'h2'],
    ['OBJECT', 'ENCODING', 'h2'],
    sorted('SMEMBERS', 'h2'),
    ['SADD', 's2', '9'],
    ['SMEMBERS', 's'],
    ['SMEMBERS', 's2'],
    ['COPY', 's', 's2'],
    ['COPY', 's', 's2', 'REPLACE'],
    ['SMEMBERS', 's2'],
    ['RENAME', 's2', 's3'],
    ['EXISTS', 's2'],
    ['SMEMBERS', 's3'],
    ['RENAMENX', 's3', 's'],
    ['MOVE', 's3', '1'],
    ['EXISTS', 's3'],
    ['SELECT', '1'],
    ['SMEMBERS', 's3'],
    ['SADD', 's3', '7'],
    ['SCARD', 's3'],
    ['SELECT', '0'],
    ['SET', 'str', 'v'],
    sorted('SCAN', '0', 'TYPE', 'set', 'COUNT', '100'),
    sorted('SCAN', '0', 'TYPE', 'string', 'COUNT', '100'),
    sorted('KEYS', '*'),
    ['DEL', 's', 'h', 'missing'],
    ['EXISTS', 's', 'h'],
    ['SMEMBERS', 's'],
    ['DBSIZE'],
    ['SADD', 'e', 'x'],
    ['PEXPIREAT', 'e', '1'],
    ['EXISTS', 'e'],
    ['SCARD', 'e'],
    ['SADD', 'e', 'y'],
    ['TTL', 'e'],
    ['SMEMBERS', 'e'],
  ],
  'MULTI/EXEC mixing sets and strings': [
    ['MULTI'],
    ['SADD', 'm', '3', '1', '2'],
    ['SET', 'str', 'x'],
    ['SADD', 'str', 'a'],
    ['SMEMBERS', 'm'],
    ['SREM', 'm', '2'],
    ['SINTERSTORE', 'm2', 'm', 'm'],
    ['SMOVE', 'm', 'm2', '3'],
    ['SCARD', 'm2'],
    ['GET', 'str'],
    ['SUNION', 'm', 'm2'],
    ['EXEC'],
    ['SMEMBERS', 'm2'],
  ],
};

describe('sets against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  beforeAll(async () => {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let r: RawClient;
    let s: RawClient;
    beforeEach(async () => {
      r = await connectRaw(redis.port);
      s = await connectRaw(sluice.port);
      for (const c of [r, s]) {
        await c.call('FLUSHALL');
        await c.call('CONFIG', 'SET', 'set-max-intset-entries', '512');
        if (proto === 3) await c.call('HELLO', '3');
      }
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    /** Sends one step to both servers and compares the replies as the step says. */
    async function compare(step: Step, label: unknown = undefined): Promise<void> {
      const args = 'sorted' in step ? step.sorted : 'shape' in step ? step.shape : step;
      const [expected, actual] = [await r.call(...args), await s.call(...args)];
      const view = 'sorted' in step ? sortedReply : 'shape' in step ? header : (raw: string) => raw;
      const name = args.map((a) => (a.length > 40 ? `${String(a).slice(0, 40)}…` : String(a)));
      expect({ label, step: name, reply: view(actual) }).toEqual({
        label,
        step: name,
        reply: view(expected),
      });
    }

    it.each(Object.entries(CASES))('%s', async (_name, steps) => {
      for (const step of steps) await compare(step);
    });

    it('SSCAN over a hashtable visits every member once, with or without MATCH', async () => {
      const members = Array.from({ length: 300 }, (_, i) => `m${i}`);
      for (const c of [r, s]) await c.call('SADD', 'h', ...members, 'x');
      for (const options of [[], ['COUNT', '7'], ['MATCH', 'm1*', 'COUNT', '20']]) {
        const seen: string[][] = [];
        for (const c of [r, s]) {
          const found: string[] = [];
          let cursor = '0';
          let calls = 0;
          do {
            const reply = await c.call('SSCAN', 'h', cursor, ...options);
            const [next, ...items] = bulkTexts(reply);
            cursor = next as string;
            found.push(...items);
            expect(++calls).toBeLessThan(1000);
          } while (cursor !== '0');
          seen.push([...new Set(found)].sort());
        }
        expect(seen[1]).toEqual(seen[0]);
      }
    });

    it('big sets: random picks are members, counts and encodings agree', async () => {
      const members = Array.from({ length: 12_000 }, (_, i) => String(i * 3));
      for (const c of [r, s]) await c.call('SADD', 'big', ...members);
      await compare(['SCARD', 'big']);
      await compare(['OBJECT', 'ENCODING', 'big']);
      await compare(['SISMEMBER', 'big', '35997']);
      await compare(['SMISMEMBER', 'big', '0', '1', '35997', '36000']);
      await compare(['SINTERCARD', '1', 'big', 'LIMIT', '100']);
      for (const c of [r, s]) {
        for (const args of [
          ['SRANDMEMBER', 'big', '5'],
          ['SRANDMEMBER', 'big', '-5'],
          ['SPOP', 'big', '5'],
        ]) {
          const picked = bulkTexts(await c.call(...args));
          expect(picked).toHaveLength(5);
          if (args[2] === '5') expect(new Set(picked).size).toBe(5);
          for (const m of picked) expect(Number(m) % 3).toBe(0);
        }
        const one = bulkTexts(await c.call('SPOP', 'big'));
        expect(one).toHaveLength(1);
        expect(await c.call('SISMEMBER', 'big', one[0] as string)).toBe(':0\r\n');
      }
      await compare(['SCARD', 'big']);
      await compare(shape('SPOP', 'big', '11990'));
      await compare(['SCARD', 'big']);
      await compare(['OBJECT', 'ENCODING', 'big']);
    });

    it('a seeded random sequence leaves both servers with the same sets', async () => {
      for (const c of [r, s]) await c.call('CONFIG', 'SET', 'set-max-intset-entries', '6');
      const rand = random(proto === 2 ? 20240607 : 7);
      const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
      const pool = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '-3', '100', 'a', 'b', 'c', 'x y'];
      const member = (): string =>
        rand.below(4) === 0 ? rand.pick(pool.slice(11)) : rand.pick(pool.slice(0, 11));
      const some = (): string[] => Array.from({ length: 1 + rand.below(4) }, member);
      const someKeys = (): string[] => Array.from({ length: 1 + rand.below(3) }, () => rand.pick(keys));
      // Keys whose encoding may differ: SPOP picked other members on each server, then they were made equal.
      const tainted = new Set<string>();
      for (let i = 0; i < 300; i++) {
        const key = rand.pick(keys);
        const op = rand.below(9);
        if (op === 7 || op === 8) {
          // SPOP: random on each server; Sluice is then given Redis's set back.
          const step = op === 7 ? ['SPOP', key, String(rand.below(6))] : ['SPOP', key];
          const [expected, actual] = [await r.call(...step), await s.call(...step)];
          expect({ i, step, reply: header(actual) }).toEqual({ i, step, reply: header(expected) });
          const [theirs, ours] = [bulkTexts(expected), bulkTexts(actual)];
          if (ours.length > 0 && (await s.call('EXISTS', key)) === ':1\r\n') tainted.add(key);
          if (ours.length > 0) await s.call('SADD', key, ...ours);
          if (theirs.length > 0) await s.call('SREM', key, ...theirs);
        } else {
          const dst = rand.pick(keys);
          const step =
            op === 0 || op === 1
              ? ['SADD', key, ...some()]
              : op === 2
                ? ['SREM', key, ...some()]
                : op === 3
                  ? ['SMOVE', key, dst, member()]
                  : [
                      (['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'] as const)[op - 4] as string,
                      dst,
                      ...someKeys(),
                    ];
          await compare(step, i);
          if (op >= 4) tainted.delete(dst);
        }
        for (const k of keys) {
          await compare(['SCARD', k], { i, k });
          await compare(sorted('SMEMBERS', k), { i, k });
          if ((await s.call('EXISTS', k)) === ':0\r\n') tainted.delete(k);
          if (!tainted.has(k)) await compare(['OBJECT', 'ENCODING', k], { i, k });
        }
      }
    });
  });
});
