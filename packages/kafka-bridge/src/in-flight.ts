/** Counts the work in flight (batches being taken, positionings, appliers) so that stopping can wait for it. */
export class InFlight {
  #count = 0;
  #idleWaiters: (() => void)[] = [];

  get count(): number {
    return this.#count;
  }

  /** Some work started. */
  enter(): void {
    this.#count++;
  }

  /** Some work ended; the last one wakes those waiting for idle. */
  leave(): void {
    this.#count--;
    if (this.#count === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  /** Resolves when no work is in flight. */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}

/** What the bridge's parts see of `InFlight`. */
export type Work = Pick<InFlight, 'enter' | 'leave'>;
