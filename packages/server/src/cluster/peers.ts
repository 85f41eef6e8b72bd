/**
 * Cluster mode: each node holds a connection to every other node of its plan, at the address clients
 * reach it at, only to see it close. When a node's process dies (SIGKILL, a crash, OOM), its operating
 * system closes that connection at once, and a new one is refused: nothing listens there any more. The
 * node that sees this asks the group's coordinator to remove the dead node's member (a LeaveGroup request
 * on its behalf), so the group rebalances now instead of after cluster-node-timeout, when the coordinator
 * would give up on the member's heartbeats. The group still decides who serves what; this only tells it
 * sooner what it would learn anyway.
 *
 * Only a refused connection counts, and only at an address that accepted one before: a node that hangs,
 * or a network that drops packets, looks the same as a slow node and is left to the session timeout; an
 * announced address that never answered (NAT, a firewall) proves nothing either.
 */
import net from 'node:net';

/** Another node of the plan. */
export interface Peer {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Its group members (absent in a plan of an older node: that node is not watched). */
  readonly members?: readonly string[];
}

export interface PeerWatchOptions {
  /** Asks the group's coordinator to remove member `member` at once. */
  remove(member: string): Promise<void>;
  log(message: string): void;
  /** How long to wait before connecting again after a failure, or after a connection that lasted less. */
  retryMs?: number;
}

/** The name of a watching node's connections in CLIENT LIST. */
export const PEER_CLIENT_NAME = 'sluice-cluster-peer';
const SETNAME = `*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$${PEER_CLIENT_NAME.length}\r\n${PEER_CLIENT_NAME}\r\n`;

interface Watched {
  peer: Peer;
  socket: net.Socket | null;
  timer: NodeJS.Timeout | null;
  /** The peer accepted a connection at this address. */
  reached: boolean;
  /** Its members' removal was asked for (new member ids clear it). */
  removing: boolean;
}

export class PeerWatch {
  /** By node id. */
  private readonly watched = new Map<string, Watched>();
  private stopped = false;
  private readonly retryMs: number;

  constructor(private readonly o: PeerWatchOptions) {
    this.retryMs = o.retryMs ?? 1_000;
  }

  /** Watches `peers` from now on (those of the newest plan), and no longer the others. */
  watch(peers: readonly Peer[]): void {
    if (this.stopped) return;
    const next = new Map<string, Peer>();
    for (const p of peers) if (p.host !== '' && p.port > 0 && (p.members?.length ?? 0) > 0) next.set(p.id, p);
    for (const [id, w] of this.watched) {
      const p = next.get(id);
      if (p === undefined || p.host !== w.peer.host || p.port !== w.peer.port) {
        this.close(w);
        this.watched.delete(id);
      }
    }
    for (const p of next.values()) {
      const w = this.watched.get(p.id);
      if (w === undefined) {
        const added: Watched = { peer: p, socket: null, timer: null, reached: false, removing: false };
        this.watched.set(p.id, added);
        this.open(added);
      } else if (String(w.peer.members) !== String(p.members)) {
        w.peer = p;
        w.removing = false;
      }
    }
  }

  /** The node ids watched now (tests). */
  get peers(): string[] {
    return [...this.watched.keys()];
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watched.values()) this.close(w);
    this.watched.clear();
  }

  private open(w: Watched): void {
    w.timer = null;
    const socket = net.connect({ host: w.peer.host, port: w.peer.port });
    w.socket = socket;
    let openedAt = 0;
    let refused = false;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      openedAt = Date.now();
      w.reached = true;
      socket.write(SETNAME);
    });
    // Its replies are not read.
    socket.on('data', () => {});
    socket.on('error', (err: NodeJS.ErrnoException) => {
      refused = err.code === 'ECONNREFUSED';
    });
    socket.on('close', () => {
      if (w.socket !== socket) return; // closed here: no longer watched
      w.socket = null;
      if (this.stopped) return;
      if (refused && w.reached) this.gone(w);
      // A connection that lasted is opened again at once: if its peer died, the next one is refused.
      const lasted = openedAt > 0 && Date.now() - openedAt >= this.retryMs;
      this.later(w, lasted ? 0 : this.retryMs);
    });
  }

  private later(w: Watched, ms: number): void {
    w.timer = setTimeout(() => this.open(w), ms);
    w.timer.unref();
  }

  /** The peer's address refuses connections after it accepted one: its process is gone. */
  private gone(w: Watched): void {
    const members = w.peer.members ?? [];
    if (members.length === 0 || w.removing) return;
    w.removing = true;
    const name = `node ${w.peer.id} (${w.peer.host}:${w.peer.port})`;
    this.o.log(
      `${name} refuses connections: asking the group to remove its member(s) ${members.join(', ')} now`,
    );
    for (const member of members) {
      this.o.remove(member).then(
        () => this.o.log(`the group removed member ${member} of ${name}: it rebalances`),
        (err: unknown) => {
          // Gone already (its session timed out, or another node asked first): nothing left to do.
          if ((err as { type?: string }).type === 'UNKNOWN_MEMBER_ID') return;
          w.removing = false;
          this.o.log(
            `could not remove member ${member} of ${name} (trying again): ${(err as Error).message}`,
          );
        },
      );
    }
  }

  private close(w: Watched): void {
    if (w.timer !== null) clearTimeout(w.timer);
    w.timer = null;
    const socket = w.socket;
    w.socket = null;
    socket?.destroy();
  }
}
