import { command } from '../../spec.js';
import { base, logModeOrReply } from './_shared.js';

export const SLUICE_LAG = command(
  {
    ...base,
    name: 'sluice|lag',
    summary:
      "Returns, per partition of the topic, this node's applied offset, the partition's end, and how far behind it is in records and seconds.",
    complexity: 'O(P) where P is the number of partitions',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    arguments: [],
    reply: {
      resp2:
        'Array: one flat array per partition, `partition`, `applied-offset` (-1: nothing applied), `high-watermark`, `lag-records` and `lag-seconds` each followed by its value (null while not known yet).',
      resp3: 'Array of maps with the same fields; lag-seconds a double.',
    },
    errors: ['notLogMode'],
    example: [
      '> SLUICE LAG',
      '1) 1) "partition"',
      '   2) (integer) 0',
      '   3) "applied-offset"',
      '   4) (integer) 41',
      '   5) "high-watermark"',
      '   6) (integer) 42',
      '   7) "lag-records"',
      '   8) (integer) 0',
      '   9) "lag-seconds"',
      '  10) "0"',
    ],
  },
  (c) => {
    const log = logModeOrReply(c);
    if (log === null) return;
    const out = c.out;
    const partitions = log.lag();
    out.arrayHeader(partitions.length);
    for (const p of partitions) {
      out.mapHeader(5);
      out.bulkString('partition');
      out.integer(p.partition);
      out.bulkString('applied-offset');
      out.integer(p.applied);
      out.bulkString('high-watermark');
      if (p.high === null) out.nullBulk();
      else out.integer(p.high);
      out.bulkString('lag-records');
      if (p.lagRecords === null) out.nullBulk();
      else out.integer(p.lagRecords);
      out.bulkString('lag-seconds');
      if (p.lagSeconds === null) out.nullBulk();
      else out.double(p.lagSeconds);
    }
  },
);
