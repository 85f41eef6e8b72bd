import { Args } from '@sluice/protocol';
import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, type TestContext, useKeyspace } from '../context.js';

const syntax = R.err(errorReply('syntax'));

/** The bulk strings of an array reply of bulk strings, in order. */
function bulks(reply: string): string[] {
  const parts = reply.split('\r\n');
  const n = Number((parts[0] as string).slice(1));
  expect(parts.length).toBe(2 + 2 * n);
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(parts[2 + 2 * i] as string);
  return items;
}

/** The length in an array (or map) header at the start of a reply. */
function header(reply: string): number {
  return Number(reply.slice(1, reply.indexOf('\r\n')));
}

describe('COMMAND', () => {
  const { context } = useKeyspace();

  it('COMMAND INFO describes a command: name, arity, flags, key positions, categories, key specs', () => {
    const c = context();
    const get = R.array(
      R.bulk('get'),
      R.int(2),
      R.array('+readonly\r\n', '+fast\r\n'),
      R.int(1),
      R.int(1),
      R.int(1),
      R.array('+@read\r\n', '+@string\r\n', '+@fast\r\n'),
      R.array(),
      R.array(
        R.array(
          R.bulk('flags'),
          R.array('+RO\r\n', '+access\r\n'),
          R.bulk('begin_search'),
          R.array(R.bulk('type'), R.bulk('index'), R.bulk('spec'), R.array(R.bulk('index'), R.int(1))),
          R.bulk('find_keys'),
          R.array(
            R.bulk('type'),
            R.bulk('range'),
            R.bulk('spec'),
            R.array(R.bulk('lastkey'), R.int(0), R.bulk('keystep'), R.int(1), R.bulk('limit'), R.int(0)),
          ),
        ),
      ),
      R.array(),
    );
    expect(c.call('COMMAND', 'INFO', 'get')).toBe(R.array(get));
    expect(c.call('COMMAND', 'INFO', 'GET', 'get')).toBe(R.array(get, get));
    // A subcommand, by its full name.
    const info = c.call('COMMAND', 'INFO', 'config|get');
    expect(info.startsWith(`*1\r\n*10\r\n${R.bulk('config|get')}${R.int(-3)}`)).toBe(true);
  });

  it('COMMAND INFO answers a null for each unknown name, in RESP3 as _', () => {
    const c = context();
    c.session.protocol = 3;
    expect(c.call('COMMAND', 'INFO', 'nosuch')).toBe(R.array('_\r\n'));
  });

  it('COMMAND INFO answers $-1 for an unknown name in RESP2, as redis-server does', () => {
    const c = context();
    expect(c.call('COMMAND', 'INFO', 'nosuch')).toBe(R.array(R.nil));
  });

  it('COMMAND and COMMAND INFO without names describe every command; COUNT counts them', () => {
    const c = context();
    const count = c.call('COMMAND', 'COUNT');
    const n = Number(count.slice(1, -2));
    expect(count).toBe(R.int(n));
    expect(n).toBeGreaterThan(50);
    expect(header(c.call('COMMAND'))).toBe(n);
    expect(header(c.call('COMMAND', 'INFO'))).toBe(n);
    expect(c.call('COMMAND')).toBe(c.call('COMMAND', 'INFO'));
  });

  it('COMMAND GETKEYS and GETKEYSANDFLAGS find keys by the key specifications', () => {
    const c = context();
    expect(c.call('COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b', '2')).toBe(R.array(R.bulk('a'), R.bulk('b')));
    expect(c.call('COMMAND', 'GETKEYSANDFLAGS', 'RENAME', 'a', 'b')).toBe(
      R.array(
        R.array(R.bulk('a'), R.array('+RW\r\n', '+access\r\n', '+delete\r\n')),
        R.array(R.bulk('b'), R.array('+OW\r\n', '+update\r\n')),
      ),
    );
    // EVAL's keys follow numkeys; none is an empty array, as EVAL may have no keys.
    expect(c.call('COMMAND', 'GETKEYS', 'EVAL', 'return 1', '2', 'x', 'y', 'arg')).toBe(
      R.array(R.bulk('x'), R.bulk('y')),
    );
    expect(c.call('COMMAND', 'GETKEYS', 'EVAL', 'return 1', '0')).toBe(R.array());
    expect(c.call('COMMAND', 'GETKEYS', 'OBJECT', 'ENCODING', 'k')).toBe(R.array(R.bulk('k')));
    expect(c.call('COMMAND', 'GETKEYS', 'NOSUCH', 'k')).toBe(R.err(errorReply('getKeysInvalidCommand')));
    expect(c.call('COMMAND', 'GETKEYS', 'PING', 'x')).toBe(R.err(errorReply('getKeysNoKeys')));
    expect(c.call('COMMAND', 'GETKEYS', 'GET', 'a', 'b')).toBe(R.err(errorReply('getKeysArity')));
  });

  it('COMMAND DOCS answers a map from name to documentation, skipping unknown names', () => {
    const c = context();
    const echo = R.array(
      R.bulk('summary'),
      R.bulk('Returns the given string.'),
      R.bulk('since'),
      R.bulk('1.0.0'),
      R.bulk('group'),
      R.bulk('connection'),
      R.bulk('complexity'),
      R.bulk('O(1)'),
      R.bulk('arguments'),
      R.array(R.array(R.bulk('name'), R.bulk('message'), R.bulk('type'), R.bulk('string'))),
    );
    expect(c.call('COMMAND', 'DOCS', 'echo')).toBe(R.array(R.bulk('echo'), echo));
    expect(c.call('COMMAND', 'DOCS', 'nosuch', 'ECHO')).toBe(R.array(R.bulk('echo'), echo));
    expect(c.call('COMMAND', 'DOCS', 'nosuch')).toBe(R.array());
    c.session.protocol = 3;
    expect(c.call('COMMAND', 'DOCS', 'nosuch')).toBe('%0\r\n');
    expect(c.call('COMMAND', 'DOCS', 'echo').startsWith(`%1\r\n${R.bulk('echo')}%5\r\n`)).toBe(true);
  });

  it('COMMAND DOCS of a container lists its subcommands; without names it documents every command', () => {
    const c = context();
    const docs = c.call('COMMAND', 'DOCS', 'config');
    expect(docs).toContain(R.bulk('subcommands'));
    expect(docs).toContain(R.bulk('config|get'));
    expect(c.call('COMMAND', 'DOCS', 'config|get').startsWith(`*2\r\n${R.bulk('config|get')}`)).toBe(true);
    const n = Number(c.call('COMMAND', 'COUNT').slice(1, -2));
    expect(header(c.call('COMMAND', 'DOCS'))).toBe(2 * n);
  });

  it('COMMAND LIST names every command; FILTERBY PATTERN matches names case-insensitively', () => {
    const c = context();
    const all = bulks(c.call('COMMAND', 'LIST'));
    expect(all).toEqual(expect.arrayContaining(['get', 'set', 'del', 'config', 'client', 'ping']));
    expect(all.length).toBeGreaterThan(50);
    expect(bulks(c.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'getr*'))).toEqual(['getrange']);
    expect(bulks(c.call('COMMAND', 'LIST', 'filterby', 'pattern', 'GET*')).sort()).toEqual([
      'get',
      'getbit',
      'getdel',
      'getex',
      'getrange',
      'getset',
    ]);
    expect(c.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'nosuch*')).toBe(R.array());
  });

  // redis-server also lists config|rewrite, which Sluice does not have.
  it('COMMAND LIST FILTERBY PATTERN config* lists the subcommands too, as redis-server does', () => {
    const c = context();
    expect(bulks(c.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'config*')).sort()).toEqual([
      'config',
      'config|get',
      'config|help',
      'config|resetstat',
      'config|set',
    ]);
  });

  it('COMMAND LIST names each container, then its subcommands, with or without a filter', () => {
    const c = context();
    const all = bulks(c.call('COMMAND', 'LIST'));
    const n = Number(c.call('COMMAND', 'COUNT').slice(1, -2));
    expect(all.filter((name) => !name.includes('|')).length).toBe(n);
    const at = all.indexOf('config');
    expect(all.slice(at + 1, at + 5).sort()).toEqual([
      'config|get',
      'config|help',
      'config|resetstat',
      'config|set',
    ]);
    expect(bulks(c.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'CONFIG|G*'))).toEqual(['config|get']);
    expect(bulks(c.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'admin'))).toEqual(
      expect.arrayContaining(['config|get', 'config|set', 'client|kill']),
    );
  });

  it('COMMAND LIST FILTERBY ACLCAT lists the commands of a category; MODULE lists none', () => {
    const c = context();
    const strings = bulks(c.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'string'));
    expect(strings).toEqual(expect.arrayContaining(['get', 'set', 'append', 'incr']));
    expect(strings).not.toContain('del');
    expect(strings).not.toContain('ping');
    const keyspace = bulks(c.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'KEYSPACE'));
    expect(keyspace).toEqual(expect.arrayContaining(['del', 'expire', 'rename']));
    expect(keyspace).not.toContain('get');
    expect(c.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuchcat')).toBe(R.array());
    expect(c.call('COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x')).toBe(R.array());
  });

  it('COMMAND LIST with anything but FILTERBY <type> <value> is a syntax error', () => {
    const c = context();
    expect(c.call('COMMAND', 'LIST', 'FOO')).toBe(syntax);
    expect(c.call('COMMAND', 'LIST', 'FILTERBY', 'FOO', 'x')).toBe(syntax);
    expect(c.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN')).toBe(syntax);
    expect(c.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'x', 'extra')).toBe(syntax);
    expect(c.call('COMMAND', 'LIST', 'FOO', 'PATTERN', 'x')).toBe(syntax);
  });
});

describe('DBSIZE, FLUSHDB, FLUSHALL, SWAPDB', () => {
  const { ks, context } = useKeyspace();

  function fill(c: TestContext): void {
    c.call('MSET', 'a', '1', 'b', '2', 'c', '3');
    c.call('SELECT', '1');
    c.call('SET', 'other', 'v');
    c.call('SELECT', '0');
    ks().commitNow();
  }

  it('DBSIZE counts the keys of the selected database', () => {
    const c = context();
    ks().commitNow();
    expect(c.call('DBSIZE')).toBe(R.int(0));
    fill(c);
    expect(c.call('DBSIZE')).toBe(R.int(3));
    c.call('DEL', 'a');
    ks().commitNow();
    expect(c.call('DBSIZE')).toBe(R.int(2));
    c.call('SELECT', '1');
    expect(c.call('DBSIZE')).toBe(R.int(1));
  });

  it('FLUSHDB empties the selected database only, with or without ASYNC/SYNC', () => {
    const c = context();
    for (const mode of [[], ['ASYNC'], ['sync']]) {
      fill(c);
      expect(c.call('FLUSHDB', ...mode), mode.join()).toBe(R.ok);
      expect(c.call('EXISTS', 'a', 'b', 'c')).toBe(R.int(0));
      expect(c.call('DBSIZE')).toBe(R.int(0));
      c.call('SELECT', '1');
      expect(c.call('GET', 'other')).toBe(R.bulk('v'));
      c.call('SELECT', '0');
    }
  });

  it('FLUSHALL empties every database', () => {
    const c = context();
    for (const mode of [[], ['async'], ['SYNC']]) {
      fill(c);
      expect(c.call('FLUSHALL', ...mode), mode.join()).toBe(R.ok);
      expect(c.call('EXISTS', 'a')).toBe(R.int(0));
      c.call('SELECT', '1');
      expect(c.call('EXISTS', 'other')).toBe(R.int(0));
      c.call('SELECT', '0');
    }
  });

  it('FLUSHDB and FLUSHALL with another argument, or more than one, are syntax errors and flush nothing', () => {
    const c = context();
    fill(c);
    expect(c.call('FLUSHDB', 'FOO')).toBe(syntax);
    expect(c.call('FLUSHDB', 'ASYNC', 'SYNC')).toBe(syntax);
    expect(c.call('FLUSHALL', 'now')).toBe(syntax);
    expect(c.call('FLUSHALL', 'SYNC', 'x')).toBe(syntax);
    expect(c.call('EXISTS', 'a', 'b', 'c')).toBe(R.int(3));
  });

  it('SWAPDB asks the server to swap two different databases; the same one twice changes nothing', () => {
    const c = context();
    expect(c.call('SWAPDB', '0', '1')).toBe(R.ok);
    expect(c.call('SWAPDB', '15', '3')).toBe(R.ok);
    expect(c.call('SWAPDB', '2', '2')).toBe(R.ok);
    expect(c.server.calls).toEqual(['swapDatabases(0,1)', 'swapDatabases(15,3)']);
  });

  it('SWAPDB refuses indexes that are not ints, first one first, and indexes out of range', () => {
    const c = context();
    const first = R.err(errorReply('invalidFirstDb'));
    const second = R.err(errorReply('invalidSecondDb'));
    expect(c.call('SWAPDB', 'abc', '1')).toBe(first);
    expect(c.call('SWAPDB', 'abc', 'xyz')).toBe(first);
    expect(c.call('SWAPDB', '2147483648', '0')).toBe(first);
    expect(c.call('SWAPDB', '0', 'x')).toBe(second);
    expect(c.call('SWAPDB', '0', '1.5')).toBe(second);
    expect(c.call('SWAPDB', '0', '-2147483649')).toBe(second);
    const outOfRange = R.err(errorReply('dbIndexOutOfRange'));
    expect(c.call('SWAPDB', '0', '16')).toBe(outOfRange);
    expect(c.call('SWAPDB', '-1', '0')).toBe(outOfRange);
    expect(c.call('SWAPDB', '16', '16')).toBe(outOfRange);
    expect(c.server.calls).toEqual([]);
  });
});

describe('TIME, SLOWLOG, SHUTDOWN, MONITOR, INFO', () => {
  const { context } = useKeyspace();

  it('TIME answers the Unix time in seconds and microseconds', () => {
    const c = context();
    const before = Date.now();
    const [seconds, micros] = bulks(c.call('TIME'));
    const after = Date.now();
    expect(seconds).toMatch(/^\d+$/);
    expect(micros).toMatch(/^\d{1,6}$/);
    const us = BigInt(seconds as string) * 1_000_000n + BigInt(micros as string);
    expect(us >= BigInt(before) * 1000n).toBe(true);
    expect(us < BigInt(after + 1) * 1000n).toBe(true);
  });

  /** Adds slow log entries for commands "CMD0" … "CMD<n-1>", the newest last. */
  function slow(c: TestContext, n: number): void {
    for (let i = 0; i < n; i++) {
      c.server.slowlog.add(
        Args.of([Buffer.from(`CMD${i}`), Buffer.from('x')]),
        '127.0.0.1:5000',
        'nm',
        20_000 + i,
      );
    }
  }

  /** The command names of SLOWLOG GET's entries, in order. */
  function slowNames(reply: string): string[] {
    return [...reply.matchAll(/\*2\r\n\$\d+\r\n(CMD\d+)\r\n/g)].map((m) => m[1] as string);
  }

  it('SLOWLOG GET answers the newest entries: 10 by default, a count, or all with -1', () => {
    const c = context();
    slow(c, 12);
    expect(c.call('SLOWLOG', 'LEN')).toBe(R.int(12));
    const newestTen = Array.from({ length: 10 }, (_, i) => `CMD${11 - i}`);
    expect(slowNames(c.call('SLOWLOG', 'GET'))).toEqual(newestTen);
    expect(slowNames(c.call('SLOWLOG', 'GET', '2'))).toEqual(['CMD11', 'CMD10']);
    expect(slowNames(c.call('SLOWLOG', 'GET', '-1'))).toHaveLength(12);
    expect(c.call('SLOWLOG', 'GET', '0')).toBe(R.array());
  });

  it('SLOWLOG GET writes each entry as id, time, duration, arguments, address and name', () => {
    const c = context();
    const before = Math.floor(Date.now() / 1000);
    slow(c, 1);
    const after = Math.floor(Date.now() / 1000);
    const reply = c.call('SLOWLOG', 'GET', '1');
    const time = Number(/^\*1\r\n\*6\r\n:0\r\n:(\d+)\r\n/.exec(reply)?.[1]);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
    expect(reply).toBe(
      R.array(
        R.array(
          R.int(0),
          R.int(time),
          R.int(20_000),
          R.array(R.bulk('CMD0'), R.bulk('x')),
          R.bulk('127.0.0.1:5000'),
          R.bulk('nm'),
        ),
      ),
    );
  });

  it('SLOWLOG GET refuses a count below -1 or not an integer', () => {
    const c = context();
    const error = R.err(errorReply('slowlogCount'));
    expect(c.call('SLOWLOG', 'GET', '-2')).toBe(error);
    expect(c.call('SLOWLOG', 'GET', 'abc')).toBe(error);
    expect(c.call('SLOWLOG', 'GET', '1.5')).toBe(error);
  });

  // redis-server answers its subcommand syntax error (the handler: syntax).
  it('SLOWLOG GET with two counts is the subcommand syntax error, as redis-server answers', () => {
    const c = context();
    expect(c.call('SLOWLOG', 'GET', '1', '2')).toBe(
      R.err("ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP."),
    );
  });

  it('SLOWLOG RESET empties the log', () => {
    const c = context();
    slow(c, 3);
    expect(c.call('SLOWLOG', 'RESET')).toBe(R.ok);
    expect(c.call('SLOWLOG', 'LEN')).toBe(R.int(0));
    expect(c.call('SLOWLOG', 'GET')).toBe(R.array());
  });

  it('SHUTDOWN, with or without NOSAVE, SAVE, NOW, FORCE, asks the server to shut down and closes', () => {
    const c = context();
    expect(c.call('SHUTDOWN')).toBe('');
    expect(c.server.calls).toEqual(['shutdown(User requested shutdown)']);
    expect(c.host.closing).toBe(true);
    const d = context(8);
    expect(d.call('SHUTDOWN', 'nosave', 'NOW', 'force')).toBe('');
    expect(d.server.calls).toEqual(['shutdown(User requested shutdown)']);
    expect(d.host.closing).toBe(true);
  });

  it('SHUTDOWN with an unknown option is a syntax error and shuts nothing down', () => {
    const c = context();
    expect(c.call('SHUTDOWN', 'FOO')).toBe(syntax);
    expect(c.call('SHUTDOWN', 'NOW', 'LATER')).toBe(syntax);
    expect(c.server.calls).toEqual([]);
    expect(c.host.closing).toBe(false);
  });

  // redis-server refuses NOSAVE with SAVE, and knows ABORT.
  it('SHUTDOWN NOSAVE SAVE is a syntax error, as redis-server answers', () => {
    const c = context();
    expect(c.call('SHUTDOWN', 'NOSAVE', 'SAVE')).toBe(syntax);
    expect(c.server.calls).toEqual([]);
  });

  it('SHUTDOWN ABORT answers that no shutdown is in progress, as redis-server does', () => {
    const c = context();
    expect(c.call('SHUTDOWN', 'ABORT')).toBe(R.err('ERR No shutdown in progress.'));
    expect(c.server.calls).toEqual([]);
  });

  it('MONITOR turns this connection into a monitor', () => {
    const c = context(9);
    expect(c.call('MONITOR')).toBe(R.ok);
    expect(c.server.calls).toEqual(['startMonitor(9)']);
  });

  it('INFO asks for the sections named and answers the text, verbatim in RESP3', () => {
    const c = context();
    const text = '# Server\r\n';
    expect(c.call('INFO')).toBe(R.bulk(text));
    expect(c.call('INFO', 'server', 'Keyspace')).toBe(R.bulk(text));
    expect(c.server.calls).toEqual(['info()', 'info(server,Keyspace)']);
    c.session.protocol = 3;
    expect(c.call('INFO', 'all')).toBe(`=${text.length + 4}\r\ntxt:${text}\r\n`);
  });
});
