import { errorReply } from '../../errors.js';
import { TYPE_STRING, typeOf } from '../../keyspace/collections.js';
import { bigintArg, isToken, recordAt } from '../_args.js';
import type { CommandContext } from '../context.js';
import { command } from '../spec.js';
import { valueStart } from './_shared.js';

const EMPTY = Buffer.alloc(0);

/** The value of the key at argument i, copied (the next read reuses lmdb-js's buffer), or empty. */
function copyValue(c: CommandContext, i: number): Buffer | null {
  const record = recordAt(c, i);
  if (record !== undefined && typeOf(record) !== TYPE_STRING) return null;
  return record === undefined ? EMPTY : Buffer.from(record.subarray(valueStart(record)));
}

/** One common run: its range in each string, inclusive. */
interface Match {
  readonly aStart: number;
  readonly aEnd: number;
  readonly bStart: number;
  readonly bEnd: number;
}

export const LCS = command(
  {
    name: 'lcs',
    group: 'string',
    summary:
      'Finds the longest common subsequence of the values of two keys, its length, or where it matches.',
    since: '7.0.0',
    complexity: 'O(N*M) where N and M are the lengths of the two values.',
    arity: -3,
    flags: ['readonly'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'key1', type: 'key' },
      { name: 'key2', type: 'key' },
      { name: 'len', type: 'pure-token', token: 'LEN', optional: true },
      { name: 'idx', type: 'pure-token', token: 'IDX', optional: true },
      { name: 'min-match-len', type: 'integer', token: 'MINMATCHLEN', optional: true },
      { name: 'withmatchlen', type: 'pure-token', token: 'WITHMATCHLEN', optional: true },
    ],
    reply: {
      resp2:
        'Bulk string: the subsequence (a missing key counts as empty). With LEN: an integer, its length. With IDX: an array "matches", the matching runs from last to first (each [[start1, end1], [start2, end2]], plus the run length with WITHMATCHLEN; runs shorter than MINMATCHLEN left out), "len", the length.',
      resp3:
        'Bulk string: the subsequence (a missing key counts as empty). With LEN: an integer, its length. With IDX: a map of "matches", the matching runs from last to first (each [[start1, end1], [start2, end2]], plus the run length with WITHMATCHLEN; runs shorter than MINMATCHLEN left out), and "len", the length.',
    },
    errors: ['lcsNotString', 'syntax', 'notInteger', 'lcsLenAndIdx', 'lcsMemory', 'lcsAllocation'],
    example: [
      '> MSET key1 ohmytext key2 mynewtext',
      'OK',
      '> LCS key1 key2',
      '"mytext"',
      '> LCS key1 key2 LEN',
      '(integer) 6',
      '> LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN',
      '1) "matches"',
      '2) 1) 1) 1) (integer) 4',
      '         2) (integer) 7',
      '      2) 1) (integer) 5',
      '         2) (integer) 8',
      '      3) (integer) 4',
      '3) "len"',
      '4) (integer) 6',
    ],
  },
  (c) => {
    const a = copyValue(c, 1);
    const b = copyValue(c, 2);
    if (a === null || b === null) {
      c.out.error(errorReply('lcsNotString'));
      return;
    }
    let getLen = false;
    let getIdx = false;
    let withMatchLen = false;
    let minMatchLen = 0;
    const argc = c.args.argc;
    for (let j = 3; j < argc; j++) {
      if (isToken(c, j, 'idx')) getIdx = true;
      else if (isToken(c, j, 'len')) getLen = true;
      else if (isToken(c, j, 'withmatchlen')) withMatchLen = true;
      else if (isToken(c, j, 'minmatchlen') && j + 1 < argc) {
        const n = bigintArg(c, ++j);
        if (n === null) {
          c.out.error(errorReply('notInteger'));
          return;
        }
        minMatchLen = n < 0n ? 0 : Number(n);
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    if (getLen && getIdx) {
      c.out.error(errorReply('lcsLenAndIdx'));
      return;
    }

    // The table of LCS lengths of every pair of prefixes, (a.length + 1) × (b.length + 1) uint32 cells,
    // bounded as redis-server bounds it.
    const aLen = a.length;
    const bLen = b.length;
    const width = bLen + 1;
    const cells = (aLen + 1) * width;
    if (cells * 4 > c.server.config['proto-max-bulk-len']) {
      c.out.error(errorReply('lcsMemory'));
      return;
    }
    let table: Uint32Array;
    try {
      table = new Uint32Array(cells);
    } catch {
      c.out.error(errorReply('lcsAllocation'));
      return;
    }
    for (let i = 1; i <= aLen; i++) {
      const row = i * width;
      const up = row - width;
      const ai = a[i - 1];
      for (let j = 1; j <= bLen; j++) {
        if (ai === b[j - 1]) {
          table[row + j] = (table[up + j - 1] as number) + 1;
        } else {
          const left = table[row + j - 1] as number;
          const above = table[up + j] as number;
          table[row + j] = Math.max(above, left);
        }
      }
    }
    const length = table[aLen * width + bLen] as number;

    if (getLen) {
      c.out.integer(length);
      return;
    }
    // Walk back from the end, collecting the subsequence and its contiguous runs as redis-server does,
    // so that IDX lists the same runs in the same order.
    const result = Buffer.allocUnsafe(length);
    const matches: Match[] = [];
    let idx = length;
    let i = aLen;
    let j = bLen;
    let aStart = aLen; // aLen: no run open
    let aEnd = 0;
    let bStart = 0;
    let bEnd = 0;
    while (i > 0 && j > 0) {
      let emit = false;
      if (a[i - 1] === b[j - 1]) {
        result[idx - 1] = a[i - 1] as number;
        if (aStart === aLen) {
          aStart = i - 1;
          aEnd = i - 1;
          bStart = j - 1;
          bEnd = j - 1;
        } else if (aStart === i && bStart === j) {
          aStart--;
          bStart--;
        } else {
          emit = true;
        }
        if (aStart === 0 || bStart === 0) emit = true;
        idx--;
        i--;
        j--;
      } else {
        const above = table[(i - 1) * width + j] as number;
        const left = table[i * width + j - 1] as number;
        if (above > left) i--;
        else j--;
        if (aStart !== aLen) emit = true;
      }
      if (emit) {
        if (minMatchLen === 0 || aEnd - aStart + 1 >= minMatchLen) {
          matches.push({ aStart, aEnd, bStart, bEnd });
        }
        aStart = aLen;
      }
    }

    const out = c.out;
    if (!getIdx) {
      out.bulkCopy(result);
      return;
    }
    out.mapHeader(2);
    out.bulkString('matches');
    out.arrayHeader(matches.length);
    for (const m of matches) {
      out.arrayHeader(withMatchLen ? 3 : 2);
      out.arrayHeader(2);
      out.integer(m.aStart);
      out.integer(m.aEnd);
      out.arrayHeader(2);
      out.integer(m.bStart);
      out.integer(m.bEnd);
      if (withMatchLen) out.integer(m.aEnd - m.aStart + 1);
    }
    out.bulkString('len');
    out.integer(length);
  },
);
