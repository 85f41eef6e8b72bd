import { command } from '../../spec.js';
import { base, clusterOf } from './_shared.js';

export const CLUSTER_SHARDS = command(
  {
    ...base,
    name: 'cluster|shards',
    summary:
      'Returns the shards: each set of slots with the node that serves them as primary and the nodes that keep a standby copy.',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of slot ranges',
    arity: 2,
    flags: ['stale'],
    arguments: [],
    reply: {
      resp2:
        'Array of shards, each an array of `slots` (start and end slots, in pairs) and `nodes` (each an array of fields and values: id, port, ip, endpoint, role, replication-offset, health).',
      resp3:
        'Array of shards, each a map of `slots` (start and end slots, in pairs) and `nodes` (each a map: id, port, ip, endpoint, role, replication-offset, health).',
    },
    example: [
      '> CLUSTER SHARDS',
      '1) 1) "slots"',
      '   2) 1) (integer) 0',
      '      2) (integer) 16383',
      '   3) "nodes"',
      '   4) 1)  1) "id"',
      '          2) "9a2139311f56595b4b00553a2229ae3e59a04061"',
      '          ...',
    ],
  },
  (c) => {
    const cluster = clusterOf(c);
    if (cluster === null) return;
    const out = c.out;
    const shards = cluster.topology.shards();
    out.arrayHeader(shards.length);
    for (const shard of shards) {
      out.mapHeader(2);
      out.bulkString('slots');
      out.arrayHeader(shard.spans.length * 2);
      for (const [start, end] of shard.spans) {
        out.integer(start);
        out.integer(end);
      }
      out.bulkString('nodes');
      out.arrayHeader(shard.nodes.length);
      shard.nodes.forEach((node, i) => {
        out.mapHeader(7);
        out.bulkString('id');
        out.bulkString(node.id);
        out.bulkString('port');
        out.integer(node.port);
        out.bulkString('ip');
        out.bulkString(node.host);
        out.bulkString('endpoint');
        out.bulkString(node.host);
        out.bulkString('role');
        out.bulkString(i === 0 ? 'master' : 'replica');
        // Sluice's copies are not fed by replication from the primary: no offset to report.
        out.bulkString('replication-offset');
        out.integer(0);
        out.bulkString('health');
        out.bulkString('online');
      });
    }
  },
);
