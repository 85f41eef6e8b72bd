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
import type { RunningServer } from './servers.js';
import { type Mode, RunFailure, type Suite, type Target } from './suite.js';
import { TARGETS, type TargetName } from './targets.js';

export interface RunOptions {
  suites: readonly Suite[];
  /** Started targets, in their nominal order. */
  servers: ReadonlyMap<TargetName, RunningServer>;
  mode: Mode;
  signal: AbortSignal;
  progress: Progress;
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
      await TARGETS[target.name].settle(target.server, signal);
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

export async function runSuites(options: RunOptions): Promise<SuiteResult[]> {
  const { servers, signal, progress } = options;
  const targets: Target[] = [...servers].map(([name, server]) => ({ name, server }));
  const names = targets.map((t) => t.name);
  const plans = options.suites.map((suite) => ({ suite, plan: suite.plan(options.mode) }));
  const total = plans.reduce((sum, { plan }) => sum + plan.rows.length * targets.length, 0);
  let done = 0;
  let rowIndex = 0;

  const results: SuiteResult[] = [];
  for (const { suite, plan } of plans) {
    const result: SuiteResult = {
      name: suite.name,
      title: suite.title,
      description: suite.description,
      settings: { ...plan.settings },
      rows: plan.rows.map(({ id, label, command }) => ({ id, label, command })),
      runs: [],
    };
    results.push(result);

    for (const row of plan.rows) {
      const order = rotate(targets, rowIndex++);
      const records = new Map<TargetName, RunRecord>();
      for (const [position, target] of order.entries()) {
        records.set(target.name, {
          row: row.id,
          target: target.name,
          position,
          startedAt: '',
          durationMs: 0,
        });
      }
      const record = (target: Target) => records.get(target.name) as RunRecord;
      const notRunning = (target: Target) =>
        target.server.alive()
          ? undefined
          : `${target.name} is not running any more (see its output in results.json)`;

      for (const target of order) {
        const dead = notRunning(target);
        if (dead) {
          record(target).error = dead;
          continue;
        }
        progress.activity({
          suite: suite.name,
          row: row.label,
          target: target.name,
          phase: 'preparing',
          done,
          total,
        });
        try {
          const prepared = await row.prepare?.(target, { signal });
          if (prepared) record(target).prepare = prepared;
        } catch (err) {
          signal.throwIfAborted();
          record(target).error = `preparing failed: ${describe(err)}`;
        }
      }

      for (const target of order) {
        const rec = record(target);
        rec.error ??= notRunning(target);
        rec.startedAt = new Date().toISOString();
        if (rec.error === undefined) {
          progress.activity({
            suite: suite.name,
            row: row.label,
            target: target.name,
            phase: 'measuring',
            done,
            total,
          });
          await quiesce(targets, signal);
          const started = performance.now();
          try {
            const run = await row.measure(target, { signal });
            rec.measurement = run.measurement;
            rec.detail = run.detail;
          } catch (err) {
            signal.throwIfAborted();
            rec.error = describe(err);
            if (err instanceof RunFailure) rec.detail = err.detail;
          }
          rec.durationMs = Math.round(performance.now() - started);
        }
        result.runs.push(rec);
        done++;
      }
      progress.rowFinished(rowSummary(result, row.id, names));
    }
  }
  return results;
}
