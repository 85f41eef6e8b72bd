/** Retry delays: exponential from `initialMs`, capped at `maxMs`, with jitter so that retries spread out. */
export class Backoff {
  #failures = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt: between half and all of `initialMs × 2^failures` (capped). */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  get failures(): number {
    return this.#failures;
  }

  reset(): void {
    this.#failures = 0;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The delay a new `Backoff` gives at its `failures`-th `next()` (1: the first delay). */
export function backoffDelay(
  initialMs: number,
  maxMs: number,
  failures: number,
  random: () => number = Math.random,
): number {
  const backoff = new Backoff(initialMs, maxMs, random);
  for (let i = 1; i < failures; i++) backoff.next();
  return backoff.next();
}
