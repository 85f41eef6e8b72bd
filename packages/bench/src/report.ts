/** Renders results.json as report.md: per suite its tables, charts and exact settings; then the machine. */
import { type RenderedChart, renderCharts } from './charts.js';
import { figureOf, findRun, geometricMean, participantsOf, ratioValue, rowsOf, tablesOf } from './figures.js';
import type { Results, RunRecord, SuiteResult } from './results.js';
import { type ColumnSpec, type FigureFormat, sluiceRatios, type TableSpec } from './suite.js';
import type { BaseCheckout } from './targets.js';

export function formatRps(rps: number): string {
  return Math.round(rps).toLocaleString('en-US');
}

/** Milliseconds with three significant-ish decimals, as redis-benchmark prints them. */
export function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(3);
}

/** `0.82×`: how many times the reference's figure the measured one is. */
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

/** Bytes in binary units with three significant digits: `512 B`, `86.4 MiB`, `1.23 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

export function formatFigure(value: number, format: FigureFormat): string {
  switch (format) {
    case 'rate':
      return formatRps(value);
    case 'ms':
      return formatMs(value);
    case 'whole-ms':
      return value.toFixed(0);
    case 'bytes':
      return formatBytes(value);
    case 'seconds':
      return value.toFixed(2);
  }
}

/** A command line as a POSIX shell would need it typed: arguments quoted where they must be. */
export function shellQuote(args: readonly string[]): string {
  return args
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** Escapes what would break a Markdown table cell inside a code span (backticks). */
function codeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * Escapes what would break a Markdown table cell of plain text, including angle brackets, which
 * Markdown renderers that allow HTML (VitePress's among them) would take for tags: `<port>`.
 */
function cell(text: string): string {
  return prose(codeCell(text));
}

/**
 * Plain text with its angle brackets escaped (see `cell`), except inside code spans, which Markdown shows
 * verbatim: there `&lt;` would be read as written.
 */
function prose(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
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

/** The ratio columns a run with these targets gets by default: sluice over each reference measured. */
export function ratioColumns(targets: readonly string[]): string[] {
  return sluiceRatios(targets, 'rps').map((r) => r.over);
}

/** What a cell says when a run has no figure: failed, skipped, or — when it did not run. */
function missing(run: RunRecord | undefined): string {
  if (run?.error !== undefined) return 'failed';
  if (run?.skipped !== undefined) return 'skipped';
  return '—';
}

function columnCell(run: RunRecord | undefined, column: ColumnSpec): string {
  const values = column.figures.map((f) => figureOf(run, f));
  if (values.every((v) => v === undefined)) return missing(run);
  return values.map((v) => (v === undefined ? '—' : formatFigure(v, column.format))).join(' / ');
}

function renderTable(suite: SuiteResult, spec: TableSpec, all: readonly string[]): string {
  const participants = spec.participants ?? all;
  const header = [
    'Row',
    ...spec.columns.flatMap((c) => participants.map((p) => `${p} ${c.header}`)),
    ...spec.ratios.map((r) => r.header),
  ];
  const align = header.map((_, i) => (i === 0 ? 'l' : 'r') as 'l' | 'r');
  const rows = rowsOf(suite.rows, spec);
  const body = rows.map((row) => [
    cell(row.label),
    ...spec.columns.flatMap((c) => participants.map((p) => columnCell(findRun(suite, row.id, p), c))),
    ...spec.ratios.map((r) => {
      const value = ratioValue(suite, row.id, r);
      return value === undefined ? '—' : `${value.toFixed(2)}×`;
    }),
  ]);
  const parts = [];
  if (spec.caption) parts.push(spec.caption);
  parts.push(table(header, align, body));
  const means = spec.ratios.flatMap((r) => {
    const mean = geometricMean(rows.flatMap((row) => ratioValue(suite, row.id, r) ?? []));
    return mean === undefined ? [] : [`${r.header} ${mean.toFixed(2)}×`];
  });
  if (means.length > 0 && rows.length > 1) {
    parts.push(`Geometric mean over the rows: ${means.join(', ')}.`);
  }
  return parts.join('\n\n');
}

function renderSuite(suite: SuiteResult, runTargets: readonly string[], charts: RenderedChart[]): string {
  const parts = [`## ${suite.title}`, prose(suite.description)];
  if (suite.skipped !== undefined) {
    parts.push(`**Not run:** ${suite.skipped}.`);
    return parts.join('\n\n');
  }
  const participants = participantsOf(suite, runTargets);
  for (const spec of tablesOf(suite, runTargets)) parts.push(renderTable(suite, spec, participants));
  for (const chart of charts) parts.push(`![${chart.title}](${chart.file})`);

  const notes = (kind: 'error' | 'skipped') =>
    suite.rows.flatMap((row) =>
      participants.flatMap((p) => {
        const text = findRun(suite, row.id, p)?.[kind];
        return text === undefined ? [] : [`- ${row.label}, ${p}: ${cell(text)}`];
      }),
    );
  const failures = notes('error');
  if (failures.length > 0) parts.push(`Failed runs:\n\n${failures.join('\n')}`);
  const skips = notes('skipped');
  if (skips.length > 0) parts.push(`Skipped runs:\n\n${skips.join('\n')}`);

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
      suite.rows.map((row) => [cell(row.label), `\`${codeCell(row.command)}\``]),
    ),
  );
  return parts.join('\n\n');
}

/** `the baseline checkout \`/tmp/base\` at commit \`abc…\` (sluice-server 0.1.0)`, for the report. */
function describeBaseline(baseline: BaseCheckout): string {
  const commit = baseline.commit === null ? ', not a git checkout' : ` at commit \`${baseline.commit}\``;
  const version = baseline.version === null ? '' : ` (sluice-server ${baseline.version})`;
  return `the baseline checkout \`${codeCell(baseline.dir)}\`${commit}${version}`;
}

export function renderReport(results: Results, charts: RenderedChart[] = renderCharts(results)): string {
  const { settings, machine, versions } = results;
  const targets = settings.targets;
  const { baseline } = settings;
  const intro = [
    '# sluice-bench results',
    `${results.timestamp} · ${settings.mode} mode · targets: ${targets.join(', ')} · ` +
      `took ${formatDuration(results.durationMs)} · sluice-bench ${results.tool.version}`,
    ...(baseline === undefined
      ? []
      : [
          `**A/B run:** sluice-base is the sluice-server of ${describeBaseline(baseline)}; sluice is this ` +
            'checkout’s. sluice/sluice-base divides the new build’s figure by the baseline’s: above 1.00× the ' +
            'new build served more, below 1.00× less.',
        ]),
    'rps is requests per second and records/s records per second (higher is better); p50 / p99 are ' +
      'the median and 99th-percentile latencies in milliseconds (lower is better). ' +
      (ratioColumns(targets).length > 0
        ? 'A ratio such as sluice/redis divides Sluice’s figure by the reference’s: above 1.00× Sluice ' +
          'served more, below 1.00× less. '
        : 'Ratio columns appear when sluice is measured with a reference. ') +
      'Targets run one after another on the same machine, in an order that rotates from row to row; the ' +
      'load generators run on the same machine too.',
  ];

  const machineTable = table(
    ['Item', 'Value'],
    ['l', 'l'],
    [
      ['CPU', cell(`${machine.cpus} × ${machine.cpuModel}`)],
      ['Memory', `${(machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB`],
      ['OS', cell(machine.os)],
      ['Node', machine.node],
      ['Load average at start', machine.loadAverage.join(', ')],
      ['redis-server', cell(versions.redisServer ?? 'not found')],
      ['redis-benchmark', cell(versions.redisBenchmark ?? 'not found')],
      ['sluice-server', versions.sluice ?? 'unknown'],
      ...(baseline === undefined
        ? []
        : [
            [
              'sluice-server (sluice-base)',
              `${baseline.version ?? 'unknown'}, ${baseline.commit === null ? 'no git commit' : `commit ${baseline.commit}`}`,
            ],
          ]),
    ],
  );
  const targetTable = table(
    ['Target', 'What', 'Command'],
    ['l', 'l', 'l'],
    results.targets.map((t) => [t.name, cell(t.description), `\`${codeCell(shellQuote(t.command))}\``]),
  );

  return `${[
    ...intro,
    ...results.suites.map((suite) =>
      renderSuite(
        suite,
        targets,
        charts.filter((c) => c.suite === suite.name),
      ),
    ),
    '## Machine and versions',
    machineTable,
    '## Targets',
    'Each target was started once for the whole run, with a fresh temporary directory. Suites that ' +
      'need their own servers (HTTP, scale) say so in their description.',
    targetTable,
  ].join('\n\n')}\n`;
}

/** The line printed when a row has run on every participant. */
export function rowSummary(suite: SuiteResult, rowId: string, runTargets: readonly string[] = []): string {
  const row = suite.rows.find((r) => r.id === rowId);
  const unit = suite.rateUnit ?? 'rps';
  // The first table that lists the row says what its headline is: the rate, or that table's first column.
  const spec = tablesOf(suite, runTargets).find((t) => rowsOf(suite.rows, t).some((r) => r.id === rowId));
  const participants = spec?.participants ?? participantsOf(suite, runTargets);
  const column = spec?.columns[0];
  const byRate = column === undefined || column.figures[0] === 'rps';
  const figures = participants.map((p) => {
    const run = findRun(suite, rowId, p);
    if (byRate && run?.measurement) return `${p} ${formatRps(run.measurement.rps)} ${unit}`;
    if (!byRate && column !== undefined && run?.measurement)
      return `${p} ${column.header} ${columnCell(run, column)}`;
    return `${p} ${missing(run)}`;
  });
  const ratios = (spec?.ratios ?? []).flatMap((r) => {
    const value = ratioValue(suite, rowId, r);
    return value === undefined ? [] : [`${value.toFixed(2)}× ${r.header.replace(/^sluice\//, '')}`];
  });
  return `${suite.name}: ${row?.label ?? rowId}: ${figures.join(', ')}${ratios.length ? ` (${ratios.join(', ')})` : ''}`;
}
