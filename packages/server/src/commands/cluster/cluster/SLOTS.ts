import type { ReplyWriter } from '@sluice/protocol';
import type { ClusterNode } from '../../../cluster/topology.js';
import { command } from '../../spec.js';
import { base, clusterOf } from './_shared.js';

/** A node as CLUSTER SLOTS lists it: host, port, id, and a map of extra endpoints (none). */
function writeNode(out: ReplyWriter, node: ClusterNode): void {
  out.arrayHeader(4);
  out.bulkString(node.host);
  out.integer(node.port);
  out.bulkString(node.id);
  out.mapHeader(0);
}

export const CLUSTER_SLOTS = command(
  {
    ...base,
    name: 'cluster|slots',
    summary:
      'Returns which node serves each range of slots: the primary first, then the nodes that keep a standby copy.',
    since: '3.0.0',
    complexity: 'O(N) where N is the number of slot ranges',
    arity: 2,
    flags: ['stale'],
    arguments: [],
    reply: {
      resp2:
        'Array of ranges: start slot, end slot, then per node an array of host, port, id and an empty array.',
      resp3:
        'Array of ranges: start slot, end slot, then per node an array of host, port, id and an empty map.',
    },
    example: [
      '> CLUSTER SLOTS',
      '1) 1) (integer) 0',
      '   2) (integer) 16383',
      '   3) 1) "127.0.0.1"',
      '      2) (integer) 6379',
      '      3) "9a2139311f56595b4b00553a2229ae3e59a04061"',
      '      4) (empty array)',
    ],
  },
  (c) => {
    const cluster = clusterOf(c);
    if (cluster === null) return;
    const out = c.out;
    const ranges = cluster.topology.ranges;
    out.arrayHeader(ranges.length);
    for (const r of ranges) {
      out.arrayHeader(3 + r.standbys.length);
      out.integer(r.start);
      out.integer(r.end);
      writeNode(out, r.primary);
      for (const node of r.standbys) writeNode(out, node);
    }
  },
);
