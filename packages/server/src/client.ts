import type { Socket } from 'node:net';
import { type Args, type ReplyWriter, RequestDecoder, type RespVersion } from '@sluice/protocol';
import { type CommandContext, type ServerOps, Session, type SessionHost } from './commands/context.js';
import { CommitList, type Database } from './keyspace/keyspace.js';
import { Output, type ReplyPath } from './output.js';

export interface ClientOptions {
  readonly id: number;
  readonly socket: Socket;
  readonly server: ServerOps;
  readonly replies: ReplyPath;
  /** The database a new connection has selected (0). */
  readonly db: Database;
  /** proto-max-bulk-len. */
  readonly maxBulkLength: number;
  /** Whether no password is required. */
  readonly authenticated: boolean;
  /** Serves the connection's complete requests (Server.process). */
  readonly serve: (client: Client) => void;
}

/**
 * One connection: its request decoder, its session, its replies on the way out, and the context its
 * commands run in (a connection is its own CommandContext, so that running a command allocates nothing).
 */
export class Client implements CommandContext, SessionHost {
  readonly id: number;
  readonly socket: Socket;
  /** Decodes this connection's requests. */
  readonly decoder: RequestDecoder;
  /** The arguments of the command being run: the decoder's current command, or one queued by MULTI. */
  args: Args;
  /** The server's shared reply writer. */
  readonly out: ReplyWriter;
  db: Database;
  /** Time of the command being run, in ms since the epoch: read once per command, as redis-server does. */
  now = 0;
  readonly session: Session;
  readonly server: ServerOps;
  /** This connection's replies on their way out. */
  readonly output: Output;
  /** The batches this round's writes joined: the round's replies wait for them. */
  readonly commits = new CommitList();
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  lastCommand = 'NULL';
  /** Held back by CLIENT PAUSE or blocked: the current command runs again when it is woken. */
  suspended = false;
  /** What the running command asked to wait for (`block`); the dispatcher parks the connection on it. */
  blockedOn: ((wake: () => void) => () => void) | null = null;
  /** Cancels the wait of a parked connection (when it closes). */
  unblock: (() => void) | null = null;
  /** Running EXEC's queued commands: they cannot block. */
  inTransaction = false;
  /** Log mode: the barrier command about to run again has waited for the writes before it. */
  barrierWaited = false;
  /** The socket has closed. */
  closed = false;
  readonly addr: string;
  readonly laddr: string;
  private readonly replies: ReplyPath;

  constructor(options: ClientOptions) {
    const { id, socket, replies } = options;
    this.id = id;
    this.socket = socket;
    this.replies = replies;
    this.decoder = new RequestDecoder({ maxBulkLength: options.maxBulkLength });
    this.args = this.decoder;
    this.out = replies.writer;
    this.db = options.db;
    this.server = options.server;
    this.output = new Output(id, socket, () => options.serve(this));
    this.session = new Session(id, this, options.authenticated);
    this.addr = formatAddress(socket.remoteAddress, socket.remotePort);
    this.laddr = formatAddress(socket.localAddress, socket.localPort);
  }

  block(wait: (wake: () => void) => () => void): boolean {
    if (this.inTransaction) return false;
    this.blockedOn = wait;
    return true;
  }

  requireAuth(required: boolean): void {
    this.decoder.setAuthRequired(required);
  }

  useProtocol(version: RespVersion): void {
    this.replies.serve(version);
  }

  /** The round's end closes the connection once its replies have been sent. */
  closeAfterReplies(): void {
    this.output.closing = true;
  }
}

function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '?:0';
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  return `${host}:${port ?? 0}`;
}
