/**
 * Cluster mode (cluster-enabled yes): this node's id, the topology commands and the dispatcher read, and
 * the slot index of its keys. Without Kafka, the node is a cluster of one that serves all 16384 slots,
 * so that cluster clients work against it (as Dragonfly's emulated cluster mode).
 */
import { randomBytes } from 'node:crypto';
import type { ClusterOps } from '../commands/context.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { SlotIndex } from '../keyspace/slot-index.js';
import { ClusterTopology } from './topology.js';

/** Where the node's id is kept, among Sluice's own records: it survives restarts, as nodes.conf keeps Redis's. */
const NODE_ID_KEY = Buffer.from('cluster-node-id');

export class Cluster implements ClusterOps {
  /** This node's id: 40 hex digits. */
  readonly id: string;
  private current: ClusterTopology;

  constructor(
    keyspace: Keyspace,
    private readonly slots: SlotIndex,
  ) {
    const stored = keyspace.readMeta(NODE_ID_KEY)?.toString('latin1');
    if (stored !== undefined && /^[0-9a-f]{40}$/.test(stored)) {
      this.id = stored;
    } else {
      this.id = randomBytes(20).toString('hex');
      keyspace.writeMeta(NODE_ID_KEY, Buffer.from(this.id, 'latin1'));
    }
    this.current = ClusterTopology.single({ id: this.id, host: '', port: 0 });
  }

  get topology(): ClusterTopology {
    return this.current;
  }

  /**
   * The address clients reach this node at, once the server listens: cluster-announce-ip (else the first
   * bind address that is not a wildcard, else '') and cluster-announce-port (else the port bound).
   */
  announce(host: string, port: number): void {
    this.current = ClusterTopology.single({ id: this.id, host, port });
  }

  countKeysInSlot(slot: number): number {
    return this.slots.count(slot);
  }

  keysInSlot(slot: number, count: number): Buffer[] {
    return this.slots.keys(slot, count);
  }
}

/** The host a node announces: cluster-announce-ip, else the first bind address that names one interface. */
export function announcedHost(announceIp: string, bind: string): string {
  if (announceIp !== '') return announceIp;
  for (const raw of bind.split(' ')) {
    const host = raw.replace(/^-/, '');
    if (host !== '' && host !== '*' && host !== '0.0.0.0' && host !== '::' && host !== '::*') return host;
  }
  return '';
}
