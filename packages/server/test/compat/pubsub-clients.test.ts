/**
 * Pub/Sub through real clients, against redis-server and sluice-server alike: ioredis (subscribe,
 * psubscribe, ssubscribe), node-redis 5 (subscribe, pSubscribe) in RESP2 and RESP3 (its RESP3 Pub/Sub reads push frames on a
 * connection that keeps running commands), and redis-py 4.3.4's PubSub.
 */
import { python } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

/** Resolves with the first `n` values `collect` is given, or rejects after `ms`. */
function collector<T>(n: number, ms = 5000): { push: (v: T) => void; done: Promise<T[]> } {
  const got: T[] = [];
  let resolve: (v: T[]) => void = () => {};
  const done = new Promise<T[]>((res, rej) => {
    resolve = res;
    setTimeout(() => rej(new Error(`timed out with ${JSON.stringify(got)}`)), ms);
  });
  return {
    push: (v) => {
      got.push(v);
      if (got.length === n) resolve(got);
    },
    done,
  };
}

describe.each(targets())('Pub/Sub clients against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  it('ioredis: subscribe, psubscribe and ssubscribe receive what publish and spublish send', async () => {
    const sub = new Redis({ port: t.port, host: '127.0.0.1', lazyConnect: true });
    const pub = new Redis({ port: t.port, host: '127.0.0.1', lazyConnect: true });
    await Promise.all([sub.connect(), pub.connect()]);
    try {
      const got = collector<string>(4);
      sub.on('message', (channel, message) => got.push(`message ${channel} ${message}`));
      sub.on('pmessage', (pattern, channel, message) =>
        got.push(`pmessage ${pattern} ${channel} ${message}`),
      );
      sub.on('smessage', (channel, message) => got.push(`smessage ${channel} ${message}`));
      expect(await sub.subscribe('news', 'sport')).toBe(2);
      expect(await sub.psubscribe('n*')).toBe(3);
      expect(await sub.ssubscribe('orders')).toBe(1);
      expect(await pub.publish('news', 'hello')).toBe(2);
      expect(await pub.publish('sport', 'goal')).toBe(1);
      expect(await pub.spublish('orders', 'o1')).toBe(1);
      expect((await got.done).sort()).toEqual(
        ['message news hello', 'pmessage n* news hello', 'message sport goal', 'smessage orders o1'].sort(),
      );
      expect(await pub.pubsub('NUMSUB', 'news')).toEqual(['news', 1]);
      // Subscriber mode: ioredis itself refuses other commands; the server would too.
      await expect(sub.get('k')).rejects.toThrow(/subscriber mode|Connection in subscriber mode/);
      // By name: ioredis 5.11 loses track of an UNSUBSCRIBE without arguments (with either server).
      expect(await sub.unsubscribe('news', 'sport')).toBe(1);
      expect(await sub.punsubscribe('n*')).toBe(0);
      expect(await sub.sunsubscribe('orders')).toBe(0);
      expect(await sub.get('k')).toBeNull();
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  it.each([2, 3] as const)(
    'node-redis 5, RESP%i: subscribe and pSubscribe listeners get the messages',
    async (resp) => {
      const sub = createClient({ socket: { port: t.port, host: '127.0.0.1' }, RESP: resp });
      const pub = createClient({ socket: { port: t.port, host: '127.0.0.1' }, RESP: resp });
      await Promise.all([sub.connect(), pub.connect()]);
      try {
        const got = collector<string>(2);
        await sub.subscribe('news', (message, channel) => got.push(`message ${channel} ${message}`));
        await sub.pSubscribe('n*', (message, channel) => got.push(`pmessage ${channel} ${message}`));
        expect(await pub.publish('news', 'hello')).toBe(2);
        expect((await got.done).sort()).toEqual(['message news hello', 'pmessage news hello']);
        expect(await pub.pubSubNumSub('news')).toEqual({ news: 1 });
        expect(await pub.pubSubNumPat()).toBe(1);
        if (resp === 3) {
          // RESP3: the subscribed connection still runs commands, and messages keep arriving as pushes.
          expect(await sub.set('k', 'v')).toBe('OK');
          const more = collector<string>(1);
          await sub.subscribe('later', (message) => more.push(message));
          expect(await pub.publish('later', 'still here')).toBe(1);
          expect(await more.done).toEqual(['still here']);
          expect(await sub.get('k')).toBe('v');
        }
        // By name: node-redis 5 waits forever on a RESP2 UNSUBSCRIBE without arguments (either server).
        await sub.unsubscribe(resp === 3 ? ['news', 'later'] : 'news');
        await sub.pUnsubscribe('n*');
        expect(await pub.publish('news', 'nobody')).toBe(0);
      } finally {
        await Promise.all([sub.quit(), pub.quit()]);
      }
    },
  );

  it("redis-py 4.3.4's PubSub: subscribe, psubscribe, get_message, ping and unsubscribe", async () => {
    const script = `
import json, redis, time
r = redis.Redis(host='127.0.0.1', port=${t.port})
p = r.pubsub()
p.subscribe('news')
p.psubscribe('n*')
out = []
def drain(n):
    got = []
    deadline = time.time() + 5
    while len(got) < n and time.time() < deadline:
        m = p.get_message(timeout=0.2)
        if m is not None:
            got.append([m['type'], m['pattern'] and m['pattern'].decode(), m['channel'] and m['channel'].decode(),
                        m['data'] if isinstance(m['data'], int) else m['data'].decode()])
    return got
out.append(drain(2))
out.append(r.publish('news', 'hello'))
out.append(sorted(drain(2)))
p.ping('hi')
out.append(drain(1))
p.unsubscribe('news')
p.punsubscribe('n*')
out.append(drain(2))
out.append([[c.decode(), n] for c, n in r.pubsub_numsub('news')])
print(json.dumps(out))
`;
    const result = await python(script);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([
      [
        ['subscribe', null, 'news', 1],
        ['psubscribe', null, 'n*', 2],
      ],
      2,
      [
        ['message', null, 'news', 'hello'],
        ['pmessage', 'n*', 'news', 'hello'],
      ],
      // In subscriber mode PING answers [pong, message], which redis-py reads as a pong message.
      [['pong', null, null, 'hi']],
      [
        ['unsubscribe', null, 'news', 1],
        ['punsubscribe', null, 'n*', 0],
      ],
      [['news', 0]],
    ]);
  });
});
