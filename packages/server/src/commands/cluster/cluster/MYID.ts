import { command } from '../../spec.js';
import { base, clusterOf } from './_shared.js';

export const CLUSTER_MYID = command(
  {
    ...base,
    name: 'cluster|myid',
    summary: "Returns this node's id.",
    since: '3.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['stale'],
    arguments: [],
    reply: {
      resp2: 'Bulk string: the node id, 40 hexadecimal digits.',
      resp3: 'Bulk string: the node id, 40 hexadecimal digits.',
    },
    example: ['> CLUSTER MYID', '"9a2139311f56595b4b00553a2229ae3e59a04061"'],
  },
  (c) => {
    const cluster = clusterOf(c);
    if (cluster !== null) c.out.bulkString(cluster.topology.myself.id);
  },
);
