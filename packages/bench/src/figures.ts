/** Reading figures out of a suite's results: which run, which participants and tables, which ratio. */
import type { RunRecord, SuiteResult } from './results.js';
import { defaultTables, type RatioSpec, type TableSpec } from './suite.js';

export function findRun(suite: SuiteResult, row: string, participant: string): RunRecord | undefined {
  return suite.runs.find((run) => run.row === row && run.target === participant);
}

/** Who a suite's rows ran on; format 1 results did not say: every target of the run. */
export function participantsOf(suite: SuiteResult, runTargets: readonly string[]): string[] {
  return suite.participants ?? [...runTargets];
}

export function tablesOf(suite: SuiteResult, runTargets: readonly string[]): TableSpec[] {
  return suite.tables ?? defaultTables(participantsOf(suite, runTargets));
}

/** The rows `spec` lists. */
export function rowsOf<Row extends { id: string }>(rows: readonly Row[], spec: TableSpec | undefined): Row[] {
  const only = spec?.rows;
  return only === undefined ? [...rows] : rows.filter((row) => only.includes(row.id));
}

/** `figure` of `run`, when it was measured and is a finite number. */
export function figureOf(run: RunRecord | undefined, figure: string): number | undefined {
  const value = run?.measurement?.[figure];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function ratioValue(suite: SuiteResult, row: string, ratio: RatioSpec): number | undefined {
  const of = figureOf(findRun(suite, row, ratio.of), ratio.figure);
  const over = figureOf(findRun(suite, row, ratio.over), ratio.figure);
  return of !== undefined && over !== undefined && over > 0 ? of / over : undefined;
}

/** The geometric mean of the positive values, or undefined when there is none. */
export function geometricMean(values: readonly number[]): number | undefined {
  const usable = values.filter((v) => v > 0 && Number.isFinite(v));
  if (usable.length === 0) return undefined;
  return Math.exp(usable.reduce((sum, v) => sum + Math.log(v), 0) / usable.length);
}
