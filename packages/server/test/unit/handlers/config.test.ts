import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, type TestContext, useKeyspace } from '../context.js';

/** CONFIG GET's reply as [name, value] pairs, sorted by name (redis-server answers in hash order). */
function configGet(c: TestContext, ...patterns: string[]): [string, string][] {
  const reply = c.call('CONFIG', 'GET', ...patterns);
  const parts = reply.split('\r\n');
  const header = parts[0] as string;
  const n = Number(header.slice(1));
  // RESP2: a flat array of 2n bulk strings; RESP3: a map of n entries.
  const items = header[0] === '%' ? 2 * n : n;
  const values: string[] = [];
  for (let i = 0; i < items; i++) {
    const len = Number((parts[1 + 2 * i] as string).slice(1));
    const text = parts[2 + 2 * i] as string;
    expect(text.length).toBe(len);
    values.push(text);
  }
  expect(parts.length).toBe(2 + 2 * items);
  const pairs: [string, string][] = [];
  for (let i = 0; i < values.length; i += 2) pairs.push([values[i] as string, values[i + 1] as string]);
  return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('CONFIG GET', () => {
  const { context } = useKeyspace();

  it('an exact name comes back as it was sent, with the value as redis.conf writes it', () => {
    const c = context();
    expect(c.call('CONFIG', 'GET', 'timeout')).toBe(R.array(R.bulk('timeout'), R.bulk('0')));
    expect(c.call('CONFIG', 'GET', 'TimeOut')).toBe(R.array(R.bulk('TimeOut'), R.bulk('0')));
    expect(c.call('CONFIG', 'GET', 'protected-mode')).toBe(R.array(R.bulk('protected-mode'), R.bulk('yes')));
    expect(c.call('CONFIG', 'GET', 'proto-max-bulk-len')).toBe(
      R.array(R.bulk('proto-max-bulk-len'), R.bulk('536870912')),
    );
    expect(c.call('CONFIG', 'GET', 'appendfsync')).toBe(R.array(R.bulk('appendfsync'), R.bulk('everysec')));
  });

  it('answers the current values, several names at once, each once', () => {
    const c = context();
    c.server.config.timeout = 30;
    c.server.config.appendonly = false;
    expect(configGet(c, 'maxclients', 'timeout', 'appendonly', 'timeout')).toEqual([
      ['appendonly', 'no'],
      ['maxclients', '10000'],
      ['timeout', '30'],
    ]);
  });

  it('glob patterns match names case-insensitively and answer the names as they are', () => {
    const c = context();
    expect(configGet(c, 'tcp-*')).toEqual([
      ['tcp-backlog', '511'],
      ['tcp-keepalive', '300'],
    ]);
    expect(configGet(c, 'TCP-*')).toEqual([
      ['tcp-backlog', '511'],
      ['tcp-keepalive', '300'],
    ]);
    expect(configGet(c, 'tcp-k?epalive')).toEqual([['tcp-keepalive', '300']]);
    expect(configGet(c, 'slowlog-[lm]*')).toEqual([
      ['slowlog-log-slower-than', '10000'],
      ['slowlog-max-len', '128'],
    ]);
    // A name already answered is not repeated by a pattern.
    expect(configGet(c, 'timeout', 'time*')).toEqual([['timeout', '0']]);
  });

  it('an unknown name or a pattern matching nothing answers an empty list', () => {
    const c = context();
    expect(c.call('CONFIG', 'GET', 'nosuch')).toBe(R.array());
    expect(c.call('CONFIG', 'GET', 'nosuch*')).toBe(R.array());
    expect(c.call('CONFIG', 'GET', 'nosuch', 'timeout')).toBe(R.array(R.bulk('timeout'), R.bulk('0')));
  });

  it('never shows requirepass, by its name or by a pattern (a Sluice rule: redis-server shows it)', () => {
    const c = context();
    c.server.config.requirepass = 'secret';
    expect(c.call('CONFIG', 'GET', 'requirepass')).toBe(R.array());
    expect(c.call('CONFIG', 'GET', 'REQUIREPASS')).toBe(R.array());
    const all = configGet(c, '*');
    expect(all.map(([n]) => n)).not.toContain('requirepass');
    expect(all.map(([, v]) => v)).not.toContain('secret');
    expect(all.map(([n]) => n)).toEqual(expect.arrayContaining(['timeout', 'maxclients', 'port']));
  });

  it('answers a map in RESP3', () => {
    const c = context();
    c.session.protocol = 3;
    expect(c.call('CONFIG', 'GET', 'timeout')).toBe(`%1\r\n${R.bulk('timeout')}${R.bulk('0')}`);
    expect(c.call('CONFIG', 'GET', 'nosuch')).toBe('%0\r\n');
    expect(configGet(c, 'tcp-*')).toEqual([
      ['tcp-backlog', '511'],
      ['tcp-keepalive', '300'],
    ]);
  });

  it('a name sent twice in different cases is answered once, as redis-server does', () => {
    const c = context();
    expect(c.call('CONFIG', 'GET', 'Timeout', 'TIMEOUT')).toBe(R.array(R.bulk('Timeout'), R.bulk('0')));
  });

  it('a name with a backslash but no wildcard matches nothing, as in redis-server', () => {
    const c = context();
    expect(c.call('CONFIG', 'GET', 'time\\out')).toBe(R.array());
  });

  it('a setting answered by a name or a pattern is not answered again, whatever the case', () => {
    const c = context();
    expect(c.call('CONFIG', 'GET', 'TimeOut', 'time*')).toBe(R.array(R.bulk('TimeOut'), R.bulk('0')));
    expect(c.call('CONFIG', 'GET', 'time*', 'TIMEOUT')).toBe(R.array(R.bulk('timeout'), R.bulk('0')));
    // With a wildcard, a backslash escapes the next character: `time\*` names a setting called `time*`.
    expect(c.call('CONFIG', 'GET', 'time\\*')).toBe(R.array());
  });
});

describe('CONFIG SET, RESETSTAT, HELP', () => {
  const { context } = useKeyspace();

  it('applies the new values through setConfig, names case-insensitively', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'timeout', '30')).toBe(R.ok);
    expect(c.server.calls).toEqual(['setConfig(timeout=30)']);
    expect(c.server.config.timeout).toBe(30);
    expect(c.call('CONFIG', 'GET', 'timeout')).toBe(R.array(R.bulk('timeout'), R.bulk('30')));
    expect(c.call('CONFIG', 'SET', 'LogLevel', 'WARNING', 'protected-mode', 'no')).toBe(R.ok);
    expect(c.server.calls[1]).toBe('setConfig(loglevel=warning,protected-mode=false)');
    expect(c.server.config.loglevel).toBe('warning');
    expect(c.server.config['protected-mode']).toBe(false);
  });

  it('reads memory values with units', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'proto-max-bulk-len', '2mb')).toBe(R.ok);
    expect(c.server.config['proto-max-bulk-len']).toBe(2 * 1024 * 1024);
  });

  it('an unknown setting is configUnknown, named as sent', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'NoSuch', '1')).toBe(R.err(errorReply('configUnknown', 'NoSuch')));
    expect(c.server.calls).toEqual([]);
  });

  it('a setting fixed at start-up is configImmutable', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'databases', '2')).toBe(R.err(errorReply('configImmutable', 'databases')));
    expect(c.call('CONFIG', 'SET', 'daemonize', 'no')).toBe(
      R.err(errorReply('configImmutable', 'daemonize')),
    );
    expect(c.server.calls).toEqual([]);
    expect(c.server.config.databases).toBe(16);
  });

  it('configImmutable names the setting as sent, as redis-server does', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'DATABASES', '2')).toBe(R.err(errorReply('configImmutable', 'DATABASES')));
  });

  it('a value the setting does not accept is configInvalid with redis-server 7.0’s reason', () => {
    const c = context();
    const invalid = (name: string, why: string) => R.err(errorReply('configInvalid', name, why));
    expect(c.call('CONFIG', 'SET', 'timeout', 'abc')).toBe(
      invalid('timeout', "argument couldn't be parsed into an integer"),
    );
    expect(c.call('CONFIG', 'SET', 'TIMEOUT', 'abc')).toBe(
      invalid('timeout', "argument couldn't be parsed into an integer"),
    );
    expect(c.call('CONFIG', 'SET', 'timeout', '-5')).toBe(
      invalid('timeout', 'argument must be between 0 and 2147483647 inclusive'),
    );
    expect(c.call('CONFIG', 'SET', 'maxclients', '0')).toBe(
      invalid('maxclients', 'argument must be between 1 and 4294967295 inclusive'),
    );
    expect(c.call('CONFIG', 'SET', 'loglevel', 'bogus')).toBe(
      invalid('loglevel', 'argument(s) must be one of the following: debug, verbose, notice, warning'),
    );
    expect(c.call('CONFIG', 'SET', 'protected-mode', 'maybe')).toBe(
      invalid('protected-mode', "argument must be 'yes' or 'no'"),
    );
    expect(c.server.calls).toEqual([]);
  });

  it('configInvalid gives redis-server 7.0’s ranges and value lists', () => {
    const c = context();
    const invalid = (name: string, why: string) => R.err(errorReply('configInvalid', name, why));
    expect([
      c.call('CONFIG', 'SET', 'appendfsync', 'bogus'),
      c.call('CONFIG', 'SET', 'slowlog-max-len', '-1'),
      c.call('CONFIG', 'SET', 'proto-max-bulk-len', '10'),
    ]).toEqual([
      invalid('appendfsync', 'argument(s) must be one of the following: everysec, always, no'),
      invalid('slowlog-max-len', 'argument must be between 0 and 9223372036854775807 inclusive'),
      invalid('proto-max-bulk-len', 'argument must be between 1048576 and 9223372036854775807 inclusive'),
    ]);
    expect(c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '-2')).toBe(
      invalid('slowlog-log-slower-than', 'argument must be between -1 and 9223372036854775807 inclusive'),
    );
    expect(c.call('CONFIG', 'SET', 'client-query-buffer-limit', '99999999999999999999')).toBe(
      invalid(
        'client-query-buffer-limit',
        'argument must be between 1048576 and 9223372036854775807 inclusive',
      ),
    );
    expect(c.server.calls).toEqual([]);
  });

  it('applies all the pairs or none: one bad pair leaves every setting as it was', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'timeout', '5', 'maxclients', '0')).toBe(
      R.err(errorReply('configInvalid', 'maxclients', 'argument must be between 1 and 4294967295 inclusive')),
    );
    expect(c.call('CONFIG', 'SET', 'timeout', '5', 'databases', '2')).toBe(
      R.err(errorReply('configImmutable', 'databases')),
    );
    expect(c.call('CONFIG', 'SET', 'timeout', '5', 'nosuch', '2')).toBe(
      R.err(errorReply('configUnknown', 'nosuch')),
    );
    expect(c.server.calls).toEqual([]);
    expect(c.server.config.timeout).toBe(0);
  });

  // Not wrongArity, which the command table's arity gives only for fewer than two arguments.
  it('a name without its value is a syntax error, as redis-server 7.0 answers', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'timeout', '1', 'maxclients')).toBe(R.err(errorReply('syntax')));
    expect(c.server.calls).toEqual([]);
  });

  // redis-server checks every name (unknown, immutable, repeated) before any value; the first bad name is
  // the error.

  it('an unknown name after a bad value is configUnknown, as redis-server answers', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'timeout', 'abc', 'nosuch', '1')).toBe(
      R.err(errorReply('configUnknown', 'nosuch')),
    );
  });

  it('an immutable name after a bad value is configImmutable, as redis-server answers', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'timeout', 'abc', 'databases', '2')).toBe(
      R.err(errorReply('configImmutable', 'databases')),
    );
  });

  it('a setting given twice is refused as a duplicate parameter, as redis-server answers', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'timeout', '5', 'timeout', '6')).toBe(
      R.err(errorReply('configInvalid', 'timeout', 'duplicate parameter')),
    );
    expect(c.server.config.timeout).toBe(0);
  });

  it('the first bad name is the error: unknown, immutable or repeated, named as sent', () => {
    const c = context();
    expect(c.call('CONFIG', 'SET', 'databases', '2', 'nosuch', '1')).toBe(
      R.err(errorReply('configImmutable', 'databases')),
    );
    expect(c.call('CONFIG', 'SET', 'nosuch', '1', 'databases', '2')).toBe(
      R.err(errorReply('configUnknown', 'nosuch')),
    );
    expect(c.call('CONFIG', 'SET', 'timeout', '5', 'TIMEOUT', '6', 'nosuch', '1')).toBe(
      R.err(errorReply('configInvalid', 'TIMEOUT', 'duplicate parameter')),
    );
    expect(c.server.calls).toEqual([]);
  });

  it('RESETSTAT resets the statistics', () => {
    const c = context();
    expect(c.call('CONFIG', 'RESETSTAT')).toBe(R.ok);
    expect(c.server.calls).toEqual(['resetStats()']);
  });

  it('HELP answers its lines as simple strings', () => {
    const c = context();
    const reply = c.call('CONFIG', 'HELP');
    const lines = reply.split('\r\n').slice(1, -1);
    expect(lines.length).toBe(Number(reply.slice(1, reply.indexOf('\r\n'))));
    expect(lines[0]).toBe('+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    for (const sub of ['GET <pattern>', 'SET <directive> <value>', 'RESETSTAT'])
      expect(lines).toContain(`+${sub}`);
  });
});
