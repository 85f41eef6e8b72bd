/**
 * The store the bridge writes to, behind the few operations the bridge needs. `redis-target.ts`
 * implements it for any Redis-protocol server; tests use an in-memory one.
 */

import type { Plan, planRecords } from '../plan.js';

/** How the bridge turns records into a transaction's plan. */
export type Planner = typeof planRecords;

/** How batches reach the target. */
export type TransactionMode = 'multi' | 'pipeline';

export type ApplyResult =
  | {
      applied: true;
      /**
       * Records of the plan the target had already (a cluster target's slots whose offset was at or
       * beyond them), so not written again; absent: none.
       */
      alreadyApplied?: number;
    }
  /** The stored offset was not the expected one; nothing was written. */
  | { applied: false; stored: bigint | null };

export interface Target {
  /** The stored offsets of `partitions` (`null`: none stored). */
  readOffsets(partitions: readonly number[]): Promise<Map<number, bigint | null>>;
  /**
   * Write `plan` and set `partition`'s stored offset to `offset`, together, provided the stored offset is
   * still `expected`; otherwise write nothing and report the stored offset. With MULTI/EXEC (and WATCH)
   * the check and the writes are one atomic step.
   */
  apply(partition: number, plan: Plan, offset: bigint, expected: bigint | null): Promise<ApplyResult>;
  /**
   * Plans a transaction for this target (`planInOrder`, say); the bridge uses `planRecords` when the
   * target has no planner of its own.
   */
  readonly planner?: Planner;
  /** How the last apply was written, once known. */
  readonly mode: TransactionMode | undefined;
  /** Whether the target answered the last request. */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** The target refuses to work in the configured way (for example `--transactions require` without MULTI). */
export class TargetConfigError extends Error {
  override readonly name = 'TargetConfigError';
}

/** The target is not reachable right now (not connected, or the connection broke during the request). */
export class TargetUnavailableError extends Error {
  override readonly name = 'TargetUnavailableError';
}
