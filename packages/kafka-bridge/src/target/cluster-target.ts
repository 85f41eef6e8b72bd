/**
 * The target as a Redis Cluster (sluice-server's cluster mode, or redis-server with `cluster-enabled
 * yes`). A cluster refuses a transaction whose keys are in different hash slots (CROSSSLOT), so a batch
 * of partition p is written as one transaction per slot s it touches, on s's primary:
 *
 *   WATCH <offset key of (p, s)>; GET <offset key of (p, s)>    → the slot's stored offset
 *   MULTI; <the slot's writes after that offset>; SET <offset key of (p, s)> <batch offset>; EXEC
 *
 * The offset key of (p, s) hashes to s (`SlotOffsetKeys`), so the writes and the offset go in together:
 * a record of slot s is applied at most once, whatever happened before. Once every slot's transaction
 * of a batch is in, the partition's own offset key (`OffsetKeys`, the single target's key) is raised to
 * the batch's offset: it is the partition's low-water mark, below which every record is applied in
 * every slot, and the bridge resumes from it. A crash between the two leaves it lower: the records
 * after it are read again and each slot skips those it has.
 *
 * Routing: the slot map comes from `CLUSTER SLOTS`, asked again after a `MOVED` (the slot's transaction
 * is then sent to its new owner at once) and after a connection failure. `ASK`, `TRYAGAIN`,
 * `CLUSTERDOWN`, `LOADING` and a lost connection fail the apply as `TargetUnavailableError`: the
 * bridge's retry loop backs off and applies the batch again, and each slot skips what it has.
 */

import { type CommandArg, encodeCommands, keySlot, ReplyError, SLOTS } from '@sluice/protocol';
import type { Logger } from '../log.js';
import { type OffsetKeys, parseStoredOffset, type SlotOffsetKeys, storedOffsets } from '../offsets.js';
import { type OrderedWrite, type Plan, planInOrder } from '../plan.js';
import { parseTarget, skipRefusedRestores } from './redis-target.js';
import { ConnectionError, type Reply, RespConnection, requestTimeoutFor, throwIfError } from './resp.js';
import {
  type ApplyResult,
  type Planner,
  type Target,
  TargetConfigError,
  TargetUnavailableError,
  type TransactionMode,
} from './target.js';

export interface ClusterTargetOptions {
  /** Any node of the cluster: `redis://[[user]:password@]host[:port]` or `rediss://…` (database 0 only). */
  url: string;
  transactions: 'auto' | 'require' | 'off';
  /** The partitions' low-water marks. */
  keys: OffsetKeys;
  /** The offsets of each (partition, slot). */
  slotKeys: SlotOffsetKeys;
  connectTimeoutMs: number;
  logger: Logger;
}

/** Connections one apply uses on one node at once: slots' transactions run side by side on them. */
export const CONNECTIONS_PER_NODE = 4;

/** Rounds of following `MOVED` within one apply before it is left to the retry loop. */
const MOVED_ROUNDS = 5;

/** Replies that mean "not here, or not now": the request is sent again later. */
const TRANSIENT = new Set(['MOVED', 'ASK', 'TRYAGAIN', 'CLUSTERDOWN', 'LOADING', 'MASTERDOWN', 'EXECABORT']);

/** A slot moved to another node: the map is asked again and the slot's work sent there. */
class Moved extends TargetUnavailableError {}

interface Node {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly idle: RespConnection[];
}

/** One slot's share of a batch: the last write of each of its keys, in record order. */
interface SlotWork {
  slot: number;
  writes: OrderedWrite[];
  /** The offsets of all the slot's records, the replaced ones included (to count those skipped). */
  offsets: bigint[];
}

export class ClusterTarget implements Target {
  readonly planner: Planner = planInOrder;
  readonly #o: ClusterTargetOptions;
  readonly #address: ReturnType<typeof parseTarget>;
  readonly #nodes = new Map<string, Node>();
  /** Each slot's primary, by node name (`host:port`). */
  #owners: (string | undefined)[] = new Array<string | undefined>(SLOTS);
  #stale = true;
  #refreshing: Promise<void> | undefined;
  /** The offset each (partition, slot) held when this bridge last read or wrote it, by `p/s`. */
  readonly #slotOffsets = new Map<string, bigint | null>();
  #mode: TransactionMode | undefined;
  #connected = false;
  #closed = false;

  constructor(options: ClusterTargetOptions) {
    this.#o = options;
    this.#address = parseTarget(options.url);
  }

  get mode(): TransactionMode | undefined {
    return this.#mode;
  }

  get connected(): boolean {
    return this.#connected;
  }

  async readOffsets(partitions: readonly number[]): Promise<Map<number, bigint | null>> {
    const keys = partitions.map((p) => this.#o.keys.key(p));
    return storedOffsets(this.#o.keys, partitions, await this.#getAll(keys));
  }

  async apply(partition: number, plan: Plan, offset: bigint, expected: bigint | null): Promise<ApplyResult> {
    this.#checkMode();
    const { ordered } = plan;
    if (ordered === undefined) throw new Error('a cluster target applies plans made by planInOrder');
    const stored = await this.#lowWater(partition);
    if (stored !== expected) return { applied: false, stored };

    let pending = bySlot(ordered);
    let alreadyApplied = 0;
    for (let round = 0; pending.length > 0; round++) {
      if (round === MOVED_ROUNDS) {
        throw new TargetUnavailableError(`slots kept moving while applying (slot ${pending[0]?.slot})`);
      }
      await this.#map();
      const moved: SlotWork[] = [];
      const byNode = new Map<Node, SlotWork[]>();
      for (const work of pending) {
        const node = this.#owner(work.slot);
        const list = byNode.get(node);
        if (list === undefined) byNode.set(node, [work]);
        else list.push(work);
      }
      const results = await Promise.allSettled(
        [...byNode].map(([node, works]) => this.#applySlots(node, partition, works, offset, moved)),
      );
      for (const r of results) if (r.status === 'rejected') throw r.reason;
      const wentBack = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.wentBack : []));
      for (const r of results) if (r.status === 'fulfilled') alreadyApplied += r.value.skipped;
      if (wentBack.length > 0) return { applied: false, stored: await this.#rewind(partition, wentBack) };
      pending = moved;
    }
    await this.#raiseLowWater(partition, offset);
    this.#mode = 'multi';
    return alreadyApplied > 0 ? { applied: true, alreadyApplied } : { applied: true };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const node of this.#nodes.values()) for (const c of node.idle.splice(0)) c.close();
  }

  #checkMode(): void {
    if (this.#o.transactions === 'off') {
      throw new TargetConfigError(
        'a cluster target needs MULTI/EXEC (one transaction per hash slot); --transactions off cannot be used with it',
      );
    }
  }

  /**
   * Apply `works` (slots that `node` serves) on up to `CONNECTIONS_PER_NODE` connections. Slots that moved
   * are added to `moved`; returns the slots whose stored offset went back, with what they hold.
   */
  async #applySlots(
    node: Node,
    partition: number,
    works: readonly SlotWork[],
    offset: bigint,
    moved: SlotWork[],
  ): Promise<{ wentBack: { slot: number; stored: bigint | null }[]; skipped: number }> {
    const queue = [...works];
    const wentBack: { slot: number; stored: bigint | null }[] = [];
    let skipped = 0;
    const worker = async (): Promise<void> => {
      while (queue.length > 0) {
        await this.#on(node, async (c) => {
          for (let work = queue.shift(); work !== undefined; work = queue.shift()) {
            const outcome = await this.#applySlot(c, partition, work, offset);
            if (outcome === 'moved') {
              this.#stale = true;
              moved.push(work);
            } else if ('wentBack' in outcome) wentBack.push({ slot: work.slot, stored: outcome.stored });
            else skipped += outcome.skipped;
          }
        });
      }
    };
    const workers = Math.min(CONNECTIONS_PER_NODE, works.length);
    const results = await Promise.allSettled(Array.from({ length: workers }, worker));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    return { wentBack, skipped };
  }

  /** One slot's transaction on `c` (a connection to its owner). */
  async #applySlot(
    c: RespConnection,
    partition: number,
    work: SlotWork,
    offset: bigint,
  ): Promise<'moved' | { skipped: number } | { wentBack: true; stored: bigint | null }> {
    const { slot } = work;
    const key = this.#o.slotKeys.key(partition, slot);
    const name = `${partition}/${slot}`;
    for (;;) {
      const check = await c.call(['WATCH', key], ['GET', key]);
      if (redirected(check)) return 'moved';
      throwIfError(check);
      const raw = check[1];
      const stored = parseStoredOffset(
        Buffer.isBuffer(raw) ? raw : null,
        this.#o.slotKeys.describe(partition, slot),
      );
      const known = this.#slotOffsets.get(name);
      if (known !== undefined && known !== null && (stored === null || stored < known)) {
        // The node lost this slot's writes (it restarted empty, say): read the partition again. What is
        // known of the slot changes only once the partition's offset is lowered (`#rewind`), so that an
        // apply that fails before then finds the loss again.
        throwIfError(await c.call(['UNWATCH']));
        return { wentBack: true, stored };
      }
      const skipped = stored === null ? 0 : work.offsets.filter((o) => o <= stored).length;
      if (stored !== null && stored >= offset) {
        throwIfError(await c.call(['UNWATCH']));
        this.#slotOffsets.set(name, stored);
        return { skipped };
      }
      const writes: CommandArg[][] = [];
      /** Indexes in `writes` of the RESTOREs, whose errors skip their record instead of failing the apply. */
      const restores = new Map<number, Buffer>();
      for (const w of work.writes) {
        if (stored !== null && (w.offset as bigint) <= stored) continue;
        if (w.value === null) writes.push(['DEL', w.key]);
        else if (w.dump === true) {
          restores.set(writes.length, w.key);
          writes.push(['RESTORE', w.key, String(w.at), w.value, 'REPLACE', 'ABSTTL']);
        } else if (w.at !== 0) writes.push(['SET', w.key, w.value, 'PXAT', String(w.at)]);
        else writes.push(['SET', w.key, w.value]);
      }
      writes.push(['SET', key, offset.toString()]);
      const replies = await c.request(encodeCommands([['MULTI'], ...writes, ['EXEC']]), writes.length + 2);
      const exec = replies[replies.length - 1];
      if (redirected(replies)) return 'moved';
      throwIfError(replies.slice(0, -1));
      if (exec instanceof ReplyError) throw exec;
      // Nil: someone wrote the offset key after WATCH; look again.
      if (exec === null) continue;
      if (Array.isArray(exec)) skipRefusedRestores(exec, restores, this.#o.logger, partition);
      this.#slotOffsets.set(name, offset);
      return { skipped };
    }
  }

  /**
   * Slots of `partition` hold less than this bridge wrote: lower the low-water mark to the least of them
   * (delete it if one holds nothing), so that the partition is read again from there. Returns it.
   */
  async #rewind(
    partition: number,
    slots: readonly { slot: number; stored: bigint | null }[],
  ): Promise<bigint | null> {
    const key = this.#o.keys.key(partition);
    let lowest = await this.#lowWater(partition);
    for (const { stored } of slots)
      if (lowest !== null && (stored === null || stored < lowest)) lowest = stored;
    this.#o.logger.warn('slots of a partition lost writes; lowering its offset to read it again', {
      partition,
      slots: slots.length,
      storedOffset: lowest,
    });
    await this.#routed(key, (c) =>
      c.call(lowest === null ? ['DEL', key] : ['SET', key, lowest.toString()]).then(throwIfError),
    );
    for (const { slot, stored } of slots) this.#slotOffsets.set(`${partition}/${slot}`, stored);
    return lowest;
  }

  /** `partition`'s low-water mark, as stored. */
  async #lowWater(partition: number): Promise<bigint | null> {
    return (await this.readOffsets([partition])).get(partition) ?? null;
  }

  /** Raise `partition`'s low-water mark to `offset` (never lower it: another bridge may be ahead). */
  async #raiseLowWater(partition: number, offset: bigint): Promise<void> {
    const key = this.#o.keys.key(partition);
    const name = this.#o.keys.describe(partition);
    await this.#routed(key, async (c) => {
      for (;;) {
        const check = await c.call(['WATCH', key], ['GET', key]);
        if (redirected(check)) throw new Moved(`offset key ${name} moved`);
        throwIfError(check);
        const raw = check[1];
        const stored = parseStoredOffset(Buffer.isBuffer(raw) ? raw : null, name);
        if (stored !== null && stored >= offset) {
          throwIfError(await c.call(['UNWATCH']));
          return;
        }
        const replies = await c.call(['MULTI'], ['SET', key, offset.toString()], ['EXEC']);
        if (redirected(replies)) throw new Moved(`offset key ${name} moved`);
        throwIfError(replies.slice(0, -1));
        const exec = replies[2];
        if (exec instanceof ReplyError) throw exec;
        if (exec !== null) return;
      }
    });
  }

  /** GET each of `keys` on its slot's owner (one pipelined request per node). */
  async #getAll(keys: readonly Buffer[]): Promise<(Buffer | null)[]> {
    const values = new Array<Buffer | null>(keys.length).fill(null);
    for (let round = 0; ; round++) {
      await this.#map();
      const byNode = new Map<Node, number[]>();
      for (const [i, key] of keys.entries()) {
        const node = this.#owner(keySlot(key));
        const list = byNode.get(node);
        if (list === undefined) byNode.set(node, [i]);
        else list.push(i);
      }
      try {
        await Promise.all(
          [...byNode].map(([node, indexes]) =>
            this.#on(node, async (c) => {
              const replies = await c.call(...indexes.map((i) => ['GET', keys[i] as Buffer]));
              if (redirected(replies)) throw new Moved('a key moved');
              throwIfError(replies);
              indexes.forEach((index, j) => {
                const reply = replies[j];
                values[index] = Buffer.isBuffer(reply) ? reply : null;
              });
            }),
          ),
        );
        return values;
      } catch (err) {
        if (!(err instanceof Moved) || round + 1 >= MOVED_ROUNDS) throw err;
      }
    }
  }

  /** Run `request` on a connection to `key`'s owner, following MOVED. */
  async #routed<T>(key: Buffer, request: (c: RespConnection) => Promise<T>): Promise<T> {
    for (let round = 0; ; round++) {
      await this.#map();
      try {
        return await this.#on(this.#owner(keySlot(key)), request);
      } catch (err) {
        if (!(err instanceof Moved) || round + 1 >= MOVED_ROUNDS) throw err;
      }
    }
  }

  /**
   * Run `request` on a connection to `node`, opened if none is idle. A connection that failed, or saw an
   * error reply (it may hold a WATCH), is closed rather than reused. Errors that mean the cluster is
   * changing or busy become `TargetUnavailableError`; `MOVED` also marks the slot map stale.
   */
  async #on<T>(node: Node, request: (c: RespConnection) => Promise<T>): Promise<T> {
    let c: RespConnection;
    try {
      c = await this.#connection(node);
    } catch (err) {
      this.#stale = true;
      this.#setConnected(false, err);
      throw new TargetUnavailableError(`target node ${node.name} unavailable: ${(err as Error).message}`, {
        cause: err,
      });
    }
    try {
      const result = await request(c);
      this.#setConnected(true);
      if (!this.#closed && !c.closed) node.idle.push(c);
      else c.close();
      return result;
    } catch (err) {
      c.close();
      if (err instanceof ConnectionError) {
        this.#stale = true;
        this.#setConnected(false, err);
        throw new TargetUnavailableError(`target node ${node.name} unavailable: ${err.message}`, {
          cause: err,
        });
      }
      this.#setConnected(true);
      if (err instanceof Moved) {
        this.#stale = true;
        throw err;
      }
      if (err instanceof ReplyError && TRANSIENT.has(err.code)) {
        if (err.code === 'MOVED' || err.code === 'ASK') this.#stale = true;
        throw new TargetUnavailableError(`target node ${node.name} answered ${err.message}`, { cause: err });
      }
      throw err;
    }
  }

  async #connection(node: Node): Promise<RespConnection> {
    for (let c = node.idle.pop(); c !== undefined; c = node.idle.pop()) if (!c.closed) return c;
    if (this.#closed) throw new ConnectionError('closed');
    return RespConnection.connect({
      host: node.host,
      port: node.port,
      tls: this.#address.tls,
      username: this.#address.username,
      password: this.#address.password,
      db: 0,
      connectTimeoutMs: this.#o.connectTimeoutMs,
      requestTimeoutMs: requestTimeoutFor(this.#o.connectTimeoutMs),
    });
  }

  #node(host: string, port: number): Node {
    const name = `${host}:${port}`;
    let node = this.#nodes.get(name);
    if (node === undefined) {
      node = { name, host, port, idle: [] };
      this.#nodes.set(name, node);
    }
    return node;
  }

  #owner(slot: number): Node {
    const name = this.#owners[slot];
    const node = name === undefined ? undefined : this.#nodes.get(name);
    if (node === undefined) {
      this.#stale = true;
      throw new TargetUnavailableError(`no node of the cluster serves slot ${slot}`);
    }
    return node;
  }

  /** The slot map, asked again when stale (one request at a time). */
  async #map(): Promise<void> {
    if (this.#address.db !== 0) {
      throw new TargetConfigError('a cluster has only database 0: remove the database from --target');
    }
    if (!this.#stale) return;
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    await this.#refreshing;
  }

  /** Ask `CLUSTER SLOTS` of the seed, then of the other known nodes, until one answers. */
  async #refresh(): Promise<void> {
    const seed = this.#node(this.#address.host, this.#address.port);
    const candidates = [seed, ...[...this.#nodes.values()].filter((n) => n !== seed)];
    let failure: unknown;
    for (const node of candidates) {
      let reply: Reply;
      try {
        [reply] = (await this.#on(node, (c) => c.call(['CLUSTER', 'SLOTS']))) as [Reply];
      } catch (err) {
        failure = err;
        continue;
      }
      if (reply instanceof ReplyError) {
        if (TRANSIENT.has(reply.code)) {
          failure = reply;
          continue;
        }
        throw new TargetConfigError(
          `the target is not a cluster (CLUSTER SLOTS: ${reply.message}); use --target-cluster no or auto`,
        );
      }
      this.#install(reply, node.host);
      return;
    }
    throw new TargetUnavailableError(`no node answered CLUSTER SLOTS: ${(failure as Error)?.message}`, {
      cause: failure,
    });
  }

  /** Take a `CLUSTER SLOTS` reply as the slot map. */
  #install(reply: Reply, askedHost: string): void {
    if (!Array.isArray(reply)) throw new TargetUnavailableError(`CLUSTER SLOTS answered ${String(reply)}`);
    const owners = new Array<string | undefined>(SLOTS);
    let covered = 0;
    const primaries = new Set<string>();
    for (const range of reply) {
      if (!Array.isArray(range)) continue;
      const [start, end, primary] = range;
      if (typeof start !== 'number' || typeof end !== 'number' || !Array.isArray(primary)) continue;
      const [hostReply, port] = primary;
      if (typeof port !== 'number') continue;
      const text = Buffer.isBuffer(hostReply) ? hostReply.toString('utf8') : String(hostReply ?? '');
      // An empty host (or `?`) means "the address you reached me on".
      const host = text === '' || text === '?' ? askedHost : text;
      const node = this.#node(host, port);
      primaries.add(node.name);
      for (let s = start; s <= end && s < SLOTS; s++) {
        owners[s] = node.name;
        covered++;
      }
    }
    const changed = owners.some((o, s) => o !== this.#owners[s]);
    this.#owners = owners;
    this.#stale = false;
    if (changed) {
      this.#o.logger.info('cluster slot map read', {
        primaries: [...primaries].sort(),
        slotsServed: covered,
      });
    }
  }

  #setConnected(connected: boolean, error?: unknown): void {
    if (connected === this.#connected || this.#closed) return;
    this.#connected = connected;
    if (connected) this.#o.logger.info('target connected');
    else this.#o.logger.warn('target connection failed', { error });
  }
}

/** The last write of each key of `ordered`, grouped by hash slot. */
export function bySlot(ordered: readonly OrderedWrite[]): SlotWork[] {
  const latest = new Map<string, OrderedWrite>();
  for (const w of ordered) {
    const k = w.key.toString('latin1');
    // Delete first so that the key's last write keeps record order in the map.
    latest.delete(k);
    latest.set(k, w);
  }
  const slots = new Map<number, SlotWork>();
  const slotOf = new Map<string, number>();
  for (const w of ordered) {
    const k = w.key.toString('latin1');
    let slot = slotOf.get(k);
    if (slot === undefined) {
      slot = keySlot(w.key);
      slotOf.set(k, slot);
    }
    let work = slots.get(slot);
    if (work === undefined) {
      work = { slot, writes: [], offsets: [] };
      slots.set(slot, work);
    }
    work.offsets.push(w.offset as bigint);
  }
  for (const w of latest.values()) slots.get(slotOf.get(w.key.toString('latin1')) as number)?.writes.push(w);
  return [...slots.values()];
}

/** Whether a reply is a `MOVED` (the map is then asked again and the request sent to the new owner). */
function redirected(replies: readonly Reply[]): boolean {
  return replies.some((r) => r instanceof ReplyError && r.code === 'MOVED');
}
