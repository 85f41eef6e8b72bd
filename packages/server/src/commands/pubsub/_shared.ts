import type { SubscriptionKind } from '../../pubsub/registry.js';
import type { CommandContext } from '../context.js';
import type { CommandSpec } from '../spec.js';

export const base = { group: 'pubsub', errors: [] } as const satisfies Partial<CommandSpec>;

/** The flags of the commands that change a connection's subscriptions. */
export const SUBSCRIBING = ['pubsub', 'noscript', 'loading', 'stale'] as const;

/**
 * (P|S)SUBSCRIBE: subscribes the connection to each argument in order, confirming each with
 * `[word, name, count]` (a push in RESP3): count is the connection's channels and patterns together, or
 * its shard channels for SSUBSCRIBE. Naming one twice confirms it twice.
 */
export function subscribeEach(c: CommandContext, kind: SubscriptionKind, word: string): void {
  const a = c.args;
  const own = c.session.subscriptions;
  for (let i = 1; i < a.argc; i++) {
    c.server.pubsub.subscribe(c.session.id, kind, a.argString(i, 'latin1'));
    c.out.pushHeader(3);
    c.out.bulkString(word);
    c.out.bulkCopy(a.buffer, a.argStart(i), a.argEnd(i));
    c.out.integer(own.count(kind));
  }
}

/**
 * (P|S)UNSUBSCRIBE: from each argument, or without arguments from every subscription of that kind (in the
 * order they were made), confirming each as SUBSCRIBE does. Without arguments and with nothing to leave,
 * one confirmation with a null name.
 */
export function unsubscribeEach(c: CommandContext, kind: SubscriptionKind, word: string): void {
  const a = c.args;
  const own = c.session.subscriptions;
  const confirm = (name: Buffer | null): void => {
    c.out.pushHeader(3);
    c.out.bulkString(word);
    if (name === null) c.out.nullBulk();
    else c.out.bulkCopy(name);
    c.out.integer(own.count(kind));
  };
  if (a.argc === 1) {
    const names = [...own.of(kind)];
    if (names.length === 0) confirm(null);
    for (const name of names) {
      c.server.pubsub.unsubscribe(c.session.id, kind, name);
      confirm(Buffer.from(name, 'latin1'));
    }
    return;
  }
  for (let i = 1; i < a.argc; i++) {
    c.server.pubsub.unsubscribe(c.session.id, kind, a.argString(i, 'latin1'));
    confirm(a.arg(i));
  }
}
