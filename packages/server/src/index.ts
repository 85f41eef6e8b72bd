export { Client } from './client.js';
export { allCommands } from './commands/index.js';
export type { ArgSpec, CommandDef, CommandFlag, CommandGroup, CommandSpec } from './commands/spec.js';
export { CommandTable } from './commands/table.js';
export * from './config/index.js';
export { Errors, errorReply } from './errors.js';
/** How keys and records are stored in LMDB, for tools that write it as the server does (benchmarks). */
export { encodeKey, encodeRecord } from './keyspace/encoding.js';
export { main } from './main.js';
export { Server } from './server.js';
export { REDIS_COMPAT_VERSION, VERSION } from './version.js';
