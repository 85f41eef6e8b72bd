/**
 * Runs the real command in tiny mode, every suite, against real servers, and checks what it writes: a
 * well-formed report with a figure for every row of every suite that ran, and the charts it links to.
 * Twice: against every target, then the new build against a baseline build (`--baseline`, this checkout
 * itself), one run after the other. It proves the plumbing only: nothing here depends on how fast
 * anything is.
 *
 * Every target and every suite must run: @sluice/server and @sluice/kafka-bridge are dependencies, so
 * turbo builds them first, and scripts/test-all.sh installs redis-server, redis-benchmark, kcat and cc.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figureOf, participantsOf, rowsOf, tablesOf } from '../src/figures.js';
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
const SUITES = [
  'redis-benchmark',
  'scripting',
  'collections',
  'messaging',
  'clients',
  'http',
  'kafka',
  'log',
  'scale',
  'cluster',
];

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

/**
 * Why a suite may skip a run by design: HTTP while sluice-server lacks it; log mode's rows that measure a
 * server only (writes, on the bare-LMDB ceiling) or log mode only (replication lag, ingest).
 */
const SKIPS: Record<string, RegExp> = {
  http: /^sluice-server has no --http-port yet/,
  log: /^(a write row measures servers|log mode only)$/,
};

/** `12,345`, `0.295 / 1.500 / 2.1`, `86.4 MiB / 12 MiB`, `— / 0.04`, or `skipped`: never `failed` nor empty. */
function isFigureCell(cell: string): boolean {
  if (cell === 'skipped') return true;
  const parts = cell.split(' / ');
  return (
    parts.every((p) => p === '—' || /^[\d,]+(\.\d+)?( (B|KiB|MiB|GiB|TiB))?$/.test(p)) &&
    parts.some((p) => p !== '—')
  );
}

interface TinyRun {
  out: string;
  run: { code: number; stdout: string; stderr: string };
  results: Results;
  report: string;
}

/** Runs `sluice-bench --tiny` with `args` before the tests of the enclosing describe; removes its output after. */
function tinyRun(args: readonly string[]): TinyRun {
  const state = {} as TinyRun;
  beforeAll(async () => {
    if (!existsSync(path.join(packageDir, 'dist/cli.js'))) {
      throw new Error('dist/cli.js is missing: build the package first (pnpm --filter @sluice/bench build)');
    }
    state.out = await mkdtemp(path.join(os.tmpdir(), 'sluice-bench-test-'));
    state.run = await new Promise((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args, '--out', state.out],
        { env: { ...process.env, SLUICE_BENCH_TINY: '1' }, timeout: 240_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
    if (state.run.code === 0 || existsSync(path.join(state.out, 'results.json'))) {
      state.results = JSON.parse(await readFile(path.join(state.out, 'results.json'), 'utf8')) as Results;
      state.report = await readFile(path.join(state.out, 'report.md'), 'utf8');
    }
  }, 250_000);

  afterAll(async () => {
    if (state.out) await rm(state.out, { recursive: true, force: true });
  });
  return state;
}

/** What every tiny run must show: exit 0, every suite run, a figure in every cell, every chart written. */
function checkTinyRun(state: TinyRun, targets: readonly string[], settings: Record<string, unknown>): void {
  it('exits 0, prints where the results are and one line per row', () => {
    const { run, results, out } = state;
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(out);
    const rows = results.suites.reduce((n, s) => n + Math.max(1, s.rows.length), 0);
    expect(run.stderr.trim().split('\n')).toHaveLength(rows);
  });

  it('records every suite, and why one did not run', () => {
    const { results, report } = state;
    expect(results.format).toBe(2);
    expect(results.settings).toEqual({ mode: 'tiny', targets, suites: SUITES, ...settings });
    expect(results.suites.map((s) => s.name)).toEqual(SUITES);
    expect(results.versions.redisServer).toMatch(/v=\d/);
    for (const suite of results.suites) expect(suite.skipped, suite.name).toBeUndefined();
    expect(report).not.toContain('**Not run:**');
  });

  it('has a figure for every row and participant of every suite that ran', () => {
    const { results } = state;
    for (const suite of results.suites.filter((s) => s.skipped === undefined)) {
      expect(suite.rows.length, suite.name).toBeGreaterThan(0);
      const participants = participantsOf(suite, targets);
      expect(suite.runs).toHaveLength(suite.rows.length * participants.length);
      for (const run of suite.runs) {
        // A run may be skipped only for the reasons its suite gives by design.
        if (run.skipped !== undefined) {
          expect(run.skipped, `${suite.name} ${run.row} ${run.target}`).toMatch(SKIPS[suite.name] ?? /^$/);
          continue;
        }
        expect(run.error, `${suite.name} ${run.row} ${run.target}`).toBeUndefined();
        expect(run.measurement?.rps, `${suite.name} ${run.row} ${run.target}`).toBeGreaterThan(0);
        const listing = tablesOf(suite, targets).filter(
          (table) =>
            rowsOf(suite.rows, table).some((row) => row.id === run.row) &&
            (table.participants ?? participants).includes(run.target),
        );
        expect(listing.length, `${suite.name} ${run.row} ${run.target}: a table lists it`).toBeGreaterThan(0);
        for (const table of listing) {
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
    const { results, report } = state;
    const found = tables(report);
    for (const suite of results.suites.filter((s) => s.skipped === undefined)) {
      const suiteTables = tablesOf(suite, targets);
      for (const spec of suiteTables) {
        const participants = spec.participants ?? participantsOf(suite, targets);
        const header = [
          'Row',
          ...spec.columns.flatMap((c) => participants.map((p) => `${p} ${c.header}`)),
          ...spec.ratios.map((r) => r.header),
        ];
        // Two suites may have tables with the same columns (clients and HTTP, on the two sluice builds).
        const labels = rowsOf(suite.rows, spec).map((r) => r.label.replace(/\|/g, '\\|'));
        const table = found.find(
          (t) =>
            JSON.stringify(t.header) === JSON.stringify(header) &&
            JSON.stringify(t.rows.map((r) => r[0])) === JSON.stringify(labels),
        );
        expect(table, `${suite.name}: a table with columns ${header.join(', ')} and its rows`).toBeDefined();
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
    const { report, out } = state;
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
}

it('has every tool and build it needs (scripts/test-all.sh installs them)', () => {
  expect(missingTools, 'missing tools').toEqual([]);
  expect(missingBuilds, 'missing builds').toEqual([]);
});

describe('sluice-bench --tiny --target both (every suite)', () => {
  const state = tinyRun(['--target', 'both']);
  checkTinyRun(state, ['sluice', 'redis', 'redis-mem'], {});

  it('measures keyspace-notification fan-out and PUBLISH across nodes in log mode, beside the targets', () => {
    const log = state.results.suites.find((s) => s.name === 'log');
    const rows = { 'notify-1': 1, 'notify-10': 10, 'publish-nodes-10': 10 };
    for (const [row, subscribers] of Object.entries(rows)) {
      for (const target of ['sluice', 'redis', 'sluice-log']) {
        const run = log?.runs.find((r) => r.row === row && r.target === target);
        expect(run?.error, `${row} ${target}`).toBeUndefined();
        expect(run?.measurement?.rps, `${row} ${target}`).toBeGreaterThan(0);
        // Every subscriber received every notification or message: deliveries are rps times them.
        expect(run?.measurement?.deliveries, `${row} ${target}`).toBeCloseTo(
          (run?.measurement?.rps ?? 0) * subscribers,
        );
      }
      expect(log?.runs.find((r) => r.row === row && r.target === 'lmdb')?.skipped).toBe(
        'a write row measures servers',
      );
    }
  });
});

/** This checkout's commit, as sluice-bench should record it; null when it is not a git checkout. */
function headOf(dir: string): string | null {
  const git = spawnSync('git', ['-C', dir, 'rev-parse', '--show-toplevel', 'HEAD'], { encoding: 'utf8' });
  const [top, head] = (git.stdout ?? '').trim().split('\n');
  return git.status === 0 && top === dir ? (head ?? null) : null;
}

describe('sluice-bench --tiny --target sluice --baseline <this checkout> (every suite)', () => {
  const state = tinyRun(['--target', 'sluice', '--baseline', repo]);
  const version = (
    JSON.parse(readFileSync(path.join(repo, 'packages/server/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  checkTinyRun(state, ['sluice', 'sluice-base'], {
    baseline: { dir: repo, commit: headOf(repo), version },
  });

  it('starts sluice-base from the baseline checkout exactly like sluice, in a directory of its own', () => {
    const [sluice, base] = state.results.targets;
    expect([sluice?.name, base?.name]).toEqual(['sluice', 'sluice-base']);
    const shape = (command: readonly string[] = []) =>
      command.map((arg, i) => (['--port', '--dir'].includes(command[i - 1] ?? '') ? '<value>' : arg));
    expect(shape(base?.command)).toEqual(shape(sluice?.command));
    expect(base?.command[1]).toBe(path.join(repo, 'packages/server/bin/sluice-server.js'));
    const dirOf = (command: readonly string[] = []) => command[command.indexOf('--dir') + 1];
    expect(dirOf(base?.command)).not.toBe(dirOf(sluice?.command));
    expect(base?.description).toContain(repo);
  });

  it('measures sluice-base in every suite, with sluice/sluice-base in the report', () => {
    const { results, report } = state;
    for (const suite of results.suites) {
      expect(participantsOf(suite, []), suite.name).toContain('sluice-base');
      const [first] = tablesOf(suite, []);
      expect(
        first?.ratios.map((r) => r.header),
        suite.name,
      ).toContain(suite.name === 'scale' ? 'sluice/sluice-base GET' : 'sluice/sluice-base');
    }
    expect(report).toContain('**A/B run:** sluice-base is the sluice-server of the baseline checkout');
    for (const name of ['redis-benchmark', 'clients']) {
      const suite = results.suites.find((s) => s.name === name);
      if (!suite) throw new Error(`no ${name} suite`);
      const table = tables(report).find((t) => t.rows[0]?.[0] === suite.rows[0]?.label.replace(/\|/g, '\\|'));
      const header = table?.header ?? [];
      const column = header.indexOf('sluice-base rps');
      const ratio = header.indexOf('sluice/sluice-base');
      expect(column, `${name}: a sluice-base rps column`).toBeGreaterThan(0);
      expect(ratio, `${name}: a sluice/sluice-base column`).toBeGreaterThan(column);
      for (const row of table?.rows ?? []) {
        expect(row[column], `${name} ${row[0]}`).toMatch(/^[\d,]+$/);
        expect(row[ratio], `${name} ${row[0]}`).toMatch(/^\d+\.\d\d×$/);
      }
    }
  });
});
