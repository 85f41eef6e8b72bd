/**
 * What a suite is. A suite plans rows; the runner (runner.ts) starts the targets once, runs every row
 * against every target in an order that rotates from row to row, and records each run. New suites
 * (client libraries, HTTP, Kafka, scale) implement `Suite` and are listed in suites/index.ts.
 */
import type { RunningServer } from './servers.js';
import type { TargetName } from './targets.js';

/** How long a run lasts: `full` for published figures, `quick` for a look, `tiny` for the tests. */
export type Mode = 'full' | 'quick' | 'tiny';

/** One run's figures. Latencies in milliseconds, throughput in requests per second. */
export interface Measurement {
  rps: number;
  avgMs: number;
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A started target as rows see it. */
export interface Target {
  readonly name: TargetName;
  readonly server: RunningServer;
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
}

export interface SuitePlan {
  /** The suite's exact settings, for results.json and the report. */
  readonly settings: Record<string, string | number>;
  /** Rows in the order they run. */
  readonly rows: readonly BenchRow[];
}

export interface Suite {
  /** The name `--only` takes. */
  readonly name: string;
  readonly title: string;
  /** A paragraph of Markdown for the report: what the suite measures and how. */
  readonly description: string;
  /** Fails with a clear message when a tool the suite needs is missing. */
  check?(): Promise<void>;
  /**
   * Plans one run. The plan may keep state across its rows (what a target's key space holds), so plan
   * afresh for each run.
   */
  plan(mode: Mode): SuitePlan;
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
