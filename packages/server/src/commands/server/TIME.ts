import { command } from '../spec.js';

export const TIME = command(
  {
    name: 'time',
    group: 'server',
    summary: 'Returns the server time.',
    since: '2.6.0',
    complexity: 'O(1)',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    arguments: [],
    reply: {
      resp2: 'Array of two bulk strings: Unix time in seconds, and microseconds.',
      resp3: 'Array of two bulk strings: Unix time in seconds, and microseconds.',
    },
    errors: [],
    example: ['> TIME', '1) "1795291382"', '2) "519023"'],
  },
  (c) => {
    const us = BigInt(Date.now()) * 1000n + ((process.hrtime.bigint() / 1000n) % 1000n);
    c.out.arrayHeader(2);
    c.out.bulkString(String(us / 1000000n));
    c.out.bulkString(String(us % 1000000n));
  },
);
