/**
 * The cluster suite: its redis-benchmark command lines, then one tiny run of the real command with
 * `--only cluster` against real clusters (sluice-server over the mock broker, redis-server), checking that
 * every row has a figure for every participant, that the 2-node runs went through both nodes, that the
 * report shows the scaling ratios, and that every node the suite started is gone afterwards. It proves the
 * plumbing only: nothing here depends on how fast anything is.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRun, ratioValue, tablesOf } from '../src/figures.js';
import { pingOnce } from '../src/raw-client.js';
import type { Results, SuiteResult } from '../src/results.js';
import { BENCHMARK_ROWS, benchmarkArgs, CLIENT_ROWS } from '../src/suites/cluster.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(packageDir, 'bin/sluice-bench.js');
const CLUSTERS = ['sluice-1node', 'sluice-2nodes', 'redis-1node', 'redis-2nodes'];

describe('the cluster suite’s redis-benchmark command lines', () => {
  it('are the same on one node and on two, but for --cluster; keys carry the {tag} redis-benchmark fills in', () => {
    for (const spec of BENCHMARK_ROWS) {
      const one = benchmarkArgs(spec, 2000, 1000, false);
      const two = benchmarkArgs(spec, 2000, 1000, true);
      expect(two).toEqual(['--cluster', ...one]);
      expect(one).toContain('key:{tag}:__rand_int__');
      expect(one.slice(0, 2)).toEqual(['--threads', '2']);
      expect(one[one.indexOf('-P') + 1]).toBe(String(spec.pipeline));
      expect(one[one.indexOf('--csv') + 1]).toBe(spec.test.toUpperCase());
    }
  });
});

describe('sluice-bench --tiny --only cluster', () => {
  let out = '';
  let run: { code: number; stdout: string; stderr: string };
  let results: Results;
  let suite: SuiteResult;
  let report = '';

  beforeAll(async () => {
    if (!existsSync(path.join(packageDir, 'dist/cli.js'))) {
      throw new Error('dist/cli.js is missing: build the package first (pnpm --filter @sluice/bench build)');
    }
    out = await mkdtemp(path.join(os.tmpdir(), 'sluice-bench-cluster-test-'));
    run = await new Promise((resolve) => {
      execFile(
        process.execPath,
        [bin, '--only', 'cluster', '--target', 'both', '--out', out],
        { env: { ...process.env, SLUICE_BENCH_TINY: '1' }, timeout: 170_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
    results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as Results;
    report = await readFile(path.join(out, 'report.md'), 'utf8');
    suite = results.suites[0] as SuiteResult;
  }, 180_000);

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('exits 0 with a line per row', () => {
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(out);
    expect(run.stderr.trim().split('\n')).toHaveLength(BENCHMARK_ROWS.length + CLIENT_ROWS.length);
  });

  it('measures the plain targets (not redis-mem) and the four clusters', () => {
    expect(results.suites.map((s) => s.name)).toEqual(['cluster']);
    expect(suite.skipped).toBeUndefined();
    expect(suite.participants).toEqual(['sluice', 'redis', ...CLUSTERS]);
  });

  it('has a figure for every row and participant', () => {
    const participants = suite.participants ?? [];
    expect(suite.rows).toHaveLength(BENCHMARK_ROWS.length + CLIENT_ROWS.length);
    expect(suite.runs).toHaveLength(suite.rows.length * participants.length);
    for (const row of suite.rows) {
      for (const participant of participants) {
        const r = findRun(suite, row.id, participant);
        const what = `${row.id} ${participant}`;
        expect(r?.error, what).toBeUndefined();
        expect(r?.skipped, what).toBeUndefined();
        expect(r?.measurement?.rps, what).toBeGreaterThan(0);
        expect(r?.measurement?.p50Ms, what).toBeGreaterThan(0);
      }
    }
  });

  it('runs redis-benchmark with --cluster across both nodes of a 2-node cluster, without it on one node', () => {
    for (const spec of BENCHMARK_ROWS) {
      const id = `${spec.test}-p${spec.pipeline}`;
      for (const participant of suite.participants ?? []) {
        const detail = findRun(suite, id, participant)?.detail as { command: string[]; nodes: string[][] };
        const nodes = participant.endsWith('2nodes') ? 2 : 1;
        expect(detail.nodes, `${id} ${participant}`).toHaveLength(nodes);
        expect(detail.command.includes('--cluster'), `${id} ${participant}`).toBe(nodes === 2);
        if (CLUSTERS.includes(participant)) {
          expect(detail.nodes.every((c) => c.includes('--cluster-enabled'))).toBe(true);
        }
      }
    }
    // A GET row reads the keys of each node's hash tag, filled first: one tag a node.
    const prepared = findRun(suite, 'get-p1', 'sluice-2nodes')?.detail?.prepare as { tags: string[] };
    expect(prepared.tags).toHaveLength(2);
  });

  it('reports the scaling ratios and sluice over redis, in both tables, with a chart of each kind', async () => {
    const tables = tablesOf(suite, []);
    expect(tables.map((t) => t.caption)).toEqual([
      'redis-benchmark (requests per second)',
      'Client libraries (requests per second)',
    ]);
    for (const table of tables) {
      expect(table.ratios.map((r) => r.header)).toEqual([
        'sluice-2nodes/sluice-1node',
        'redis-2nodes/redis-1node',
        'sluice-2nodes/redis-2nodes',
        'sluice-1node/redis-1node',
        'sluice-1node/sluice',
      ]);
      for (const row of table.rows ?? []) {
        for (const ratio of table.ratios) expect(ratioValue(suite, row, ratio)).toBeGreaterThan(0);
      }
      expect(report).toContain(table.caption);
    }
    expect(report).toMatch(
      /\| redis-benchmark SET · 64 B · -P 16 +\|( +[\d,.]+( \/ [\d.,]+)* +\|)+( +\d+\.\d\d× +\|)+\n/,
    );
    expect((await readdir(out)).filter((f) => f.endsWith('.svg')).sort()).toEqual([
      'cluster-rate-bars.svg',
      'cluster-ratio-bars.svg',
    ]);
  });

  it('stops every node it started', async () => {
    const ports = suite.runs.flatMap((r) =>
      ((r.detail?.nodes as string[][] | undefined) ?? []).map((c) => Number(c[c.indexOf('--port') + 1])),
    );
    expect(ports.length).toBeGreaterThan(0);
    for (const port of new Set(ports)) expect(await pingOnce(port, 500), `port ${port}`).toBe(false);
  });
});
