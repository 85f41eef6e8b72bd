/**
 * Malformed requests: each gets exactly redis-server's protocol error, the connection is closed, and the
 * server goes on serving everyone else.
 */
import type { RawClient } from '@sluice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { bulk, error, NIL, OK, simple } from './resp.js';
import { type TargetServer, TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

const protocolError = (problem: string): string => error(`ERR Protocol error: ${problem}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolve if `c` is closed by the server within `ms`; fail the test otherwise. */
async function expectClosed(c: RawClient, ms = 3000): Promise<void> {
  const timeout = sleep(ms).then(() => 'open' as const);
  expect(await Promise.race([c.closed.then(() => 'closed' as const), timeout])).toBe('closed');
}

/** A fresh connection can still talk to the server. */
async function expectServing(t: TargetServer): Promise<void> {
  const other = await t.connect();
  expect(await other.call('PING')).toBe(simple('PONG'));
  expect(await other.call('SET', 'alive', 'yes')).toBe(OK);
  expect(await other.call('GET', 'alive')).toBe(bulk('yes'));
  await other.close();
}

/** [description, bytes sent, the one reply before the server closes the connection] */
const FATAL: [string, string, string][] = [
  ['non-numeric multibulk length', '*abc\r\n', protocolError('invalid multibulk length')],
  ['multibulk length over INT_MAX', '*3000000000\r\n', protocolError('invalid multibulk length')],
  ['multibulk length 2^31', '*2147483648\r\n', protocolError('invalid multibulk length')],
  ['simple string inside a request', '*1\r\n+OK\r\n', protocolError("expected '$', got '+'")],
  ['integer inside a request', '*2\r\n$4\r\nPING\r\n:1\r\n', protocolError("expected '$', got ':'")],
  ['negative bulk length', '*1\r\n$-5\r\n', protocolError('invalid bulk length')],
  ['non-numeric bulk length', '*1\r\n$abc\r\n', protocolError('invalid bulk length')],
  ['bulk length over 512 MiB', '*1\r\n$536870913\r\n', protocolError('invalid bulk length')],
  ['bulk length 2^31', '*1\r\n$2147483648\r\n', protocolError('invalid bulk length')],
  ['inline: unbalanced double quote', '"unbalanced\r\n', protocolError('unbalanced quotes in request')],
  ['inline: unbalanced single quote', "SET k 'a\r\n", protocolError('unbalanced quotes in request')],
  [
    'inline: closing quote not followed by space',
    'SET k "a"b\r\n',
    protocolError('unbalanced quotes in request'),
  ],
  [
    'inline request over 64 KiB without newline',
    'x'.repeat(64 * 1024 + 1),
    protocolError('too big inline request'),
  ],
  ['multibulk count line over 64 KiB', `*${'1'.repeat(70_000)}`, protocolError('too big mbulk count string')],
  [
    'bulk length line over 64 KiB',
    `*1\r\n$${'1'.repeat(70_000)}`,
    protocolError('too big bulk count string'),
  ],
];

describe.each(targets())('malformed requests against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  afterEach(async () => {
    // Whatever a test did, the server is still up.
    expect(await Promise.race([t.server.exited.then(() => 'exited'), sleep(10).then(() => 'running')])).toBe(
      'running',
    );
  });

  it.each(FATAL)('%s: one protocol error, then the connection closes', async (_name, bytes, expected) => {
    const c = await t.connect();
    c.send(bytes);
    expect(await c.readReplies(1)).toEqual([expected]);
    await expectClosed(c);
    expect(await c.read(100)).toBe('');
    await expectServing(t);
  });

  it('commands before the bad one in the same write are answered first; bytes after it are ignored', async () => {
    const c = await t.connect();
    c.send('*1\r\n$4\r\nPING\r\nECHO x\r\n*1\r\n$abc\r\n*1\r\n$4\r\nPING\r\n');
    expect(await c.readReplies(3)).toEqual([simple('PONG'), bulk('x'), protocolError('invalid bulk length')]);
    await expectClosed(c);
    expect(await c.read(100)).toBe('');
    await expectServing(t);
  });

  it('an inline request of exactly 64 KiB without newline is still waited for', async () => {
    const c = await t.connect();
    c.send('x'.repeat(64 * 1024));
    expect(await c.read(300)).toBe('');
    expect(c.isClosed).toBe(false);
    await expectServing(t);
  });

  it.each([
    ['*1048577\r\n', 'a multibulk count over 1M'],
    ['*1\r\n$536870912\r\n', 'a bulk of exactly 512 MiB'],
  ])('%j (%s) is accepted: no reply, connection open', async (bytes) => {
    const c = await t.connect();
    c.send(bytes);
    expect(await c.read(300)).toBe('');
    expect(c.isClosed).toBe(false);
    await expectServing(t);
  });

  it('empty multibulks and blank inline lines are skipped silently', async () => {
    const c = await t.connect();
    c.send('*0\r\n*-1\r\n\r\n   \r\n\n*1\r\n$4\r\nPING\r\n');
    expect(await c.readReplies(1)).toEqual([simple('PONG')]);
    expect(await c.read(200)).toBe('');
  });

  it('an empty command name is an unknown command, not a protocol error', async () => {
    const c = await t.connect();
    c.send('*1\r\n$0\r\n\r\n');
    expect(await c.readReplies(1)).toEqual([error("ERR unknown command '', with args beginning with: ")]);
    expect(await c.call('PING')).toBe(simple('PONG'));
  });

  it('a client that declares a huge bulk, sends 1 MB and idles does not hurt others', async () => {
    const slow = await t.connect();
    slow.send('*1\r\n$536870000\r\n');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let i = 0; i < 16; i++) slow.send(chunk);
    await sleep(200);
    const started = Date.now();
    const others = await Promise.all([t.connect(), t.connect(), t.connect()]);
    for (const [i, other] of others.entries()) {
      expect(await other.call('SET', `k${i}`, 'v')).toBe(OK);
      expect(await other.call('GET', `k${i}`)).toBe(bulk('v'));
      expect(await other.call('GET', 'missing')).toBe(NIL);
    }
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await slow.read(200)).toBe('');
    expect(slow.isClosed).toBe(false);
    await slow.close();
    await expectServing(t);
  });

  it('a client that disconnects in the middle of a request does not hurt others', async () => {
    const c = await t.connect();
    c.send('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nhalf');
    await sleep(50);
    await c.close();
    await expectServing(t);
    const check = await t.connect();
    expect(await check.call('EXISTS', 'k')).toBe(':0\r\n');
  });
});

describe.each(targets())(
  'malformed requests before AUTH against %s',
  { timeout: TEST_TIMEOUT_MS },
  (target) => {
    const t = useServer(target, { args: ['--requirepass', 'sekret'] });

    it.each([
      ['*10\r\n', 'ten arguments'],
      ['*1\r\n$16384\r\n', 'a 16 KiB bulk'],
    ])('%j (%s) is accepted before AUTH', async (bytes) => {
      const c = await t.connect();
      c.send(bytes);
      expect(await c.read(300)).toBe('');
      expect(c.isClosed).toBe(false);
    });

    it.each([
      ['*11\r\n', protocolError('unauthenticated multibulk length')],
      ['*1\r\n$16385\r\n', protocolError('unauthenticated bulk length')],
    ])('%j before AUTH is a protocol error', async (bytes, expected) => {
      const c = await t.connect();
      c.send(bytes);
      expect(await c.readReplies(1)).toEqual([expected]);
      await expectClosed(c);
    });

    it('the same lengths are fine after AUTH', async () => {
      const c = await t.connect();
      expect(await c.call('AUTH', 'sekret')).toBe(OK);
      const args = ['MGET', ...Array.from({ length: 10 }, (_, i) => `k${i}`)];
      expect(await c.call(...args)).toBe(`*10\r\n${NIL.repeat(10)}`);
      const big = 'v'.repeat(16385);
      expect(await c.call('SET', 'big', big)).toBe(OK);
      expect(await c.call('GET', 'big')).toBe(bulk(big));
    });
  },
);
