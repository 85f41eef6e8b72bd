/**
 * A command context for handler tests, built from plain objects: real arguments, a real reply writer,
 * a real keyspace in a temporary directory and a real command table; the server operations that reach
 * other connections are recorded instead (`ops.calls`). Handlers run exactly as the dispatcher runs
 * them, minus the checks it makes before (arity, authentication), which the caller's arguments pass.
 */
import { rmSync } from 'node:fs';
import { Args, ReplyWriter, type RespVersion } from '@sluice/protocol';
import { tempDir } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type {
  ClientInfo,
  ClusterOps,
  CommandContext,
  LogOps,
  PubSubOps,
  QueuedCommand,
  ServerOps,
  SessionHost,
  TrackingOps,
} from '../../src/commands/context.js';
import { type KeyBlocked, Session } from '../../src/commands/context.js';
import { allCommands } from '../../src/commands/index.js';
import type { CommandDef } from '../../src/commands/spec.js';
import { CommandTable } from '../../src/commands/table.js';
import { type Config, defaultConfig, type SettingValue } from '../../src/config/index.js';
import { CursorTable } from '../../src/keyspace/cursors.js';
import { CommitList, type Database, Keyspace, type WriteBatch } from '../../src/keyspace/keyspace.js';
import { PubSubRegistry, type Subscriber } from '../../src/pubsub/registry.js';
import { ScriptCaller } from '../../src/scripting/caller.js';
import type { ScriptEngine, ScriptHost } from '../../src/scripting/engine.js';
import { SlowLog } from '../../src/slowlog.js';

const table = new CommandTable(allCommands);

/** The ServerOps of a fake context: real tables, recorded operations. */
export class FakeServer implements ServerOps {
  readonly config: Config = defaultConfig();
  readonly commands = table;
  readonly cursors = new CursorTable();
  readonly keyBlocked = new Map<number, KeyBlocked>();
  readonly slowlog = new SlowLog(() => this.config['slowlog-max-len']);
  /** The operations handlers asked for, as `name(args)`, in order. */
  readonly calls: string[] = [];
  /** What `clients()` answers. */
  connections: ClientInfo[] = [];
  /** Log mode's operations, when a test gives some. */
  logMode: LogOps | null = null;
  /** Cluster mode's operations, when a test gives some. */
  cluster: ClusterOps | null = null;
  /** Runs EXEC's queued commands (set by the test context). */
  runQueued: ((queued: readonly QueuedCommand[]) => void) | null = null;

  /** The Lua engine, for a test that starts one (ScriptEngine.create); scripts are tested on real servers. */
  engine: ScriptEngine | null = null;

  /** The context's own connection, the only one Pub/Sub knows here. */
  subscriber: Subscriber | null = null;
  /** Pub/Sub frames delivered, with the id of the connection each went to. */
  readonly delivered: { id: number; frame: string }[] = [];
  private readonly registry = new PubSubRegistry<Subscriber>((s, frame) =>
    this.delivered.push({ id: s.id, frame: frame.toString('latin1') }),
  );
  readonly pubsub: PubSubOps = {
    subscribe: (id, kind, name) =>
      this.subscriber?.id === id && this.registry.subscribe(this.subscriber, kind, name),
    unsubscribe: (id, kind, name) =>
      this.subscriber?.id === id && this.registry.unsubscribe(this.subscriber, kind, name),
    unsubscribeAll: (id) => {
      if (this.subscriber?.id === id) this.registry.unsubscribeAll(this.subscriber);
    },
    publish: (channel, message, shard, publisherId) =>
      this.registry.publish(channel, message, shard, publisherId),
    activeChannels: (shard, pattern) => this.registry.activeChannels(shard, pattern),
    subscriberCount: (shard, channel) => this.registry.subscriberCount(shard, channel),
    counts: () => ({
      channels: this.registry.channelCount,
      patterns: this.registry.patternCount,
      shardChannels: this.registry.shardChannelCount,
    }),
  };

  /** CLIENT TRACKING's operations, recorded. */
  readonly tracking: TrackingOps = {
    enable: (id, options) => {
      this.calls.push(`tracking.enable(${id},${JSON.stringify(options)})`);
    },
    disable: (id) => {
      this.calls.push(`tracking.disable(${id})`);
    },
  };

  constructor(readonly keyspace: Keyspace) {}

  get scripts(): ScriptEngine {
    if (this.engine === null) throw new Error('no Lua engine in this test');
    return this.engine;
  }
  scriptBusy(): 'eval' | 'function' | null {
    return null;
  }
  saveFunctions(): void {}
  scriptHost(c: CommandContext, readOnly: boolean): ScriptHost {
    return new ScriptCaller(
      { table, keyspace: this.keyspace, writer: new ReplyWriter(2), log: () => {} },
      c,
      readOnly,
    );
  }

  info(sections: readonly string[]): string {
    this.calls.push(`info(${sections.join(',')})`);
    return '# Server\r\n';
  }
  setConfig(changes: readonly (readonly [string, SettingValue])[]): void {
    this.calls.push(`setConfig(${changes.map(([n, v]) => `${n}=${String(v)}`).join(',')})`);
    for (const [name, value] of changes) (this.config as Record<string, SettingValue>)[name] = value;
  }
  resetStats(): void {
    this.calls.push('resetStats()');
  }
  clients(): ClientInfo[] {
    return this.connections;
  }
  client(id: number): ClientInfo | undefined {
    return this.connections.find((k) => k.id === id);
  }
  killClients(ids: readonly number[]): void {
    this.calls.push(`killClients(${ids.join(',')})`);
  }
  swapDatabases(a: number, b: number): void {
    this.calls.push(`swapDatabases(${a},${b})`);
  }
  pauseClients(ms: number, all: boolean): void {
    this.calls.push(`pauseClients(${ms},${all})`);
  }
  unpauseClients(): void {
    this.calls.push('unpauseClients()');
  }
  startMonitor(id: number): void {
    this.calls.push(`startMonitor(${id})`);
  }
  stopMonitor(id: number): void {
    this.calls.push(`stopMonitor(${id})`);
  }
  runTransaction(id: number, queued: readonly QueuedCommand[]): void {
    this.calls.push(`runTransaction(${id},${queued.map((q) => q.def.spec.name).join(',')})`);
    this.runQueued?.(queued);
  }
  shutdown(reason: string): void {
    this.calls.push(`shutdown(${reason})`);
  }
}

/** A session host that records what the session asked of its connection. */
class FakeHost implements SessionHost {
  authRequired = false;
  protocolChanges: RespVersion[] = [];
  closing = false;
  constructor(private readonly out: ReplyWriter) {}
  requireAuth(required: boolean): void {
    this.authRequired = required;
  }
  useProtocol(version: RespVersion): void {
    this.protocolChanges.push(version);
    this.out.protocol = version;
  }
  closeAfterReplies(): void {
    this.closing = true;
  }
}

/** A connection's context, as a plain object. */
export class TestContext implements CommandContext {
  args: Args = Args.of([]);
  readonly out = new ReplyWriter(2);
  db: Database;
  now = Date.now();
  readonly host = new FakeHost(this.out);
  readonly session: Session;
  readonly server: FakeServer;
  /** The batches the last command's writes joined. */
  commits: readonly WriteBatch[] = [];
  /** What the last command asked to wait for (`block`), or null; `call` clears it. */
  blockedOn: ((wake: () => void) => () => void) | null = null;
  /** Running EXEC's queued commands, where nothing blocks. */
  inTransaction = false;

  constructor(keyspace: Keyspace, id = 7) {
    this.db = keyspace.dbs[0] as Database;
    this.server = new FakeServer(keyspace);
    this.session = new Session(id, this.host, true);
    this.server.subscriber = { id, session: this.session };
    this.server.runQueued = (queued) => {
      const own = this.args;
      this.inTransaction = true;
      for (const q of queued) {
        this.args = q.args;
        q.def.run(this);
      }
      this.inTransaction = false;
      this.args = own;
    };
  }

  block(wait: (wake: () => void) => () => void): boolean {
    if (this.inTransaction) return false;
    this.blockedOn = wait;
    return true;
  }

  /** Runs one command from its words and returns its reply as RESP text (latin1). */
  call(...argv: (string | Buffer)[]): string {
    const args = Args.of(argv.map((a) => (typeof a === 'string' ? Buffer.from(a) : a)));
    const def = resolve(args);
    const keyspace = this.server.keyspace;
    const commits = new CommitList();
    const recorder = keyspace.recorder;
    keyspace.recorder = commits;
    this.args = args;
    this.blockedOn = null;
    try {
      def.run(this);
    } finally {
      keyspace.recorder = recorder;
    }
    this.commits = commits.take();
    return Buffer.concat(this.out.take()).toString('latin1');
  }
}

/** The command (or subcommand) `args` names; throws when the arguments would not pass arity. */
function resolve(args: Args): CommandDef {
  let def = table.lookup(args);
  if (def === undefined) throw new Error(`unknown command ${args.argString(0)}`);
  if (def.subcommands !== undefined && args.argc >= 2) {
    const sub = table.lookupSubcommand(def, args);
    if (sub === undefined) throw new Error(`unknown subcommand ${args.argString(1)}`);
    def = sub;
  }
  const arity = def.spec.arity;
  if (arity > 0 ? args.argc !== arity : args.argc < -arity) {
    throw new Error(`${def.spec.name}: ${args.argc} arguments do not pass arity ${arity}`);
  }
  return def;
}

/**
 * One keyspace per test file in a temporary directory, emptied before each test: `ks()` gives it,
 * `context()` a fresh connection on it.
 */
export function useKeyspace(): { ks: () => Keyspace; context: (id?: number) => TestContext } {
  let keyspace: Keyspace | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = await tempDir('sluice-unit-');
    keyspace = new Keyspace({
      dir,
      databases: 16,
      durability: 'no',
      mapSize: 64 * 1024 * 1024,
      writemap: false,
    });
  });
  beforeEach(() => {
    keyspace?.clearAll();
  });
  afterAll(async () => {
    await keyspace?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ks = (): Keyspace => {
    if (keyspace === undefined) throw new Error('keyspace not open yet');
    return keyspace;
  };
  return { ks, context: (id?: number) => new TestContext(ks(), id) };
}

/** RESP text of common replies. */
export const R = {
  ok: '+OK\r\n',
  nil: '$-1\r\n',
  int: (n: number | bigint): string => `:${n}\r\n`,
  bulk: (s: string): string => `$${Buffer.byteLength(s)}\r\n${s}\r\n`,
  err: (message: string): string => `-${message}\r\n`,
  array: (...items: string[]): string => `*${items.length}\r\n${items.join('')}`,
} as const;

/** The ClientInfo of a connection, with defaults for what a test does not care about. */
export function clientInfo(fields: Partial<ClientInfo> & { id: number }): ClientInfo {
  return {
    addr: `127.0.0.1:${50000 + fields.id}`,
    laddr: '127.0.0.1:6379',
    name: '',
    createdAt: 0,
    lastInteraction: 0,
    flags: 'N',
    redirect: -1,
    db: 0,
    multi: -1,
    queryBufferBytes: 0,
    queryBufferSize: 0,
    heldReplies: 0,
    outputBytes: 0,
    lastCommand: 'NULL',
    protocol: 2,
    libName: '',
    libVer: '',
    sub: 0,
    psub: 0,
    ssub: 0,
    ...fields,
  };
}
