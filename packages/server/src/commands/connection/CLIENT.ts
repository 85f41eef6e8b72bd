import { helpSubcommand } from '../_help.js';
import { command } from '../spec.js';
import { base } from './client/_shared.js';
import { CLIENT_CACHING } from './client/CACHING.js';
import { CLIENT_GETNAME } from './client/GETNAME.js';
import { CLIENT_GETREDIR } from './client/GETREDIR.js';
import { CLIENT_ID } from './client/ID.js';
import { CLIENT_INFO } from './client/INFO.js';
import { CLIENT_KILL } from './client/KILL.js';
import { CLIENT_LIST } from './client/LIST.js';
import { CLIENT_NO_EVICT } from './client/NO-EVICT.js';
import { CLIENT_PAUSE } from './client/PAUSE.js';
import { CLIENT_SETINFO } from './client/SETINFO.js';
import { CLIENT_SETNAME } from './client/SETNAME.js';
import { CLIENT_TRACKING } from './client/TRACKING.js';
import { CLIENT_TRACKINGINFO } from './client/TRACKINGINFO.js';
import { CLIENT_UNBLOCK } from './client/UNBLOCK.js';
import { CLIENT_UNPAUSE } from './client/UNPAUSE.js';

const HELP_LINES = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  '    * ID <client-id> [<client-id> ...]',
  '      Return clients of specified IDs only.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  '    * ID <client-id>',
  '      Kill connections by client id.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
  'HELP',
  '    Print this help.',
];

const HELP = helpSubcommand('client', 'connection', HELP_LINES);

export const CLIENT = command({
  ...base,
  name: 'client',
  summary: 'A container for client connection commands.',
  since: '2.4.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  example: ['> CLIENT ID', '(integer) 7'],
}, () => {}, [
  CLIENT_CACHING,
  CLIENT_GETNAME,
  CLIENT_GETREDIR,
  HELP,
  CLIENT_ID,
  CLIENT_INFO,
  CLIENT_KILL,
  CLIENT_LIST,
  CLIENT_NO_EVICT,
  CLIENT_PAUSE,
  CLIENT_SETINFO,
  CLIENT_SETNAME,
  CLIENT_TRACKING,
  CLIENT_TRACKINGINFO,
  CLIENT_UNBLOCK,
  CLIENT_UNPAUSE,
]);
