import { command } from '../../spec.js';
import { base, clusterOf } from './_shared.js';

export const CLUSTER_INFO = command(
  {
    ...base,
    name: 'cluster|info',
    summary:
      "Returns the cluster's state: whether every slot is served, how many are, the nodes, and the configuration epoch.",
    since: '3.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['stale'],
    arguments: [],
    reply: {
      resp2: 'Bulk string: `field:value` lines, as redis-server writes them.',
      resp3: 'Verbatim string: `field:value` lines, as redis-server writes them.',
    },
    example: [
      '> CLUSTER INFO',
      'cluster_state:ok',
      'cluster_slots_assigned:16384',
      'cluster_slots_ok:16384',
      '...',
    ],
  },
  (c) => {
    const cluster = clusterOf(c);
    if (cluster === null) return;
    const t = cluster.topology;
    // Sluice has no cluster bus: no gossip messages are sent or received, none fail.
    const fields: [string, string | number][] = [
      ['cluster_state', cluster.stateOk(Date.now()) ? 'ok' : 'fail'],
      ['cluster_slots_assigned', t.assigned],
      ['cluster_slots_ok', t.assigned],
      ['cluster_slots_pfail', 0],
      ['cluster_slots_fail', 0],
      ['cluster_known_nodes', t.nodes.length],
      ['cluster_size', t.size],
      ['cluster_current_epoch', t.epoch],
      ['cluster_my_epoch', t.epoch],
      ['cluster_stats_messages_sent', 0],
      ['cluster_stats_messages_received', 0],
      ['total_cluster_links_buffer_limit_exceeded', 0],
    ];
    c.out.verbatim(fields.map(([k, v]) => `${k}:${v}\r\n`).join(''));
  },
);
