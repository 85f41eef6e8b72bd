/** INFO commandstats/errorstats, CLIENT KILL/PAUSE/UNPAUSE/NO-EVICT, MONITOR and SLOWLOG, against both servers. */
import { connectRaw } from '@sluice/testkit';
import { describe, expect, it } from 'vitest';
import { bulk, ERR, error, int, OK } from './resp.js';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The text of a bulk-string reply. */
function text(raw: string): string {
  const m = raw.match(/^\$\d+\r\n([\s\S]*)\r\n$/);
  if (!m) throw new Error(`not a bulk string: ${JSON.stringify(raw.slice(0, 80))}`);
  return m[1] as string;
}

describe.each(targets())('introspection against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  it('INFO commandstats counts calls, rejected and failed calls', async () => {
    const c = await t.connect();
    expect(await c.call('CONFIG', 'RESETSTAT')).toBe(OK);
    await c.call('SET', 'k', 'v');
    await c.call('GET', 'k');
    await c.call('GET', 'k');
    await c.call('GET');
    await c.call('SET', 'k', 'v', 'EX', 'x');
    const info = text(await c.call('INFO', 'commandstats'));
    expect(info.startsWith('# Commandstats\r\n')).toBe(true);
    expect(info).toMatch(
      /cmdstat_get:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0\r\n/,
    );
    expect(info).toMatch(
      /cmdstat_set:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n/,
    );
    expect(text(await c.call('INFO'))).not.toContain('# Commandstats');
    expect(text(await c.call('INFO', 'all'))).toContain('# Commandstats');
  });

  it('INFO errorstats counts error replies by code', async () => {
    const c = await t.connect();
    await c.call('CONFIG', 'RESETSTAT');
    await c.call('NOSUCH');
    await c.call('GET');
    await c.call('AUTH', 'default', 'wrong').catch(() => '');
    const info = text(await c.call('INFO', 'errorstats'));
    expect(info.startsWith('# Errorstats\r\n')).toBe(true);
    expect(info).toContain('errorstat_ERR:count=2\r\n');
    expect(text(await c.call('INFO', 'stats'))).toMatch(/total_error_replies:[1-9]/);
  });

  it('CLIENT KILL by address, by id, by filters, and SKIPME', async () => {
    const c = await t.connect();
    const victim = await t.connect();
    const victimId = (await victim.call('CLIENT', 'ID')).slice(1, -2);
    const list = text(await c.call('CLIENT', 'LIST'));
    const line = list.split('\n').find((l) => l.startsWith(`id=${victimId} `)) ?? '';
    const addr = line.match(/ addr=(\S+)/)?.[1] ?? '';
    expect(await c.call('CLIENT', 'KILL', addr)).toBe(OK);
    await victim.closed;
    expect(await c.call('CLIENT', 'KILL', '1.2.3.4:5')).toBe(error('ERR No such client'));
    const second = await t.connect();
    const secondId = (await second.call('CLIENT', 'ID')).slice(1, -2);
    expect(await c.call('CLIENT', 'KILL', 'ID', secondId)).toBe(int(1));
    await second.closed;
    expect(await c.call('CLIENT', 'KILL', 'ID', '0')).toBe(error('ERR client-id should be greater than 0'));
    expect(await c.call('CLIENT', 'KILL', 'TYPE', 'bogus')).toBe(error("ERR Unknown client type 'bogus'"));
    // Three arguments are the ip:port form, whatever they say.
    expect(await c.call('CLIENT', 'KILL', 'ID')).toBe(error('ERR No such client'));
    expect(await c.call('CLIENT', 'KILL', 'ID', '5', 'SKIPME')).toBe(ERR.syntax);
    const myId = (await c.call('CLIENT', 'ID')).slice(1, -2);
    expect(await c.call('CLIENT', 'KILL', 'ID', myId)).toBe(int(0));
    expect(await c.call('CLIENT', 'KILL', 'ID', myId, 'SKIPME', 'no')).toBe(int(1));
    await c.closed;
  });

  it('CLIENT KILL keeps the last value of a repeated filter, and knows only the default user', async () => {
    const c = await t.connect();
    const victim = await t.connect();
    const myId = (await c.call('CLIENT', 'ID')).slice(1, -2);
    const victimId = (await victim.call('CLIENT', 'ID')).slice(1, -2);
    expect(await c.call('CLIENT', 'KILL', 'USER', 'nobody')).toBe(error("ERR No such user 'nobody'"));
    expect(await c.call('CLIENT', 'KILL', 'USER', 'nobody', 'ID', '0')).toBe(
      error("ERR No such user 'nobody'"),
    );
    expect(await c.call('CLIENT', 'KILL', 'ID', '0', 'USER', 'nobody')).toBe(
      error('ERR client-id should be greater than 0'),
    );
    expect(await c.call('CLIENT', 'KILL', 'ID', victimId, 'ID', myId)).toBe(int(0));
    expect(await c.call('CLIENT', 'KILL', 'ID', myId, 'USER', 'default', 'ID', victimId)).toBe(int(1));
    await victim.closed;
  });

  it('CLIENT LIST ID lists the ids in the order given; TYPE takes no more arguments', async () => {
    const c = await t.connect();
    const other = await t.connect();
    const a = (await c.call('CLIENT', 'ID')).slice(1, -2);
    const b = (await other.call('CLIENT', 'ID')).slice(1, -2);
    const ids = (raw: string) => [...text(raw).matchAll(/^id=(\d+) /gm)].map((m) => m[1]);
    expect(ids(await c.call('CLIENT', 'LIST', 'ID', b, a, a))).toEqual([b, a, a]);
    expect(ids(await c.call('CLIENT', 'LIST', 'ID', a, '0', '-5', '999999'))).toEqual([a]);
    expect(await c.call('CLIENT', 'LIST', 'ID', '0')).toBe(bulk(''));
    expect(await c.call('CLIENT', 'LIST', 'ID', '-5')).toBe(bulk(''));
    const invalid = error('ERR Invalid client ID');
    expect(await c.call('CLIENT', 'LIST', 'ID', '8e0')).toBe(invalid);
    expect(await c.call('CLIENT', 'LIST', 'ID', a, 'x')).toBe(invalid);
    expect(await c.call('CLIENT', 'LIST', 'ID', '9223372036854775808')).toBe(invalid);
    expect(await c.call('CLIENT', 'LIST', 'TYPE', 'normal', 'extra')).toBe(ERR.syntax);
    expect(await c.call('CLIENT', 'LIST', 'TYPE', 'bogus', 'extra')).toBe(ERR.syntax);
    await other.call('HELLO', '3');
    expect(await other.call('CLIENT', 'LIST', 'ID', '0')).toBe('=4\r\ntxt:\r\n');
  });

  it('CLIENT PAUSE WRITE holds back writes until CLIENT UNPAUSE, reads go on', async () => {
    const admin = await t.connect();
    const writer = await t.connect();
    expect(await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE')).toBe(OK);
    expect(await writer.call('GET', 'k')).toMatch(/^\$-1\r\n$/);
    writer.sendCommand('SET', 'k', 'v');
    expect(await writer.read(300)).toBe('');
    expect(await admin.call('CLIENT', 'UNPAUSE')).toBe(OK);
    expect(await writer.readReplies(1, 5000)).toEqual([OK]);
    expect(await admin.call('GET', 'k')).toBe(bulk('v'));
  });

  it('CLIENT PAUSE WRITE also holds back an EXEC that writes', async () => {
    const admin = await t.connect();
    const writer = await t.connect();
    expect(await writer.call('MULTI')).toBe(OK);
    expect(await writer.call('SET', 'tx', '1')).toBe('+QUEUED\r\n');
    expect(await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE')).toBe(OK);
    writer.sendCommand('EXEC');
    expect(await writer.read(300)).toBe('');
    expect(await admin.call('CLIENT', 'UNPAUSE')).toBe(OK);
    expect(await writer.readReplies(1, 5000)).toEqual(['*1\r\n+OK\r\n']);
  });

  it('CLIENT PAUSE ends by itself after its timeout, and rejects bad timeouts', async () => {
    const admin = await t.connect();
    const writer = await t.connect();
    expect(await admin.call('CLIENT', 'PAUSE', '300')).toBe(OK);
    const t0 = Date.now();
    expect(await writer.call('PING')).toBe('+PONG\r\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(await admin.call('CLIENT', 'PAUSE', 'x')).toBe(
      error('ERR timeout is not an integer or out of range'),
    );
    expect(await admin.call('CLIENT', 'PAUSE', '-1')).toBe(error('ERR timeout is negative'));
    expect(await admin.call('CLIENT', 'PAUSE', '10', 'SOME')).toBe(
      error('ERR CLIENT PAUSE mode must be WRITE or ALL'),
    );
    // The mode is checked before the timeout; more than a mode is the subcommand's syntax error.
    expect(await admin.call('CLIENT', 'PAUSE', 'abc', 'FOO')).toBe(
      error('ERR CLIENT PAUSE mode must be WRITE or ALL'),
    );
    expect(await admin.call('CLIENT', 'pause', '10', 'WRITE', 'extra')).toBe(
      error("ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP."),
    );
    expect(await admin.call('CLIENT', 'PAUSE', 'abc', 'write', 'x')).toBe(
      error("ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP."),
    );
  });

  it('CLIENT NO-EVICT', async () => {
    const c = await t.connect();
    expect(await c.call('CLIENT', 'NO-EVICT', 'on')).toBe(OK);
    expect(text(await c.call('CLIENT', 'INFO'))).toMatch(/ flags=e /);
    expect(await c.call('CLIENT', 'NO-EVICT', 'off')).toBe(OK);
    expect(await c.call('CLIENT', 'NO-EVICT', 'maybe')).toBe(ERR.syntax);
  });

  it('MONITOR streams the commands of other clients', async () => {
    const monitor = await connectRaw(t.port);
    expect(await monitor.call('MONITOR')).toBe(OK);
    const c = await t.connect();
    await c.call('SET', 'key with space', 'v"q');
    await c.call('SELECT', '3');
    await c.call('GET', 'x');
    const lines = (await monitor.read(1000, 200)).split('\r\n').filter((l) => l !== '');
    expect(lines).toContainEqual(
      expect.stringMatching(/^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "key with space" "v\\"q"$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^\+\d+\.\d{6} \[3 127\.0\.0\.1:\d+\] "GET" "x"$/));
    await monitor.close();
  });

  it('SLOWLOG records commands slower than the threshold', async () => {
    const c = await t.connect();
    expect(await c.call('SLOWLOG', 'RESET')).toBe(OK);
    expect(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0')).toBe(OK);
    await c.call('SET', 'slow', 'x'.repeat(200));
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
    const len = Number((await c.call('SLOWLOG', 'LEN')).slice(1, -2));
    expect(len).toBeGreaterThanOrEqual(2);
    const entries = await c.call('SLOWLOG', 'GET', '1');
    // The newest entry is the SET: the CONFIG SET raising the threshold is judged by the new threshold.
    expect(entries).toMatch(/^\*1\r\n\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n\*3\r\n\$3\r\nSET\r\n\$4\r\nslow\r\n/);
    const all = await c.call('SLOWLOG', 'GET', '-1');
    expect(all).toContain('x'.repeat(128));
    expect(all).toContain('... (72 more bytes)');
    expect(await c.call('SLOWLOG', 'GET', '-2')).toBe(
      error('ERR count should be greater than or equal to -1'),
    );
    expect(await c.call('SLOWLOG', 'GET', 'x')).toBe(
      error('ERR count should be greater than or equal to -1'),
    );
    expect(await c.call('SLOWLOG', 'get', '1', '2')).toBe(
      error("ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP."),
    );
    expect(await c.call('SLOWLOG', 'GET', 'x', '2')).toBe(
      error("ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP."),
    );
    expect(await c.call('SLOWLOG', 'RESET')).toBe(OK);
    expect(await c.call('SLOWLOG', 'LEN')).toBe(int(0));
  });

  it('SHUTDOWN refuses conflicting options, and ABORT finds no shutdown in progress', async () => {
    const c = await t.connect();
    expect(await c.call('SHUTDOWN', 'NOSAVE', 'SAVE')).toBe(ERR.syntax);
    expect(await c.call('SHUTDOWN', 'abort', 'NOW')).toBe(ERR.syntax);
    expect(await c.call('SHUTDOWN', 'FOO')).toBe(ERR.syntax);
    expect(await c.call('SHUTDOWN', 'ABORT')).toBe(error('ERR No shutdown in progress.'));
    expect(await c.call('SHUTDOWN', 'ABORT', 'abort')).toBe(error('ERR No shutdown in progress.'));
    expect(await c.call('PING')).toBe('+PONG\r\n');
  });

  it('waits a little for a reply to settle before the next test', async () => {
    await sleep(10);
  });
});
