import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { clientInfo, R, type TestContext, useKeyspace } from '../context.js';

const syntax = R.err(errorReply('syntax'));

/** CLIENT LIST's line for a connection made from clientInfo({ id }) with the defaults, `age` s ago. */
function line(id: number, age: number, fields: Record<string, string | number> = {}): string {
  const all: Record<string, string | number> = {
    id,
    addr: `127.0.0.1:${50000 + id}`,
    laddr: '127.0.0.1:6379',
    fd: -1,
    name: '',
    age,
    idle: age,
    flags: 'N',
    db: 0,
    sub: 0,
    psub: 0,
    ssub: 0,
    multi: -1,
    qbuf: 0,
    'qbuf-free': 0,
    'argv-mem': 0,
    'multi-mem': 0,
    rbs: 0,
    rbp: 0,
    obl: 0,
    oll: 0,
    omem: 0,
    'tot-mem': 0,
    events: 'r',
    cmd: 'NULL',
    user: 'default',
    redir: -1,
    resp: 2,
    'lib-name': '',
    'lib-ver': '',
    ...fields,
  };
  return `${Object.entries(all)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}\n`;
}

/** A context whose server has connections 7 (its own), 8 and 9, all connected 5.5 s ago. */
function withConnections(c: TestContext): TestContext {
  const since = Date.now() - 5500;
  c.server.connections = [7, 8, 9].map((id) => clientInfo({ id, createdAt: since, lastInteraction: since }));
  return c;
}

/** The connection ids every killClients call named. */
function killed(c: TestContext): number[] {
  return c.server.calls
    .filter((call) => call.startsWith('killClients('))
    .flatMap((call) => call.slice('killClients('.length, -1).split(',').filter(Boolean).map(Number));
}

describe('CLIENT ID, SETNAME, GETNAME, SETINFO, NO-EVICT, HELP', () => {
  const { context } = useKeyspace();

  it('ID answers the connection id', () => {
    expect(context(42).call('CLIENT', 'ID')).toBe(R.int(42));
  });

  it('GETNAME answers null until SETNAME names the connection; an empty name clears it', () => {
    const c = context();
    expect(c.call('CLIENT', 'GETNAME')).toBe(R.nil);
    expect(c.call('CLIENT', 'SETNAME', 'worker-1')).toBe(R.ok);
    expect(c.session.name).toBe('worker-1');
    expect(c.call('CLIENT', 'GETNAME')).toBe(R.bulk('worker-1'));
    expect(c.call('CLIENT', 'SETNAME', '')).toBe(R.ok);
    expect(c.call('CLIENT', 'GETNAME')).toBe(R.nil);
    c.session.protocol = 3;
    expect(c.call('CLIENT', 'GETNAME')).toBe('_\r\n');
  });

  it('SETNAME refuses spaces, control characters and bytes past ASCII, and keeps the old name', () => {
    const c = context();
    c.call('CLIENT', 'SETNAME', 'ok');
    const error = R.err(errorReply('clientNameSpaces'));
    for (const name of ['a b', 'a\nb', 'tab\t', '\x7f', Buffer.from([0x61, 0xe9])]) {
      expect(c.call('CLIENT', 'SETNAME', name), JSON.stringify(String(name))).toBe(error);
    }
    expect(c.session.name).toBe('ok');
  });

  it('SETINFO sets the library name and version, case-insensitively', () => {
    const c = context();
    expect(c.call('CLIENT', 'SETINFO', 'lib-name', 'ioredis')).toBe(R.ok);
    expect(c.call('CLIENT', 'SETINFO', 'LIB-VER', '5.4.1')).toBe(R.ok);
    expect([c.session.libName, c.session.libVer]).toEqual(['ioredis', '5.4.1']);
  });

  it('SETINFO refuses an unknown attribute (named as sent) and values with spaces', () => {
    const c = context();
    expect(c.call('CLIENT', 'SETINFO', 'Lib-Foo', 'x')).toBe(
      R.err(errorReply('unrecognizedOption', 'Lib-Foo')),
    );
    expect(c.call('CLIENT', 'SETINFO', 'lib-name', 'a b')).toBe(
      R.err(errorReply('clientInfoChars', 'lib-name')),
    );
    expect(c.call('CLIENT', 'SETINFO', 'lib-ver', '1\n')).toBe(
      R.err(errorReply('clientInfoChars', 'lib-ver')),
    );
    expect([c.session.libName, c.session.libVer]).toEqual(['', '']);
  });

  // Known disagreement, reported (from redis-server 7.2's source; the 7.0.15 here has no SETINFO): the
  // message names the attribute as it was sent.
  it('SETINFO names the attribute as sent in the bad-characters error, as redis-server 7.2 does', () => {
    const c = context();
    expect(c.call('CLIENT', 'SETINFO', 'LIB-NAME', 'a b')).toBe(
      R.err('ERR LIB-NAME cannot contain spaces, newlines or special characters.'),
    );
  });

  it('NO-EVICT ON and OFF set the flag; anything else is a syntax error', () => {
    const c = context();
    expect(c.call('CLIENT', 'NO-EVICT', 'on')).toBe(R.ok);
    expect(c.session.noEvict).toBe(true);
    expect(c.call('CLIENT', 'NO-EVICT', 'maybe')).toBe(syntax);
    expect(c.session.noEvict).toBe(true);
    expect(c.call('CLIENT', 'NO-EVICT', 'OFF')).toBe(R.ok);
    expect(c.session.noEvict).toBe(false);
  });

  it('HELP answers its lines as simple strings, one per subcommand among them', () => {
    const c = context();
    const reply = c.call('CLIENT', 'HELP');
    const lines = reply.split('\r\n').slice(1, -1);
    expect(lines.length).toBe(Number(reply.slice(1, reply.indexOf('\r\n'))));
    expect(lines[0]).toBe('+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    for (const sub of ['GETNAME', 'ID', 'INFO', 'UNPAUSE', 'HELP']) expect(lines).toContain(`+${sub}`);
    expect(lines.every((l) => l.startsWith('+'))).toBe(true);
  });
});

describe('CLIENT LIST, INFO', () => {
  const { context } = useKeyspace();

  it('LIST answers a line per connection', () => {
    const c = withConnections(context());
    c.server.connections.push(
      clientInfo({
        id: 10,
        name: 'app',
        createdAt: Date.now() - 60_500,
        lastInteraction: Date.now() - 2500,
        flags: 'x',
        db: 3,
        multi: 2,
        queryBufferBytes: 5,
        queryBufferSize: 100,
        heldReplies: 1,
        outputBytes: 20,
        lastCommand: 'set',
        protocol: 3,
        libName: 'redis-py',
        libVer: '5.0',
      }),
    );
    expect(c.call('CLIENT', 'LIST')).toBe(
      R.bulk(
        line(7, 5) +
          line(8, 5) +
          line(9, 5) +
          line(10, 60, {
            name: 'app',
            idle: 2,
            flags: 'x',
            db: 3,
            multi: 2,
            qbuf: 5,
            rbs: 100,
            oll: 1,
            omem: 20,
            'tot-mem': 125,
            cmd: 'set',
            resp: 3,
            'lib-name': 'redis-py',
            'lib-ver': '5.0',
          }),
      ),
    );
  });

  it('LIST is a verbatim string in RESP3', () => {
    const c = withConnections(context());
    c.session.protocol = 3;
    c.server.connections = c.server.connections.slice(0, 1);
    const text = line(7, 5);
    expect(c.call('CLIENT', 'LIST')).toBe(`=${text.length + 4}\r\ntxt:${text}\r\n`);
  });

  it('LIST TYPE normal lists every connection; the other types none; an unknown type is an error', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'LIST', 'TYPE', 'NORMAL')).toBe(R.bulk(line(7, 5) + line(8, 5) + line(9, 5)));
    for (const type of ['master', 'replica', 'slave', 'pubsub']) {
      expect(c.call('CLIENT', 'LIST', 'type', type), type).toBe(R.bulk(''));
    }
    expect(c.call('CLIENT', 'LIST', 'TYPE', 'Bogus')).toBe(R.err(errorReply('unknownClientType', 'Bogus')));
  });

  it('LIST ID lists the connections with those ids; an id that is not an integer is an error', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'LIST', 'ID', '8', '100', '9')).toBe(R.bulk(line(8, 5) + line(9, 5)));
    expect(c.call('CLIENT', 'LIST', 'id', '100')).toBe(R.bulk(''));
    expect(c.call('CLIENT', 'LIST', 'ID', '8', 'abc')).toBe(R.err('ERR Invalid client ID'));
  });

  // redis-server lists the ids in the order given, repeats included.
  it('LIST ID 9 8 8 lists 9, then 8 twice, as redis-server answers', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'LIST', 'ID', '9', '8', '8')).toBe(R.bulk(line(9, 5) + line(8, 5) + line(8, 5)));
  });

  // redis-server parses the ids as long longs: 0 and negative ids match
  // nothing, and "1e3" is not an id.
  it('LIST ID 0 and ID -5 list nothing, as redis-server answers', () => {
    const c = withConnections(context());
    expect([c.call('CLIENT', 'LIST', 'ID', '0'), c.call('CLIENT', 'LIST', 'ID', '-5')]).toEqual([
      R.bulk(''),
      R.bulk(''),
    ]);
  });

  it('LIST ID 8e0 is "Invalid client ID", as redis-server answers', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'LIST', 'ID', '8e0')).toBe(R.err('ERR Invalid client ID'));
  });

  it('LIST with anything else, or an option without its value, is a syntax error', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'LIST', 'foo')).toBe(syntax);
    expect(c.call('CLIENT', 'LIST', 'ID')).toBe(syntax);
    expect(c.call('CLIENT', 'LIST', 'TYPE')).toBe(syntax);
    expect(c.call('CLIENT', 'LIST', 'foo', 'bar')).toBe(syntax);
  });

  // redis-server takes TYPE only as the last two arguments.
  it('LIST TYPE normal with more arguments is a syntax error, as redis-server answers', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'LIST', 'TYPE', 'normal', 'extra')).toBe(syntax);
  });

  it('INFO answers the line of this connection', () => {
    const c = withConnections(context(8));
    expect(c.call('CLIENT', 'INFO')).toBe(R.bulk(line(8, 5)));
    c.session.protocol = 3;
    const text = line(8, 5);
    expect(c.call('CLIENT', 'INFO')).toBe(`=${text.length + 4}\r\ntxt:${text}\r\n`);
  });
});

describe('CLIENT KILL', () => {
  const { context } = useKeyspace();

  it('KILL ip:port closes that connection and answers OK; an unknown address is noSuchClient', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'KILL', '127.0.0.1:50008')).toBe(R.ok);
    expect(killed(c)).toEqual([8]);
    expect(c.host.closing).toBe(false);
    expect(c.call('CLIENT', 'KILL', '1.2.3.4:5')).toBe(R.err(errorReply('noSuchClient')));
    expect(killed(c)).toEqual([8]);
  });

  it('KILL ip:port of this connection closes it after the reply, not through killClients', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'KILL', '127.0.0.1:50007')).toBe(R.ok);
    expect(c.host.closing).toBe(true);
    expect(killed(c)).toEqual([]);
  });

  it('KILL ID closes the connection with that id and counts it', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'KILL', 'ID', '9')).toBe(R.int(1));
    expect(killed(c)).toEqual([9]);
    expect(c.call('CLIENT', 'KILL', 'ID', '999')).toBe(R.int(0));
    expect(killed(c)).toEqual([9]);
  });

  it('KILL ID below 1 or not an integer is clientIdInvalid', () => {
    const c = withConnections(context());
    const invalid = R.err(errorReply('clientIdInvalid'));
    expect(c.call('CLIENT', 'KILL', 'ID', '0')).toBe(invalid);
    expect(c.call('CLIENT', 'KILL', 'ID', '-1')).toBe(invalid);
    expect(c.call('CLIENT', 'KILL', 'ID', 'abc')).toBe(invalid);
    expect(killed(c)).toEqual([]);
  });

  it('KILL TYPE normal closes every other connection; other types none; unknown types are an error', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(R.int(0));
    expect(c.call('CLIENT', 'KILL', 'TYPE', 'pubsub')).toBe(R.int(0));
    expect(killed(c)).toEqual([]);
    expect(c.call('CLIENT', 'KILL', 'TYPE', 'bogus')).toBe(R.err(errorReply('unknownClientType', 'bogus')));
    expect(c.call('CLIENT', 'KILL', 'TYPE', 'Normal')).toBe(R.int(2));
    expect(killed(c)).toEqual([8, 9]);
    expect(c.host.closing).toBe(false);
  });

  it('KILL USER default closes every other connection', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'KILL', 'USER', 'default')).toBe(R.int(2));
    expect(killed(c)).toEqual([8, 9]);
  });

  // redis-server refuses a user that does not exist.
  it('KILL USER of an unknown user is "No such user", as redis-server answers', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'KILL', 'USER', 'nobody')).toBe(R.err("ERR No such user 'nobody'"));
  });

  it('KILL ADDR and LADDR match the remote and local addresses; filters combine', () => {
    const c = withConnections(context());
    c.server.connections.push(clientInfo({ id: 10, laddr: '10.0.0.1:6379' }));
    expect(c.call('CLIENT', 'KILL', 'ADDR', '127.0.0.1:50009')).toBe(R.int(1));
    expect(killed(c)).toEqual([9]);
    expect(c.call('CLIENT', 'KILL', 'LADDR', '10.0.0.1:6379')).toBe(R.int(1));
    expect(killed(c)).toEqual([9, 10]);
    expect(c.call('CLIENT', 'KILL', 'ADDR', '127.0.0.1:50008', 'ID', '9')).toBe(R.int(0));
    expect(c.call('CLIENT', 'KILL', 'ADDR', 'nowhere:1')).toBe(R.int(0));
    expect(killed(c)).toEqual([9, 10]);
  });

  // redis-server keeps the last value of a repeated filter.
  it('KILL ID 8 ID 9 kills connection 9, as redis-server does', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'KILL', 'ID', '8', 'ID', '9')).toBe(R.int(1));
    expect(killed(c)).toEqual([9]);
  });

  it('KILL skips this connection unless SKIPME no, which closes it after the reply', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'KILL', 'ID', '7')).toBe(R.int(0));
    expect(c.host.closing).toBe(false);
    expect(c.call('CLIENT', 'KILL', 'ID', '7', 'SKIPME', 'yes')).toBe(R.int(0));
    expect(c.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'NO')).toBe(R.int(3));
    expect(killed(c)).toEqual([8, 9]);
    expect(c.host.closing).toBe(true);
  });

  it('KILL with an unknown filter, a filter without its value or a bad SKIPME is a syntax error', () => {
    const c = withConnections(context());
    expect(c.call('CLIENT', 'KILL', 'FOO', 'bar')).toBe(syntax);
    expect(c.call('CLIENT', 'KILL', 'ID', '8', 'SKIPME')).toBe(syntax);
    expect(c.call('CLIENT', 'KILL', 'SKIPME', 'maybe')).toBe(syntax);
    expect(c.call('CLIENT', 'KILL', 'ID', '8', 'FOO', 'bar')).toBe(syntax);
    expect(killed(c)).toEqual([]);
    expect(c.host.closing).toBe(false);
  });
});

describe('CLIENT PAUSE, UNPAUSE', () => {
  const { context } = useKeyspace();

  it('PAUSE holds back every command, or with WRITE only writes, for that many ms', () => {
    const c = context();
    expect(c.call('CLIENT', 'PAUSE', '100')).toBe(R.ok);
    expect(c.call('CLIENT', 'PAUSE', '200', 'write')).toBe(R.ok);
    expect(c.call('CLIENT', 'PAUSE', '0', 'ALL')).toBe(R.ok);
    expect(c.server.calls).toEqual([
      'pauseClients(100,true)',
      'pauseClients(200,false)',
      'pauseClients(0,true)',
    ]);
  });

  it('PAUSE refuses a timeout that is not an integer, a negative one, and an unknown mode', () => {
    const c = context();
    expect(c.call('CLIENT', 'PAUSE', 'abc')).toBe(R.err(errorReply('timeoutNotInteger')));
    expect(c.call('CLIENT', 'PAUSE', '1.5')).toBe(R.err(errorReply('timeoutNotInteger')));
    expect(c.call('CLIENT', 'PAUSE', '-1')).toBe(R.err(errorReply('timeoutNegative')));
    expect(c.call('CLIENT', 'PAUSE', '100', 'READ')).toBe(R.err(errorReply('pauseMode')));
    expect(c.server.calls).toEqual([]);
  });

  // redis-server checks the mode before the timeout…
  it('PAUSE abc FOO is pauseMode, as redis-server answers', () => {
    const c = context();
    expect(c.call('CLIENT', 'PAUSE', 'abc', 'FOO')).toBe(R.err(errorReply('pauseMode')));
  });

  // …and answers more than a mode with its unknown-subcommand error, not a syntax error.
  it('PAUSE with more than a mode is the subcommand syntax error, as redis-server answers', () => {
    const c = context();
    expect(c.call('CLIENT', 'PAUSE', '10', 'WRITE', 'extra')).toBe(
      R.err("ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP."),
    );
  });

  it('UNPAUSE answers OK and releases the commands held back', () => {
    const c = context();
    expect(c.call('CLIENT', 'UNPAUSE')).toBe(R.ok);
    expect(c.server.calls).toEqual(['unpauseClients()']);
  });
});
