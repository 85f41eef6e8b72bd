import { describe, expect, it } from 'vitest';
import {
  bufferLimit,
  type Config,
  ConfigError,
  defaultConfig,
  findSetting,
  formatSettingValue,
  loadConfig,
  MAX_INCLUDE_DEPTH,
  parseArgs,
  parseConfigFile,
  SETTINGS,
  type SettingName,
  splitConfigArgs,
  validateSetting,
} from '../src/config/index.js';

/** A readFile over an in-memory set of files. */
function files(contents: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = contents[path];
    if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return text;
  };
}

/** The ConfigError thrown by `fn`. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

function problemOf(name: string, ...args: string[]): string {
  return configError(() => validateSetting(name, args)).problem;
}

describe('splitConfigArgs (sdssplitargs)', () => {
  it.each([
    ['plain words', 'set  key\tvalue ', ['set', 'key', 'value']],
    ['empty line', '   ', []],
    ['double quotes keep blanks', 'a "b c" d', ['a', 'b c', 'd']],
    ['empty double-quoted argument', 'save ""', ['save', '']],
    ['escapes in double quotes', '"\\n\\r\\t\\b\\a\\"\\\\\\q"', ['\n\r\t\b\x07"\\q']],
    ['hex escapes', '"\\x41\\x62\\x7a"', ['Abz']],
    ['hex escapes form UTF-8', '"\\xc3\\xa9"', ['é']],
    ['an incomplete hex escape is an escaped x', '"\\x4g"', ['x4g']],
    ["single quotes allow only \\'", "'a\\'b\\n'", ["a'b\\n"]],
    ['a quote inside a word starts a quoted part', 'ab"c d"', ['abc d']],
    ['non-ASCII text', 'dir /tmp/données', ['dir', '/tmp/données']],
  ])('%s', (_name, line, expected) => {
    expect(splitConfigArgs(line)).toEqual(expected);
  });

  it.each([
    ['unclosed double quote', 'a "b'],
    ['unclosed single quote', "a 'b"],
    ['closing double quote followed by a character', '"a"b'],
    ['closing single quote followed by a character', "'a'b"],
    ['escaped closing quote', '"a\\"'],
  ])('returns null on %s', (_name, line) => {
    expect(splitConfigArgs(line)).toBeNull();
  });
});

describe('parseConfigFile', () => {
  it('skips comments and blank lines and lowercases names', () => {
    const text = '# a comment\n\n   \n  # indented comment\nPORT 7000\r\nbind 127.0.0.1 ::1\n';
    expect(parseConfigFile(text, '/x.conf')).toEqual([
      { name: 'port', args: ['7000'], line: 5, file: '/x.conf', text: 'PORT 7000' },
      { name: 'bind', args: ['127.0.0.1', '::1'], line: 6, file: '/x.conf', text: 'bind 127.0.0.1 ::1' },
    ]);
  });

  it('keeps a # after a directive as an argument, like Redis', () => {
    expect(parseConfigFile('port 1 # no', 'f')[0]?.args).toEqual(['1', '#', 'no']);
  });

  it('unquotes arguments', () => {
    expect(parseConfigFile('requirepass "a b\\x21"\ndir \'/my dir\'', 'f').map((d) => d.args)).toEqual([
      ['a b!'],
      ['/my dir'],
    ]);
  });

  it('reports unbalanced quotes with file and line', () => {
    const err = configError(() => parseConfigFile('port 1\nport "6379\n', '/x.conf'));
    expect(err.message).toBe(
      `config file /x.conf line 2: 'port "6379': Unbalanced quotes in configuration line`,
    );
  });

  it('does not echo a password from a bad line', () => {
    const err = configError(() => parseConfigFile('requirepass "hunter2', '/x.conf'));
    expect(err.message).not.toContain('hunter2');
    expect(err.message).toBe(
      `config file /x.conf line 1: 'requirepass (redacted)': Unbalanced quotes in configuration line`,
    );
  });
});

describe('parseArgs', () => {
  it('reads an optional config file, then --name value options', () => {
    expect(parseArgs(['/etc/sluice.conf', '--port', '7000', '--loglevel', 'debug'])).toEqual({
      configFile: '/etc/sluice.conf',
      overrides: [
        { name: 'port', args: ['7000'] },
        { name: 'loglevel', args: ['debug'] },
      ],
      help: false,
      version: false,
    });
    expect(parseArgs(['--port', '7000']).configFile).toBeUndefined();
  });

  it('gives an option every argument up to the next --option', () => {
    expect(parseArgs(['--save', '3600', '1', '300', '100', '--bind', '127.0.0.1', '::1']).overrides).toEqual([
      { name: 'save', args: ['3600', '1', '300', '100'] },
      { name: 'bind', args: ['127.0.0.1', '::1'] },
    ]);
  });

  it('takes the first value even when it starts with --, like redis-server', () => {
    expect(parseArgs(['--requirepass', '--secret', '--port', '1']).overrides).toEqual([
      { name: 'requirepass', args: ['--secret'] },
      { name: 'port', args: ['1'] },
    ]);
  });

  it('reads an option and its values given as one argument', () => {
    expect(parseArgs(['--port 6380', '--save "" ']).overrides).toEqual([
      { name: 'port', args: ['6380'] },
      { name: 'save', args: [''] },
    ]);
  });

  it('accepts --save "" and a lone --save as an empty schedule', () => {
    expect(parseArgs(['--save', '']).overrides).toEqual([{ name: 'save', args: [''] }]);
    expect(parseArgs(['--save']).overrides).toEqual([{ name: 'save', args: [''] }]);
    expect(parseArgs(['--save', '--port', '1']).overrides).toEqual([
      { name: 'save', args: [''] },
      { name: 'port', args: ['1'] },
    ]);
  });

  it('rejects an option left without a value', () => {
    expect(configError(() => parseArgs(['--port', '1', '--maxclients'])).message).toBe(
      "command line '--maxclients': wrong number of arguments",
    );
    expect(configError(() => parseArgs(['--nosuch'])).message).toBe(
      "command line '--nosuch': unknown setting 'nosuch'",
    );
  });

  it('rejects a stray argument', () => {
    expect(configError(() => parseArgs(['a.conf', 'b.conf'])).message).toBe(
      "command line 'b.conf': expected an option starting with --",
    );
  });

  it('recognizes --help, -h, --version and -v', () => {
    expect(parseArgs(['--help']).help).toBe(true);
    expect(parseArgs(['-h']).help).toBe(true);
    expect(parseArgs(['--version']).version).toBe(true);
    expect(parseArgs(['-v']).version).toBe(true);
    expect(parseArgs(['x.conf', '--port', '1', '--help'])).toMatchObject({
      configFile: 'x.conf',
      help: true,
    });
    expect(parseArgs(['--port', '1'])).toMatchObject({ help: false, version: false });
  });
});

describe('validateSetting', () => {
  it('converts each type', () => {
    expect(validateSetting('port', ['7000'])).toBe(7000);
    expect(validateSetting('PORT', ['0'])).toBe(0);
    expect(validateSetting('dir', ['/var/lib/sluice'])).toBe('/var/lib/sluice');
    expect(validateSetting('appendfsync', ['ALWAYS'])).toBe('always');
    expect(validateSetting('protected-mode', ['No'])).toBe(false);
    expect(validateSetting('appendonly', ['YES'])).toBe(true);
    expect(validateSetting('proto-max-bulk-len', ['2mb'])).toBe(2 * 1024 * 1024);
    expect(validateSetting('save', ['3600', '1', '300', '100'])).toBe('3600 1 300 100');
    expect(validateSetting('bind', ['127.0.0.1', '::1'])).toBe('127.0.0.1 ::1');
  });

  it('reads a memory value whose product with its unit passes 2^64 as redis-server does: wrapped around', () => {
    // 20000000000 × 2^30 mod 2^64, which redis-server 7.0 accepts and CONFIG GET shows in full.
    const bytes = validateSetting('proto-max-bulk-len', ['20000000000gb']);
    expect(BigInt(bytes)).toBe(3_028_092_406_290_448_384n);
    expect(formatSettingValue('proto-max-bulk-len', bytes)).toBe('3028092406290448384');
  });

  it.each([
    ['1', 1],
    ['1b', 1],
    ['1k', 1000],
    ['1K', 1000],
    ['1kb', 1024],
    ['1KB', 1024],
    ['3m', 3_000_000],
    ['3mb', 3 * 1024 ** 2],
    ['2g', 2_000_000_000],
    ['2Gb', 2 * 1024 ** 3],
  ])('reads the memory value %s as %d bytes', (arg, bytes) => {
    expect(validateSetting('sluice-output-pause-bytes', [arg])).toBe(bytes);
  });

  it.each([
    ['port', ['99999'], 'argument must be between 0 and 65535 inclusive'],
    ['port', ['-1'], 'argument must be between 0 and 65535 inclusive'],
    ['port', ['abc'], "argument couldn't be parsed into an integer"],
    ['port', ['010'], "argument couldn't be parsed into an integer"],
    ['port', ['+5'], "argument couldn't be parsed into an integer"],
    ['port', ['1.5'], "argument couldn't be parsed into an integer"],
    ['port', ['99999999999999999999'], "argument couldn't be parsed into an integer"],
    ['port', [''], "argument couldn't be parsed into an integer"],
    ['port', ['1', '2'], 'wrong number of arguments'],
    ['port', [], 'wrong number of arguments'],
    ['maxclients', ['0'], 'argument must be between 1 and 4294967295 inclusive'],
    ['databases', ['1025'], 'argument must be between 1 and 1024 inclusive'],
    ['appendfsync', ['sometimes'], 'argument(s) must be one of the following: everysec, always, no'],
    ['loglevel', ['info'], 'argument(s) must be one of the following: debug, verbose, notice, warning'],
    ['appendonly', ['true'], "argument must be 'yes' or 'no'"],
    ['protected-mode', ['1'], "argument must be 'yes' or 'no'"],
    ['daemonize', ['yes'], 'daemonize yes is not supported; run under a supervisor'],
    ['proto-max-bulk-len', ['1kbb'], 'argument must be a memory value'],
    ['proto-max-bulk-len', ['-1mb'], 'argument must be a memory value'],
    ['proto-max-bulk-len', ['1.5mb'], 'argument must be a memory value'],
    ['proto-max-bulk-len', ['1t'], 'argument must be a memory value'],
    ['proto-max-bulk-len', ['100kb'], 'argument must be between 1048576 and 9223372036854775807 inclusive'],
    ['proto-max-bulk-len', ['kb'], 'argument must be between 1048576 and 9223372036854775807 inclusive'],
    // As redis-server's memtoull: 2^64 and beyond reads as 2^64 - 1, which is -1 as a long long.
    [
      'proto-max-bulk-len',
      ['99999999999999999999'],
      'argument must be between 1048576 and 9223372036854775807 inclusive',
    ],
    ['proto-max-bulk-len', ['1'.repeat(128)], 'argument must be a memory value'],
    ['slowlog-max-len', ['-1'], 'argument must be between 0 and 9223372036854775807 inclusive'],
    ['slowlog-log-slower-than', ['-2'], 'argument must be between -1 and 9223372036854775807 inclusive'],
    ['lmdb-map-size', ['9999999gb'], 'argument must be between 1048576 and 9007199254740991 inclusive'],
    [
      'lmdb-map-size',
      ['99999999999999999999gb'],
      'argument must be between 1048576 and 9007199254740991 inclusive',
    ],
    ['lmdb-writemap', ['maybe'], "argument must be 'yes' or 'no'"],
    ['save', ['1'], 'Invalid save parameters'],
    ['save', ['0', '1'], 'Invalid save parameters'],
    ['save', ['10', '-1'], 'Invalid save parameters'],
    ['save', ['10', 'x'], 'Invalid save parameters'],
    ['bind', [], 'wrong number of arguments'],
    ['bind', Array.from({ length: 17 }, (_, i) => `10.0.0.${i}`), 'Too many bind addresses specified.'],
    ['dir', ['a', 'b'], 'wrong number of arguments'],
  ])('%s %j: %s', (name, args, problem) => {
    const err = configError(() => validateSetting(name, args));
    expect(err.problem).toBe(problem);
    expect(err.setting).toBe(name);
  });

  it('rejects an unknown setting', () => {
    expect(problemOf('maxmemory', '1gb')).toBe("unknown setting 'maxmemory'");
  });

  it('splits a single argument of a multi-argument setting, as redis-server does', () => {
    expect(validateSetting('save', ['3600 1 300 100'])).toBe('3600 1 300 100');
    expect(validateSetting('save', [''])).toBe('');
    expect(validateSetting('save', [' +60 \t 0'])).toBe('60 0');
    expect(validateSetting('bind', ['127.0.0.1 ::1'])).toBe('127.0.0.1 ::1');
  });
});

describe('formatSettingValue', () => {
  it('prints values as CONFIG GET does', () => {
    expect(formatSettingValue('proto-max-bulk-len', 512 * 1024 * 1024)).toBe('536870912');
    expect(formatSettingValue('lmdb-map-size', 64 * 1024 ** 3)).toBe('68719476736');
    expect(formatSettingValue('appendonly', true)).toBe('yes');
    expect(formatSettingValue('daemonize', false)).toBe('no');
    expect(formatSettingValue('appendfsync', 'everysec')).toBe('everysec');
    expect(formatSettingValue('save', '3600 1')).toBe('3600 1');
    expect(formatSettingValue('port', 6379)).toBe('6379');
  });

  it('formats every default so that it reads back unchanged', () => {
    const defaults = defaultConfig();
    for (const { name } of SETTINGS) {
      const value = defaults[name];
      const text = formatSettingValue(name, value);
      const args = name === 'bind' ? text.split(' ') : [text];
      expect(validateSetting(name, args), name).toBe(value);
    }
  });
});

describe('loadConfig', () => {
  it('uses the defaults when given nothing', () => {
    const config = loadConfig([], files({}));
    expect(config).toEqual(defaultConfig());
    expect(config).toMatchObject({
      port: 6379,
      bind: '127.0.0.1',
      dir: './data',
      requirepass: '',
      databases: 16,
      appendfsync: 'everysec',
      appendonly: true,
      save: '',
      'proto-max-bulk-len': 512 * 1024 * 1024,
      'client-query-buffer-limit': 1024 ** 3,
      'sluice-output-pause-bytes': 1024 ** 2,
      'lmdb-map-size': 64 * 1024 ** 3,
      daemonize: false,
    });
  });

  it('applies the file in order, then the command line, which wins', () => {
    const readFile = files({ '/x.conf': 'port 7000\nloglevel debug\nport 7001\ntimeout 30\n' });
    const config = loadConfig(['/x.conf', '--port', '7002', '--timeout', '0', '--port', '7003'], readFile);
    expect(config.port).toBe(7003);
    expect(config.loglevel).toBe('debug');
    expect(config.timeout).toBe(0);
  });

  it('follows include, relative to the working directory', () => {
    const readFile = files({
      '/etc/sluice.conf': 'port 7000\ninclude conf.d/local.conf\ntimeout 5\n',
      'conf.d/local.conf': 'port 7001\ntimeout 9\ntcp-keepalive 60\n',
    });
    const config = loadConfig(['/etc/sluice.conf'], readFile);
    expect(config).toMatchObject({ port: 7001, timeout: 5, 'tcp-keepalive': 60 });
    expect(loadConfig(['--include', 'conf.d/local.conf', '--port', '1'], readFile).port).toBe(1);
  });

  it('notify-keyspace-events from the config file and the command line, checked as redis-server checks it', () => {
    const readFile = files({
      '/n.conf': 'notify-keyspace-events "KEA"\n',
      '/empty.conf': 'notify-keyspace-events ""\n',
    });
    expect(
      formatSettingValue(
        'notify-keyspace-events',
        loadConfig(['/n.conf'], readFile)['notify-keyspace-events'],
      ),
    ).toBe('AKE');
    expect(loadConfig(['/empty.conf'], readFile)['notify-keyspace-events']).toBe(0);
    expect(
      loadConfig(['/n.conf', '--notify-keyspace-events', 'Ex'], readFile)['notify-keyspace-events'],
    ).not.toBe(loadConfig(['/n.conf'], readFile)['notify-keyspace-events']);
    expect(problemOf('notify-keyspace-events', 'Q')).toBe(
      "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
    );
    expect(problemOf('notify-keyspace-events')).toBe('wrong number of arguments');
  });

  it('client-output-buffer-limit lines change the classes they name, as redis-server merges them', () => {
    const readFile = files({
      '/c.conf':
        'client-output-buffer-limit pubsub 64mb 16mb 30\nclient-output-buffer-limit replica 1gb 0 0 normal 1k 2k 3\n',
    });
    const config = loadConfig(['/c.conf'], readFile);
    expect(config['client-output-buffer-limit']).toBe(
      'normal 1000 2000 3 slave 1073741824 0 0 pubsub 67108864 16777216 30',
    );
    expect(bufferLimit(config, 'pubsub')).toEqual({ hard: 67108864, soft: 16777216, softSeconds: 30 });
    expect(
      loadConfig(['/c.conf', '--client-output-buffer-limit', 'pubsub 1mb 0 0'], readFile)[
        'client-output-buffer-limit'
      ],
    ).toBe('normal 1000 2000 3 slave 1073741824 0 0 pubsub 1048576 0 0');
    expect(bufferLimit(loadConfig([], files({})), 'pubsub')).toEqual({
      hard: 32 * 1024 * 1024,
      soft: 8 * 1024 * 1024,
      softSeconds: 60,
    });
    expect(
      configError(() =>
        loadConfig(['/d.conf'], files({ '/d.conf': 'client-output-buffer-limit master 1 1 1\n' })),
      ).message,
    ).toBe(
      "config file /d.conf line 1: 'client-output-buffer-limit master 1 1 1': Invalid client class specified in buffer limit configuration.",
    );
  });

  it('reports errors in included files with their own file and line', () => {
    const readFile = files({ '/a.conf': '\ninclude /b.conf\n', '/b.conf': '# b\n\nappendfsync sometimes\n' });
    expect(configError(() => loadConfig(['/a.conf'], readFile)).message).toBe(
      "config file /b.conf line 3: 'appendfsync sometimes': argument(s) must be one of the following: everysec, always, no",
    );
  });

  it('stops include loops', () => {
    const readFile = files({ '/loop.conf': 'include /loop.conf\n' });
    const err = configError(() => loadConfig(['/loop.conf'], readFile));
    expect(err.problem).toBe(
      `include nested more than ${MAX_INCLUDE_DEPTH} deep (does a file include itself?)`,
    );
    expect(err.message).toMatch(/^config file \/loop\.conf line 1: 'include \/loop\.conf': /);
  });

  it('reports files it cannot read', () => {
    expect(configError(() => loadConfig(['/missing.conf'], files({}))).message).toBe(
      "can't open config file '/missing.conf': ENOENT: no such file or directory, open '/missing.conf'",
    );
    const readFile = files({ '/a.conf': 'include /nope.conf' });
    expect(configError(() => loadConfig(['/a.conf'], readFile)).message).toMatch(
      /^config file \/a\.conf line 1: 'include \/nope\.conf': can't open config file '\/nope\.conf'/,
    );
    expect(configError(() => loadConfig(['/a.conf'], files({ '/a.conf': 'include a b' }))).problem).toBe(
      'Bad directive or wrong number of arguments',
    );
  });

  it('names the file, line and directive in errors', () => {
    const readFile = files({ '/x.conf': 'port 7000\n\n  port 99999  \n' });
    expect(configError(() => loadConfig(['/x.conf'], readFile)).message).toBe(
      "config file /x.conf line 3: 'port 99999': argument must be between 0 and 65535 inclusive",
    );
    const quoted = files({ '/x.conf': 'appendonly "maybe"' });
    expect(configError(() => loadConfig(['/x.conf'], quoted)).message).toBe(
      `config file /x.conf line 1: 'appendonly "maybe"': argument must be 'yes' or 'no'`,
    );
  });

  it('names the option in command-line errors', () => {
    expect(configError(() => loadConfig(['--port', '99999'], files({}))).message).toBe(
      "command line '--port 99999': argument must be between 0 and 65535 inclusive",
    );
    expect(configError(() => loadConfig(['--daemonize', 'yes'], files({}))).message).toBe(
      "command line '--daemonize yes': daemonize yes is not supported; run under a supervisor",
    );
  });

  it('reports unknown settings from the file and the command line', () => {
    const readFile = files({ '/x.conf': 'foo bar' });
    expect(configError(() => loadConfig(['/x.conf'], readFile)).message).toBe(
      "config file /x.conf line 1: 'foo bar': unknown setting 'foo'",
    );
    expect(configError(() => loadConfig(['--foo', '1'], files({}))).message).toBe(
      "command line '--foo 1': unknown setting 'foo'",
    );
  });

  it('never echoes a password in errors', () => {
    const readFile = files({ '/x.conf': 'requirepass a b' });
    const err = configError(() => loadConfig(['/x.conf'], readFile));
    expect(err.message).toBe(
      "config file /x.conf line 1: 'requirepass (redacted)': wrong number of arguments",
    );
    const cli = configError(() => loadConfig(['--requirepass', 'hunter2', 'x'], files({})));
    expect(cli.message).toBe("command line '--requirepass (redacted)': wrong number of arguments");
  });

  it('reads quoted values and --save ""', () => {
    const readFile = files({ '/x.conf': 'requirepass "p a\\x73s"\nsave 3600 1\n' });
    const config = loadConfig(['/x.conf', '--save', ''], readFile);
    expect(config.requirepass).toBe('p ass');
    expect(config.save).toBe('');
  });

  it('adds up save lines and clears them with save "", as redis-server does', () => {
    const readFile = files({ '/x.conf': 'save 3600 1\nsave 300 100\n' });
    expect(loadConfig(['/x.conf'], readFile).save).toBe('3600 1 300 100');
    expect(loadConfig(['/x.conf', '--save', '60', '10000'], readFile).save).toBe('3600 1 300 100 60 10000');
    expect(loadConfig(['/x.conf', '--save', '', '--save', '60 2'], readFile).save).toBe('60 2');
    expect(loadConfig(['--save', '1', '2', '--save'], files({})).save).toBe('');
  });

  it('reads memory suffixes and multiple bind addresses from the command line', () => {
    const config = loadConfig(
      ['--lmdb-map-size', '1gb', '--client-query-buffer-limit', '2G', '--bind', '0.0.0.0', '::'],
      files({}),
    );
    expect(config['lmdb-map-size']).toBe(1024 ** 3);
    expect(config['client-query-buffer-limit']).toBe(2_000_000_000);
    expect(config.bind).toBe('0.0.0.0 ::');
  });

  it('writes through the memory map unless told not to', () => {
    expect(loadConfig([], files({}))['lmdb-writemap']).toBe(true);
    expect(loadConfig(['--lmdb-writemap', 'no'], files({}))['lmdb-writemap']).toBe(false);
  });
});

describe('the settings table', () => {
  it('has unique lowercase names', () => {
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('describes every setting in one sentence', () => {
    for (const spec of SETTINGS) {
      expect(spec.description, spec.name).toMatch(/^[A-Z].{19,}\.$/);
      expect(spec.description.slice(0, -1), spec.name).not.toMatch(/\. /);
    }
  });

  it('marks sensitive settings', () => {
    expect(SETTINGS.filter((s) => 'sensitive' in s && s.sensitive).map((s) => s.name)).toEqual([
      'requirepass',
      'kafka-sasl-password',
    ]);
    expect(findSetting('REQUIREPASS')?.sensitive).toBe(true);
  });

  it('marks Sluice-only settings', () => {
    const sluice = SETTINGS.filter((s) => 'sluice' in s && s.sluice).map((s) => s.name);
    expect(sluice.sort()).toEqual(
      [
        'cluster-standby-replicas',
        'http-max-body-bytes',
        'http-port',
        'kafka-brokers',
        'kafka-client-id',
        'kafka-fetch-max-wait-ms',
        'kafka-group-id',
        'kafka-max-in-flight',
        'kafka-produce-timeout-ms',
        'kafka-pubsub-topic',
        'kafka-sasl-mechanism',
        'kafka-sasl-password',
        'kafka-sasl-username',
        'kafka-tls',
        'kafka-tls-ca-file',
        'kafka-tls-cert-file',
        'kafka-tls-key-file',
        'kafka-topic',
        'lmdb-map-size',
        'lmdb-writemap',
        'log-max-record-bytes',
        'sluice-output-pause-bytes',
      ].sort(),
    );
  });

  it('keeps every default within its own bounds and values', () => {
    for (const spec of SETTINGS) {
      if (spec.type === 'integer' || spec.type === 'memory') {
        expect(spec.default, spec.name).toBeGreaterThanOrEqual(spec.min);
        expect(spec.default, spec.name).toBeLessThanOrEqual(spec.max);
        // A safe integer, or redis-server's LLONG_MAX as a bigint (values above 2^53 are then rounded).
        expect(Number.isSafeInteger(spec.max) || spec.max === 9_223_372_036_854_775_807n, spec.name).toBe(
          true,
        );
      }
      if (spec.type === 'enum') expect(spec.values, spec.name).toContain(spec.default);
    }
  });

  it('types Config from the table', () => {
    const config: Config = defaultConfig();
    const port: number = config.port;
    const fsync: 'always' | 'everysec' | 'no' = config.appendfsync;
    const protectedMode: boolean = config['protected-mode'];
    const name: SettingName = 'lmdb-map-size';
    expect([port, fsync, protectedMode, name]).toEqual([6379, 'everysec', true, 'lmdb-map-size']);
    expect(Object.keys(config).sort()).toEqual(SETTINGS.map((s) => s.name).sort());
  });
});
