import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/in-flight.js';

describe('InFlight', () => {
  it('is idle at once when nothing runs', async () => {
    const work = new InFlight();
    await work.idle();
    expect(work.count).toBe(0);
  });

  it('wakes every waiter when the last work leaves, not before', async () => {
    const work = new InFlight();
    work.enter();
    work.enter();
    let woken = 0;
    void work.idle().then(() => woken++);
    void work.idle().then(() => woken++);
    work.leave();
    await Promise.resolve();
    expect(woken).toBe(0);
    work.leave();
    await Promise.resolve();
    expect(woken).toBe(2);
    expect(work.count).toBe(0);
  });
});
