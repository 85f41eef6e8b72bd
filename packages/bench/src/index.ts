/**
 * sluice-bench as a library: the CLI's entry point, the server launcher and the pieces a new suite needs.
 */

export { type RenderedChart, renderCharts } from './charts.js';
export { main, parseOptions, USAGE } from './cli.js';
export { createProgress, type Progress } from './progress.js';
export { connect, pingOnce, preloadKeyspace } from './raw-client.js';
export { formatRatio, renderReport } from './report.js';
export type { Results, RunRecord, SuiteResult } from './results.js';
export { rotate, runSuites } from './runner.js';
export {
  type RunningServer,
  ServerStartError,
  type StartOptions,
  type StartRedisOptions,
  type StartSluiceOptions,
  startRedis,
  startSluice,
} from './servers.js';
export type {
  BenchRow,
  ChartSpec,
  ColumnSpec,
  Measurement,
  Mode,
  RatioSpec,
  RowRun,
  Suite,
  SuitePlan,
  TableSpec,
  Target,
} from './suite.js';
export { RunFailure, RunSkipped } from './suite.js';
export { SUITES } from './suites/index.js';
export { parseBenchmarkCsv } from './suites/redis-benchmark.js';
export { type BaseCheckout, baseTarget, TARGETS, type TargetName, targetsFor } from './targets.js';
