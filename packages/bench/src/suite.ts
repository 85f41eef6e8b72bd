/**
 * What a suite is. A suite plans rows; the runner (runner.ts) starts the targets once, runs every row
 * against every target in an order that rotates from row to row, and records each run. Suites are listed
 * in suites/index.ts.
 *
 * How the report shows a suite is data, kept in results.json with the figures: which participants the
 * rows ran on, which figures each table shows, which ratios and which charts. report.ts and charts.ts
 * render from that data alone.
 */
import type { RunningServer } from './servers.js';
import type { TargetName, TargetSpec } from './targets.js';

/** How long a run lasts: `full` for published figures, `quick` for a look, `tiny` for the tests. */
export type Mode = 'full' | 'quick' | 'tiny';

/**
 * One run's figures, by name. `rps` is the headline rate: requests per second, or records per second for
 * the Kafka suite (`rateUnit`). Latencies end in `Ms` (milliseconds), sizes in `Bytes`, durations in `S`.
 */
export interface Measurement {
  rps: number;
  [figure: string]: number;
}

/** A started target as rows see it. */
export interface Target {
  readonly name: TargetName;
  readonly server: RunningServer;
  /** How to start another server of this target (for a suite's own servers) and let it settle. */
  readonly spec: TargetSpec;
}

export interface RunContext {
  /** Aborted on SIGINT: stop what you are doing and throw. */
  readonly signal: AbortSignal;
}

/** Everything worth keeping about one measured run, beyond the figures (command line, raw output…). */
export type Detail = Record<string, unknown>;

export interface RowRun {
  measurement: Measurement;
  detail: Detail;
}

export interface BenchRow {
  /** Stable identifier, e.g. `get-64b-p1`. */
  readonly id: string;
  /** What the report calls the row, e.g. `GET · 64 B · -P 1`. */
  readonly label: string;
  /** The exact command a run executes, with `<port>` for the target's port. */
  readonly command: string;
  /**
   * Brings a target into the state the row needs (for example a loaded key space). Not measured; runs for
   * every target before the row's first measured run. Returns a record of what it did, if anything.
   */
  prepare?(target: Target, ctx: RunContext): Promise<Detail | undefined>;
  measure(target: Target, ctx: RunContext): Promise<RowRun>;
  /** Measures a baseline of the plan (`SuitePlan.baselines`): a tool run that needs no target, like kcat. */
  measureBaseline?(baseline: string, ctx: RunContext): Promise<RowRun>;
}

/**
 * How a figure is printed: `rate` as 12,345, `ms` as 0.295, `whole-ms` as 3 (for tools that measure whole
 * milliseconds), `bytes` as 1.23 GiB, `seconds` as 3.41.
 */
export type FigureFormat = 'rate' | 'ms' | 'whole-ms' | 'bytes' | 'seconds';

/** One column per participant: `<participant> <header>`, the figures joined with ` / `. */
export interface ColumnSpec {
  header: string;
  figures: string[];
  format: FigureFormat;
}

/** One column: `of`'s figure divided by `over`'s, as `0.82×`. */
export interface RatioSpec {
  header: string;
  of: string;
  over: string;
  figure: string;
}

export interface TableSpec {
  /** A line above the table, when a suite has more than one. */
  caption?: string;
  columns: ColumnSpec[];
  ratios: RatioSpec[];
  /** The ids of the rows the table lists, in the suite's order; all of them when absent. */
  rows?: string[];
  /** The participants it has columns for, when not all of the suite's. */
  participants?: string[];
}

/**
 * Charts a suite gets, written next to report.md as `<suite>-<kind>.svg`:
 * - `ratio-bars`: the ratios of the first table, a bar per row and ratio, around a 1.00× line;
 * - `latency-curves`: a panel per row, a line per participant through the given percentiles;
 * - `rate-bars`: `rps` as bars, a group per row and a bar per participant.
 */
export type ChartSpec =
  | { kind: 'ratio-bars' }
  | { kind: 'latency-curves'; figures: string[]; labels: string[] }
  | { kind: 'rate-bars' };

/** The report's default: rps and p50 / p99 per target, and Sluice over each reference that ran. */
export function defaultTables(targets: readonly string[]): TableSpec[] {
  return [
    {
      columns: [
        { header: 'rps', figures: ['rps'], format: 'rate' },
        { header: 'p50 / p99 ms', figures: ['p50Ms', 'p99Ms'], format: 'ms' },
      ],
      ratios: sluiceRatios(targets, 'rps'),
    },
  ];
}

/**
 * What Sluice's figures are divided by, in column order: the baseline build (`--baseline`), then the two
 * redis-server references.
 */
export const REFERENCES: readonly TargetName[] = ['sluice-base', 'redis', 'redis-mem'];

/**
 * `sluice/sluice-base`, `sluice/redis` and `sluice/redis-mem` of `figure`, for the references among
 * `participants`.
 */
export function sluiceRatios(participants: readonly string[], figure: string, suffix = ''): RatioSpec[] {
  if (!participants.includes('sluice')) return [];
  return REFERENCES.filter((r) => participants.includes(r)).map((over) => ({
    header: `sluice/${over}${suffix}`,
    of: 'sluice',
    over,
    figure,
  }));
}

export interface SuitePlan {
  /** The suite's exact settings, for results.json and the report. */
  readonly settings: Record<string, string | number>;
  /** Rows in the order they run. */
  readonly rows: readonly BenchRow[];
  /**
   * Tool runs measured once per row next to the targets, by name (`kcat`); see `measureBaseline`. Not to be
   * confused with `--baseline`, whose build is a target (`sluice-base`).
   */
  readonly baselines?: readonly string[];
  /** What `rps` counts, for progress lines: `rps` (default) or `records/s`. */
  readonly rateUnit?: string;
  /** How the report shows the suite; the default is `defaultTables`. */
  readonly tables?: TableSpec[];
  /** The default is ratio bars when the first table has ratios. */
  readonly charts?: ChartSpec[];
  /** Stops what the plan started for itself (servers, brokers); called once its rows are done. */
  close?(): Promise<void>;
}

export interface Suite {
  /** The name `--only` takes. */
  readonly name: string;
  readonly title: string;
  /** A paragraph of Markdown for the report: what the suite measures and how. */
  readonly description: string;
  /** The targets the suite can measure, when not all (HTTP: only sluice has it). */
  readonly targets?: readonly TargetName[];
  /**
   * Says why the suite cannot run on this machine (a missing tool), or nothing when it can. A suite named
   * with --only that cannot run stops the run; otherwise the report lists it as skipped, with the reason.
   */
  check?(): Promise<string | undefined>;
  /**
   * Plans one run against `targets` (those of the run the suite can measure). The plan may keep state
   * across its rows (what a target's key space holds), so plan afresh for each run.
   */
  plan(mode: Mode, targets: readonly TargetName[]): SuitePlan;
}

/** A run that failed after the tool ran: keeps the tool's output for results.json. */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';
  constructor(
    message: string,
    output: string,
    readonly detail: Detail,
  ) {
    const tail = output.trim().split('\n').slice(-5).join('\n');
    super(tail ? `${message}: ${tail}` : message);
  }
}

/**
 * A run that could not happen for a reason that is not a failure of what is measured (the server does
 * not have the feature yet). The report shows `skipped` and the reason; the exit status stays 0.
 */
export class RunSkipped extends Error {
  override readonly name = 'RunSkipped';
}
