/**
 * Decoded forms of element entries kept between commands (a sorted set's tree nodes), so that a command
 * does not decode again what the last one just read or wrote. Least recently used entries go first past
 * `limit`. A cached value is what the entry holds with every write executed so far, committed or not: a
 * batch that fails to commit (its writes never reach LMDB) empties the cache, as does FLUSHALL.
 * Callers never change a value they got from the cache: they copy it first.
 */
export class DecodedCache {
  private readonly entries = new Map<string, unknown>();

  constructor(private readonly limit: number) {}

  get<T>(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Most recently used last: the map's order is the eviction order.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value as T;
  }

  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
