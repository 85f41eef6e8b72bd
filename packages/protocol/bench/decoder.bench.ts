/**
 * Decoder throughput: 1M pipelined GET/SET commands (16-byte keys, 64-byte values) fed in 64 KiB
 * chunks, against redis-parser (returnBuffers: true) on the same input, alternating in one run.
 * Run: pnpm --filter @sluice/protocol bench   (options: --commands N --rounds N)
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import RedisParser from 'redis-parser';
import { RequestDecoder } from '../src/index.js';

const { values } = parseArgs({
  options: { commands: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '7' } },
});
const COMMANDS = Number(values.commands);
const ROUNDS = Number(values.rounds);
const CHUNK = 64 * 1024;

function buildInput(): Buffer[] {
  const parts: Buffer[] = [];
  const value = 'v'.repeat(64);
  for (let i = 0; i < COMMANDS; i++) {
    const key = `key:${String(i).padStart(12, '0')}`; // 16 bytes
    parts.push(
      Buffer.from(
        i % 2 === 0
          ? `*2\r\n$3\r\nGET\r\n$16\r\n${key}\r\n`
          : `*3\r\n$3\r\nSET\r\n$16\r\n${key}\r\n$64\r\n${value}\r\n`,
      ),
    );
  }
  const all = Buffer.concat(parts);
  const chunks: Buffer[] = [];
  for (let pos = 0; pos < all.length; pos += CHUNK) chunks.push(Buffer.from(all.subarray(pos, pos + CHUNK)));
  return chunks;
}

function runSluice(chunks: Buffer[]): number {
  const d = new RequestDecoder();
  let n = 0;
  let args = 0;
  for (const chunk of chunks) {
    d.feed(chunk);
    while (d.next()) {
      n++;
      args += d.argc;
    }
  }
  if (args === 0) throw new Error('nothing decoded');
  return n;
}

function runRedisParser(chunks: Buffer[]): number {
  let n = 0;
  const parser = new RedisParser({
    returnBuffers: true,
    returnReply: () => {
      n++;
    },
    returnError: (err) => {
      throw err;
    },
  });
  for (const chunk of chunks) parser.execute(chunk);
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const chunks = buildInput();
const bytes = chunks.reduce((n, c) => n + c.length, 0);
const runners = { sluice: runSluice, 'redis-parser': runRedisParser } as const;
const times: Record<keyof typeof runners, number[]> = { sluice: [], 'redis-parser': [] };
// Warm up both, then alternate.
for (const run of Object.values(runners)) run(chunks);
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, run] of Object.entries(runners) as [keyof typeof runners, (c: Buffer[]) => number][]) {
    const t0 = performance.now();
    const n = run(chunks);
    times[name].push(performance.now() - t0);
    if (n !== COMMANDS) throw new Error(`${name} decoded ${n} of ${COMMANDS} commands`);
  }
}
const rows = Object.entries(times).map(([name, ts]) => {
  const ms = median(ts);
  return { name, ms, mbps: bytes / 1e6 / (ms / 1000), mcps: COMMANDS / 1e6 / (ms / 1000) };
});
console.log(
  `input: ${COMMANDS} commands, ${(bytes / 1e6).toFixed(1)} MB in ${chunks.length} chunks of 64 KiB; median of ${ROUNDS} rounds`,
);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(13)} ${r.ms.toFixed(1).padStart(8)} ms  ${r.mbps.toFixed(0).padStart(6)} MB/s  ${r.mcps.toFixed(2).padStart(6)} M commands/s`,
  );
}
const [ours, theirs] = rows as [(typeof rows)[0], (typeof rows)[0]];
console.log(`ratio sluice/redis-parser: ${(theirs.ms / ours.ms).toFixed(2)}x`);
