import { command } from '../spec.js';
import { expireConditionArg, expireGeneric } from './_expire.js';

export const PEXPIRE = command(
  {
    name: 'pexpire',
    group: 'generic',
    summary: "Sets a key's time to live in milliseconds.",
    since: '2.6.0',
    complexity: 'O(1)',
    arity: -3,
    flags: ['write', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }, { name: 'milliseconds', type: 'integer' }, expireConditionArg],
    reply: {
      resp2:
        'Integer: 1 if the expiry was set (or the key deleted, for a time already past), 0 if the key does not exist or the condition was not met.',
      resp3:
        'Integer: 1 if the expiry was set (or the key deleted, for a time already past), 0 if the key does not exist or the condition was not met.',
    },
    errors: ['notInteger', 'invalidExpire', 'unsupportedOption', 'nxAndOthers', 'gtAndLt'],
    example: ['> SET session abc', 'OK', '> PEXPIRE session 60 NX', '(integer) 1'],
  },
  (c) => expireGeneric(c, 'pexpire', false, true),
);
