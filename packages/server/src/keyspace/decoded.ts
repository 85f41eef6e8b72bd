/**
 * Decoded forms of element entries kept between commands (a sorted set's tree nodes), so that a command
 * does not decode again what the last one just read or wrote. A cached value is what the entry holds with
 * every write executed so far, committed or not: a batch that fails to commit (its writes never reach
 * LMDB) empties the cache, as does FLUSHALL. A command changes the values it got from the cache in place
 * (a sorted set's tree changes its nodes so), synchronously, and hands each changed one to the keyspace,
 * which encodes it when the batch commits.
 *
 * Two parts, each with its own limit, past which the first entries set go first: the values set as
 * `lasting` (a tree's inner nodes, which every command on the tree reads, and which are few: one for
 * thousands of elements) are not pushed out by the stream of the others (leaves, one per element read).
 */
export class DecodedCache {
  private readonly entries = new Map<string, unknown>();
  private readonly lasting = new Map<string, unknown>();

  constructor(private readonly limit: number) {}

  get<T>(key: string): T | undefined {
    return (this.entries.get(key) ?? this.lasting.get(key)) as T | undefined;
  }

  set(key: string, value: unknown, lasting = false): void {
    // The map's order (first set first) is the eviction order: a node used all the time that goes is
    // read back once, which costs less than reordering the map at every read and write.
    const entries = lasting ? this.lasting : this.entries;
    entries.set(key, value);
    if (entries.size > this.limit) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.lasting.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.lasting.clear();
  }

  get size(): number {
    return this.entries.size + this.lasting.size;
  }
}
