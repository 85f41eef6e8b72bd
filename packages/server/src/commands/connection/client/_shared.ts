import type { ClientInfo } from '../../context.js';
import type { CommandSpec } from '../../spec.js';

export const base = {
  group: 'connection',
  complexity: 'O(1)',
  errors: [],
} as const satisfies Partial<CommandSpec>;

/** One line of CLIENT LIST / CLIENT INFO, with redis-server 7's fields in its order. */
export function clientInfoLine(k: ClientInfo, now = Date.now()): string {
  const fields: [string, string | number][] = [
    ['id', k.id],
    ['addr', k.addr],
    ['laddr', k.laddr],
    ['fd', -1],
    ['name', k.name],
    ['age', Math.floor((now - k.createdAt) / 1000)],
    ['idle', Math.floor((now - k.lastInteraction) / 1000)],
    ['flags', k.flags],
    ['db', k.db],
    ['sub', k.sub],
    ['psub', k.psub],
    ['ssub', k.ssub],
    ['multi', k.multi],
    ['qbuf', k.queryBufferBytes],
    ['qbuf-free', 0],
    ['argv-mem', 0],
    ['multi-mem', 0],
    ['rbs', k.queryBufferSize],
    ['rbp', 0],
    ['obl', 0],
    ['oll', k.heldReplies],
    ['omem', k.outputBytes],
    ['tot-mem', k.queryBufferSize + k.queryBufferBytes + k.outputBytes],
    ['events', 'r'],
    ['cmd', k.lastCommand],
    ['user', 'default'],
    ['redir', k.redirect],
    ['resp', k.protocol],
    ['lib-name', k.libName],
    ['lib-ver', k.libVer],
  ];
  return fields.map(([n, v]) => `${n}=${v}`).join(' ');
}

/** CLIENT LIST and CLIENT KILL's TYPE values. */
export const CLIENT_TYPES = ['normal', 'master', 'replica', 'slave', 'pubsub'];
