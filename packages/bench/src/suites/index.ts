/** Every suite sluice-bench knows, in the order a run goes through them. */
import type { Suite } from '../suite.js';
import { redisBenchmarkSuite } from './redis-benchmark.js';

export const SUITES: readonly Suite[] = [redisBenchmarkSuite];
