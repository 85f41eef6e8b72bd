/**
 * Runs the real command in tiny mode against real redis-server processes and checks what it writes.
 * It proves the plumbing only: nothing here depends on how fast anything is.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../src/results.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(packageDir, 'bin/sluice-bench.js');
const hasTools = ['redis-server', 'redis-benchmark'].every(
  (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0,
);

describe.skipIf(!hasTools)('sluice-bench --tiny --target redis', () => {
  let out: string;
  let run: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    if (!existsSync(path.join(packageDir, 'dist/cli.js'))) {
      throw new Error('dist/cli.js is missing: build the package first (pnpm --filter @sluice/bench build)');
    }
    out = await mkdtemp(path.join(os.tmpdir(), 'sluice-bench-test-'));
    run = await new Promise((resolve) => {
      execFile(
        process.execPath,
        [bin, '--target', 'redis', '--out', out],
        { env: { ...process.env, SLUICE_BENCH_TINY: '1' }, timeout: 100_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }, 120_000);

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('exits 0, prints where the results are and one line per row', () => {
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(out);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(12);
    for (const line of lines)
      expect(line).toMatch(/^redis-benchmark: .*: redis [\d,]+ rps, redis-mem [\d,]+ rps$/);
  });

  it('writes results.json with every run', async () => {
    const results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as Results;
    expect(results.settings).toEqual({
      mode: 'tiny',
      targets: ['redis', 'redis-mem'],
      suites: ['redis-benchmark'],
    });
    expect(results.versions.redisServer).toMatch(/v=\d/);
    expect(results.machine.cpus).toBeGreaterThan(0);
    const [suite] = results.suites;
    expect(suite?.rows).toHaveLength(12);
    expect(suite?.runs).toHaveLength(24);
    for (const run of suite?.runs ?? []) {
      expect(run.error).toBeUndefined();
      for (const value of Object.values(run.measurement ?? {})) expect(Number.isFinite(value)).toBe(true);
      expect(run.measurement?.rps).toBeGreaterThan(0);
    }
    // Reads were preloaded once per value size and target, before their first row.
    const preloads = suite?.runs.filter((r) => r.prepare !== undefined).map((r) => `${r.row} ${r.target}`);
    expect(preloads?.sort()).toEqual(
      ['get-64b-p1', 'get-1024b-p1', 'get-16384b-p1']
        .flatMap((row) => [`${row} redis`, `${row} redis-mem`])
        .sort(),
    );
    // Each row's runs start with a different target than the row before.
    const firsts = suite?.rows.map(
      (row) => suite.runs.find((r) => r.row === row.id && r.position === 0)?.target,
    );
    expect(firsts?.slice(0, 4)).toEqual(['redis', 'redis-mem', 'redis', 'redis-mem']);
  });

  it('writes report.md with a figure for every row and target', async () => {
    const [report, results] = await Promise.all([
      readFile(path.join(out, 'report.md'), 'utf8'),
      readFile(path.join(out, 'results.json'), 'utf8').then((text) => JSON.parse(text) as Results),
    ]);
    const figure = '[\\d,]+';
    const latency = '[\\d.]+ / [\\d.]+';
    const lines = report.split('\n').map((line) => line.replace(/ {2,}/g, ' '));
    for (const row of results.suites[0]?.rows ?? []) {
      const line = lines.find((l) => l.startsWith(`| ${row.label} |`));
      expect(line, row.label).toMatch(
        new RegExp(`^\\| [^|]+ \\| ${figure} \\| ${figure} \\| ${latency} \\| ${latency} \\|$`),
      );
    }
  });
});
