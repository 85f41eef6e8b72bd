/**
 * A sorted set's order: an order-statistic B+tree whose nodes are entries of the collection (see
 * keyspace/collections.ts, `zsetNodeKey`), so that finding a score or a rank, and counting the elements
 * between two bounds, reads one node per level (O(log n)), and a range of m elements reads m / LEAF_MAX
 * more leaves.
 *
 * - A leaf holds up to LEAF_MAX elements (score, member) in order: by score, then by member's bytes, as
 *   Redis's skiplist orders them.
 * - An inner node holds up to INNER_MAX children: each child's node number and a separator, a key at or
 *   below every element of that child and above every element of the children before it (the first
 *   separator bounds nothing and is never compared). The children's element counts are kept in an entry
 *   of their own (`zsetNodeKey(id, n, true)`), since every insertion and removal changes them along its
 *   path while separators change only when nodes split or merge.
 * - A node that grows past its limit splits in two; a node that shrinks below a quarter of it merges with
 *   a neighbour when both fit in one; an empty one goes. The root's number and the next free node number
 *   are in the collection's metadata (`head` and `nextSeq`).
 *
 * A command reads the nodes it needs once (the keyspace caches them decoded, keyspace/decoded.ts), changes
 * them in place, and `flush` hands those it changed to the keyspace, which encodes each once when the
 * batch commits, however many commands of the batch changed it (as list chunks are written). Nothing
 * else holds a node across commands, and a batch that fails to commit empties the cache.
 */
import { zsetNodeKey } from '../../keyspace/collections.js';
import type { Keyspace } from '../../keyspace/keyspace.js';

/** Elements per leaf, at most. */
export const LEAF_MAX = 64;
/** Children per inner node, at most. */
export const INNER_MAX = 64;
/** A node with more entries than one is split when its entries take more bytes than this. */
const NODE_BYTES_MAX = 8192;
/** A leaf whose encoding wrote more entries than this one by one is rebased on the result. */
const REBASE_LOOSE = 8;
/** How many entries the last `encodeNode` wrote one by one (not copied in a run from the source). */
let loose = 0;
/** Bytes of a node entry before its entries: the element-entry header, the kind, the entry count. */
const HEADER = 5 + 1 + 2;
const KIND_LEAF = 0;
const KIND_INNER = 1;

export interface Node {
  readonly leaf: boolean;
  /**
   * Leaves: the elements' scores and members; inner nodes: the separators. A leaf's member is null until
   * first read (`memberAt`) when it is still in `source` as decoded (at `offsets`): a command reads a few
   * members of a leaf it searches, and making a view of each of its 64 was most of decoding it.
   */
  scores: number[];
  members: (Buffer | null)[];
  /**
   * Leaves: where each entry starts in `source` when it is still there as it is (its member a view of
   * it), else -1, so that encoding copies runs of such entries without reading them.
   */
  offsets: number[];
  /** Inner nodes: the children's node numbers and element counts. */
  children: number[];
  counts: number[];
  /** The bytes its entries take (encoded). */
  bytes: number;
  /**
   * Leaves: the entry the node was decoded from, whose members are views of it: encoding copies the
   * runs of entries still as they were there in one go (see `encodeNode`).
   */
  source: Buffer | null;
}

/** Orders two elements as Redis's skiplist does: by score, then by member bytes. */
export function compareElements(s1: number, m1: Uint8Array, s2: number, m2: Uint8Array): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  return Buffer.compare(m1, m2);
}

/**
 * `compareElements` of a node's entry k with (score, member), reading the entry's member only when the
 * scores tie: a leaf's members are made on first read (`memberAt`), and a search compares scores.
 */
function compareAt(node: Node, k: number, score: number, member: Uint8Array): number {
  const s = node.scores[k] as number;
  if (s < score) return -1;
  if (s > score) return 1;
  return Buffer.compare(memberAt(node, k), member);
}

/** What a tree keeps in its collection's metadata. */
export interface TreeHolder {
  readonly id: Buffer;
  /** The root node's number (0: no element). */
  head: number;
  /** The number the next new node gets. */
  nextSeq: number;
}

const entryBytes = (leaf: boolean, member: Uint8Array): number => (leaf ? 12 : 16) + member.length;

export class ZTree {
  /** The nodes this command has used (the keyspace's cached ones, or new ones). */
  private readonly nodes = new Map<number, Node>();
  /**
   * Nodes whose entries (elements, separators) changed; with a null node: deleted. This set and the two
   * below are made when a change first needs them: a command that only reads allocates none of them.
   */
  private changedSet: Set<number> | null = null;
  /** Inner nodes whose counts changed. */
  private recountedSet: Set<number> | null = null;
  /** Inner nodes deleted (their counts entries go too). */
  private droppedSet: Set<number> | null = null;
  /** The collection id's latin1 string, once `nameOf` needed it. */
  private idName = '';

  constructor(
    private readonly keyspace: Keyspace,
    private readonly holder: TreeHolder,
  ) {}

  private get changed(): Set<number> {
    if (this.changedSet === null) this.changedSet = new Set();
    return this.changedSet;
  }

  private get recounted(): Set<number> {
    if (this.recountedSet === null) this.recountedSet = new Set();
    return this.recountedSet;
  }

  private get droppedInner(): Set<number> {
    if (this.droppedSet === null) this.droppedSet = new Set();
    return this.droppedSet;
  }

  /** Number of elements. */
  get size(): number {
    const root = this.holder.head;
    if (root === 0) return 0;
    return total(this.node(root));
  }

  /** Adds an element that is not in the tree. */
  insert(score: number, member: Buffer): void {
    const h = this.holder;
    if (h.head === 0) {
      const n = this.allocate();
      const bytes = entryBytes(true, member);
      const leaf: Node = {
        leaf: true,
        scores: [score],
        members: [member],
        offsets: [-1],
        children: [],
        counts: [],
        bytes,
        source: null,
      };
      this.nodes.set(n, leaf);
      this.changed.add(n);
      h.head = n;
      return;
    }
    const path: Step[] = [];
    let n = h.head;
    let node = this.node(n);
    while (!node.leaf) {
      const i = childFor(node, score, member);
      node.counts[i] = (node.counts[i] as number) + 1;
      this.recounted.add(n);
      path.push({ n, node, i });
      n = node.children[i] as number;
      node = this.node(n);
    }
    const j = leafPosition(node, score, member);
    node.scores.splice(j, 0, score);
    node.members.splice(j, 0, member);
    node.offsets.splice(j, 0, -1);
    node.bytes += entryBytes(true, member);
    this.changed.add(n);
    if (overflows(node)) this.split(path, n, node);
  }

  /** Removes an element that is in the tree (with its current score). */
  remove(score: number, member: Uint8Array): void {
    const path: Step[] = [];
    let n = this.holder.head;
    if (n === 0) throw new Error('sorted set tree is empty');
    let node = this.node(n);
    while (!node.leaf) {
      const i = childFor(node, score, member);
      node.counts[i] = (node.counts[i] as number) - 1;
      this.recounted.add(n);
      path.push({ n, node, i });
      n = node.children[i] as number;
      node = this.node(n);
    }
    const j = leafPosition(node, score, member);
    if (j >= node.scores.length || compareAt(node, j, score, member) !== 0) {
      throw new Error('sorted set element missing from its tree');
    }
    node.bytes -= entryBytes(true, memberAt(node, j));
    node.scores.splice(j, 1);
    node.members.splice(j, 1);
    node.offsets.splice(j, 1);
    this.changed.add(n);
    this.rebalance(path, n, node);
  }

  /**
   * The rank of the first element for which `past` holds (the number of elements when none does);
   * `past` must be monotone over the order (false, then true).
   */
  rankWhere(past: (score: number, node: Node, k: number) => boolean): number {
    let n = this.holder.head;
    if (n === 0) return 0;
    let rank = 0;
    let node = this.node(n);
    while (!node.leaf) {
      // The last child whose separator is not past yet (separator 0 is never compared).
      let lo = 1;
      let hi = node.children.length - 1;
      let i = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (past(node.scores[mid] as number, node, mid)) hi = mid - 1;
        else {
          i = mid;
          lo = mid + 1;
        }
      }
      for (let k = 0; k < i; k++) rank += node.counts[k] as number;
      n = node.children[i] as number;
      node = this.node(n);
    }
    let lo = 0;
    let hi = node.scores.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (past(node.scores[mid] as number, node, mid)) hi = mid;
      else lo = mid + 1;
    }
    return rank + lo;
  }

  /** The rank of an element that is in the tree. */
  rankOf(score: number, member: Uint8Array): number {
    return this.rankWhere((_, node, k) => compareAt(node, k, score, member) >= 0);
  }

  /**
   * Calls `visit` with `count` elements from rank `from` on: forward (ranks from, from + 1, …) or, with
   * `reverse`, backward (from, from - 1, …); nothing when `from` is not a rank. `visit` returning false stops the walk. Members are views
   * of the tree's nodes: copy one to keep it past a change of the tree.
   */
  walk(
    from: number,
    count: number,
    reverse: boolean,
    visit: (score: number, member: Buffer) => unknown,
  ): void {
    const root = this.holder.head;
    if (root === 0 || count <= 0 || from < 0 || from >= this.size) return;
    const stack: { node: Node; i: number }[] = [];
    let node = this.node(root);
    let r = from;
    while (!node.leaf) {
      let i = 0;
      while (i < node.counts.length - 1 && r >= (node.counts[i] as number)) r -= node.counts[i++] as number;
      stack.push({ node, i });
      node = this.node(node.children[i] as number);
    }
    let j = r;
    let left = count;
    for (;;) {
      const len = node.scores.length;
      while (j >= 0 && j < len) {
        if (visit(node.scores[j] as number, memberAt(node, j)) === false) return;
        if (--left === 0) return;
        j += reverse ? -1 : 1;
      }
      // The next leaf: up to the first ancestor with a child on that side, then down its nearest edge.
      let top = stack[stack.length - 1];
      while (top !== undefined && (reverse ? top.i === 0 : top.i === top.node.children.length - 1)) {
        stack.pop();
        top = stack[stack.length - 1];
      }
      if (top === undefined) return;
      top.i += reverse ? -1 : 1;
      node = this.node(top.node.children[top.i] as number);
      while (!node.leaf) {
        const i = reverse ? node.children.length - 1 : 0;
        stack.push({ node, i });
        node = this.node(node.children[i] as number);
      }
      j = reverse ? node.scores.length - 1 : 0;
    }
  }

  /** The element at `rank` (its member a view: copy it to keep it), or undefined past the end. */
  at(rank: number): { score: number; member: Buffer } | undefined {
    let found: { score: number; member: Buffer } | undefined;
    this.walk(rank, 1, false, (score, member) => {
      found = { score, member };
    });
    return found;
  }

  /**
   * Hands the nodes this tree changed to the keyspace, which encodes and writes them when the batch
   * commits (`deferElement`: a node changed by many commands of one turn is encoded once), and to its
   * cache of decoded nodes.
   */
  flush(): void {
    const changed = this.changedSet;
    const recounted = this.recountedSet;
    const dropped = this.droppedSet;
    this.changedSet = null;
    this.recountedSet = null;
    this.droppedSet = null;
    const id = this.holder.id;
    const keyspace = this.keyspace;
    const cache = keyspace.decoded;
    if (changed !== null) {
      for (const n of changed) {
        const node = this.nodes.get(n) ?? null;
        const name = this.nameOf(n);
        keyspace.deferElement(zsetNodeKey(id, n), node, encodeDeferred, name);
        if (node === null) cache.delete(name);
        else cache.set(name, node, !node.leaf);
      }
    }
    if (recounted !== null) {
      for (const n of recounted) {
        const node = this.nodes.get(n);
        if (node === undefined || node.leaf) continue;
        keyspace.deferElement(zsetNodeKey(id, n, true), node, encodeCounts);
        // Only its counts changed: its node entry stays as it is (a node read back from it takes its
        // counts from the counts entry), and the cache keeps the node.
        if (changed === null || !changed.has(n)) cache.set(this.nameOf(n), node, true);
      }
    }
    // A deleted inner node's counts go with it.
    if (dropped !== null)
      for (const n of dropped) keyspace.deferElement(zsetNodeKey(id, n, true), null, encodeCounts);
  }

  private allocate(): number {
    // Node 0 would read as "no root": numbers start at 1.
    const n = Math.max(1, this.holder.nextSeq);
    this.holder.nextSeq = n + 1;
    return n;
  }

  /**
   * The latin1 string of node n's stored key (`zsetNodeKey(id, n)`), by which the keyspace's deferred
   * writes and its cache know it, made without the key's bytes.
   */
  private nameOf(n: number): string {
    if (this.idName === '') this.idName = this.holder.id.toString('latin1');
    return `${this.idName}\x03${String.fromCharCode(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff)}`;
  }

  /** Node n. */
  private node(n: number): Node {
    let node = this.nodes.get(n);
    if (node !== undefined) return node;
    const name = this.nameOf(n);
    const cache = this.keyspace.decoded;
    // A node changed this turn (not written yet) first, then the cache.
    node = this.keyspace.deferredValue<Node | null>(name) ?? cache.get<Node>(name);
    if (node === undefined) {
      const key = zsetNodeKey(this.holder.id, n);
      const found = this.keyspace.getElement(key);
      if (found === undefined) throw new Error(`sorted set node ${n} is missing`);
      node = decodeNode(Buffer.from(found.subarray(0, found.length)));
      if (!node.leaf) {
        const counts = this.keyspace.getElement(zsetNodeKey(this.holder.id, n, true));
        if (counts === undefined) throw new Error(`sorted set node ${n} has no counts`);
        for (let k = 0; k < node.children.length; k++) node.counts.push(counts.readDoubleLE(5 + 8 * k));
      }
      cache.set(name, node, !node.leaf);
    }
    this.nodes.set(n, node);
    return node;
  }

  private drop(n: number): void {
    if (this.nodes.get(n)?.leaf === false) this.droppedInner.add(n);
    this.nodes.delete(n);
    this.changed.add(n);
  }

  /** Splits an overflowing node in two, the new right half going into its parent after it. */
  private split(path: Step[], n: number, node: Node): void {
    const len = node.scores.length;
    // Halve by bytes (members may differ much in length), keeping at least one entry on each side.
    let k = 0;
    let acc = 0;
    while (k < len - 1 && (acc < node.bytes / 2 || k === 0))
      acc += entryBytes(node.leaf, memberAt(node, k++));
    if (k >= len) k = len - 1;
    const right: Node = {
      leaf: node.leaf,
      scores: node.scores.splice(k),
      members: node.members.splice(k),
      offsets: node.leaf ? node.offsets.splice(k) : [],
      children: node.leaf ? [] : node.children.splice(k),
      counts: node.leaf ? [] : node.counts.splice(k),
      bytes: 0,
      source: node.source,
    };
    right.bytes = node.bytes - acc;
    node.bytes = acc;
    const r = this.allocate();
    this.nodes.set(r, right);
    this.changed.add(n);
    this.changed.add(r);
    if (!node.leaf) {
      this.recounted.add(n);
      this.recounted.add(r);
    }
    const rightTotal = total(right);
    const parentStep = path.pop();
    if (parentStep === undefined) {
      const root = this.allocate();
      const top: Node = {
        leaf: false,
        scores: [node.scores[0] as number, right.scores[0] as number],
        members: [memberAt(node, 0), memberAt(right, 0)],
        offsets: [],
        children: [n, r],
        counts: [total(node), rightTotal],
        bytes: entryBytes(false, memberAt(node, 0)) + entryBytes(false, memberAt(right, 0)),
        source: null,
      };
      this.nodes.set(root, top);
      this.changed.add(root);
      this.recounted.add(root);
      this.holder.head = root;
      return;
    }
    const { n: pn, node: parent, i } = parentStep;
    parent.counts[i] = (parent.counts[i] as number) - rightTotal;
    parent.children.splice(i + 1, 0, r);
    parent.counts.splice(i + 1, 0, rightTotal);
    parent.scores.splice(i + 1, 0, right.scores[0] as number);
    parent.members.splice(i + 1, 0, memberAt(right, 0));
    parent.bytes += entryBytes(false, memberAt(right, 0));
    this.changed.add(pn);
    this.recounted.add(pn);
    if (overflows(parent)) this.split(path, pn, parent);
  }

  /** After a removal from node n: drops it when empty, merges it with a neighbour when small. */
  private rebalance(path: Step[], n: number, node: Node): void {
    const len = node.scores.length;
    const parentStep = path.pop();
    if (parentStep === undefined) {
      if (len === 0) {
        this.drop(n);
        this.holder.head = 0;
      } else if (!node.leaf && len === 1) {
        // A root with one child: the child becomes the root.
        this.drop(n);
        this.holder.head = node.children[0] as number;
        const child = this.node(this.holder.head);
        if (!child.leaf && child.children.length === 1) {
          this.rebalance([], this.holder.head, child);
        }
      }
      return;
    }
    const { n: pn, node: parent, i } = parentStep;
    if (len === 0) {
      this.drop(n);
      this.unlink(parent, i);
      this.changed.add(pn);
      this.recounted.add(pn);
      this.rebalance(path, pn, parent);
      return;
    }
    const max = node.leaf ? LEAF_MAX : INNER_MAX;
    if (len >= max / 4 || parent.children.length < 2) return;
    const j = i > 0 ? i - 1 : i + 1;
    const sibling = this.node(parent.children[j] as number);
    if (len + sibling.scores.length > (max * 3) / 4 || node.bytes + sibling.bytes > NODE_BYTES_MAX) return;
    const l = Math.min(i, j);
    const leftNo = parent.children[l] as number;
    const rightNo = parent.children[l + 1] as number;
    const left = l === i ? node : sibling;
    const right = l === i ? sibling : node;
    if (!left.leaf) {
      // The right node's first separator was never compared: its parent's separator bounds it.
      right.bytes += entryBytes(false, memberAt(parent, l + 1)) - entryBytes(false, memberAt(right, 0));
      right.scores[0] = parent.scores[l + 1] as number;
      right.members[0] = memberAt(parent, l + 1);
      left.children.push(...right.children);
      left.counts.push(...right.counts);
      this.recounted.add(leftNo);
    }
    left.scores.push(...right.scores);
    if (left.leaf) {
      // Runs are copied from the left leaf's source only: the right one's entries are written anew (their
      // members read from the right one's source first).
      if (left.source !== null && left.source === right.source) {
        left.members.push(...right.members);
        left.offsets.push(...right.offsets);
      } else {
        for (let k = 0; k < right.members.length; k++) {
          left.members.push(memberAt(right, k));
          left.offsets.push(-1);
        }
      }
    } else {
      left.members.push(...right.members);
    }
    left.bytes += right.bytes;
    this.changed.add(leftNo);
    this.drop(rightNo);
    parent.counts[l] = (parent.counts[l] as number) + (parent.counts[l + 1] as number);
    this.unlink(parent, l + 1);
    this.changed.add(pn);
    this.recounted.add(pn);
    this.rebalance(path, pn, parent);
  }

  /** Removes child i from an inner node. */
  private unlink(parent: Node, i: number): void {
    parent.bytes -= entryBytes(false, memberAt(parent, i));
    parent.children.splice(i, 1);
    parent.counts.splice(i, 1);
    parent.scores.splice(i, 1);
    parent.members.splice(i, 1);
  }
}

interface Step {
  n: number;
  node: Node;
  /** The child taken. */
  i: number;
}

function total(node: Node): number {
  if (node.leaf) return node.scores.length;
  let sum = 0;
  for (const x of node.counts) sum += x;
  return sum;
}

function overflows(node: Node): boolean {
  const len = node.scores.length;
  return len > (node.leaf ? LEAF_MAX : INNER_MAX) || (len > 1 && node.bytes > NODE_BYTES_MAX);
}

/** In an inner node, the child where (score, member) belongs: the last whose separator is at or below it. */
function childFor(node: Node, score: number, member: Uint8Array): number {
  let lo = 1;
  let hi = node.children.length - 1;
  let i = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAt(node, mid, score, member) <= 0) {
      i = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return i;
}

/** In a leaf, the position of the first element at or after (score, member). */
function leafPosition(node: Node, score: number, member: Uint8Array): number {
  let lo = 0;
  let hi = node.scores.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAt(node, mid, score, member) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A node's entry: the element-entry header (5 zero bytes), the kind, the entry count (uint16 LE), then
 * per entry: for inner nodes the child's number (uint32 LE), then the score (float64 LE), the member's
 * length (uint32 LE) and the member.
 */
function encodeNode(node: Node): Buffer {
  const len = node.scores.length;
  const out = Buffer.allocUnsafe(HEADER + node.bytes);
  out.fill(0, 0, 5);
  out[5] = node.leaf ? KIND_LEAF : KIND_INNER;
  out.writeUInt16LE(len, 6);
  let pos = HEADER;
  const source = node.leaf ? node.source : null;
  const offsets = node.offsets;
  /** The run of entries to copy from `source` as they are: [runStart, runEnd). */
  let runStart = -1;
  let runEnd = -1;
  loose = 0;
  for (let k = 0; k < len; k++) {
    if (source !== null) {
      const at = offsets[k] as number;
      if (at >= 0) {
        if (at !== runEnd) {
          if (runStart >= 0) pos += source.copy(out, pos, runStart, runEnd);
          runStart = at;
        }
        runEnd = at + 12 + source.readUInt32LE(at + 8);
        continue;
      }
      if (runStart >= 0) {
        pos += source.copy(out, pos, runStart, runEnd);
        runStart = -1;
        runEnd = -1;
      }
    }
    // Not in the source: a member set by a command (never null).
    const member = node.members[k] as Buffer;
    const size = member.length;
    if (!node.leaf) {
      out.writeUInt32LE(node.children[k] as number, pos);
      pos += 4;
    }
    loose++;
    out.writeDoubleLE(node.scores[k] as number, pos);
    out.writeUInt32LE(size, pos + 8);
    member.copy(out, pos + 12);
    pos += 12 + size;
  }
  if (runStart >= 0) pos += (source as Buffer).copy(out, pos, runStart, runEnd);
  if (pos !== out.length) throw new Error(`sorted set node encoded in ${pos} bytes, not ${out.length}`);
  return out;
}

/**
 * A node's entry as the keyspace writes it when the batch commits (null: the node was deleted). Once
 * many of a leaf's members are not views of its source, they become views of what is written, so
 * that its next encodings copy runs again.
 */
function encodeDeferred(node: Node | null): Buffer | null {
  if (node === null) return null;
  const record = encodeNode(node);
  if (node.leaf && loose > REBASE_LOOSE) rebase(node, record);
  return record;
}

/** An inner node's counts entry: the element-entry header, then each child's count (float64 LE). */
function encodeCounts(node: Node | null): Buffer | null {
  if (node === null) return null;
  const out = Buffer.allocUnsafe(5 + 8 * node.counts.length);
  out.fill(0, 0, 5);
  for (let k = 0; k < node.counts.length; k++) out.writeDoubleLE(node.counts[k] as number, 5 + 8 * k);
  return out;
}

/** Makes `record`, a leaf's encoding (`encodeNode`), its source, from which its members are read. */
function rebase(node: Node, record: Buffer): void {
  let pos = HEADER;
  for (let k = 0; k < node.members.length; k++) {
    node.members[k] = null;
    node.offsets[k] = pos;
    pos += 12 + record.readUInt32LE(pos + 8);
  }
  node.source = record;
}

/** Member k of a node: for a leaf, a view of its source made on first use (see `Node.members`). */
export function memberAt(node: Node, k: number): Buffer {
  const member = node.members[k];
  if (member != null) return member;
  const source = node.source;
  const at = node.offsets[k];
  if (source === null || at === undefined || at < 0) throw new Error(`sorted set node has no member ${k}`);
  const view = source.subarray(at + 12, at + 12 + source.readUInt32LE(at + 8));
  node.members[k] = view;
  return view;
}

/** Decodes a node entry (a copy the node's members may be views of). */
function decodeNode(record: Buffer): Node {
  const leaf = record[5] === KIND_LEAF;
  const len = record.readUInt16LE(6);
  const node: Node = {
    leaf,
    scores: [],
    members: [],
    offsets: [],
    children: [],
    counts: [],
    bytes: record.length - HEADER,
    source: leaf ? record : null,
  };
  let pos = HEADER;
  for (let k = 0; k < len; k++) {
    if (!leaf) {
      node.children.push(record.readUInt32LE(pos));
      pos += 4;
    }
    node.scores.push(record.readDoubleLE(pos));
    const size = record.readUInt32LE(pos + 8);
    if (leaf) {
      node.offsets.push(pos);
      node.members.push(null);
    } else {
      node.members.push(record.subarray(pos + 12, pos + 12 + size));
    }
    pos += 12 + size;
  }
  return node;
}
