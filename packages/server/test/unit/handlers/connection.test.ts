import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, type TestContext, useKeyspace } from '../context.js';

const wrongPass = R.err(errorReply('wrongPass'));

/** HELLO's reply: seven fields, a map in RESP3 and a flat array in RESP2 (redis-server 7.0's fields). */
function hello(proto: 2 | 3, id: number): string {
  const fields = [
    R.bulk('server'),
    R.bulk('sluice'),
    R.bulk('version'),
    R.bulk('7.0.15'),
    R.bulk('proto'),
    R.int(proto),
    R.bulk('id'),
    R.int(id),
    R.bulk('mode'),
    R.bulk('standalone'),
    R.bulk('role'),
    R.bulk('master'),
    R.bulk('modules'),
    R.array(),
  ];
  return proto === 3 ? `%7\r\n${fields.join('')}` : R.array(...fields);
}

/** A connection that has not authenticated, on a server with a password. */
function locked(c: TestContext, password = 'secret'): TestContext {
  c.server.config.requirepass = password;
  c.session.authenticated = false;
  return c;
}

describe('AUTH', () => {
  const { context } = useKeyspace();

  it('without a configured password: AUTH <password> is refused, AUTH default <anything> accepted', () => {
    const c = context();
    expect(c.call('AUTH', 'pw')).toBe(R.err(errorReply('authNotConfigured')));
    expect(c.call('AUTH', 'default', 'anything')).toBe(R.ok);
    expect(c.call('AUTH', 'bob', 'pw')).toBe(wrongPass);
  });

  it('more than a user and a password is a syntax error', () => {
    const c = context();
    expect(c.call('AUTH', 'a', 'b', 'c')).toBe(R.err(errorReply('syntax')));
    locked(c);
    expect(c.call('AUTH', 'default', 'secret', 'extra')).toBe(R.err(errorReply('syntax')));
    expect(c.session.authenticated).toBe(false);
  });

  it('with a password: a wrong password or another user is wrongPass and leaves the connection locked', () => {
    const c = locked(context());
    expect(c.host.authRequired).toBe(true);
    expect(c.call('AUTH', 'wrong')).toBe(wrongPass);
    expect(c.call('AUTH', 'default', 'wrong')).toBe(wrongPass);
    expect(c.call('AUTH', 'bob', 'secret')).toBe(wrongPass);
    expect(c.call('AUTH', 'secre')).toBe(wrongPass);
    expect(c.session.authenticated).toBe(false);
    expect(c.host.authRequired).toBe(true);
  });

  it('with a password: the right one, alone or for the default user, authenticates', () => {
    const c = locked(context());
    expect(c.call('AUTH', 'secret')).toBe(R.ok);
    expect(c.session.authenticated).toBe(true);
    expect(c.host.authRequired).toBe(false);
    const d = locked(context(8));
    expect(d.call('AUTH', 'default', 'secret')).toBe(R.ok);
    expect(d.session.authenticated).toBe(true);
  });

  it('a failed AUTH after a good one leaves the connection authenticated, as in redis-server', () => {
    const c = locked(context());
    c.call('AUTH', 'secret');
    expect(c.call('AUTH', 'wrong')).toBe(wrongPass);
    expect(c.session.authenticated).toBe(true);
  });
});

describe('HELLO', () => {
  const { context } = useKeyspace();

  it('without arguments answers the connection report in the current protocol and changes nothing', () => {
    const c = context();
    expect(c.call('HELLO')).toBe(hello(2, 7));
    expect(c.host.protocolChanges).toEqual([]);
    expect(c.session.protocol).toBe(2);
  });

  it('HELLO 3 switches to RESP3 and answers a map; HELLO 2 switches back', () => {
    const c = context(12);
    expect(c.call('HELLO', '3')).toBe(hello(3, 12));
    expect(c.session.protocol).toBe(3);
    expect(c.host.protocolChanges).toEqual([3]);
    expect(c.call('HELLO')).toBe(hello(3, 12));
    expect(c.call('HELLO', '2')).toBe(hello(2, 12));
    expect(c.host.protocolChanges).toEqual([3, 2]);
  });

  it('a protocol other than 2 or 3 is NOPROTO; one that is not an integer has its own error', () => {
    const c = context();
    const noProto = R.err(errorReply('noProto'));
    expect(c.call('HELLO', '1')).toBe(noProto);
    expect(c.call('HELLO', '4')).toBe(noProto);
    expect(c.call('HELLO', '-3')).toBe(noProto);
    expect(c.call('HELLO', 'abc')).toBe(R.err(errorReply('helloProtocolNotInteger')));
    expect(c.call('HELLO', '3.0')).toBe(R.err(errorReply('helloProtocolNotInteger')));
    expect(c.host.protocolChanges).toEqual([]);
  });

  it('an unknown option, or AUTH or SETNAME without their values, is a syntax error naming it', () => {
    const c = context();
    expect(c.call('HELLO', '3', 'FOO')).toBe(R.err(errorReply('helloSyntax', 'FOO')));
    expect(c.call('HELLO', '3', 'auth', 'default')).toBe(R.err(errorReply('helloSyntax', 'auth')));
    expect(c.call('HELLO', '3', 'SETNAME')).toBe(R.err(errorReply('helloSyntax', 'SETNAME')));
    expect(c.call('HELLO', '2', 'SETNAME', 'x', 'FOO')).toBe(R.err(errorReply('helloSyntax', 'FOO')));
    expect(c.host.protocolChanges).toEqual([]);
    // redis-server 7.0 names the connection as it reads SETNAME, before it finds FOO.
    expect(c.session.name).toBe('x');
  });

  it('SETNAME names the connection; a name with spaces is refused', () => {
    const c = context();
    expect(c.call('HELLO', '3', 'SETNAME', 'app-1')).toBe(hello(3, 7));
    expect(c.session.name).toBe('app-1');
    expect(c.call('HELLO', '2', 'SETNAME', 'a b')).toBe(R.err(errorReply('clientNameSpaces')));
    expect(c.session.name).toBe('app-1');
    expect(c.session.protocol).toBe(3);
  });

  it('AUTH without a configured password accepts the default user and refuses others', () => {
    const c = context();
    expect(c.call('HELLO', '3', 'AUTH', 'default', 'anything')).toBe(hello(3, 7));
    expect(c.call('HELLO', '3', 'AUTH', 'bob', 'pw')).toBe(wrongPass);
  });

  it('on a locked connection HELLO without AUTH is helloNoAuth and switches nothing', () => {
    const c = locked(context());
    expect(c.call('HELLO', '3')).toBe(R.err(errorReply('helloNoAuth')));
    expect(c.call('HELLO')).toBe(R.err(errorReply('helloNoAuth')));
    expect(c.host.protocolChanges).toEqual([]);
    expect(c.session.authenticated).toBe(false);
  });

  it('on a locked connection AUTH authenticates, then SETNAME and the protocol apply', () => {
    const c = locked(context());
    expect(c.call('HELLO', '3', 'AUTH', 'default', 'wrong')).toBe(wrongPass);
    expect(c.call('HELLO', '3', 'AUTH', 'bob', 'secret')).toBe(wrongPass);
    expect(c.session.authenticated).toBe(false);
    expect(c.host.protocolChanges).toEqual([]);
    expect(c.call('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'nm')).toBe(hello(3, 7));
    expect(c.session.authenticated).toBe(true);
    expect(c.host.authRequired).toBe(false);
    expect(c.session.name).toBe('nm');
    expect(c.host.protocolChanges).toEqual([3]);
  });

  // redis-server 7.0.15 checks the name while it reads the options, so a bad
  // name is refused before the connection's authentication is looked at.
  it('on a locked connection a bad SETNAME name is clientNameSpaces, as redis-server 7.0 answers', () => {
    const c = locked(context());
    expect(c.call('HELLO', '3', 'SETNAME', 'a b')).toBe(R.err(errorReply('clientNameSpaces')));
  });

  // redis-server 7.0.15 authenticates as soon as it reads AUTH, before the
  // options after it: a wrong password is WRONGPASS even when a later option is unknown…
  it('a wrong AUTH before an unknown option is wrongPass, as redis-server 7.0 answers', () => {
    const c = locked(context());
    expect(c.call('HELLO', '3', 'AUTH', 'bob', 'x', 'FOO')).toBe(wrongPass);
  });

  // …and a right one authenticates the connection even though the reply is the syntax error.
  it('a right AUTH before an unknown option authenticates, as in redis-server 7.0', () => {
    const c = locked(context());
    expect(c.call('HELLO', '3', 'AUTH', 'default', 'secret', 'FOO')).toBe(
      R.err(errorReply('helloSyntax', 'FOO')),
    );
    expect(c.session.authenticated).toBe(true);
  });
});

describe('RESET', () => {
  const { ks, context } = useKeyspace();

  it('leaves MULTI, forgets WATCHed keys and the name, stops MONITOR, selects db 0 and RESP2', () => {
    const c = context();
    c.call('WATCH', 'w');
    c.call('SELECT', '5');
    c.call('HELLO', '3', 'SETNAME', 'nm');
    c.call('MULTI');
    expect(c.call('RESET')).toBe('+RESET\r\n');
    expect(c.server.calls).toEqual(['stopMonitor(7)', 'tracking.disable(7)']);
    expect(c.session.multi).toBeNull();
    expect(c.db).toBe(ks().dbs[0]);
    expect(c.session.protocol).toBe(2);
    expect(c.host.protocolChanges).toEqual([3, 2]);
    expect(c.session.name).toBe('');
    expect(c.session.authenticated).toBe(true);
    context(8).call('SET', 'w', 'v');
    expect(c.session.watchedChanged).toBe(false);
  });

  it('with a password set, the connection must authenticate again', () => {
    const c = context();
    c.server.config.requirepass = 'secret';
    expect(c.call('RESET')).toBe('+RESET\r\n');
    expect(c.session.authenticated).toBe(false);
    expect(c.host.authRequired).toBe(true);
  });
});

describe('SELECT, ECHO, PING, QUIT', () => {
  const { ks, context } = useKeyspace();

  it('SELECT switches the database the following commands use', () => {
    const c = context();
    expect(c.call('SELECT', '3')).toBe(R.ok);
    expect(c.db).toBe(ks().dbs[3]);
    c.call('SET', 'k', 'in3');
    expect(c.call('SELECT', '15')).toBe(R.ok);
    expect(c.call('GET', 'k')).toBe(R.nil);
    c.call('SELECT', '3');
    expect(c.call('GET', 'k')).toBe(R.bulk('in3'));
  });

  it('SELECT refuses what is not an integer and indexes out of range, and keeps the database', () => {
    const c = context();
    expect(c.call('SELECT', 'abc')).toBe(R.err(errorReply('notInteger')));
    expect(c.call('SELECT', '1.5')).toBe(R.err(errorReply('notInteger')));
    expect(c.call('SELECT', '16')).toBe(R.err(errorReply('dbIndexOutOfRange')));
    expect(c.call('SELECT', '-1')).toBe(R.err(errorReply('dbIndexOutOfRange')));
    expect(c.db).toBe(ks().dbs[0]);
  });

  // redis-server parses the index as an int and answers its range error.
  it('SELECT 2147483648 answers the int range error, as redis-server does', () => {
    const c = context();
    expect(c.call('SELECT', '2147483648')).toBe(
      R.err('ERR value is out of range, value must between -2147483648 and 2147483647'),
    );
  });

  it('ECHO answers its argument as a bulk string, bytes as they are', () => {
    const c = context();
    expect(c.call('ECHO', 'hi there')).toBe(R.bulk('hi there'));
    expect(c.call('ECHO', '')).toBe(R.bulk(''));
    const bytes = Buffer.from([0, 0xff, 0x0d, 0x0a]);
    expect(c.call('ECHO', bytes)).toBe(`$4\r\n${bytes.toString('latin1')}\r\n`);
  });

  it('PING answers PONG, or its argument; more arguments are wrongArity', () => {
    const c = context();
    expect(c.call('PING')).toBe('+PONG\r\n');
    expect(c.call('PING', 'hi')).toBe(R.bulk('hi'));
    expect(c.call('PING', 'a', 'b')).toBe(R.err(errorReply('wrongArity', 'ping')));
    c.session.protocol = 3;
    expect(c.call('PING')).toBe('+PONG\r\n');
  });

  it('QUIT answers OK and closes the connection once the replies are sent', () => {
    const c = context();
    expect(c.host.closing).toBe(false);
    expect(c.call('QUIT')).toBe(R.ok);
    expect(c.host.closing).toBe(true);
  });
});
