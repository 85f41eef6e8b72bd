import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatFigure,
  formatMs,
  formatRatio,
  formatRps,
  ratioColumns,
  renderReport,
  rowSummary,
  shellQuote,
} from '../src/report.js';
import type { Results } from '../src/results.js';
import { benchmarkArgs, parseBenchmarkCsv, splitCsvLine } from '../src/suites/redis-benchmark.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
/** A format 1 results.json: one redis-benchmark suite, the report's defaults for everything else. */
const results = (): Results => JSON.parse(fixture('results.json')) as Results;
/** Format 2: every kind of suite, a skipped suite, skipped and failed runs, a baseline, two tables. */
const resultsV2 = (): Results => JSON.parse(fixture('results-v2.json')) as Results;
const collapse = (text: string) => text.split('\n').map((line) => line.replace(/ {2,}/g, ' '));

describe('parseBenchmarkCsv', () => {
  it('reads every test of a multi-test run into numbers', () => {
    expect(parseBenchmarkCsv(fixture('get-set.csv'))).toEqual([
      {
        test: 'SET',
        rps: 62500,
        avgMs: 0.466,
        minMs: 0.104,
        p50Ms: 0.319,
        p95Ms: 1.135,
        p99Ms: 1.999,
        maxMs: 2.327,
      },
      {
        test: 'GET',
        rps: 83333.34,
        avgMs: 0.312,
        minMs: 0.112,
        p50Ms: 0.295,
        p95Ms: 0.447,
        p99Ms: 0.695,
        maxMs: 1.015,
      },
    ]);
  });

  it('reads the MSET test and a custom MGET command, whose name holds spaces', () => {
    const [mset] = parseBenchmarkCsv(fixture('mset.csv'));
    expect(mset?.test).toBe('MSET (10 keys)');
    expect(mset?.rps).toBeGreaterThan(0);
    const [mget] = parseBenchmarkCsv(fixture('mget.csv'));
    expect(mget?.test).toBe(`mget${' key:__rand_int__'.repeat(10)}`);
    expect(mget?.p99Ms).toBeGreaterThanOrEqual(mget?.p50Ms ?? Number.NaN);
  });

  it('skips lines before the header and finds columns by name', () => {
    const text =
      'WARNING: Could not fetch server CONFIG\n' +
      '"rps","test","p50_latency_ms","avg_latency_ms","min_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"\r\n' +
      '"1000.50","PING_INLINE","0.5","0.6","0.1","0.9","1.5","2"\r\n';
    expect(parseBenchmarkCsv(text)).toEqual([
      {
        test: 'PING_INLINE',
        rps: 1000.5,
        avgMs: 0.6,
        minMs: 0.1,
        p50Ms: 0.5,
        p95Ms: 0.9,
        p99Ms: 1.5,
        maxMs: 2,
      },
    ]);
  });

  it('rejects output without a header, redis-benchmark 6 output and non-numbers', () => {
    expect(() => parseBenchmarkCsv('')).toThrow(/no CSV header/);
    expect(() => parseBenchmarkCsv('"test","rps"\n"GET","100.00"\n')).toThrow(/avg_latency_ms/);
    const header = fixture('get-set.csv').split('\n')[0];
    expect(() => parseBenchmarkCsv(`${header}\n"GET","fast","1","1","1","1","1","1"\n`)).toThrow(
      /rps is not a number/,
    );
    expect(() => parseBenchmarkCsv(`${header}\n"GET","1","1","1","1","1","1"\n`)).toThrow(
      /max_latency_ms is not a number/,
    );
  });

  it('splits quoted and bare fields, with "" for a quote', () => {
    expect(splitCsvLine('"a","b,c",d,"e ""f"""')).toEqual(['a', 'b,c', 'd', 'e "f"']);
    expect(splitCsvLine('')).toEqual(['']);
    expect(() => splitCsvLine('"open')).toThrow(/unterminated/);
  });
});

describe('benchmarkArgs', () => {
  it('runs MGET as a custom command of 10 random keys, XADD as a custom command, and the rest with -t', () => {
    expect(benchmarkArgs({ test: 'set', pipeline: 16, dataSize: 64 }, 1000, 100)).toEqual(
      '-c 50 -r 100 -d 64 -n 1000 -t set -P 16 --csv'.split(' '),
    );
    const mget = benchmarkArgs({ test: 'mget10', pipeline: 1, dataSize: 64 }, 1000, 100);
    expect(mget.slice(0, 12)).toEqual('-c 50 -r 100 -d 64 -n 1000 -P 1 --csv mget'.split(' '));
    expect(mget.slice(12)).toEqual(Array(10).fill('key:__rand_int__'));
    expect(benchmarkArgs({ test: 'xadd', pipeline: 16, dataSize: 64 }, 1000, 100)).toEqual(
      '-c 50 -r 100 -d 64 -n 1000 -P 16 --csv XADD mystream * field v:__rand_int__'.split(' '),
    );
  });
});

describe('formatting', () => {
  it('formats throughput, latency and ratios', () => {
    expect(formatRps(83333.34)).toBe('83,333');
    expect(formatMs(0.295)).toBe('0.295');
    expect(formatMs(12.34)).toBe('12.3');
    expect(formatMs(140.4)).toBe('140');
    expect(formatRatio(41000, 50000)).toBe('0.82×');
    expect(formatRatio(125000, 240000)).toBe('0.52×');
    expect(formatRatio(1, 0)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(86.4 * 2 ** 20)).toBe('86.4 MiB');
    expect(formatBytes(300 * 2 ** 20)).toBe('300 MiB');
    expect(formatBytes(1.234 * 2 ** 30)).toBe('1.23 GiB');
    expect(formatFigure(3.4, 'whole-ms')).toBe('3');
    expect(formatFigure(3.4567, 'seconds')).toBe('3.46');
  });

  it('quotes command lines for a shell', () => {
    expect(shellQuote(['redis-server', '--save', '', '--dir', "/tmp/it's"])).toBe(
      `redis-server --save '' --dir '/tmp/it'\\''s'`,
    );
  });

  it('has ratio columns only when sluice runs with a reference', () => {
    expect(ratioColumns(['sluice', 'redis', 'redis-mem'])).toEqual(['redis', 'redis-mem']);
    expect(ratioColumns(['redis', 'redis-mem'])).toEqual([]);
    expect(ratioColumns(['sluice'])).toEqual([]);
  });
});

describe('renderReport', () => {
  it('escapes angle brackets in plain text, which HTML-aware Markdown would take for tags', () => {
    const r = resultsV2();
    const suite = r.suites[0];
    if (suite === undefined) throw new Error('fixture has no suite');
    suite.description = 'RSS from /proc/<pid>/status';
    const report = renderReport(r);
    expect(report).toContain('/proc/&lt;pid&gt;/status');
    // Outside code spans, nothing that looks like a tag is left (VitePress fails to build on one).
    const prose = report.replace(/`[^`\n]*`/g, '').replace(/!\[[^\]]*\]\([^)]*\)/g, '');
    expect(prose).not.toMatch(/<[a-z][a-z -]*>/i);
  });

  it('leaves code spans as they are: Markdown shows them verbatim', () => {
    const r = resultsV2();
    const suite = r.suites[0];
    if (suite === undefined) throw new Error('fixture has no suite');
    suite.description = 'then `SLUICE WAIT <token>` on node <b>';
    expect(renderReport(r)).toContain('then `SLUICE WAIT <token>` on node &lt;b&gt;');
  });

  it('lists in a table only the rows and participants it names', () => {
    const r = resultsV2();
    const suite = r.suites.find((s) => s.name === 'scale');
    if (!suite) throw new Error('fixture has no scale suite');
    const [throughput] = suite.tables ?? [];
    if (!throughput) throw new Error('fixture has no scale table');
    suite.tables = [
      { ...throughput, caption: 'Only 10⁶', rows: ['keys-1000000'], participants: ['redis', 'sluice'] },
    ];
    const report = renderReport(r);
    const section = report.slice(report.indexOf('Only 10⁶'));
    const table = section.split('\n\n')[1]?.split('\n') ?? [];
    expect(table[0]?.startsWith('| Row ')).toBe(true);
    expect(table[0]).toMatch(/\| redis GET rps +\| sluice GET rps \|/);
    expect(table[0]).not.toContain('redis-mem GET rps');
    expect(table.slice(2).map((line) => line.split('|')[1]?.trim())).toEqual(['10⁶ keys']);
    // With one row there is no mean to give; the summary line takes the table's participants.
    expect(section).not.toMatch(/^Geometric mean/m);
    expect(rowSummary(suite, 'keys-1000000')).toMatch(
      /^scale: 10⁶ keys: redis [\d,]+ rps, sluice [\d,]+ rps/,
    );
  });

  it('renders the fixture as the golden report', async () => {
    const header =
      '<!-- Generated by test/report.test.ts from fixtures/results.json (vitest run -u): do not edit. -->\n';
    await expect(header + renderReport(results())).toMatchFileSnapshot('./fixtures/report.md');
  });

  it('has a row per benchmark row, with every target and the ratios', () => {
    // Columns are padded to one width; compare with runs of spaces collapsed.
    const lines = renderReport(results())
      .split('\n')
      .map((line) => line.replace(/ {2,}/g, ' '));
    expect(lines).toContain(
      '| Row | sluice rps | redis rps | redis-mem rps | sluice p50 / p99 ms | redis p50 / p99 ms | ' +
        'redis-mem p50 / p99 ms | sluice/redis | sluice/redis-mem |',
    );
    expect(lines).toContain(
      '| SET · 64 B · -P 1 | 41,000 | 50,000 | 58,001 | 1.023 / 12.3 | 0.455 / 1.500 | 0.399 / 1.200 | 0.82× | 0.71× |',
    );
    expect(lines).toContain(
      '| GET · 64 B · -P 1 | failed | 52,000 | 54,000 | failed | 0.415 / 1.100 | 0.407 / 1.000 | — | — |',
    );
    expect(lines).toContain(
      '| MGET (10 keys) · 64 B · -P 16 | 125,000 | 240,000 | 250,000 | 5.800 / 140 | 3.000 / 6.900 | 2.900 / 6.500 | 0.52× | 0.50× |',
    );
    expect(lines).toContain(
      "- GET · 64 B · -P 1, sluice: redis-benchmark reported an error: Error from server: ERR unknown command 'get'",
    );
  });

  it('leaves the ratio columns out when sluice was not measured', () => {
    const r = results();
    r.settings.targets = ['redis', 'redis-mem'];
    const report = renderReport(r).replace(/ {2,}/g, ' ');
    expect(report).toContain(
      '| Row | redis rps | redis-mem rps | redis p50 / p99 ms | redis-mem p50 / p99 ms |\n',
    );
    expect(report).toContain('| SET · 64 B · -P 1 | 50,000 | 58,001 | 0.455 / 1.500 | 0.399 / 1.200 |\n');
    expect(report).not.toContain('sluice/redis');
  });

  it('summarises a finished row in one line', () => {
    const [suite] = results().suites;
    if (!suite) throw new Error('fixture has no suite');
    expect(rowSummary(suite, 'set-64b-p1', ['sluice', 'redis', 'redis-mem'])).toBe(
      'redis-benchmark: SET · 64 B · -P 1: sluice 41,000 rps, redis 50,000 rps, redis-mem 58,001 rps (0.82× redis, 0.71× redis-mem)',
    );
    expect(rowSummary(suite, 'get-64b-p1', ['sluice', 'redis'])).toBe(
      'redis-benchmark: GET · 64 B · -P 1: sluice failed, redis 52,000 rps',
    );
  });
});

describe('renderReport, format 2', () => {
  it('renders the fixture as the golden report', async () => {
    const header =
      '<!-- Generated by test/report.test.ts from fixtures/results-v2.json (vitest run -u): do not edit. -->\n';
    await expect(header + renderReport(resultsV2())).toMatchFileSnapshot('./fixtures/report-v2.md');
  });

  it('says why a suite did not run', () => {
    expect(renderReport(resultsV2())).toContain(
      '## redis-benchmark\n\nFixture suite that could not run.\n\n**Not run:** it needs redis-benchmark on the PATH',
    );
  });

  it('shows p99.9, failed runs and geometric means for the client libraries', () => {
    const lines = collapse(renderReport(resultsV2()));
    expect(lines).toContain(
      '| ioredis · GET/SET 95:5 · uniform · 100 B | 35,495 | 41,080 | 47,560 | 1.159 / 5.023 / 10.9 | ' +
        '0.917 / 5.299 / 7.227 | 0.628 / 4.383 / 8.423 | 0.86× | 0.75× |',
    );
    expect(lines).toContain(
      '| node-redis · MGET 100 keys · Zipf · 100 B | failed | 14,765 | 13,660 | failed | 3.213 / 7.595 / 12.6 | ' +
        '3.265 / 9.151 / 11.1 | — | — |',
    );
    expect(lines).toContain('Geometric mean over the rows: sluice/redis 0.86×, sluice/redis-mem 0.75×.');
    expect(lines).toContain(
      '![Client libraries: latency percentiles per row (lower is better)](clients-latency-curves.svg)',
    );
  });

  it('shows a sluice-only suite without ratios, and its skipped runs', () => {
    const lines = collapse(renderReport(resultsV2()));
    expect(lines).toContain('| Row | sluice rps | sluice p50 / p99 / p99.9 ms |');
    expect(lines).toContain('| GET /healthz | skipped | skipped |');
    expect(lines).toContain(
      "- GET /healthz, sluice: sluice-server has no --http-port yet (it said: command line '--http-port 40010': unknown setting 'http-port')",
    );
    // No figure, no chart.
    expect(renderReport(resultsV2())).not.toContain('http-rate-bars.svg');
  });

  it('shows a baseline next to the targets, with its ratio', () => {
    const lines = collapse(renderReport(resultsV2()));
    expect(lines).toContain(
      '| 100,000 records · 4 partitions | 98,000 | 140,000 | 150,000 | 2,500,000 | 3.21 / 4.23 | 3.12 / 3.83 | ' +
        '3.10 / 3.77 | — / 0.04 | 0.04× | 0.70× | 0.65× |',
    );
    expect(lines).toContain('![Kafka ingest: records/s (higher is better)](kafka-rate-bars.svg)');
  });

  it('shows a suite with two tables, sizes in binary units', () => {
    const lines = collapse(renderReport(resultsV2()));
    expect(lines).toContain('Memory after the run (lower is better).');
    expect(lines).toContain(
      '| 10⁶ keys | 300 MiB / 60.0 MiB | 120 MiB / 110 MiB | 118 MiB / 108 MiB | 180 MiB | 130 MiB | 0 B | 2.50× |',
    );
  });

  it('summarises rows with the suite’s unit and a baseline', () => {
    const suite = resultsV2().suites.find((s) => s.name === 'kafka');
    if (!suite) throw new Error('fixture has no kafka suite');
    expect(rowSummary(suite, 'r100000-p4')).toBe(
      'kafka: 100,000 records · 4 partitions: sluice 98,000 records/s, redis 140,000 records/s, ' +
        'redis-mem 150,000 records/s, kcat 2,500,000 records/s (0.04× kcat, 0.70× redis, 0.65× redis-mem)',
    );
  });
});

describe('renderReport, an A/B run (--baseline)', () => {
  /** A run with the target sluice-base: redis-benchmark on four targets, HTTP on the two builds. */
  const resultsAb = (): Results => JSON.parse(fixture('results-ab.json')) as Results;

  it('renders the fixture as the golden report', async () => {
    const header =
      '<!-- Generated by test/report.test.ts from fixtures/results-ab.json (vitest run -u): do not edit. -->\n';
    await expect(header + renderReport(resultsAb())).toMatchFileSnapshot('./fixtures/report-ab.md');
  });

  it('says in the header which checkout and commit the baseline is', () => {
    const report = renderReport(resultsAb());
    expect(report).toContain(
      '**A/B run:** sluice-base is the sluice-server of the baseline checkout `/tmp/base` at commit ' +
        '`d4056687568d22e632e767b55441ae30e1f92838` (sluice-server 0.1.0); sluice is this checkout’s.',
    );
    expect(collapse(report)).toContain(
      '| sluice-server (sluice-base) | 0.1.0, commit d4056687568d22e632e767b55441ae30e1f92838 |',
    );
    const r = resultsAb();
    if (r.settings.baseline) r.settings.baseline.commit = null;
    expect(renderReport(r)).toContain('the baseline checkout `/tmp/base`, not a git checkout (sluice-server');
  });

  it('shows sluice-base as a column and sluice/sluice-base next to the other ratios', () => {
    const lines = collapse(renderReport(resultsAb()));
    expect(lines).toContain(
      '| Row | sluice rps | sluice-base rps | redis rps | redis-mem rps | sluice p50 / p99 ms | ' +
        'sluice-base p50 / p99 ms | redis p50 / p99 ms | redis-mem p50 / p99 ms | sluice/sluice-base | ' +
        'sluice/redis | sluice/redis-mem |',
    );
    expect(lines).toContain(
      '| SET · 64 B · -P 1 | 44,000 | 40,000 | 50,000 | 58,001 | 1.000 / 9.500 | 1.100 / 12.3 | ' +
        '0.455 / 1.500 | 0.399 / 1.200 | 1.10× | 0.88× | 0.76× |',
    );
    // A failed baseline run leaves only its own ratio without a figure.
    expect(lines).toContain(
      '| GET · 64 B · -P 1 | 47,250 | failed | 52,000 | 54,000 | 0.500 / 1.300 | failed | 0.415 / 1.100 | ' +
        '0.407 / 1.000 | — | 0.91× | 0.88× |',
    );
    expect(lines).toContain(
      'Geometric mean over the rows: sluice/sluice-base 1.03×, sluice/redis 0.74×, sluice/redis-mem 0.68×.',
    );
    expect(lines).toContain(
      "- GET · 64 B · -P 1, sluice-base: redis-benchmark reported an error: Error from server: ERR unknown command 'get'",
    );
  });

  it('compares the two builds in a suite that has no redis reference', () => {
    const lines = collapse(renderReport(resultsAb()));
    expect(lines).toContain(
      '| Row | sluice rps | sluice-base rps | sluice p50 / p99 / p99.9 ms | sluice-base p50 / p99 / p99.9 ms | sluice/sluice-base |',
    );
    expect(lines).toContain('| GET /healthz | 47,300 | 42,000 | 1 / 2 / 3 | 1 / 2 / 3 | 1.13× |');
  });

  it('summarises a row with the baseline and its ratio', () => {
    const [suite] = resultsAb().suites;
    if (!suite) throw new Error('fixture has no suite');
    expect(rowSummary(suite, 'set-64b-p1')).toBe(
      'redis-benchmark: SET · 64 B · -P 1: sluice 44,000 rps, sluice-base 40,000 rps, redis 50,000 rps, ' +
        'redis-mem 58,001 rps (1.10× sluice-base, 0.88× redis, 0.76× redis-mem)',
    );
  });

  it('has the sluice/sluice-base ratio column whenever both builds run', () => {
    expect(ratioColumns(['sluice', 'sluice-base', 'redis', 'redis-mem'])).toEqual([
      'sluice-base',
      'redis',
      'redis-mem',
    ]);
    expect(ratioColumns(['sluice', 'sluice-base'])).toEqual(['sluice-base']);
  });
});
