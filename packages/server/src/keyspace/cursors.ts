/**
 * SCAN cursors. LMDB iterates in key order, so a cursor stands for "after this stored key"; the server
 * hands out small integers and remembers the key behind each, keeping the most recent `capacity`.
 * A cursor it does not know (forgotten, or from before a restart) starts the scan over: SCAN may return
 * an element more than once, never miss one that was there for the whole scan.
 */
export class CursorTable {
  private readonly positions = new Map<number, { db: number; after: Buffer }>();
  private next = 1;

  constructor(private readonly capacity = 16384) {}

  issue(db: number, after: Buffer): number {
    const id = this.next++;
    if (this.next > Number.MAX_SAFE_INTEGER) this.next = 1;
    this.positions.set(id, { db, after });
    if (this.positions.size > this.capacity) {
      const oldest = this.positions.keys().next().value as number;
      this.positions.delete(oldest);
    }
    return id;
  }

  /** The stored key to continue after, or undefined to start from the beginning. */
  resolve(db: number, cursor: number): Buffer | undefined {
    const p = this.positions.get(cursor);
    return p !== undefined && p.db === db ? p.after : undefined;
  }
}
