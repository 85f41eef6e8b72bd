import { helpSubcommand } from '../_help.js';
import { command } from '../spec.js';
import { base, clusterOf } from './cluster/_shared.js';
import { CLUSTER_COUNTKEYSINSLOT } from './cluster/COUNTKEYSINSLOT.js';
import { CLUSTER_GETKEYSINSLOT } from './cluster/GETKEYSINSLOT.js';
import { CLUSTER_INFO } from './cluster/INFO.js';
import { CLUSTER_KEYSLOT } from './cluster/KEYSLOT.js';
import { CLUSTER_MYID } from './cluster/MYID.js';
import { CLUSTER_NODES } from './cluster/NODES.js';
import { CLUSTER_SHARDS } from './cluster/SHARDS.js';
import { CLUSTER_SLOTS } from './cluster/SLOTS.js';

/**
 * redis-server 7.0's lines for the subcommands Sluice has, in its order. The others (ADDSLOTS, MEET,
 * SETSLOT, FAILOVER, …) change a topology that Sluice does not take from commands.
 */
const HELP_LINES = [
  'CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'COUNTKEYSINSLOT <slot>',
  '    Return the number of keys in <slot>.',
  'GETKEYSINSLOT <slot> <count>',
  '    Return key names stored by current node in a slot.',
  'INFO',
  '    Return information about the cluster.',
  'KEYSLOT <key>',
  '    Return the hash slot for <key>.',
  'MYID',
  '    Return the node id.',
  'NODES',
  '    Return cluster configuration seen by node. Output format:',
  '    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...',
  'SLOTS',
  '    Return information about slots range mappings. Each range is made of:',
  '    start, end, master and replicas IP addresses, ports and ids',
  'SHARDS',
  '    Return information about slot range mappings and the nodes associated with them.',
  'HELP',
  '    Prints this help.',
];

const help = helpSubcommand('cluster', 'cluster', HELP_LINES);
const HELP = command({ ...help.spec, errors: ['clusterDisabled'] }, (c) => {
  if (clusterOf(c) !== null) help.run(c);
});

export const CLUSTER = command({
  ...base,
  name: 'cluster',
  summary: 'A container for Redis Cluster commands.',
  since: '3.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  errors: [],
  example: ['> CLUSTER KEYSLOT somekey', '(integer) 11058'],
}, () => {}, [
  CLUSTER_COUNTKEYSINSLOT,
  CLUSTER_GETKEYSINSLOT,
  HELP,
  CLUSTER_INFO,
  CLUSTER_KEYSLOT,
  CLUSTER_MYID,
  CLUSTER_NODES,
  CLUSTER_SHARDS,
  CLUSTER_SLOTS,
]);
