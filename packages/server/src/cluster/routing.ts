/**
 * Which node serves a command, as redis-server 7.0's getNodeByQuery (cluster.c) decides it: every key
 * of the command (or of every command queued by MULTI, for EXEC) must hash to one slot, and that slot
 * must be served here, as primary, or as a standby copy for a READONLY connection's reads. The keys are
 * found where the command table says they are (the positions COMMAND GETKEYS reports; the shard channels
 * of SPUBLISH, SSUBSCRIBE and SUNSUBSCRIBE count as keys).
 */
import { type Args, keySlot } from '@sluice/protocol';
import { commandInfo } from '../commands/command-info.js';
import { findKeys } from '../commands/key-specs.js';
import type { CommandDef } from '../commands/spec.js';
import { errorReply } from '../errors.js';
import type { ClusterNode, ClusterTopology } from './topology.js';

/** Why a command does not run on this node. */
export type Redirect =
  /** Another node serves the keys' slot: `-MOVED <slot> <host>:<port>`. */
  | { readonly kind: 'moved'; readonly slot: number; readonly node: ClusterNode }
  /** The keys hash to different slots. */
  | { readonly kind: 'crossslot' }
  /** No node serves the first key's slot. */
  | { readonly kind: 'unbound' }
  /** Not every slot is served: the cluster is down, and commands with keys are refused. */
  | { readonly kind: 'down' };

/** A command and its arguments (EXEC routes the commands MULTI queued). */
export interface RoutedCommand {
  readonly def: CommandDef;
  readonly args: Args;
}

const SHARD_PUBSUB = new Set(['spublish', 'ssubscribe', 'sunsubscribe']);
const CROSSSLOT: Redirect = { kind: 'crossslot' };
const UNBOUND: Redirect = { kind: 'unbound' };
const DOWN: Redirect = { kind: 'down' };

/**
 * Whether the command is routed at all: it has key positions (shard channels included), keys that the
 * arguments place (movablekeys), or it is EXEC. redis-server's processCommand skips the others.
 */
export function isRouted(def: CommandDef): boolean {
  const s = def.spec;
  return s.keys !== undefined || s.name === 'exec' || s.flags.includes('movablekeys');
}

/** The topology being routed against, and what the keys read so far showed. */
let routing: ClusterTopology;
/** The first key's slot, -1 before it. */
let slot = -1;
/** The first key's primary, undefined before it. */
let owner: ClusterNode | undefined;
/** Set when reading stops: the keys cross slots, or the first key's slot is served by no node. */
let failure: Redirect | null = null;

/** Reads one key, `args.arg(i)`: false when reading must stop (`failure`). */
function see(args: Args, i: number): boolean {
  const s = keySlot(args.buffer, args.argStart(i), args.argEnd(i));
  if (slot === -1) {
    // redis-server looks the first key's slot up before it reads the next key.
    slot = s;
    owner = routing.primaryOf(s);
    if (owner === undefined) failure = UNBOUND;
  } else if (slot !== s) {
    failure = CROSSSLOT;
  }
  return failure === null;
}

/** Reads the command's keys: false when reading must stop (`failure`). */
function readKeys(def: CommandDef, args: Args): boolean {
  const spec = def.spec;
  if (spec.flags.includes('movablekeys')) {
    for (const key of findKeys(spec, commandInfo(spec).keySpecs, args.argv())) {
      if (!see(args, key.index)) return false;
    }
    return true;
  }
  const keys = spec.keys;
  if (keys === undefined) return true;
  const argc = args.argc;
  const last = keys.last < 0 ? argc + keys.last : keys.last;
  for (let i = keys.first; i <= last && i < argc; i += keys.step) if (!see(args, i)) return false;
  return true;
}

/**
 * Where `commands` run (one command, or the commands EXEC runs), for a connection that sent READONLY
 * (`readOnly`) or not: null when here, else the redirection or error. `write` is whether the command
 * (or any command of the transaction) writes, for READONLY reads of standby copies. `stale`: this node's
 * plan may be out of date (cluster.ts `watchStalls`), and it reads none of its keys (shard channels go on).
 */
export function route(
  topology: ClusterTopology,
  commands: RoutedCommand | readonly RoutedCommand[],
  readOnly: boolean,
  write: boolean,
  stale = false,
): Redirect | null {
  routing = topology;
  slot = -1;
  owner = undefined;
  failure = null;
  let shardPubsub = false;
  if (Array.isArray(commands)) {
    for (const { def, args } of commands as readonly RoutedCommand[]) {
      if (SHARD_PUBSUB.has(def.spec.name)) shardPubsub = true;
      if (!readKeys(def, args)) return failure;
    }
  } else {
    const { def, args } = commands as RoutedCommand;
    shardPubsub = SHARD_PUBSUB.has(def.spec.name);
    if (!readKeys(def, args)) return failure;
  }
  // No key at all: any node serves it.
  if (owner === undefined) return null;
  // A cluster with unserved slots refuses commands with keys (shard channels go on, as with redis-server's
  // default cluster-allow-pubsubshard-when-down yes).
  if (!topology.ok && !shardPubsub) return DOWN;
  // A stale node's writes go on (the fence refuses them if its slots moved); its reads are refused,
  // but not its shard channels (as with cluster-allow-pubsubshard-when-down yes, above).
  const refused = stale && !shardPubsub;
  if (owner === topology.myself) return refused && !write ? DOWN : null;
  if ((readOnly || shardPubsub) && !write && topology.hasStandby(slot)) return refused ? DOWN : null;
  return { kind: 'moved', slot, node: owner };
}

/** The error reply of a redirection, as redis-server's clusterRedirectClient writes it. */
/** The slot of the keys of the command `route` last admitted, -1 when it had none. */
export function routedSlot(): number {
  return slot;
}

export function redirectReply(r: Redirect): string {
  switch (r.kind) {
    case 'moved':
      return errorReply('moved', String(r.slot), `${r.node.host}:${r.node.port}`);
    case 'crossslot':
      return errorReply('crossSlot');
    case 'unbound':
      return errorReply('slotUnbound');
    case 'down':
      return errorReply('clusterDown');
  }
}
