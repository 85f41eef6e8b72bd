/**
 * Runs suites against started targets. For each row: prepare every target (unmeasured), then measure
 * each one, in an order that rotates from row to row so that drift and noise (a warming machine, a
 * neighbour's burst) fall on every target alike. Before each measured run, every target's leftover
 * background work is allowed to finish.
 */
import { runTool } from './exec.js';
import type { Progress } from './progress.js';
import { rowSummary } from './report.js';
import type { RunRecord, SuiteResult } from './results.js';
import {
  type BenchRow,
  defaultTables,
  type Mode,
  type RowRun,
  RunFailure,
  RunSkipped,
  type Suite,
  type SuitePlan,
  type Target,
} from './suite.js';
import type { TargetName } from './targets.js';

export interface RunOptions {
  suites: readonly Suite[];
  /** Started targets, in column order. */
  targets: readonly Target[];
  mode: Mode;
  signal: AbortSignal;
  progress: Progress;
  /** Suites that cannot run on this machine, with the reason (from `Suite.check`). */
  unavailable?: ReadonlyMap<string, string>;
}

/** `items` rotated left by `by`: row 0 runs a, b, c; row 1 b, c, a; row 2 c, a, b. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/**
 * Lets the work one run leaves behind finish before the next run starts, so that it is not charged to
 * whichever target comes next: every target's background work (redis-server's AOF rewrite), then the
 * kernel's writeback of dirty pages (`sync`). Best effort: a failure here only costs fairness.
 */
async function quiesce(targets: readonly Target[], signal: AbortSignal): Promise<void> {
  for (const target of targets) {
    if (!target.server.alive()) continue;
    try {
      await target.spec.settle(target.server, signal);
    } catch {
      signal.throwIfAborted();
    }
  }
  try {
    await runTool('sync', [], { signal, timeoutMs: 120_000 });
  } catch {
    signal.throwIfAborted();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A target of the run, or a baseline of the suite: a tool measured once per row, like kcat (the build
 * `--baseline` names is not one of those but a target, `sluice-base`).
 */
type Participant = { kind: 'target'; name: TargetName; target: Target } | { kind: 'baseline'; name: string };

export async function runSuites(options: RunOptions): Promise<SuiteResult[]> {
  const { targets, signal, progress } = options;

  const plans = options.suites.map((suite) => {
    const base = {
      name: suite.name,
      title: suite.title,
      description: suite.description,
    };
    const reason = options.unavailable?.get(suite.name);
    const own = targets.filter((t) => suite.targets?.includes(t.name) ?? true);
    const skipped =
      reason ??
      (own.length === 0
        ? `it measures only ${suite.targets?.join(', ')}, which this run does not start`
        : undefined);
    if (skipped !== undefined) return { suite, base, skipped, own, plan: undefined };
    return {
      suite,
      base,
      skipped,
      own,
      plan: suite.plan(
        options.mode,
        own.map((t) => t.name),
      ),
    };
  });
  const participantsOf = (own: readonly Target[], plan: SuitePlan): Participant[] => [
    ...own.map((target): Participant => ({ kind: 'target', name: target.name, target })),
    ...(plan.baselines ?? []).map((name): Participant => ({ kind: 'baseline', name })),
  ];
  const total = plans.reduce(
    (sum, { own, plan }) => sum + (plan ? plan.rows.length * participantsOf(own, plan).length : 0),
    0,
  );
  let done = 0;
  let rowIndex = 0;

  const results: SuiteResult[] = [];
  for (const { suite, base, skipped, own, plan } of plans) {
    if (plan === undefined) {
      results.push({ ...base, settings: {}, rows: [], runs: [], skipped });
      progress.rowFinished(`${suite.name}: skipped: ${skipped}`);
      continue;
    }
    const participants = participantsOf(own, plan);
    const names = participants.map((p) => p.name);
    const result: SuiteResult = {
      ...base,
      settings: { ...plan.settings },
      rows: plan.rows.map(({ id, label, command }) => ({ id, label, command })),
      runs: [],
      participants: names,
      tables: plan.tables ?? defaultTables(names),
      ...(plan.charts ? { charts: plan.charts } : {}),
      ...(plan.rateUnit ? { rateUnit: plan.rateUnit } : {}),
    };
    results.push(result);
    try {
      for (const row of plan.rows) {
        const recorded = await runRow(suite, row, rotate(participants, rowIndex++), {
          targets,
          signal,
          progress,
          result,
          done,
          total,
        });
        done += recorded;
        progress.rowFinished(rowSummary(result, row.id));
      }
    } finally {
      await plan.close?.();
    }
  }
  return results;
}

interface RowState {
  /** Every target of the run, for quiescing. */
  targets: readonly Target[];
  signal: AbortSignal;
  progress: Progress;
  result: SuiteResult;
  done: number;
  total: number;
}

/** Prepares and measures one row on each participant, in `order`; resolves with the runs recorded. */
async function runRow(
  suite: Suite,
  row: BenchRow,
  order: readonly Participant[],
  state: RowState,
): Promise<number> {
  const { signal, progress, result } = state;
  const records = new Map<string, RunRecord>();
  for (const [position, p] of order.entries()) {
    records.set(p.name, { row: row.id, target: p.name, position, startedAt: '', durationMs: 0 });
  }
  const record = (p: Participant) => records.get(p.name) as RunRecord;
  const notRunning = (p: Participant) =>
    p.kind === 'baseline' || p.target.server.alive()
      ? undefined
      : `${p.name} is not running any more (see its output in results.json)`;
  const activity = (p: Participant, phase: 'preparing' | 'measuring', done: number) =>
    progress.activity({ suite: suite.name, row: row.label, target: p.name, phase, done, total: state.total });
  /** Records what an exception means: skipped, failed (with the tool's output when it has some). */
  const settle = (rec: RunRecord, err: unknown, prefix = '') => {
    signal.throwIfAborted();
    if (err instanceof RunSkipped) {
      rec.skipped = err.message;
      return;
    }
    rec.error = `${prefix}${describe(err)}`;
    if (err instanceof RunFailure) rec.detail = err.detail;
  };

  for (const p of order) {
    if (p.kind !== 'target') continue;
    const dead = notRunning(p);
    if (dead) {
      record(p).error = dead;
      continue;
    }
    activity(p, 'preparing', state.done);
    try {
      const prepared = await row.prepare?.(p.target, { signal });
      if (prepared) record(p).prepare = prepared;
    } catch (err) {
      settle(record(p), err, 'preparing failed: ');
    }
  }

  let recorded = 0;
  for (const p of order) {
    const rec = record(p);
    if (rec.skipped === undefined) rec.error ??= notRunning(p);
    rec.startedAt = new Date().toISOString();
    if (rec.error === undefined && rec.skipped === undefined) {
      activity(p, 'measuring', state.done + recorded);
      await quiesce(state.targets, signal);
      const started = performance.now();
      try {
        const run =
          p.kind === 'target'
            ? await row.measure(p.target, { signal })
            : await measureBaseline(row, p.name, signal);
        rec.measurement = run.measurement;
        rec.detail = run.detail;
      } catch (err) {
        settle(rec, err);
      }
      rec.durationMs = Math.round(performance.now() - started);
    }
    result.runs.push(rec);
    recorded++;
  }
  return recorded;
}

function measureBaseline(row: BenchRow, name: string, signal: AbortSignal): Promise<RowRun> {
  if (!row.measureBaseline) return Promise.reject(new Error(`row ${row.id} cannot measure ${name}`));
  return row.measureBaseline(name, { signal });
}
