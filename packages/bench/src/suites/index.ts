/** Every suite sluice-bench knows, in the order a run goes through them. */
import type { Suite } from '../suite.js';
import { clientsSuite } from './clients.js';
import { clusterSuite } from './cluster.js';
import { collectionsSuite } from './collections.js';
import { httpSuite } from './http.js';
import { kafkaSuite } from './kafka.js';
import { logSuite } from './log.js';
import { messagingSuite } from './messaging.js';
import { redisBenchmarkSuite } from './redis-benchmark.js';
import { scaleSuite } from './scale.js';
import { scriptingSuite } from './scripting.js';

export const SUITES: readonly Suite[] = [
  redisBenchmarkSuite,
  scriptingSuite,
  collectionsSuite,
  messagingSuite,
  clientsSuite,
  httpSuite,
  kafkaSuite,
  logSuite,
  scaleSuite,
  clusterSuite,
];
