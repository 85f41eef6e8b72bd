/**
 * The report's charts, as SVG files written next to report.md: throughput ratio bars, latency
 * percentile curves and rate bars. Each suite says which it gets (`SuiteResult.charts`); a chart with no
 * figure to show is left out, and so is its link.
 */
import { findRun, participantsOf, ratioValue, rowsOf, tablesOf } from './figures.js';
import type { Results, SuiteResult } from './results.js';
import type { ChartSpec } from './suite.js';
import {
  colourFor,
  compactNumber,
  element,
  legend,
  line,
  niceTicks,
  rect,
  svgDocument,
  text,
  textWidth,
} from './svg.js';

export interface RenderedChart {
  suite: string;
  kind: ChartSpec['kind'];
  /** File name, next to report.md. */
  file: string;
  /** The image's alternative text and the SVG's title. */
  title: string;
  svg: string;
}

const WIDTH = 900;
const GRID = '#e3e3e3';
const AXIS = '#888888';

export function chartSpecs(suite: SuiteResult, runTargets: readonly string[]): ChartSpec[] {
  if (suite.charts) return suite.charts;
  const [first] = tablesOf(suite, runTargets);
  return first && first.ratios.length > 0 ? [{ kind: 'ratio-bars' }] : [];
}

export function renderCharts(results: Results): RenderedChart[] {
  const runTargets = results.settings.targets;
  return results.suites.flatMap((suite) => {
    if (suite.skipped !== undefined) return [];
    return chartSpecs(suite, runTargets).flatMap((spec) => {
      const chart = renderChart(suite, spec, runTargets);
      return chart ? [chart] : [];
    });
  });
}

function renderChart(
  suite: SuiteResult,
  spec: ChartSpec,
  runTargets: readonly string[],
): RenderedChart | undefined {
  const file = `${suite.name}-${spec.kind}.svg`;
  switch (spec.kind) {
    case 'ratio-bars': {
      const title = `${suite.title}: Sluice's throughput over the references' (higher is better)`;
      const svg = ratioBars(suite, runTargets, title);
      return svg ? { suite: suite.name, kind: spec.kind, file, title, svg } : undefined;
    }
    case 'latency-curves': {
      const title = `${suite.title}: latency percentiles per row (lower is better)`;
      const svg = latencyCurves(suite, runTargets, spec.figures, spec.labels, title);
      return svg ? { suite: suite.name, kind: spec.kind, file, title, svg } : undefined;
    }
    case 'rate-bars': {
      const title = `${suite.title}: ${suite.rateUnit ?? 'requests/s'} (higher is better)`;
      const svg = rateBars(suite, runTargets, title);
      return svg ? { suite: suite.name, kind: spec.kind, file, title, svg } : undefined;
    }
  }
}

/** Horizontal bars, a group per row and a bar per ratio, on an axis from 0 with a line at 1.00×. */
function ratioBars(suite: SuiteResult, runTargets: readonly string[], title: string): string | undefined {
  const [first] = tablesOf(suite, runTargets);
  const ratios = first?.ratios ?? [];
  const rows = rowsOf(suite.rows, first);
  const values = rows.map((row) => ratios.map((r) => ratioValue(suite, row.id, r)));
  const all = values.flat().filter((v): v is number => v !== undefined);
  if (ratios.length === 0 || all.length === 0) return undefined;

  const bar = 14;
  const groupGap = 12;
  const groupHeight = ratios.length * (bar + 2) - 2;
  const labelWidth = Math.min(380, Math.max(...rows.map((r) => textWidth(r.label))) + 14);
  const left = labelWidth + 10;
  const right = WIDTH - 60;
  const top = 84;
  const plotHeight = rows.length * (groupHeight + groupGap) - groupGap;
  const bottom = top + plotHeight;
  const ticks = niceTicks(Math.max(1.2, ...all) * 1.05, 6);
  const max = ticks.at(-1) ?? 1;
  const x = (v: number) => left + (v / max) * (right - left);

  const body: string[] = [text(WIDTH / 2, 22, title, { anchor: 'middle', size: 15, weight: 'bold' })];
  body.push(
    ...legend(
      left,
      46,
      ratios.map((r, i) => ({ label: r.header, colour: colourFor(r.header, i) })),
    ),
  );
  for (const tick of ticks) {
    body.push(line(x(tick), top - 4, x(tick), bottom + 4, GRID));
    body.push(text(x(tick), bottom + 18, `${tick}×`, { anchor: 'middle', fill: '#555' }));
  }
  rows.forEach((row, i) => {
    const y0 = top + i * (groupHeight + groupGap);
    body.push(text(left - 8, y0 + groupHeight / 2, row.label, { anchor: 'end', middle: true }));
    ratios.forEach((r, j) => {
      const value = values[i]?.[j];
      const y = y0 + j * (bar + 2);
      if (value === undefined) {
        body.push(text(left + 4, y + bar / 2, 'no figure', { middle: true, fill: '#999', size: 11 }));
        return;
      }
      body.push(rect(left, y, x(value) - left, bar, colourFor(r.header, j)));
      body.push(text(x(value) + 4, y + bar / 2, `${value.toFixed(2)}×`, { middle: true, size: 11 }));
    });
  });
  body.push(line(left, top - 4, left, bottom + 4, AXIS));
  body.push(
    line(x(1), top - 8, x(1), bottom + 4, '#000', { 'stroke-dasharray': '5 3', 'stroke-width': 1.5 }),
  );
  body.push(text(x(1), top - 12, '1.00× = as fast', { anchor: 'middle', size: 11 }));
  body.push(
    text((left + right) / 2, bottom + 38, 'Sluice’s figure divided by the reference’s', {
      anchor: 'middle',
      fill: '#555',
    }),
  );
  return svgDocument(WIDTH, bottom + 52, title, body);
}

/**
 * A panel per row: latency (ms, from 0) against percentile, on an axis spaced by "nines" (p50, p90, p99,
 * p99.9 equally far apart, as HdrHistogram plots them), a line per participant.
 */
function latencyCurves(
  suite: SuiteResult,
  runTargets: readonly string[],
  figures: readonly string[],
  labels: readonly string[],
  title: string,
): string | undefined {
  const participants = participantsOf(suite, runTargets);
  const series = (rowId: string, p: string) =>
    figures.map((f) => {
      const value = findRun(suite, rowId, p)?.measurement?.[f];
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    });
  const rows = suite.rows.filter((row) =>
    participants.some((p) => series(row.id, p).some((v) => v !== undefined)),
  );
  if (rows.length === 0 || figures.length === 0) return undefined;

  const columns = 2;
  const panelWidth = (WIDTH - 30) / columns;
  const panelHeight = 210;
  const top = 64;
  const nines = labels.map((label) => {
    const q = Number(label.replace(/^p/, '')) / 100;
    return q > 0 && q < 1 ? -Math.log10(1 - q) : 0;
  });
  const minNines = Math.min(...nines);
  const maxNines = Math.max(...nines);

  const body: string[] = [text(WIDTH / 2, 22, title, { anchor: 'middle', size: 15, weight: 'bold' })];
  body.push(
    ...legend(
      20,
      46,
      participants.map((p, i) => ({ label: p, colour: colourFor(p, i) })),
    ),
  );
  rows.forEach((row, index) => {
    const ox = 15 + (index % columns) * panelWidth;
    const oy = top + Math.floor(index / columns) * panelHeight;
    const left = ox + 52;
    const right = ox + panelWidth - 18;
    const plotTop = oy + 26;
    const plotBottom = oy + panelHeight - 44;
    const values = participants.flatMap((p) => series(row.id, p).filter((v): v is number => v !== undefined));
    const ticks = niceTicks(Math.max(...values, 0.001) * 1.08, 4);
    const max = ticks.at(-1) ?? 1;
    const x = (i: number) =>
      maxNines === minNines
        ? (left + right) / 2
        : left + (((nines[i] ?? 0) - minNines) / (maxNines - minNines)) * (right - left);
    const y = (v: number) => plotBottom - (v / max) * (plotBottom - plotTop);

    body.push(text(ox + panelWidth / 2, oy + 12, row.label, { anchor: 'middle', weight: 'bold', size: 12 }));
    for (const tick of ticks) {
      body.push(line(left, y(tick), right, y(tick), GRID));
      body.push(
        text(left - 6, y(tick), String(tick), { anchor: 'end', middle: true, size: 11, fill: '#555' }),
      );
    }
    labels.forEach((label, i) => {
      body.push(line(x(i), plotTop, x(i), plotBottom, GRID));
      body.push(text(x(i), plotBottom + 15, label, { anchor: 'middle', size: 11, fill: '#555' }));
    });
    body.push(line(left, plotBottom, right, plotBottom, AXIS), line(left, plotTop, left, plotBottom, AXIS));
    body.push(
      element(
        'text',
        {
          x: ox + 14,
          y: (plotTop + plotBottom) / 2,
          'text-anchor': 'middle',
          'font-size': 11,
          fill: '#555',
          transform: `rotate(-90 ${ox + 14} ${(plotTop + plotBottom) / 2})`,
        },
        'latency (ms)',
      ),
    );
    body.push(
      text((left + right) / 2, plotBottom + 31, 'percentile', { anchor: 'middle', size: 11, fill: '#555' }),
    );
    participants.forEach((p, pi) => {
      const points = series(row.id, p).flatMap((v, i) => (v === undefined ? [] : [[x(i), y(v)] as const]));
      if (points.length === 0) return;
      const colour = colourFor(p, pi);
      body.push(
        element('polyline', {
          points: points
            .map(([px, py]) => `${Math.round(px * 10) / 10},${Math.round(py * 10) / 10}`)
            .join(' '),
          fill: 'none',
          stroke: colour,
          'stroke-width': 2,
        }),
      );
      for (const [px, py] of points) body.push(element('circle', { cx: px, cy: py, r: 3, fill: colour }));
    });
  });
  const height = top + Math.ceil(rows.length / columns) * panelHeight + 4;
  return svgDocument(WIDTH, height, title, body);
}

/** Vertical bars of `rps`, a group per row and a bar per participant, each labelled with its value. */
function rateBars(suite: SuiteResult, runTargets: readonly string[], title: string): string | undefined {
  const participants = participantsOf(suite, runTargets);
  const value = (rowId: string, p: string) => findRun(suite, rowId, p)?.measurement?.rps;
  const all = suite.rows.flatMap((row) => participants.flatMap((p) => value(row.id, p) ?? []));
  if (all.length === 0) return undefined;

  const left = 70;
  const right = WIDTH - 20;
  const top = 70;
  const plotBottom = top + 260;
  // Values more than 20 times apart (a bridge next to kcat) get a logarithmic axis, or the small ones vanish.
  const positive = all.filter((v) => v > 0);
  const logarithmic = positive.length > 0 && Math.max(...positive) / Math.min(...positive) > 20;
  const ticks = logarithmic
    ? decades(Math.min(...positive), Math.max(...positive))
    : niceTicks(Math.max(...all) * 1.12, 5);
  const min = logarithmic ? (ticks[0] ?? 1) : 0;
  const max = ticks.at(-1) ?? 1;
  const y = (v: number) =>
    logarithmic
      ? plotBottom -
        ((Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) *
          (plotBottom - top)
      : plotBottom - (v / max) * (plotBottom - top);
  const groupWidth = (right - left) / suite.rows.length;
  const barWidth = Math.min(70, (groupWidth * 0.8) / participants.length);

  const body: string[] = [text(WIDTH / 2, 22, title, { anchor: 'middle', size: 15, weight: 'bold' })];
  body.push(
    ...legend(
      left,
      46,
      participants.map((p, i) => ({ label: p, colour: colourFor(p, i) })),
    ),
  );
  for (const tick of ticks) {
    body.push(line(left, y(tick), right, y(tick), GRID));
    body.push(text(left - 6, y(tick), compactNumber(tick), { anchor: 'end', middle: true, fill: '#555' }));
  }
  let labelLines = 1;
  suite.rows.forEach((row, i) => {
    const centre = left + (i + 0.5) * groupWidth;
    const start = centre - (barWidth * participants.length) / 2;
    participants.forEach((p, j) => {
      const v = value(row.id, p);
      const bx = start + j * barWidth;
      if (v === undefined) {
        body.push(text(bx + barWidth / 2, plotBottom - 6, '—', { anchor: 'middle', fill: '#999' }));
        return;
      }
      body.push(rect(bx + 2, y(v), barWidth - 4, plotBottom - y(v), colourFor(p, j)));
      body.push(text(bx + barWidth / 2, y(v) - 5, compactNumber(v), { anchor: 'middle', size: 11 }));
    });
    const parts = row.label.split(' · ');
    labelLines = Math.max(labelLines, parts.length);
    parts.forEach((part, k) => {
      body.push(text(centre, plotBottom + 18 + k * 15, part, { anchor: 'middle' }));
    });
  });
  body.push(line(left, plotBottom, right, plotBottom, AXIS), line(left, top, left, plotBottom, AXIS));
  body.push(
    element(
      'text',
      {
        x: 18,
        y: (top + plotBottom) / 2,
        'text-anchor': 'middle',
        fill: '#555',
        transform: `rotate(-90 18 ${(top + plotBottom) / 2})`,
      },
      `${suite.rateUnit ?? 'requests/s'}${logarithmic ? ' (logarithmic scale)' : ''}`,
    ),
  );
  return svgDocument(WIDTH, plotBottom + 24 + labelLines * 15, title, body);
}

/** Powers of ten from just below `min` to just above `max`: the ticks of a logarithmic axis. */
export function decades(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) ticks.push(10 ** e);
  if (ticks.length < 2) ticks.push((ticks[0] ?? 1) * 10);
  return ticks;
}
