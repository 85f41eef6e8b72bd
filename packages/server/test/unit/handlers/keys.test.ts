import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, useKeyspace } from '../context.js';

const syntax = R.err(errorReply('syntax'));
const notInteger = R.err(errorReply('notInteger'));
const sameObject = R.err(errorReply('sameObject'));
const outOfRange = R.err(errorReply('dbIndexOutOfRange'));

describe('DEL, UNLINK, EXISTS, TYPE, TOUCH', () => {
  const { context } = useKeyspace();

  it('DEL and UNLINK delete the keys and count those that existed, a repeated key once', () => {
    const c = context();
    c.call('MSET', 'a', '1', 'b', '2', 'c', '3');
    expect(c.call('DEL', 'a', 'a', 'missing')).toBe(R.int(1));
    expect(c.commits.length).toBe(1);
    expect(c.call('UNLINK', 'b', 'c', 'missing')).toBe(R.int(2));
    expect(c.call('EXISTS', 'a', 'b', 'c')).toBe(R.int(0));
    expect(c.call('DEL', 'missing')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
  });

  it('DEL removes an expired key without counting it', () => {
    const c = context();
    c.call('SET', 'gone', 'v', 'PX', '10000');
    c.call('SET', 'live', 'v');
    c.now += 20_000;
    expect(c.call('DEL', 'gone', 'live')).toBe(R.int(1));
    expect(c.server.keyspace.dbs[0]?.getIncludingExpired(Buffer.from('gone'), 0, 4)).toBeUndefined();
  });

  it('EXISTS and TOUCH count every argument that names a live key, repeats included', () => {
    const c = context();
    c.call('SET', 'a', '1');
    c.call('SET', 'gone', 'v', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('EXISTS', 'a', 'a', 'missing', 'gone')).toBe(R.int(2));
    expect(c.call('TOUCH', 'a', 'a', 'missing', 'gone')).toBe(R.int(2));
    expect(c.commits).toEqual([]);
  });

  it('TYPE answers string for a key and none for a missing or expired one', () => {
    const c = context();
    c.call('SET', 'a', '1');
    c.call('SET', 'gone', 'v', 'PX', '10000');
    expect(c.call('TYPE', 'a')).toBe('+string\r\n');
    expect(c.call('TYPE', 'missing')).toBe('+none\r\n');
    c.now += 20_000;
    expect(c.call('TYPE', 'gone')).toBe('+none\r\n');
  });
});

describe('RENAME, RENAMENX', () => {
  const { context } = useKeyspace();

  it('RENAME moves the value and its expiry, replacing the destination', () => {
    const c = context();
    c.call('SET', 's', 'v', 'PX', '5000');
    c.call('SET', 'd', 'old');
    expect(c.call('RENAME', 's', 'd')).toBe(R.ok);
    expect(c.commits.length).toBe(1);
    expect(c.call('EXISTS', 's')).toBe(R.int(0));
    expect(c.call('GET', 'd')).toBe(R.bulk('v'));
    expect(c.call('PTTL', 'd')).toBe(R.int(5000));
    // A source without expiry leaves the destination without one.
    c.call('SET', 's2', 'w');
    expect(c.call('RENAME', 's2', 'd')).toBe(R.ok);
    expect(c.call('PTTL', 'd')).toBe(R.int(-1));
  });

  it('a missing source is noSuchKey, for both, even when the names are the same', () => {
    const c = context();
    const noSuchKey = R.err(errorReply('noSuchKey'));
    expect(c.call('RENAME', 'missing', 'd')).toBe(noSuchKey);
    expect(c.call('RENAMENX', 'missing', 'd')).toBe(noSuchKey);
    expect(c.call('RENAME', 'missing', 'missing')).toBe(noSuchKey);
    expect(c.call('RENAMENX', 'missing', 'missing')).toBe(noSuchKey);
    c.call('SET', 'gone', 'v', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('RENAME', 'gone', 'd')).toBe(noSuchKey);
  });

  it('renaming a key onto itself changes nothing: RENAME answers OK, RENAMENX 0', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PX', '5000');
    expect(c.call('RENAME', 'k', 'k')).toBe(R.ok);
    expect(c.call('RENAMENX', 'k', 'k')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    expect(c.call('GET', 'k')).toBe(R.bulk('v'));
    expect(c.call('PTTL', 'k')).toBe(R.int(5000));
  });

  it('RENAMENX renames only onto a missing (or expired) key', () => {
    const c = context();
    c.call('SET', 'x', '1');
    c.call('SET', 'd', 'taken');
    expect(c.call('RENAMENX', 'x', 'd')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    expect(c.call('MGET', 'x', 'd')).toBe(R.array(R.bulk('1'), R.bulk('taken')));
    expect(c.call('RENAMENX', 'x', 'n')).toBe(R.int(1));
    expect(c.call('MGET', 'x', 'n')).toBe(R.array(R.nil, R.bulk('1')));
    c.call('SET', 'gone', 'v', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('RENAMENX', 'n', 'gone')).toBe(R.int(1));
    expect(c.call('GET', 'gone')).toBe(R.bulk('1'));
  });
});

describe('COPY, MOVE', () => {
  const { context } = useKeyspace();

  it('COPY copies the value and its expiry; an existing destination needs REPLACE', () => {
    const c = context();
    c.call('SET', 'a', '1', 'PX', '5000');
    expect(c.call('COPY', 'a', 'b')).toBe(R.int(1));
    expect(c.commits.length).toBe(1);
    expect(c.call('MGET', 'a', 'b')).toBe(R.array(R.bulk('1'), R.bulk('1')));
    expect(c.call('PTTL', 'b')).toBe(R.int(5000));
    c.call('SET', 'a', '2');
    expect(c.call('COPY', 'a', 'b')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    expect(c.call('GET', 'b')).toBe(R.bulk('1'));
    expect(c.call('COPY', 'a', 'b', 'replace')).toBe(R.int(1));
    expect(c.call('GET', 'b')).toBe(R.bulk('2'));
    expect(c.call('PTTL', 'b')).toBe(R.int(-1));
  });

  it('COPY of a missing key answers 0, with or without REPLACE', () => {
    const c = context();
    c.call('SET', 'b', 'kept');
    expect(c.call('COPY', 'missing', 'b')).toBe(R.int(0));
    expect(c.call('COPY', 'missing', 'b', 'REPLACE')).toBe(R.int(0));
    expect(c.call('GET', 'b')).toBe(R.bulk('kept'));
  });

  it('COPY DB copies into another database, under the same name or another', () => {
    const c = context();
    c.call('SET', 'a', '1', 'PX', '5000');
    expect(c.call('COPY', 'a', 'a', 'DB', '1')).toBe(R.int(1));
    expect(c.call('COPY', 'a', 'b', 'REPLACE', 'db', '1')).toBe(R.int(1));
    expect(c.call('COPY', 'a', 'a', 'DB', '1')).toBe(R.int(0));
    expect(c.call('EXISTS', 'b')).toBe(R.int(0));
    c.call('SELECT', '1');
    expect(c.call('MGET', 'a', 'b')).toBe(R.array(R.bulk('1'), R.bulk('1')));
    expect(c.call('PTTL', 'a')).toBe(R.int(5000));
  });

  it('COPY onto itself in the same database is sameObject, after the options are parsed', () => {
    const c = context();
    c.call('SET', 'a', '1');
    expect(c.call('COPY', 'a', 'a')).toBe(sameObject);
    expect(c.call('COPY', 'a', 'a', 'DB', '0')).toBe(sameObject);
    expect(c.call('COPY', 'missing', 'missing')).toBe(sameObject);
    expect(c.call('COPY', 'a', 'a', 'FOO')).toBe(syntax);
    c.call('SELECT', '2');
    expect(c.call('COPY', 'x', 'x', 'DB', '2')).toBe(sameObject);
  });

  it('COPY refuses unknown options, DB without a value, and bad database numbers', () => {
    const c = context();
    c.call('SET', 'a', '1');
    expect(c.call('COPY', 'a', 'b', 'FOO')).toBe(syntax);
    expect(c.call('COPY', 'a', 'b', 'DB')).toBe(syntax);
    expect(c.call('COPY', 'a', 'b', 'REPLACE', 'DB')).toBe(syntax);
    expect(c.call('COPY', 'a', 'b', 'DB', 'abc')).toBe(notInteger);
    expect(c.call('COPY', 'a', 'b', 'DB', '1.5')).toBe(notInteger);
    expect(c.call('COPY', 'a', 'b', 'DB', '16')).toBe(outOfRange);
    expect(c.call('COPY', 'a', 'b', 'DB', '-1')).toBe(outOfRange);
    expect(c.call('EXISTS', 'b')).toBe(R.int(0));
  });

  // redis-server parses the index as an int and answers its range error.
  it('COPY DB 2147483648 answers the int range error, as redis-server does', () => {
    const c = context();
    c.call('SET', 'a', '1');
    expect(c.call('COPY', 'a', 'b', 'DB', '2147483648')).toBe(
      R.err('ERR value is out of range, value must between -2147483648 and 2147483647'),
    );
  });

  it('MOVE moves the key and its expiry to another database', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PX', '5000');
    expect(c.call('MOVE', 'k', '3')).toBe(R.int(1));
    expect(c.commits.length).toBe(1);
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
    c.call('SELECT', '3');
    expect(c.call('GET', 'k')).toBe(R.bulk('v'));
    expect(c.call('PTTL', 'k')).toBe(R.int(5000));
  });

  it('MOVE answers 0 for a missing key, or when the target has the key, and moves nothing', () => {
    const c = context();
    expect(c.call('MOVE', 'missing', '1')).toBe(R.int(0));
    c.call('SET', 'k', 'here');
    c.call('SELECT', '1');
    c.call('SET', 'k', 'there');
    c.call('SELECT', '0');
    expect(c.call('MOVE', 'k', '1')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    expect(c.call('GET', 'k')).toBe(R.bulk('here'));
  });

  it('MOVE to the selected database is sameObject, even for a missing key; bad numbers are refused', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('MOVE', 'k', '0')).toBe(sameObject);
    expect(c.call('MOVE', 'missing', '0')).toBe(sameObject);
    expect(c.call('MOVE', 'k', 'abc')).toBe(notInteger);
    expect(c.call('MOVE', 'k', '1.5')).toBe(notInteger);
    expect(c.call('MOVE', 'k', '16')).toBe(outOfRange);
    expect(c.call('MOVE', 'k', '-1')).toBe(outOfRange);
    expect(c.call('GET', 'k')).toBe(R.bulk('v'));
    c.call('SELECT', '5');
    expect(c.call('MOVE', 'k', '5')).toBe(sameObject);
  });

  // As for COPY DB.
  it('MOVE to 2147483648 answers the int range error, as redis-server does', () => {
    const c = context();
    expect(c.call('MOVE', 'k', '2147483648')).toBe(
      R.err('ERR value is out of range, value must between -2147483648 and 2147483647'),
    );
  });
});

describe('OBJECT, RANDOMKEY', () => {
  const { ks, context } = useKeyspace();

  it('OBJECT ENCODING names the encoding redis-server would pick for the value', () => {
    const c = context();
    const cases: [string, string][] = [
      ['12345', 'int'],
      ['-5', 'int'],
      ['1000000000000000000', 'int'],
      ['9223372036854775808', 'embstr'],
      ['-0', 'embstr'],
      ['010', 'embstr'],
      ['hello', 'embstr'],
      ['x'.repeat(44), 'embstr'],
      ['x'.repeat(45), 'raw'],
    ];
    for (const [value, encoding] of cases) {
      c.call('SET', 'k', value);
      expect(c.call('OBJECT', 'ENCODING', 'k'), value).toBe(R.bulk(encoding));
    }
  });

  // Integers that round to ±2^63 as doubles are not seen as integers.
  it('OBJECT ENCODING of LLONG_MAX and LLONG_MIN is int, as redis-server answers', () => {
    const c = context();
    c.call('SET', 'max', '9223372036854775807');
    c.call('SET', 'min', '-9223372036854775808');
    expect(c.call('MGET', 'max', 'min')).toBe(
      R.array(R.bulk('9223372036854775807'), R.bulk('-9223372036854775808')),
    );
    expect([c.call('OBJECT', 'ENCODING', 'max'), c.call('OBJECT', 'ENCODING', 'min')]).toEqual([
      R.bulk('int'),
      R.bulk('int'),
    ]);
  });

  it('OBJECT ENCODING names a value by how redis-server built it: raw after APPEND and SETRANGE, no int after INCRBYFLOAT', () => {
    const c = context();
    c.call('SET', 's', 'hello');
    c.call('APPEND', 's', 'x');
    expect(c.call('OBJECT', 'ENCODING', 's')).toBe(R.bulk('raw'));
    // APPEND to a missing key stores the argument as a client sent it.
    c.call('APPEND', 'fresh', '12');
    expect(c.call('OBJECT', 'ENCODING', 'fresh')).toBe(R.bulk('int'));
    c.call('SETRANGE', 'r', '0', '7');
    expect(c.call('OBJECT', 'ENCODING', 'r')).toBe(R.bulk('raw'));
    expect(c.call('OBJECT', 'REFCOUNT', 'r')).toBe(R.int(1));
    c.call('INCRBYFLOAT', 'f', '3');
    expect(c.call('GET', 'f')).toBe(R.bulk('3'));
    expect(c.call('OBJECT', 'ENCODING', 'f')).toBe(R.bulk('embstr'));
    expect(c.call('OBJECT', 'REFCOUNT', 'f')).toBe(R.int(1));
    // Copies and expiry changes keep how the value was built; a new SET forgets it.
    c.call('COPY', 's', 's2');
    c.call('EXPIRE', 's2', '100');
    c.call('RENAME', 's2', 's3');
    expect(c.call('OBJECT', 'ENCODING', 's3')).toBe(R.bulk('raw'));
    c.call('SET', 's3', 'hello');
    expect(c.call('OBJECT', 'ENCODING', 's3')).toBe(R.bulk('embstr'));
  });

  it('OBJECT REFCOUNT answers 1; FREQ and IDLETIME answer errors (nothing is tracked)', () => {
    const c = context();
    c.call('SET', 'k', 'hello');
    expect(c.call('OBJECT', 'REFCOUNT', 'k')).toBe(R.int(1));
    expect(c.call('OBJECT', 'FREQ', 'k')).toBe(R.err(errorReply('lfuNotSelected')));
    expect(c.call('OBJECT', 'IDLETIME', 'k')).toBe(R.err(errorReply('idleNotTracked')));
  });

  // Small integers are shared objects in redis-server, with refcount INT_MAX.
  it('OBJECT REFCOUNT of a small integer is 2147483647, as redis-server answers', () => {
    const c = context();
    c.call('SET', 'n', '1');
    expect(c.call('OBJECT', 'REFCOUNT', 'n')).toBe(R.int(2147483647));
  });

  it('every OBJECT subcommand answers null for a missing key', () => {
    const c = context();
    for (const sub of ['ENCODING', 'REFCOUNT', 'FREQ', 'IDLETIME']) {
      expect(c.call('OBJECT', sub, 'missing'), sub).toBe(R.nil);
    }
    c.session.protocol = 3;
    expect(c.call('OBJECT', 'ENCODING', 'missing')).toBe('_\r\n');
  });

  it('OBJECT HELP answers its lines as simple strings', () => {
    const c = context();
    const reply = c.call('OBJECT', 'HELP');
    expect(reply.startsWith('*')).toBe(true);
    const lines = reply.split('\r\n').slice(1, -1);
    expect(lines.length).toBe(Number(reply.slice(1, reply.indexOf('\r\n'))));
    expect(lines[0]).toBe('+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(lines).toContain('+ENCODING <key>');
    expect(lines.every((l) => l.startsWith('+'))).toBe(true);
  });

  it('RANDOMKEY answers null for an empty database and a key of it otherwise', () => {
    const c = context();
    ks().commitNow();
    expect(c.call('RANDOMKEY')).toBe(R.nil);
    c.call('SET', 'only', 'v');
    ks().commitNow();
    expect(c.call('RANDOMKEY')).toBe(R.bulk('only'));
    c.call('MSET', 'a', '1', 'b', '2');
    ks().commitNow();
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) seen.add(c.call('RANDOMKEY'));
    for (const reply of seen) expect([R.bulk('only'), R.bulk('a'), R.bulk('b')]).toContain(reply);
  });

  it('RANDOMKEY skips expired keys, and reads the selected database', () => {
    const c = context();
    c.call('SET', 'gone', 'v', 'PX', '10000');
    c.call('SELECT', '1');
    c.call('SET', 'other', 'v');
    ks().commitNow();
    c.call('SELECT', '0');
    c.now += 20_000;
    expect(c.call('RANDOMKEY')).toBe(R.nil);
    c.call('SELECT', '1');
    expect(c.call('RANDOMKEY')).toBe(R.bulk('other'));
  });
});
