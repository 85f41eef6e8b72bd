/**
 * The answers of `/healthz` and `/readyz`, as pure functions of what the bridge knows: no clock, no I/O,
 * no metrics. The bridge gathers the inputs (when each side last answered, each partition's lag) and
 * reports the verdict; `test/unit/probes.test.ts` checks every reason without running a bridge.
 */

/** The two sides the bridge talks to. */
export type Component = 'kafka' | 'target';

/** When a component last answered, and whether its last request failed. */
export interface ComponentState {
  readonly okAt: number | undefined;
  readonly failing: boolean;
  /** The last failure's message, while failing (kept when a failure comes without one). */
  readonly error: string | undefined;
}

/** A component not reached yet. */
export const NOT_REACHED: ComponentState = { okAt: undefined, failing: false, error: undefined };

/** `state` after the component answered at `now`. */
export function answered(now: number): ComponentState {
  return { okAt: now, failing: false, error: undefined };
}

/** `state` after a failed request; `error` (if given) becomes the reason shown. */
export function failed(state: ComponentState, error?: unknown): ComponentState {
  return {
    okAt: state.okAt,
    failing: true,
    error: error === undefined ? state.error : error instanceof Error ? error.message : String(error),
  };
}

/** Answered at least once, and its last request did not fail. */
export function isConnected(state: ComponentState): boolean {
  return state.okAt !== undefined && !state.failing;
}

/** What readiness and health need of one partition. */
export interface PartitionView {
  readonly partition: number;
  readonly isAssigned: boolean;
  /** Why the target's offset cannot be right, while it is so. */
  readonly inconsistent: string | undefined;
  /** From the last lag poll (`undefined`: not known yet). */
  readonly lagRecords: number | undefined;
  readonly lagSeconds: number | undefined;
  /** The stored offset as last read (`null`: none; `undefined`: not read yet). */
  readonly stored: bigint | null | undefined;
  readonly high: bigint | undefined;
}

/** The answer of `/readyz`. */
export interface Readiness {
  ready: boolean;
  reasons: string[];
  partitions: PartitionStatus[];
}

export interface PartitionStatus {
  partition: number;
  assigned: boolean;
  storedOffset: string | null;
  highWatermark: string | null;
  lagRecords: number | null;
  lagSeconds: number | null;
}

/** The answer of `/healthz`. */
export interface Health {
  status: 'ok' | 'stopping';
  kafka: 'connected' | 'disconnected';
  target: 'connected' | 'disconnected';
  assignedPartitions: number[];
}

export interface ReadinessInput {
  now: number;
  stopping: boolean;
  /** `--lag-interval-ms`: a component is stale after `max(3 × this, 5 s)` without an answer. */
  lagIntervalMs: number;
  maxLagRecords: number;
  maxLagSeconds: number;
  components: Readonly<Record<Component, ComponentState>>;
  /** Every partition of the topic known so far, in partition order. */
  partitions: readonly PartitionView[];
}

/** Ready when both sides answer and every partition of the topic is caught up within the limits. */
export function readinessOf(input: ReadinessInput): Readiness {
  const { now, partitions } = input;
  const reasons: string[] = [];
  const staleAfter = Math.max(3 * input.lagIntervalMs, 5_000);
  if (input.stopping) reasons.push('stopping');
  for (const component of ['kafka', 'target'] as const) {
    const { okAt, failing, error } = input.components[component];
    if (okAt === undefined) reasons.push(`${component}: not reached yet`);
    else if (failing) reasons.push(`${component}: failing${error === undefined ? '' : ` (${error})`}`);
    else if (now - okAt > staleAfter)
      reasons.push(`${component}: no answer for ${Math.round((now - okAt) / 1000)} s`);
  }
  if (partitions.length === 0) reasons.push('the topic’s partitions are not known yet');
  for (const s of partitions) {
    if (s.inconsistent !== undefined) reasons.push(`partition ${s.partition}: ${s.inconsistent}`);
    else if (s.lagRecords === undefined || s.lagSeconds === undefined) {
      reasons.push(`partition ${s.partition}: lag not known yet`);
    } else if (s.lagRecords > input.maxLagRecords) {
      reasons.push(`partition ${s.partition}: ${s.lagRecords} records behind`);
    } else if (s.lagSeconds > input.maxLagSeconds) {
      reasons.push(`partition ${s.partition}: ${s.lagSeconds.toFixed(1)} s behind`);
    }
  }
  return {
    ready: reasons.length === 0,
    reasons,
    partitions: partitions.map((s) => ({
      partition: s.partition,
      assigned: s.isAssigned,
      storedOffset: s.stored === undefined || s.stored === null ? null : s.stored.toString(),
      highWatermark: s.high === undefined ? null : s.high.toString(),
      lagRecords: s.lagRecords ?? null,
      lagSeconds: s.lagSeconds ?? null,
    })),
  };
}

export interface HealthInput {
  stopping: boolean;
  components: Readonly<Record<Component, ComponentState>>;
  /** In partition order. */
  partitions: readonly Pick<PartitionView, 'partition' | 'isAssigned'>[];
}

/** `ok` until stopping, whatever the components do: the body says whether they answer. */
export function healthOf(input: HealthInput): Health {
  return {
    status: input.stopping ? 'stopping' : 'ok',
    kafka: isConnected(input.components.kafka) ? 'connected' : 'disconnected',
    target: isConnected(input.components.target) ? 'connected' : 'disconnected',
    assignedPartitions: input.partitions.filter((s) => s.isAssigned).map((s) => s.partition),
  };
}
