/** The exact commands the target sends, against a recording fake server. */

import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { OffsetKeys } from '../../src/offsets.js';
import type { Plan } from '../../src/plan.js';
import { parseTarget, RedisTarget } from '../../src/target/redis-target.js';
import { TargetConfigError, TargetUnavailableError } from '../../src/target/target.js';
import { FakeRespServer } from '../helpers/fake-resp-server.js';

const servers: FakeRespServer[] = [];
const targets: RedisTarget[] = [];

afterEach(async () => {
  for (const t of targets.splice(0)) await t.close();
  for (const s of servers.splice(0)) await s.close();
});

async function server(
  options: ConstructorParameters<typeof FakeRespServer>[0] = {},
): Promise<FakeRespServer> {
  const s = new FakeRespServer(options);
  await s.listen();
  servers.push(s);
  return s;
}

function target(url: string, transactions: 'auto' | 'require' | 'off' = 'auto', prefix = ''): RedisTarget {
  const t = new RedisTarget({
    url,
    connections: 1,
    transactions,
    keys: new OffsetKeys('topic', Buffer.from(prefix)),
    connectTimeoutMs: 1_000,
    logger: silentLogger,
  });
  targets.push(t);
  return t;
}

const plan: Plan = {
  sets: [Buffer.from('a'), Buffer.from('1'), Buffer.from('b'), Buffer.from('2')],
  expiring: [],
  dels: [Buffer.from('gone')],
  records: 3,
  bytes: 7,
  skipped: new Map(),
  alreadyApplied: 0,
};

const OFFSET_KEY = '__sluice_bridge:offset:topic:3';

describe('RedisTarget', () => {
  it('checks the offset under WATCH, then writes the batch and the offset in one MULTI/EXEC', async () => {
    const s = await server();
    const t = target(`redis://:pw@127.0.0.1:${s.port}/2`);
    expect(await t.apply(3, plan, 41n, null)).toEqual({ applied: true });
    expect(s.commands).toEqual([
      ['AUTH', 'pw'],
      ['SELECT', '2'],
      ['COMMAND', 'INFO', 'MULTI', 'EXEC', 'WATCH'],
      ['WATCH', OFFSET_KEY],
      ['GET', OFFSET_KEY],
      ['MULTI'],
      ['DEL', 'gone'],
      ['MSET', 'a', '1', 'b', '2', OFFSET_KEY, '41'],
      ['EXEC'],
    ]);
    expect(t.mode).toBe('multi');
    expect(s.data.get(OFFSET_KEY)).toBe('41');
  });

  it('writes nothing and reports the stored offset when it is not the expected one', async () => {
    const s = await server();
    s.data.set(OFFSET_KEY, '50');
    const t = target(`redis://127.0.0.1:${s.port}`);
    expect(await t.apply(3, plan, 60n, 41n)).toEqual({ applied: false, stored: 50n });
    expect(s.names().slice(-3)).toEqual(['WATCH', 'GET', 'UNWATCH']);
    expect(s.data.has('a')).toBe(false);
  });

  it('checks again when EXEC is aborted by a change of the watched offset', async () => {
    const s = await server();
    s.abortNextExec = true;
    const t = target(`redis://127.0.0.1:${s.port}`);
    expect(await t.apply(3, plan, 41n, null)).toEqual({ applied: true });
    expect(s.names().slice(1)).toEqual([
      'WATCH',
      'GET',
      'MULTI',
      'DEL',
      'MSET',
      'EXEC',
      'WATCH',
      'GET',
      'MULTI',
      'DEL',
      'MSET',
      'EXEC',
    ]);
  });

  it('without MULTI, pipelines DEL then the MSET that carries the offset', async () => {
    const s = await server({ multi: false, watch: false });
    const t = target(`redis://127.0.0.1:${s.port}`);
    expect(await t.apply(3, plan, 41n, null)).toEqual({ applied: true });
    expect(s.commands.slice(1)).toEqual([
      ['GET', OFFSET_KEY],
      ['DEL', 'gone'],
      ['MSET', 'a', '1', 'b', '2', OFFSET_KEY, '41'],
    ]);
    expect(t.mode).toBe('pipeline');
  });

  it('uses MULTI without WATCH when the server has only MULTI', async () => {
    const s = await server({ multi: true, watch: false });
    const t = target(`redis://127.0.0.1:${s.port}`);
    await t.apply(3, plan, 41n, null);
    expect(s.names().slice(1)).toEqual(['GET', 'MULTI', 'DEL', 'MSET', 'EXEC']);
  });

  it('refuses a server without MULTI with --transactions require, and avoids MULTI with off', async () => {
    const without = await server({ multi: false, watch: false });
    await expect(
      target(`redis://127.0.0.1:${without.port}`, 'require').apply(3, plan, 41n, null),
    ).rejects.toThrow(TargetConfigError);
    const withMulti = await server();
    await target(`redis://127.0.0.1:${withMulti.port}`, 'off').apply(3, plan, 41n, null);
    expect(withMulti.names().slice(1)).toEqual(['GET', 'DEL', 'MSET']);
  });

  it('reads every partition’s offset with one MGET, under the key prefix', async () => {
    const s = await server();
    s.data.set('p:__sluice_bridge:offset:topic:0', '7');
    const t = target(`redis://127.0.0.1:${s.port}`, 'auto', 'p:');
    expect(await t.readOffsets([0, 1])).toEqual(
      new Map([
        [0, 7n],
        [1, null],
      ]),
    );
    expect(s.commands).toEqual([
      ['MGET', 'p:__sluice_bridge:offset:topic:0', 'p:__sluice_bridge:offset:topic:1'],
    ]);
  });

  it('reports an unreachable server as unavailable, and reconnects once it is back', async () => {
    const s = await server();
    const port = s.port;
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const t = target(`redis://127.0.0.1:${port}`);
    await expect(t.readOffsets([0])).rejects.toThrow(TargetUnavailableError);
    expect(t.connected).toBe(false);
    const again = new FakeRespServer();
    await again.listen(port);
    servers.push(again);
    expect(await t.readOffsets([0])).toEqual(new Map([[0, null]]));
    expect(t.connected).toBe(true);
  });
});

describe('parseTarget', () => {
  it('reads host, port, TLS, credentials and database like redis-cli -u', () => {
    expect(parseTarget('redis://127.0.0.1:6380/4')).toEqual({
      host: '127.0.0.1',
      port: 6380,
      tls: false,
      db: 4,
    });
    expect(parseTarget('rediss://user:p%40ss@cache')).toEqual({
      host: 'cache',
      port: 6379,
      tls: true,
      username: 'user',
      password: 'p@ss',
      db: 0,
    });
    expect(parseTarget('redis://:secret@[::1]:7000/')).toMatchObject({
      host: '::1',
      port: 7000,
      password: 'secret',
    });
    // A lone user part is the password, as redis-cli reads it.
    expect(parseTarget('redis://secret@h')).toMatchObject({ password: 'secret' });
    expect(parseTarget('redis://secret@h')).not.toHaveProperty('username');
  });
});
