/**
 * Every error reply the server sends, in one table: code, message (redis-server 7's words), and when it
 * happens. The docs page of errors is generated from this table and a test checks that none is missing.
 * `%s` marks a part filled in at run time.
 */
export const Errors = {
  syntax: {
    reply: 'ERR syntax error',
    when: 'An option is unknown, repeated or conflicts with another; CONFIG SET is given a setting name without its value.',
  },
  notInteger: {
    reply: 'ERR value is not an integer or out of range',
    when: 'An argument that must be a 64-bit integer is not one.',
  },
  intRange: {
    reply: 'ERR value is out of range, value must between -2147483648 and 2147483647',
    when: 'An argument that must be a 32-bit integer (a database number) is a 64-bit integer outside that range.',
  },
  invalidExpire: {
    reply: "ERR invalid expire time in '%s' command",
    when: 'An expire time is zero, negative, or too large once converted to milliseconds.',
  },
  overflow: {
    reply: 'ERR increment or decrement would overflow',
    when: 'INCR, DECR, INCRBY or DECRBY would take the value past the 64-bit signed range.',
  },
  decrementOverflow: {
    reply: 'ERR decrement would overflow',
    when: 'DECRBY is given -9223372036854775808, whose negation is not a 64-bit integer.',
  },
  notFloat: {
    reply: 'ERR value is not a valid float',
    when: 'INCRBYFLOAT: the increment or the stored value is not a number in long double range.',
  },
  nanOrInfinity: {
    reply: 'ERR increment would produce NaN or Infinity',
    when: 'INCRBYFLOAT: the sum is infinite or not a number; the value is left as it was.',
  },
  offsetOutOfRange: {
    reply: 'ERR offset is out of range',
    when: 'SETRANGE is given a negative offset.',
  },
  stringTooLong: {
    reply: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
    when: 'APPEND or SETRANGE would make a value longer than `proto-max-bulk-len` bytes.',
  },
  lcsLenAndIdx: {
    reply: 'ERR If you want both the length and indexes, please just use IDX.',
    when: 'LCS is given both LEN and IDX.',
  },
  lcsMemory: {
    reply: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
    when: 'LCS would need a table of (len1 + 1) × (len2 + 1) 4-byte cells larger than `proto-max-bulk-len`.',
  },
  lcsAllocation: {
    reply: 'ERR Insufficient memory, failed allocating transient memory for LCS',
    when: 'LCS could not allocate its table.',
  },
  unknownCommand: {
    reply: "ERR unknown command '%s', with args beginning with: %s",
    when: 'The command name is not in the command table; the first arguments follow, each quoted.',
  },
  unknownSubcommand: {
    reply: "ERR unknown subcommand '%s'. Try %s HELP.",
    when: 'A container command (CLIENT, CONFIG, COMMAND) is given a subcommand it does not have.',
  },
  subcommandSyntax: {
    reply: "ERR unknown subcommand or wrong number of arguments for '%s'. Try %s HELP.",
    when: 'A subcommand is given more arguments than it takes (CLIENT PAUSE, SLOWLOG GET); the subcommand is named as sent.',
  },
  wrongArity: {
    reply: "ERR wrong number of arguments for '%s' command",
    when: 'The number of arguments does not match the arity in the command table.',
  },
  clusterDisabled: {
    reply: 'ERR This instance has cluster support disabled',
    when: 'A CLUSTER subcommand, READONLY, READWRITE or ASKING on a server started without `cluster-enabled yes`.',
  },
  moved: {
    reply: 'MOVED %s %s',
    when: "Cluster mode: the command's keys hash to a slot another node serves; the slot and that node's host:port follow, and cluster clients send the command there.",
  },
  crossSlot: {
    reply: "CROSSSLOT Keys in request don't hash to the same slot",
    when: 'Cluster mode: the keys of a command, or of all the commands of a transaction at EXEC, hash to more than one slot (use a hash tag, `{user1}:a` and `{user1}:b`, to keep keys together).',
  },
  slotUnbound: {
    reply: 'CLUSTERDOWN Hash slot not served',
    when: "Cluster mode: no node serves the first key's slot.",
  },
  clusterDown: {
    reply: 'CLUSTERDOWN The cluster is down',
    when: "Cluster mode: some slot is served by no node (CLUSTER INFO says cluster_state:fail), and the command has keys; or, over Kafka, the node's plan may be out of date (it stalled for most of `cluster-node-timeout`, heard nothing from the group for all of it, or its consumer left the group) and the command reads keys of its slots, unless `cluster-allow-reads-when-down` is yes (see the cluster page).",
  },
  invalidSlot: {
    reply: 'ERR Invalid slot',
    when: 'CLUSTER COUNTKEYSINSLOT is given a slot outside 0 to 16383.',
  },
  invalidSlotOrCount: {
    reply: 'ERR Invalid slot or number of keys',
    when: 'CLUSTER GETKEYSINSLOT is given a slot outside 0 to 16383 or a negative count.',
  },
  selectInCluster: {
    reply: 'ERR SELECT is not allowed in cluster mode',
    when: 'Cluster mode: SELECT of a database other than 0 (a cluster has database 0 only).',
  },
  swapdbInCluster: {
    reply: 'ERR SWAPDB is not allowed in cluster mode',
    when: 'Cluster mode: SWAPDB.',
  },
  moveInCluster: {
    reply: 'ERR MOVE is not allowed in cluster mode',
    when: 'Cluster mode: MOVE.',
  },
  copyDbInCluster: {
    reply: 'ERR Copying to another database is not allowed in cluster mode',
    when: 'Cluster mode: COPY with a DB option other than 0.',
  },
  sortByInCluster: {
    reply: 'ERR BY option of SORT denied in Cluster mode.',
    when: 'Cluster mode: SORT or SORT_RO with BY and a pattern (its keys could be in any slot); BY without a `*` (nosort) is allowed.',
  },
  sortGetInCluster: {
    reply: 'ERR GET option of SORT denied in Cluster mode.',
    when: 'Cluster mode: SORT or SORT_RO with GET.',
  },
  scriptNonLocalKey: {
    reply: 'ERR Script attempted to access a non local key in a cluster node',
    when: "Cluster mode: a command called by a script has keys in another node's slot, in a slot no node serves, or in more than one slot.",
  },
  scriptNoCluster: {
    reply: "ERR Can not run script on cluster, 'no-cluster' flag is set.",
    when: 'Cluster mode: EVAL of a script whose `#!lua` line declares `flags=no-cluster`, or FCALL of a function registered with that flag.',
  },
  scriptClusterDown: {
    reply: 'ERR Script attempted to execute a command while the cluster is down',
    when: 'Cluster mode: a command called by a script has keys while some slot is served by no node.',
  },
  dbIndexOutOfRange: {
    reply: 'ERR DB index is out of range',
    when: 'SELECT names a database that does not exist.',
  },
  noProto: {
    reply: 'NOPROTO unsupported protocol version',
    when: 'HELLO asks for a protocol other than 2 or 3.',
  },
  helloProtocolNotInteger: {
    reply: 'ERR Protocol version is not an integer or out of range',
    when: 'HELLO is given a protocol version that is not an integer.',
  },
  helloSyntax: {
    reply: "ERR Syntax error in HELLO option '%s'",
    when: 'HELLO is given an option it does not know.',
  },
  helloNoAuth: {
    reply:
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    when: 'HELLO without AUTH on a connection that has not authenticated while a password is set.',
  },
  noAuth: {
    reply: 'NOAUTH Authentication required.',
    when: 'A password is set and the connection has not authenticated.',
  },
  wrongPass: {
    reply: 'WRONGPASS invalid username-password pair or user is disabled.',
    when: 'AUTH or HELLO … AUTH gives a wrong password or an unknown user.',
  },
  authNotConfigured: {
    reply:
      'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
    when: 'AUTH is sent while no password is set.',
  },
  denied: {
    reply:
      "DENIED Sluice is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Sluice you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Sluice from the same host the server is running, however MAKE SURE Sluice is not publicly accessible from internet if you do so. 2) Alternatively you can disable the protected mode by setting the protected-mode option to 'no' in the configuration file, and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user (requirepass). NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.",
    when: 'A client connects from an address other than loopback while protected-mode is yes and no password is set; the connection is then closed.',
  },
  maxClients: {
    reply: 'ERR max number of clients reached',
    when: 'A connection arrives while `maxclients` are connected.',
  },
  clientNameSpaces: {
    reply: 'ERR Client names cannot contain spaces, newlines or special characters.',
    when: 'CLIENT SETNAME or HELLO … SETNAME gives a name with spaces or control characters.',
  },
  clientInfoChars: {
    reply: 'ERR %s cannot contain spaces, newlines or special characters.',
    when: 'CLIENT SETINFO gives a library name or version with spaces or control characters; the attribute is named as sent.',
  },
  unrecognizedOption: {
    reply: "ERR Unrecognized option '%s'",
    when: 'CLIENT SETINFO is given an attribute other than LIB-NAME or LIB-VER.',
  },
  configUnknown: {
    reply: "ERR Unknown option or number of arguments for CONFIG SET - '%s'",
    when: 'CONFIG SET names a setting that does not exist (named as sent). Every name is checked before any value: the first unknown, immutable or repeated name is the error.',
  },
  configImmutable: {
    reply: "ERR CONFIG SET failed (possibly related to argument '%s') - can't set immutable config",
    when: 'CONFIG SET names a setting that can only be set at start-up (named as sent).',
  },
  configInvalid: {
    reply: "ERR CONFIG SET failed (possibly related to argument '%s') - %s",
    when: "CONFIG SET gives a setting a value it does not accept (named as the setting is called, with redis-server's reason), or names a setting twice (named as sent the second time, `duplicate parameter`).",
  },
  multiNested: { reply: 'ERR MULTI calls can not be nested', when: 'MULTI inside a transaction.' },
  execWithoutMulti: { reply: 'ERR EXEC without MULTI', when: 'EXEC outside a transaction.' },
  discardWithoutMulti: { reply: 'ERR DISCARD without MULTI', when: 'DISCARD outside a transaction.' },
  execAbort: {
    reply: 'EXECABORT Transaction discarded because of previous errors.',
    when: 'EXEC after a command was refused while queuing (unknown command, wrong arity, not allowed in MULTI).',
  },
  watchInMulti: { reply: 'ERR WATCH inside MULTI is not allowed', when: 'WATCH inside a transaction.' },
  notInMulti: {
    reply: 'ERR Command not allowed inside a transaction',
    when: 'A command that cannot be queued (such as SHUTDOWN) is sent inside MULTI.',
  },
  pubsubContext: {
    reply:
      "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    when: 'A RESP2 connection with a Pub/Sub subscription runs another command (a RESP3 connection may run any).',
  },
  slowlogCount: {
    reply: 'ERR count should be greater than or equal to -1',
    when: 'SLOWLOG GET is given a count below -1 or one that is not an integer.',
  },
  noSuchClient: { reply: 'ERR No such client', when: 'CLIENT KILL ip:port names no connected client.' },
  clientIdInvalid: {
    reply: 'ERR client-id should be greater than 0',
    when: 'CLIENT KILL ID is given an id below 1.',
  },
  clientListIdInvalid: {
    reply: 'ERR Invalid client ID',
    when: 'CLIENT LIST ID is given an id that is not a 64-bit integer.',
  },
  noSuchUser: {
    reply: "ERR No such user '%s'",
    when: 'CLIENT KILL USER names a user that does not exist (without ACLs, only `default` does).',
  },
  unknownClientType: {
    reply: "ERR Unknown client type '%s'",
    when: 'CLIENT LIST or CLIENT KILL TYPE names an unknown type.',
  },
  trackingRedirectTwice: {
    reply: 'ERR A client can only redirect to a single other client',
    when: 'CLIENT TRACKING is given REDIRECT more than once.',
  },
  trackingNoRedirectClient: {
    reply: 'ERR The client ID you want redirect to does not exist',
    when: 'CLIENT TRACKING REDIRECT names no open connection (0 and negative ids included).',
  },
  trackingPrefixWithoutBcast: {
    reply: 'ERR PREFIX option requires BCAST mode to be enabled',
    when: 'CLIENT TRACKING ON is given PREFIX without BCAST.',
  },
  trackingBcastSwitch: {
    reply:
      "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
    when: 'CLIENT TRACKING ON while tracking is on, with BCAST given or left out unlike the first time.',
  },
  trackingOptWithBcast: {
    reply: 'ERR OPTIN and OPTOUT are not compatible with BCAST',
    when: 'CLIENT TRACKING ON is given BCAST with OPTIN or OPTOUT.',
  },
  trackingOptinAndOptout: {
    reply: "ERR You can't specify both OPTIN mode and OPTOUT mode",
    when: 'CLIENT TRACKING ON is given both OPTIN and OPTOUT.',
  },
  trackingOptSwitch: {
    reply:
      "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
    when: 'CLIENT TRACKING ON with OPTIN while tracking is on in OPTOUT mode, or the other way round.',
  },
  trackingPrefixOverlapsExisting: {
    reply:
      "ERR Prefix '%s' overlaps with an existing prefix '%s'. Prefixes for a single client must not overlap.",
    when: 'CLIENT TRACKING ON BCAST is given a prefix that starts a prefix the connection has, or that one of them starts (the same prefix again included).',
  },
  trackingPrefixOverlapsGiven: {
    reply:
      "ERR Prefix '%s' overlaps with another provided prefix '%s'. Prefixes for a single client must not overlap.",
    when: 'CLIENT TRACKING ON BCAST is given two prefixes one of which starts the other.',
  },
  cachingWithoutTracking: {
    reply:
      'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
    when: 'CLIENT CACHING while tracking is off.',
  },
  cachingYesWithoutOptin: {
    reply: 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.',
    when: 'CLIENT CACHING YES while tracking is not in OPTIN mode.',
  },
  cachingNoWithoutOptout: {
    reply: 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.',
    when: 'CLIENT CACHING NO while tracking is not in OPTOUT mode.',
  },
  timeoutNotInteger: {
    reply: 'ERR timeout is not an integer or out of range',
    when: 'CLIENT PAUSE is given a timeout that is not an integer.',
  },
  pauseMode: {
    reply: 'ERR CLIENT PAUSE mode must be WRITE or ALL',
    when: 'CLIENT PAUSE is given a mode other than WRITE or ALL.',
  },
  timeoutNegative: {
    reply: 'ERR timeout is negative',
    when: 'CLIENT PAUSE or a blocking command (BLPOP, …) is given a negative timeout.',
  },
  sameObject: {
    reply: 'ERR source and destination objects are the same',
    when: 'COPY or MOVE would copy a key onto itself.',
  },
  noSuchKey: {
    reply: 'ERR no such key',
    when: 'RENAME or RENAMENX names a key that does not exist; LSET names a list that does not exist.',
  },
  unsupportedOption: {
    reply: 'ERR Unsupported option %s',
    when: 'EXPIRE and its siblings are given an unknown option.',
  },
  nxAndOthers: {
    reply: 'ERR NX and XX, GT or LT options at the same time are not compatible',
    when: 'EXPIRE and its siblings are given NX with XX, GT or LT.',
  },
  gtAndLt: {
    reply: 'ERR GT and LT options at the same time are not compatible',
    when: 'EXPIRE and its siblings are given both GT and LT.',
  },
  invalidFirstDb: {
    reply: 'ERR invalid first DB index',
    when: 'SWAPDB is given a first index that is not an integer.',
  },
  invalidSecondDb: {
    reply: 'ERR invalid second DB index',
    when: 'SWAPDB is given a second index that is not an integer.',
  },
  lfuNotSelected: {
    reply:
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    when: 'OBJECT FREQ: Sluice keeps no access frequencies (there is no LFU eviction).',
  },
  idleNotTracked: {
    reply: 'ERR OBJECT IDLETIME is not supported: Sluice does not track key access times',
    when: 'OBJECT IDLETIME: Sluice stores no last-access time per key.',
  },
  invalidCursor: {
    reply: 'ERR invalid cursor',
    when: 'SCAN is given a cursor that strtoul does not read whole: not a decimal number (an optional sign, then digits), past 2^64 - 1, or after a space.',
  },
  diskRefused: {
    reply: 'MISCONF Errors writing to the LMDB data file: %s',
    when: "Writes are refused because the disk is full (`No space left on device`: the data directory's filesystem has less free space than the next commit could need), or because LMDB failed to commit or to flush to disk. Write commands, an EXEC holding writes, and PING get it (as redis-server answers while it cannot write its AOF); reads go on. Writes are accepted again by themselves once a probe, every second, finds the disk usable. See the durability guide.",
  },
  writeFailed: {
    reply: 'ERR write failed: %s',
    when: 'LMDB could not commit a write (for example, its map is full); the write was not applied.',
  },
  loading: {
    reply: 'LOADING Sluice is loading the dataset in memory',
    when: 'Log mode: a data command arrives before the node has applied everything the topic held when it started.',
  },
  masterDown: {
    reply: "MASTERDOWN Link with Kafka is down and replica-serve-stale-data is set to 'no'.",
    when: 'Log mode, with `replica-serve-stale-data no`: the brokers are unreachable, so the node refuses data commands rather than answer from stale data.',
  },
  logWriteFailed: {
    reply: 'ERR write not acknowledged: Kafka did not take its records (%s)',
    when: 'Log mode: the brokers did not acknowledge the write within `kafka-produce-timeout-ms`, or refused it. It was not acknowledged; it may still reach the topic (then every node applies it).',
  },
  clusterFenced: {
    reply: 'ERR write not applied: partition %s has a new primary (node %s), so its record was fenced',
    when: "Cluster mode over Kafka: the write's record reached its partition after another node's handoff record (the node lost the slot while the write was on its way, say after a pause longer than `cluster-node-timeout`): every node skipped it, so it was applied nowhere and may be sent again. A write of one slot whose new primary's address is known gets `MOVED` to it instead.",
  },
  clusterWriteUnknown: {
    reply: 'ERR write outcome unknown: this node lost partition %s before it applied the write',
    when: "Cluster mode over Kafka: Kafka took the write's record, but the node lost the partition before applying it. The write counts if the record came before the new primary's handoff record and not otherwise; this node cannot tell which, so it does not acknowledge it (as after a timeout): check before sending it again.",
  },
  crossPartition: {
    reply: "CROSSSLOT Keys in request don't hash to the same Kafka partition",
    when: 'Log mode: a MULTI/EXEC writes keys of more than one partition of the topic, so its writes could not become visible together; nothing of it ran.',
  },
  notLogMode: {
    reply: 'ERR this server is not in log mode (start it with kafka-brokers and kafka-topic)',
    when: 'SLUICE POSITION, WAIT or LAG on a server in local mode.',
  },
  invalidPosition: {
    reply: 'ERR invalid position token',
    when: 'SLUICE WAIT is given a token that SLUICE POSITION did not hand out.',
  },
  negativeKeys: {
    reply: "ERR Number of keys can't be negative",
    when: 'EVAL, EVALSHA and their _RO forms: numkeys is below zero.',
  },
  tooManyKeys: {
    reply: "ERR Number of keys can't be greater than number of args",
    when: 'EVAL, EVALSHA and their _RO forms: numkeys is more than the arguments that follow it.',
  },
  noScript: {
    reply: 'NOSCRIPT No matching script. Please use EVAL.',
    when: 'EVALSHA: no cached script has this SHA1 (never loaded, or SCRIPT FLUSH since).',
  },
  scriptFlushArgs: {
    reply: 'ERR SCRIPT FLUSH only support SYNC|ASYNC option',
    when: 'SCRIPT FLUSH is given something other than ASYNC or SYNC.',
  },
  notBusy: {
    reply: 'NOTBUSY No scripts in execution right now.',
    when: 'SCRIPT KILL: no script is running (in Sluice, never one while a command is read).',
  },
  scriptUnknownCommand: {
    reply: 'ERR Unknown Redis command called from script',
    when: 'redis.call or redis.pcall names a command (or subcommand) Sluice does not have.',
  },
  scriptArity: {
    reply: 'ERR Wrong number of args calling Redis command from script',
    when: 'redis.call or redis.pcall gives a command a number of arguments its arity does not allow.',
  },
  scriptNotAllowed: {
    reply: 'ERR This Redis command is not allowed from script',
    when: 'redis.call or redis.pcall names a command flagged noscript (MULTI, EVAL, SUBSCRIBE-like and blocking-only commands, …).',
  },
  scriptReadOnly: {
    reply: 'ERR Write commands are not allowed from read-only scripts.',
    when: 'A script run by EVAL_RO or EVALSHA_RO calls a write command.',
  },
  busyScript: {
    reply: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
    when: 'A script has run past busy-reply-threshold and is still running: every command but SCRIPT KILL and SHUTDOWN gets it until the script ends.',
  },
  unkillable: {
    reply:
      'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
    when: 'SCRIPT KILL while the running script has written: it runs to its end, so that it stays atomic.',
  },
  scriptKilled: {
    reply: 'ERR Script killed by user with SCRIPT KILL...',
    when: 'SCRIPT KILL stopped the running script (which had not written), or a script inside MULTI/EXEC that had not written ran past busy-reply-threshold; followed by where it was, as every script error: its SHA1 and its line.',
  },
  badNumKeys: {
    reply: 'ERR Bad number of keys provided',
    when: 'FCALL and FCALL_RO: numkeys is not an integer.',
  },
  functionNotFound: {
    reply: 'ERR Function not found',
    when: 'FCALL and FCALL_RO: no loaded library registered a function of this name (names are matched ignoring case).',
  },
  scriptWriteFlagReadOnly: {
    reply: 'ERR Can not execute a script with write flag using *_ro command.',
    when: 'FCALL_RO runs a function registered without the `no-writes` flag, or EVAL_RO / EVALSHA_RO a script whose `#!lua` line does not declare `flags=no-writes`.',
  },
  busyFunction: {
    reply: 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.',
    when: 'A function (FCALL) has run past busy-reply-threshold and is still running: every command but FUNCTION KILL, FUNCTION STATS and SHUTDOWN gets it; SCRIPT KILL gets it too, since only FUNCTION KILL stops a function.',
  },
  diskRefusedScript: {
    reply:
      "MISCONF Errors writing to the LMDB data file: %s. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.",
    when: 'While writes are refused (see `MISCONF Errors writing to the LMDB data file`), FCALL of a function without the `no-writes` flag, or EVAL of a script with a `#!lua` line without it, is refused before it runs.',
  },
  masterDownScript: {
    reply:
      "MASTERDOWN Link with Kafka is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.",
    when: 'Log mode, with `replica-serve-stale-data no` and the brokers unreachable: FCALL of a function, or EVAL of a script with a `#!lua` line, that does not declare `allow-stale`.',
  },
  invalidShebang: {
    reply: 'ERR Invalid script shebang',
    when: 'EVAL or SCRIPT LOAD: the script starts with `#!` but has no line feed after it.',
  },
  invalidShebangEngine: {
    reply: 'ERR Invalid engine in script shebang',
    when: 'EVAL or SCRIPT LOAD: the `#!` line is empty or its quotes do not close.',
  },
  unexpectedShebangEngine: {
    reply: 'ERR Unexpected engine in script shebang: %s',
    when: 'EVAL or SCRIPT LOAD: the `#!` line names another engine than `lua` (lowercase).',
  },
  unexpectedShebangFlag: {
    reply: 'ERR Unexpected flag in script shebang: %s',
    when: 'EVAL or SCRIPT LOAD: `flags=` lists a flag other than no-writes, allow-oom, allow-stale, no-cluster, allow-cross-slot-keys.',
  },
  unknownShebangOption: {
    reply: 'ERR Unknown lua shebang option: %s',
    when: 'EVAL or SCRIPT LOAD: the `#!lua` line has an option other than `flags=…`.',
  },
  libraryMetadataMissing: {
    reply: 'ERR Missing library metadata',
    when: 'FUNCTION LOAD: the code does not start with a `#!lua name=<library>` line.',
  },
  libraryMetadataInvalid: {
    reply: 'ERR Invalid library metadata',
    when: 'FUNCTION LOAD: the `#!` line has no line feed after it, is empty, or its quotes do not close.',
  },
  libraryMetadataValue: {
    reply: 'ERR Invalid metadata value given: %s',
    when: 'FUNCTION LOAD: the `#!` line has an option other than `name=…`.',
  },
  libraryNameRepeated: {
    reply: 'ERR Invalid metadata value, name argument was given multiple times',
    when: 'FUNCTION LOAD: the `#!` line gives `name=` more than once.',
  },
  libraryNameMissing: {
    reply: 'ERR Library name was not given',
    when: 'FUNCTION LOAD: the `#!` line has no `name=`.',
  },
  libraryNameInvalid: {
    reply:
      'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long',
    when: 'FUNCTION LOAD: the library name is empty or has another character than a-z, A-Z, 0-9 and _.',
  },
  engineNotFound: {
    reply: "ERR Engine '%s' not found",
    when: 'FUNCTION LOAD: the `#!` line names an engine other than `lua` (any case).',
  },
  libraryExists: {
    reply: "ERR Library '%s' already exists",
    when: 'FUNCTION LOAD without REPLACE: a library of this name is loaded.',
  },
  libraryExistsRestore: {
    reply: 'ERR Library %s already exists',
    when: 'FUNCTION RESTORE (APPEND, the default): the payload holds a library of a name already loaded.',
  },
  functionExists: {
    reply: 'ERR Function %s already exists',
    when: 'FUNCTION LOAD or RESTORE: a function of the library has the name of a function of another loaded library.',
  },
  noFunctionsRegistered: {
    reply: 'ERR No functions registered',
    when: 'FUNCTION LOAD: running the library registered no function.',
  },
  functionCompile: {
    reply: 'ERR Error compiling function: %s',
    when: "FUNCTION LOAD: the library's code does not compile (Lua's message, with the line).",
  },
  functionRegister: {
    reply: 'ERR Error registering functions: %s',
    when: "FUNCTION LOAD: running the library's code raised an error: a call to redis.register_function with wrong arguments (`wrong number of arguments to redis.register_function`, `unknown flag given`, `Function already exists in the library`, …), a global that the load-time environment lacks (only redis.register_function, redis.log, redis.LOG_* and redis.REDIS_VERSION* exist then), or `FUNCTION LOAD timeout` after 500 ms.",
  },
  functionLoadOption: {
    reply: 'ERR Unknown option given: %s',
    when: 'FUNCTION LOAD: an argument before the code is not REPLACE.',
  },
  functionCodeMissing: {
    reply: 'ERR Function code is missing',
    when: 'FUNCTION LOAD REPLACE without code.',
  },
  libraryNotFound: {
    reply: 'ERR Library not found',
    when: 'FUNCTION DELETE: no library of this name is loaded.',
  },
  functionListNameMissing: {
    reply: 'ERR library name argument was not given',
    when: 'FUNCTION LIST: LIBRARYNAME is the last argument.',
  },
  functionListArgument: {
    reply: 'ERR Unknown argument %s',
    when: 'FUNCTION LIST: an argument is neither WITHCODE nor LIBRARYNAME (or is given twice).',
  },
  functionFlushArgs: {
    reply: 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option',
    when: 'FUNCTION FLUSH is given something other than ASYNC or SYNC.',
  },
  restorePolicy: {
    reply: 'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.',
    when: 'FUNCTION RESTORE: the policy is not FLUSH, APPEND or REPLACE.',
  },
  badDumpPayload: {
    reply: 'ERR DUMP payload version or checksum are wrong',
    when: 'FUNCTION RESTORE: the payload is shorter than its footer, of a later RDB version than 10, or its CRC-64 does not match.',
  },
  functionPayload: {
    reply: 'ERR %s',
    when: "FUNCTION RESTORE: the payload's content is wrong: `can not read data type`, `given type is not a function`, `Pre-GA function format not supported`, `failed loading the given functions payload` (a string cannot be read).",
  },
  wrongType: {
    reply: 'WRONGTYPE Operation against a key holding the wrong kind of value',
    when: 'A command of one type (a string, hash or set command) names a key that holds another type.',
  },
  lcsNotString: {
    reply: 'ERR The specified keys must contain string values',
    when: 'LCS names a key that holds a hash or a set.',
  },
  collectionsLogMode: {
    reply: 'ERR this type is not replicated through Kafka yet: this command is refused in log mode',
    when: 'Log mode: a write of a type whose records the topic cannot carry yet (a type without DUMP support). Every collection type is carried now (hashes, sets, lists, sorted sets, streams), so no command gets it.',
  },
  logRecordTooLarge: {
    reply:
      "ERR the record of key '%s' would be %s bytes, above log-max-record-bytes (%s): the write was not applied",
    when: 'Log mode: a write leaves a collection whose whole value (its record in the topic, as DUMP serializes it) is larger than `log-max-record-bytes`. The writes of the batch it joined (those of the same turn of the event loop) fail with it; nothing of them is applied or acknowledged.',
  },
  zaddNxXx: {
    reply: 'ERR XX and NX options at the same time are not compatible',
    when: 'ZADD is given both NX and XX.',
  },
  zaddGtLtNx: {
    reply: 'ERR GT, LT, and/or NX options at the same time are not compatible',
    when: 'ZADD is given two of GT, LT and NX.',
  },
  zaddIncrPairs: {
    reply: 'ERR INCR option supports a single increment-element pair',
    when: 'ZADD INCR is given more than one score and member.',
  },
  scoreNan: {
    reply: 'ERR resulting score is not a number (NaN)',
    when: 'ZADD INCR or ZINCRBY adds infinities of opposite signs.',
  },
  minMaxNotFloat: {
    reply: 'ERR min or max is not a float',
    when: 'A score range bound (ZCOUNT, ZRANGEBYSCORE, …) is not a number, with or without its `(`.',
  },
  minMaxNotLex: {
    reply: 'ERR min or max not valid string range item',
    when: 'A member range bound (ZLEXCOUNT, ZRANGEBYLEX, …) does not start with `[` or `(` and is not `-` or `+`.',
  },
  zrangeLimitByRank: {
    reply: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
    when: 'ZRANGE or ZRANGESTORE is given LIMIT without BYSCORE or BYLEX.',
  },
  zrangeWithscoresByLex: {
    reply: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
    when: 'ZRANGE BYLEX or ZRANGEBYLEX is given WITHSCORES.',
  },
  hashValueNotInteger: {
    reply: 'ERR hash value is not an integer',
    when: "HINCRBY: the field's value is not a 64-bit integer.",
  },
  valueNanOrInfinity: {
    reply: 'ERR value is NaN or Infinity',
    when: 'HINCRBYFLOAT: the increment is infinite or not a number.',
  },
  busyKey: {
    reply: 'BUSYKEY Target key name already exists.',
    when: 'RESTORE without REPLACE names a key that exists.',
  },
  invalidTtl: {
    reply: 'ERR Invalid TTL value, must be >= 0',
    when: 'RESTORE: the ttl is negative.',
  },
  invalidIdletime: {
    reply: 'ERR Invalid IDLETIME value, must be >= 0',
    when: 'RESTORE: IDLETIME is negative (the value is accepted and ignored otherwise: Sluice keeps no access times).',
  },
  invalidFreq: {
    reply: 'ERR Invalid FREQ value, must be >= 0 and <= 255',
    when: 'RESTORE: FREQ is outside 0–255 (the value is accepted and ignored otherwise).',
  },
  badDataFormat: {
    reply: 'ERR Bad data format',
    when: 'RESTORE: the payload holds a type Sluice does not read (streams, modules) or is malformed (a listpack or ziplist not well formed to its end, a sorted-set member named twice, a NaN score, an empty collection).',
  },
  hashValueNotFloat: {
    reply: 'ERR hash value is not a float',
    when: "HINCRBYFLOAT: the field's value is not a number.",
  },
  valueOutOfRange: {
    reply: 'ERR value is out of range',
    when: 'HRANDFIELD, SRANDMEMBER, ZRANDMEMBER: a negative count whose size cannot be served (its absolute value times the reply size overflows); HRANDFIELD WITHVALUES and ZRANDMEMBER WITHSCORES: a count beyond ±LONG_MAX/2.',
  },
  mustBePositive: {
    reply: 'ERR value is out of range, must be positive',
    when: 'SPOP, LPOP, RPOP, ZPOPMIN or ZPOPMAX: a negative count (ZPOPMIN and ZPOPMAX: or one that is not an integer).',
  },
  numkeysPositive: {
    reply: 'ERR numkeys should be greater than 0',
    when: 'SINTERCARD, LMPOP, BLMPOP, ZMPOP or BZMPOP: numkeys is 0 or negative (ZMPOP and BZMPOP: or not an integer).',
  },
  countPositive: {
    reply: 'ERR count should be greater than 0',
    when: 'LMPOP, BLMPOP, ZMPOP or BZMPOP: COUNT is 0 or negative (ZMPOP and BZMPOP: or not an integer).',
  },
  indexOutOfRange: {
    reply: 'ERR index out of range',
    when: 'LSET: the index is past either end of the list.',
  },
  lposRank: {
    reply:
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
    when: 'LPOS: RANK is 0.',
  },
  lposCount: { reply: "ERR COUNT can't be negative", when: 'LPOS: COUNT is negative.' },
  lposMaxlen: { reply: "ERR MAXLEN can't be negative", when: 'LPOS: MAXLEN is negative.' },
  timeoutNotFloat: {
    reply: 'ERR timeout is not a float or out of range',
    when: 'A blocking command (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP) is given a timeout that is not a number.',
  },
  unblocked: {
    reply: 'UNBLOCKED client unblocked via CLIENT UNBLOCK',
    when: 'A blocked command (BLPOP, …) was ended by CLIENT UNBLOCK with ERROR.',
  },
  unblockReason: {
    reply: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR',
    when: 'CLIENT UNBLOCK is given a reason other than TIMEOUT or ERROR.',
  },
  sortNotDouble: {
    reply: "ERR One or more scores can't be converted into double",
    when: "SORT or SORT_RO without ALPHA: an element (or its BY weight) is not a number as C's strtod reads it (NaN, out of range, or text after the number).",
  },
  limitNegative: {
    reply: "ERR LIMIT can't be negative",
    when: 'SINTERCARD or ZINTERCARD: LIMIT is negative or not an integer.',
  },
  inputKeysNeeded: {
    reply: "ERR at least 1 input key is needed for '%s' command",
    when: 'ZUNION, ZINTER, ZDIFF, their STORE forms or ZINTERCARD: numkeys is 0 or negative.',
  },
  weightNotFloat: {
    reply: 'ERR weight value is not a float',
    when: 'ZUNION, ZINTER, ZUNIONSTORE or ZINTERSTORE: a WEIGHTS value is not a number (NaN, out of range, or text after the number).',
  },
  noShutdownInProgress: {
    reply: 'ERR No shutdown in progress.',
    when: 'SHUTDOWN ABORT: Sluice never waits before it stops, so there is no shutdown to abort.',
  },
  shutdownInProgress: {
    reply: 'ERR Errors trying to SHUTDOWN. Check logs.',
    when: 'SHUTDOWN could not close the store cleanly.',
  },
  getKeysInvalidCommand: {
    reply: 'ERR Invalid command specified',
    when: 'COMMAND GETKEYS or GETKEYSANDFLAGS names a command (or a subcommand of a container) that does not exist.',
  },
  getKeysNoKeys: {
    reply: 'ERR The command has no key arguments',
    when: 'COMMAND GETKEYS or GETKEYSANDFLAGS names a command that takes no keys (PING, CONFIG GET, …).',
  },
  getKeysArity: {
    reply: 'ERR Invalid number of arguments specified for command',
    when: 'COMMAND GETKEYS or GETKEYSANDFLAGS: the command given has a number of arguments its arity does not allow.',
  },
  getKeysInvalidArguments: {
    reply: 'ERR Invalid arguments specified for command',
    when: 'COMMAND GETKEYS or GETKEYSANDFLAGS: no key is where the command takes its keys (EVAL and FCALL, which may have none, answer an empty array instead).',
  },
  bitOffset: {
    reply: 'ERR bit offset is not an integer or out of range',
    when: 'SETBIT, GETBIT or BITFIELD: the bit offset is not an integer, is negative, or reaches past `proto-max-bulk-len` bytes (2^32 - 1 bits by default); with BITFIELD a `#` offset is multiplied by the width first.',
  },
  bitValue: {
    reply: 'ERR bit is not an integer or out of range',
    when: 'SETBIT is given a value other than 0 or 1.',
  },
  bitPosBit: {
    reply: 'ERR The bit argument must be 1 or 0.',
    when: 'BITPOS is given an integer other than 0 or 1 as the bit to look for.',
  },
  bitopNotSingle: {
    reply: 'ERR BITOP NOT must be called with a single source key.',
    when: 'BITOP NOT is given more than one source key.',
  },
  bitfieldType: {
    reply: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
    when: 'BITFIELD or BITFIELD_RO: a type is not `i` or `u` followed by a width, i1 to i64 or u1 to u63.',
  },
  bitfieldOverflow: {
    reply: 'ERR Invalid OVERFLOW type specified',
    when: 'BITFIELD: OVERFLOW is followed by something other than WRAP, SAT or FAIL.',
  },
  bitfieldReadOnly: {
    reply: 'ERR BITFIELD_RO only supports the GET subcommand',
    when: 'BITFIELD_RO is given SET or INCRBY (checked once every operation has been read).',
  },
  hllWrongType: {
    reply: 'WRONGTYPE Key is not a valid HyperLogLog string value.',
    when: 'PFADD, PFCOUNT, PFMERGE or PFDEBUG: a key holds a string that is not a HyperLogLog (shorter than its 16-byte header, without the `HYLL` magic, of an unknown encoding, or dense but not 12304 bytes long).',
  },
  hllCorrupted: {
    reply: 'INVALIDOBJ Corrupted HLL object detected',
    when: "PFADD, PFCOUNT, PFMERGE or PFDEBUG: a sparse HyperLogLog's opcodes do not cover exactly its 16384 registers. PFADD keeps the elements it added before it met the corruption, as redis-server does.",
  },
  pfdebugNoKey: {
    reply: 'ERR The specified key does not exist',
    when: 'PFDEBUG names a key that does not exist.',
  },
  pfdebugNotSparse: {
    reply: 'ERR HLL encoding is not sparse',
    when: 'PFDEBUG DECODE on a dense HyperLogLog.',
  },
  pfdebugUnknown: {
    reply: "ERR Unknown PFDEBUG subcommand '%s'",
    when: 'PFDEBUG is given a subcommand other than GETREG, DECODE, ENCODING or TODENSE (checked after the key).',
  },
  pfselftestFailed: {
    reply: 'ERR TESTFAILED %s',
    when: 'PFSELFTEST: a check of the HyperLogLog implementation failed (a register read back wrong, sparse and dense disagree, or an estimate is too far off).',
  },
  geoLongLat: {
    reply: 'ERR invalid longitude,latitude pair %s,%s',
    when: 'GEOADD, GEORADIUS or GEOSEARCH FROMLONLAT: a longitude outside [-180, 180] or a latitude outside [-85.05112878, 85.05112878] (both printed with 6 decimals).',
  },
  geoUnit: {
    reply: 'ERR unsupported unit provided. please use M, KM, FT, MI',
    when: 'GEODIST, GEORADIUS, GEORADIUSBYMEMBER or GEOSEARCH: a unit other than m, km, ft or mi (any case).',
  },
  geoRadiusNotNumeric: {
    reply: 'ERR need numeric radius',
    when: 'GEORADIUS, GEORADIUSBYMEMBER or GEOSEARCH BYRADIUS: the radius is not a number.',
  },
  geoRadiusNegative: {
    reply: 'ERR radius cannot be negative',
    when: 'GEORADIUS, GEORADIUSBYMEMBER or GEOSEARCH BYRADIUS: the radius is negative.',
  },
  geoWidthNotNumeric: {
    reply: 'ERR need numeric width',
    when: 'GEOSEARCH BYBOX: the width is not a number.',
  },
  geoHeightNotNumeric: {
    reply: 'ERR need numeric height',
    when: 'GEOSEARCH BYBOX: the height is not a number (checked after the width).',
  },
  geoBoxNegative: {
    reply: 'ERR height or width cannot be negative',
    when: 'GEOSEARCH BYBOX: the width or the height is negative.',
  },
  geoMember: {
    reply: 'ERR could not decode requested zset member',
    when: 'GEORADIUSBYMEMBER or GEOSEARCH FROMMEMBER: the member is not in the sorted set.',
  },
  geoCount: {
    reply: 'ERR COUNT must be > 0',
    when: 'GEORADIUS, GEORADIUSBYMEMBER or GEOSEARCH: COUNT is 0 or negative.',
  },
  geoAnyWithoutCount: {
    reply: 'ERR the ANY argument requires COUNT argument',
    when: 'GEORADIUS, GEORADIUSBYMEMBER or GEOSEARCH: ANY is given without COUNT.',
  },
  geoStoreWith: {
    reply: 'ERR %s is not compatible with WITHDIST, WITHHASH and WITHCOORD options',
    when: 'GEOSEARCHSTORE, or GEORADIUS or GEORADIUSBYMEMBER with STORE or STOREDIST (`STORE option in GEORADIUS`), is given WITHDIST, WITHHASH or WITHCOORD.',
  },
  geoFrom: {
    reply: 'ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for %s',
    when: 'GEOSEARCH or GEOSEARCHSTORE is given neither FROMMEMBER nor FROMLONLAT (the command is named as it was typed).',
  },
  geoBy: {
    reply: 'ERR exactly one of BYRADIUS and BYBOX can be specified for %s',
    when: 'GEOSEARCH or GEOSEARCHSTORE is given neither BYRADIUS nor BYBOX (the command is named as it was typed).',
  },
  longRange: {
    reply: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    when: 'SRANDMEMBER, HRANDFIELD or ZRANDMEMBER: the count is -9223372036854775808, whose absolute value is not a 64-bit integer.',
  },
  streamInvalidId: {
    reply: 'ERR Invalid stream ID specified as stream command argument',
    when: 'A stream command is given an entry id that is not `ms-seq`, `ms` (or `-`, `+`, `$`, `>`, `ms-*` where the command takes them).',
  },
  streamTrimBoth: {
    reply: 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible',
    when: 'XADD or XTRIM is given both MAXLEN and MINID (or one twice).',
  },
  streamMaxlenNegative: {
    reply: 'ERR The MAXLEN argument must be >= 0.',
    when: 'XADD or XTRIM: MAXLEN is negative.',
  },
  streamLimitNegative: {
    reply: 'ERR The LIMIT argument must be >= 0.',
    when: 'XADD or XTRIM: LIMIT is negative.',
  },
  streamLimitNoStrategy: {
    reply: 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy',
    when: 'XADD is given a non-zero LIMIT without MAXLEN or MINID.',
  },
  streamXtrimNoStrategy: {
    reply: 'ERR syntax error, XTRIM must be called with a trimming strategy',
    when: 'XTRIM is given neither MAXLEN nor MINID.',
  },
  streamLimitNoApprox: {
    reply: 'ERR syntax error, LIMIT cannot be used without the special ~ option',
    when: 'XADD or XTRIM is given LIMIT with an exact trim (no `~`).',
  },
  streamIdZero: {
    reply: 'ERR The ID specified in XADD must be greater than 0-0',
    when: 'XADD is given the id 0-0.',
  },
  streamIdTooSmall: {
    reply: 'ERR The ID specified in XADD is equal or smaller than the target stream top item',
    when: "XADD is given an id not greater than the stream's last id.",
  },
  streamExhausted: {
    reply: 'ERR The stream has exhausted the last possible ID, unable to add more items',
    when: 'XADD on a stream whose last id is 18446744073709551615-18446744073709551615.',
  },
  streamStartInterval: {
    reply: 'ERR invalid start ID for the interval',
    when: 'XRANGE, XREVRANGE, XPENDING or XAUTOCLAIM: an exclusive start `(id` has no id after it.',
  },
  streamEndInterval: {
    reply: 'ERR invalid end ID for the interval',
    when: 'XRANGE, XREVRANGE or XPENDING: an exclusive end `(id` has no id before it.',
  },
  xsetidEntriesAdded: {
    reply: 'ERR entries_added must be positive',
    when: 'XSETID: ENTRIESADDED is negative.',
  },
  xsetidBelowMaxDeleted: {
    reply: 'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
    when: 'XSETID: the id is smaller than its MAXDELETEDID.',
  },
  xsetidBelowTop: {
    reply: 'ERR The ID specified in XSETID is smaller than the target stream top item',
    when: "XSETID: the id is smaller than the stream's last entry.",
  },
  xsetidBelowLength: {
    reply: 'ERR The entries_added specified in XSETID is smaller than the target stream length',
    when: "XSETID: ENTRIESADDED is smaller than the stream's length.",
  },
  xreadUnbalanced: {
    reply: "ERR Unbalanced %s list of streams: for each stream key an ID or '%s' must be specified.",
    when: 'XREAD or XREADGROUP: the arguments after STREAMS are not as many keys as ids.',
  },
  xreadGreaterThan: {
    reply:
      'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
    when: 'XREAD is given the id `>`.',
  },
  blockInScript: {
    reply: 'ERR %s command is not allowed with BLOCK option from scripts',
    when: 'XREAD or XREADGROUP with BLOCK from a script.',
  },
  xgroupNoKey: {
    reply:
      'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
    when: 'XGROUP CREATE (without MKSTREAM), SETID, DESTROY, CREATECONSUMER or DELCONSUMER names a key that does not exist.',
  },
  noGroup: {
    reply: "NOGROUP No such consumer group '%s' for key name '%s'",
    when: 'XGROUP SETID, CREATECONSUMER or DELCONSUMER names a group the stream does not have.',
  },
  noKeyOrGroup: {
    reply: "NOGROUP No such key '%s' or consumer group '%s'",
    when: 'XPENDING, XCLAIM or XAUTOCLAIM names a key that does not exist or a group it does not have.',
  },
  noKeyOrGroupRead: {
    reply: "NOGROUP No such key '%s' or consumer group '%s' in XREADGROUP with GROUP option",
    when: 'XREADGROUP names a key that does not exist or a group it does not have.',
  },
  blockedGroupGone: {
    reply: 'NOGROUP the consumer group this client was blocked on no longer exists',
    when: 'A blocked XREADGROUP whose consumer group was destroyed (XGROUP DESTROY) while it waited.',
  },
  busyGroup: {
    reply: 'BUSYGROUP Consumer Group name already exists',
    when: 'XGROUP CREATE names a group the stream already has.',
  },
  entriesReadRange: {
    reply: 'ERR value for ENTRIESREAD must be positive or -1',
    when: 'XGROUP CREATE or SETID: ENTRIESREAD is below -1.',
  },
  xreadgroupNoGroup: {
    reply: 'ERR Missing GROUP option for XREADGROUP',
    when: 'XREADGROUP is called without GROUP.',
  },
  xreadgroupDollar: {
    reply:
      'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
    when: 'XREADGROUP is given the id `$`.',
  },
  xclaimArgument: {
    reply: 'ERR Invalid %s argument for %s',
    when: "XCLAIM or XAUTOCLAIM: min-idle-time (or XCLAIM's IDLE, TIME or RETRYCOUNT) is not a 64-bit integer.",
  },
  xclaimOption: {
    reply: "ERR Unrecognized XCLAIM option '%s'",
    when: 'XCLAIM is given an option it does not know after its ids.',
  },
  xautoclaimCount: {
    reply: 'ERR COUNT must be > 0',
    when: 'XAUTOCLAIM: COUNT is not an integer from 1 up.',
  },
} as const;

export type ErrorName = keyof typeof Errors;

/** Fills the `%s` slots of an error's message in order. */
export function errorReply(name: ErrorName, ...parts: string[]): string {
  let i = 0;
  return Errors[name].reply.replace(/%s/g, () => parts[i++] ?? '');
}
