/** Renders results.json as report.md: one table per suite, then the exact settings. */
import type { Results, RunRecord, SuiteResult } from './results.js';
import type { TargetName } from './targets.js';

/** Targets whose throughput Sluice's is divided by, in column order. */
const REFERENCES: readonly TargetName[] = ['redis', 'redis-mem'];

export function formatRps(rps: number): string {
  return Math.round(rps).toLocaleString('en-US');
}

/** Milliseconds with three significant-ish decimals, as redis-benchmark prints them. */
export function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(3);
}

/** `0.82×`: how many times the reference's throughput the measured one is. */
export function formatRatio(measured: number, reference: number): string {
  if (!(reference > 0) || !Number.isFinite(measured)) return '—';
  return `${(measured / reference).toFixed(2)}×`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60
    ? `${seconds}s`
    : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

function formatBytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** A command line as a POSIX shell would need it typed: arguments quoted where they must be. */
export function shellQuote(args: readonly string[]): string {
  return args
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** Escapes what would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Width in columns, counting code points (every character the report uses is one column wide). */
const width = (text: string) => [...text].length;

/** A Markdown table with its columns padded to one width, as Biome formats Markdown. */
function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(3, width(h), ...rows.map((row) => width(row[i] ?? ''))));
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat((widths[i] ?? 0) - width(text));
    return align[i] === 'r' ? fill + text : text + fill;
  };
  const line = (cells: readonly string[]) =>
    `| ${widths.map((_, i) => pad(cells[i] ?? '', i)).join(' | ')} |`;
  const rule = widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w - 1)}:` : `:${'-'.repeat(w - 1)}`));
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

function findRun(suite: SuiteResult, row: string, target: TargetName): RunRecord | undefined {
  return suite.runs.find((run) => run.row === row && run.target === target);
}

/** The ratio columns a run with these targets gets: sluice over each reference that was measured. */
export function ratioColumns(targets: readonly TargetName[]): TargetName[] {
  return targets.includes('sluice') ? REFERENCES.filter((t) => targets.includes(t)) : [];
}

function renderSuite(suite: SuiteResult, targets: readonly TargetName[]): string {
  const ratios = ratioColumns(targets);
  const header = [
    'Row',
    ...targets.map((t) => `${t} rps`),
    ...targets.map((t) => `${t} p50 / p99 ms`),
    ...ratios.map((r) => `sluice/${r}`),
  ];
  const align = header.map((_, i) => (i === 0 ? 'l' : 'r') as 'l' | 'r');
  const failures: string[] = [];
  const body = suite.rows.map((row) => {
    const runs = targets.map((t) => findRun(suite, row.id, t));
    runs.forEach((run, i) => {
      if (run?.error !== undefined) failures.push(`- ${row.label}, ${targets[i]}: ${cell(run.error)}`);
    });
    const missing = (run: RunRecord | undefined) => (run?.error !== undefined ? 'failed' : '—');
    const sluice = findRun(suite, row.id, 'sluice')?.measurement;
    return [
      cell(row.label),
      ...runs.map((run) => (run?.measurement ? formatRps(run.measurement.rps) : missing(run))),
      ...runs.map((run) =>
        run?.measurement
          ? `${formatMs(run.measurement.p50Ms)} / ${formatMs(run.measurement.p99Ms)}`
          : missing(run),
      ),
      ...ratios.map((r) => {
        const reference = findRun(suite, row.id, r)?.measurement;
        return sluice && reference ? formatRatio(sluice.rps, reference.rps) : '—';
      }),
    ];
  });

  const parts = [`## ${suite.title}`, suite.description, table(header, align, body)];
  if (failures.length > 0) parts.push(`Failed runs:\n\n${failures.join('\n')}`);
  parts.push(
    '### Settings',
    table(
      ['Setting', 'Value'],
      ['l', 'l'],
      Object.entries(suite.settings).map(([k, v]) => [cell(k), cell(String(v))]),
    ),
    table(
      ['Row', 'Command'],
      ['l', 'l'],
      suite.rows.map((row) => [cell(row.label), `\`${cell(row.command)}\``]),
    ),
  );
  return parts.join('\n\n');
}

export function renderReport(results: Results): string {
  const { settings, machine, versions } = results;
  const targets = settings.targets;
  const ratios = ratioColumns(targets);
  const intro = [
    '# sluice-bench results',
    `${results.timestamp} · ${settings.mode} mode · targets: ${targets.join(', ')} · ` +
      `took ${formatDuration(results.durationMs)} · sluice-bench ${results.tool.version}`,
    'rps is requests per second (higher is better); p50 / p99 are the median and 99th-percentile ' +
      'latencies in milliseconds (lower is better). ' +
      (ratios.length > 0
        ? `${ratios.map((r) => `sluice/${r}`).join(' and ')} divide Sluice's rps by the reference's: ` +
          'above 1.00× Sluice served more requests per second, below 1.00× fewer.'
        : 'Ratio columns appear when sluice is measured with a reference.') +
      ' Targets run one after another on the same machine, in an order that rotates from row to row.',
  ];

  const machineTable = table(
    ['Item', 'Value'],
    ['l', 'l'],
    [
      ['CPU', cell(`${machine.cpus} × ${machine.cpuModel}`)],
      ['Memory', formatBytes(machine.memoryBytes)],
      ['OS', cell(machine.os)],
      ['Node', machine.node],
      ['Load average at start', machine.loadAverage.join(', ')],
      ['redis-server', cell(versions.redisServer ?? 'not found')],
      ['redis-benchmark', cell(versions.redisBenchmark ?? 'not found')],
      ['sluice-server', versions.sluice ?? 'unknown'],
    ],
  );
  const targetTable = table(
    ['Target', 'What', 'Command'],
    ['l', 'l', 'l'],
    results.targets.map((t) => [t.name, cell(t.description), `\`${cell(shellQuote(t.command))}\``]),
  );

  return `${[
    ...intro,
    ...results.suites.map((suite) => renderSuite(suite, targets)),
    '## Machine and versions',
    machineTable,
    '## Targets',
    'Each target was started once for the whole run, with a fresh temporary directory.',
    targetTable,
  ].join('\n\n')}\n`;
}

/** The line printed when a row has run on every target. */
export function rowSummary(suite: SuiteResult, rowId: string, targets: readonly TargetName[]): string {
  const row = suite.rows.find((r) => r.id === rowId);
  const figures = targets.map((t) => {
    const run = findRun(suite, rowId, t);
    if (run?.measurement) return `${t} ${formatRps(run.measurement.rps)} rps`;
    return `${t} ${run?.error !== undefined ? 'failed' : '—'}`;
  });
  const sluice = findRun(suite, rowId, 'sluice')?.measurement;
  const ratios = ratioColumns(targets).flatMap((r) => {
    const reference = findRun(suite, rowId, r)?.measurement;
    return sluice && reference ? [`${formatRatio(sluice.rps, reference.rps)} ${r}`] : [];
  });
  return `${suite.name}: ${row?.label ?? rowId}: ${figures.join(', ')}${ratios.length ? ` (${ratios.join(', ')})` : ''}`;
}
