import type { CommandContext } from '../context.js';
import {
  type Consumer,
  createConsumer,
  dropNack,
  type Group,
  getConsumer,
  type Nack,
  ownNack,
  putConsumer,
  putNack,
} from './_groups.js';
import { entriesIn, formatId, type OpenStream, replyEntry, type StreamId } from './_shared.js';

/** What XCLAIM and XAUTOCLAIM share: the claiming consumer, created on first use. */
export class Claimer {
  private consumer: Consumer | null = null;
  constructor(
    private readonly c: CommandContext,
    private readonly s: OpenStream,
    private readonly g: Group,
    private readonly name: Buffer,
  ) {}

  /** Whether entry `id` still exists; a pending entry whose stream entry is gone is dropped. */
  exists(id: StreamId, nack: Nack | null): boolean {
    if (entriesIn(this.c, this.s, id, id, false, 1).length > 0) return true;
    if (nack !== null) dropNack(this.c, this.s, this.g, nack);
    return false;
  }

  /**
   * Gives pending entry `nack` to the claiming consumer (`created`: a new one, from FORCE), with its new
   * delivery time and, when not null, delivery count.
   */
  claim(nack: Nack, created: boolean, deliveryTime: number, deliveryCount: bigint | null): void {
    const { c, s, g } = this;
    if (this.consumer === null) {
      this.consumer = getConsumer(c, s, g, this.name) ?? createConsumer(c, s, g, this.name, 1);
    }
    const k = this.consumer;
    if (created || !nack.consumer.equals(k.name)) {
      if (created) g.pending++;
      else {
        ownNack(c, s, g, nack.consumer, nack.id, false);
        const before = getConsumer(c, s, g, nack.consumer);
        if (before !== null) {
          before.pending--;
          putConsumer(c, s, g, before);
        }
      }
      k.pending++;
      ownNack(c, s, g, k.name, nack.id, true);
      nack.consumer = k.name;
    }
    nack.deliveryTime = deliveryTime;
    if (deliveryCount !== null) nack.deliveryCount = deliveryCount;
    putNack(c, s, g, nack);
    putConsumer(c, s, g, k);
  }

  /** Replies a claimed entry: its id (JUSTID) or the entry. */
  reply(id: StreamId, justId: boolean): void {
    if (justId) {
      this.c.out.bulkString(formatId(id));
      return;
    }
    const e = entriesIn(this.c, this.s, id, id, false, 1)[0];
    if (e === undefined) this.c.out.nullBulk();
    else replyEntry(this.c, e);
  }
}
