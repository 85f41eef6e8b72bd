/**
 * Decoded forms of element entries kept between commands (a sorted set's tree nodes), so that a command
 * does not decode again what the last one just read or wrote. The first entries set go first past
 * `limit`. A cached value is what the entry holds with every write executed so far, committed or not: a
 * batch that fails to commit (its writes never reach LMDB) empties the cache, as does FLUSHALL.
 * A command changes the values it got from the cache in place (a sorted set's tree changes its nodes so),
 * synchronously, and hands each changed one to the keyspace, which encodes it when the batch commits.
 */
export class DecodedCache {
  private readonly entries = new Map<string, unknown>();

  constructor(private readonly limit: number) {}

  get<T>(key: string): T | undefined {
    return this.entries.get(key) as T | undefined;
  }

  set(key: string, value: unknown): void {
    // The map's order (first set first) is the eviction order: a node used all the time that goes is
    // read back once, which costs less than reordering the map at every read and write.
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
