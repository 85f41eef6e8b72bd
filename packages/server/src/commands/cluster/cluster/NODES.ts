import { command } from '../../spec.js';
import { base, clusterOf } from './_shared.js';

export const CLUSTER_NODES = command(
  {
    ...base,
    name: 'cluster|nodes',
    summary: "Returns the cluster's nodes, one line each, in the format of redis-server's nodes.conf.",
    since: '3.0.0',
    complexity: 'O(N) where N is the number of nodes',
    arity: 2,
    flags: ['stale'],
    arguments: [],
    reply: {
      resp2:
        'Bulk string: per node a line of id, host:port@bus-port, flags, primary, ping sent, pong received, epoch, link state and the slots it serves as primary.',
      resp3:
        'Verbatim string: per node a line of id, host:port@bus-port, flags, primary, ping sent, pong received, epoch, link state and the slots it serves as primary.',
    },
    example: [
      '> CLUSTER NODES',
      '"9a2139311f56595b4b00553a2229ae3e59a04061 127.0.0.1:6379@0 myself,master - 0 0 0 connected 0-16383\\n"',
    ],
  },
  (c) => {
    const cluster = clusterOf(c);
    if (cluster === null) return;
    const t = cluster.topology;
    let text = '';
    for (const node of t.nodes) {
      // Sluice has no cluster bus (its bus port is 0) and pings no one; every node serves as a primary.
      const flags = node === t.myself ? 'myself,master' : 'master';
      const spans = t.primarySpans(node).map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`));
      text += `${node.id} ${node.host}:${node.port}@0 ${flags} - 0 0 ${t.epoch} connected${spans.map((s) => ` ${s}`).join('')}\n`;
    }
    c.out.verbatim(text);
  },
);
