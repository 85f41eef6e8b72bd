import { readFileSync } from 'node:fs';

/** sluice-server's version, from its package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The redis-server version whose behaviour Sluice reproduces, for clients that check it. */
export const REDIS_COMPAT_VERSION = '7.0.15';
