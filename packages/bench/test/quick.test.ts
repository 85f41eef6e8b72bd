/**
 * Runs the real command in tiny mode, every suite, against real servers, and checks what it writes: a
 * well-formed report with a figure for every row of every suite that ran, and the charts it links to.
 * It proves the plumbing only: nothing here depends on how fast anything is.
 *
 * Every target and every suite must run: @sluice/server and @sluice/kafka-bridge are dependencies, so
 * turbo builds them first, and scripts/test-all.sh installs redis-server, redis-benchmark, kcat and cc.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figureOf, participantsOf, tablesOf } from '../src/figures.js';
import type { Results } from '../src/results.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repo = path.join(packageDir, '../..');
const bin = path.join(packageDir, 'bin/sluice-bench.js');
const missingTools = ['redis-server', 'redis-benchmark', 'kcat', 'cc'].filter(
  (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error !== undefined,
);
const missingBuilds = ['packages/server/dist/main.js', 'packages/kafka-bridge/dist/main.js'].filter(
  (file) => !existsSync(path.join(repo, file)),
);
const target = 'both';
const targets = ['sluice', 'redis', 'redis-mem'];
const SUITES = ['redis-benchmark', 'clients', 'http', 'kafka', 'scale'];

/** Every Markdown table of `text`: its header cells and rows of cells, with padding removed. */
function tables(text: string): { header: string[]; rows: string[][] }[] {
  const found: { header: string[]; rows: string[][] }[] = [];
  const lines = text.split('\n');
  const cells = (line: string) =>
    line
      .slice(2, -2)
      .split(/(?<!\\) \| /)
      .map((c) => c.trim());
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.startsWith('| ') || !/^\| :?-+/.test(lines[i + 1] ?? '')) continue;
    const header = cells(line);
    const rows: string[][] = [];
    for (i += 2; (lines[i] ?? '').startsWith('| '); i++) rows.push(cells(lines[i] ?? ''));
    found.push({ header, rows });
  }
  return found;
}

/** `12,345`, `0.295 / 1.500 / 2.1`, `86.4 MiB / 12 MiB`, `— / 0.04`, or `skipped`: never `failed` nor empty. */
function isFigureCell(cell: string): boolean {
  if (cell === 'skipped') return true;
  const parts = cell.split(' / ');
  return (
    parts.every((p) => p === '—' || /^[\d,]+(\.\d+)?( (B|KiB|MiB|GiB|TiB))?$/.test(p)) &&
    parts.some((p) => p !== '—')
  );
}

describe(`sluice-bench --tiny --target ${target} (every suite)`, () => {
  it('has every tool and build it needs (scripts/test-all.sh installs them)', () => {
    expect(missingTools, 'missing tools').toEqual([]);
    expect(missingBuilds, 'missing builds').toEqual([]);
  });

  let out: string;
  let run: { code: number; stdout: string; stderr: string };
  let results: Results;
  let report: string;

  beforeAll(async () => {
    if (!existsSync(path.join(packageDir, 'dist/cli.js'))) {
      throw new Error('dist/cli.js is missing: build the package first (pnpm --filter @sluice/bench build)');
    }
    out = await mkdtemp(path.join(os.tmpdir(), 'sluice-bench-test-'));
    run = await new Promise((resolve) => {
      execFile(
        process.execPath,
        [bin, '--target', target, '--out', out],
        { env: { ...process.env, SLUICE_BENCH_TINY: '1' }, timeout: 140_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
    if (run.code === 0 || existsSync(path.join(out, 'results.json'))) {
      results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as Results;
      report = await readFile(path.join(out, 'report.md'), 'utf8');
    }
  }, 150_000);

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('exits 0, prints where the results are and one line per row', () => {
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(out);
    const rows = results.suites.reduce((n, s) => n + Math.max(1, s.rows.length), 0);
    expect(run.stderr.trim().split('\n')).toHaveLength(rows);
  });

  it('records every suite, and why one did not run', () => {
    expect(results.format).toBe(2);
    expect(results.settings).toEqual({ mode: 'tiny', targets, suites: SUITES });
    expect(results.suites.map((s) => s.name)).toEqual(SUITES);
    expect(results.versions.redisServer).toMatch(/v=\d/);
    for (const suite of results.suites) expect(suite.skipped, suite.name).toBeUndefined();
    expect(report).not.toContain('**Not run:**');
  });

  it('has a figure for every row and participant of every suite that ran', () => {
    for (const suite of results.suites.filter((s) => s.skipped === undefined)) {
      expect(suite.rows.length, suite.name).toBeGreaterThan(0);
      const participants = participantsOf(suite, targets);
      expect(suite.runs).toHaveLength(suite.rows.length * participants.length);
      for (const run of suite.runs) {
        // The HTTP suite may be skipped run by run, with this reason only, while sluice-server lacks it.
        if (run.skipped !== undefined) {
          expect(run.skipped).toMatch(/^sluice-server has no --http-port yet/);
          continue;
        }
        expect(run.error, `${suite.name} ${run.row} ${run.target}`).toBeUndefined();
        expect(run.measurement?.rps, `${suite.name} ${run.row} ${run.target}`).toBeGreaterThan(0);
        for (const table of tablesOf(suite, targets)) {
          for (const column of table.columns) {
            expect(
              column.figures.some((f) => figureOf(run, f) !== undefined),
              `${suite.name} ${run.row} ${run.target} ${column.header}`,
            ).toBe(true);
          }
        }
      }
    }
  });

  it('writes a report with a filled table row for every row of every suite that ran', () => {
    const found = tables(report);
    for (const suite of results.suites.filter((s) => s.skipped === undefined)) {
      const suiteTables = tablesOf(suite, targets);
      const participants = participantsOf(suite, targets);
      for (const spec of suiteTables) {
        const header = [
          'Row',
          ...spec.columns.flatMap((c) => participants.map((p) => `${p} ${c.header}`)),
          ...spec.ratios.map((r) => r.header),
        ];
        const table = found.find((t) => JSON.stringify(t.header) === JSON.stringify(header));
        expect(table, `${suite.name}: a table with columns ${header.join(', ')}`).toBeDefined();
        expect(table?.rows.map((r) => r[0])).toEqual(suite.rows.map((r) => r.label.replace(/\|/g, '\\|')));
        for (const row of table?.rows ?? []) {
          expect(row).toHaveLength(header.length);
          const figures = row.slice(1, 1 + spec.columns.length * participants.length);
          for (const cell of figures)
            expect(isFigureCell(cell), `${suite.name} ${row[0]}: ${cell}`).toBe(true);
          for (const ratio of row.slice(1 + figures.length)) expect(ratio).toMatch(/^(\d+\.\d\d×|—)$/);
        }
      }
    }
    expect(report).toContain('## Machine and versions');
  });

  it('writes every chart the report links to, as SVG', async () => {
    const links = [...report.matchAll(/!\[[^\]]+\]\(([^)]+\.svg)\)/g)].map((m) => m[1]);
    const files = (await readdir(out)).filter((f) => f.endsWith('.svg'));
    expect(links.sort()).toEqual(files.sort());
    for (const name of [
      'redis-benchmark-ratio-bars.svg',
      'clients-latency-curves.svg',
      'scale-ratio-bars.svg',
    ]) {
      expect(files).toContain(name);
    }
    for (const file of files) {
      const svg = await readFile(path.join(out, file), 'utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg.trim().endsWith('</svg>')).toBe(true);
    }
  });
});
