import { describe, expect, it } from 'vitest';
import type { LogOps, PartitionLagView } from '../../../src/commands/context.js';
import { errorReply } from '../../../src/errors.js';
import { AppliedOffsets } from '../../../src/log/applied.js';
import { R, type TestContext, useKeyspace } from '../context.js';

/** Log mode's operations over a real AppliedOffsets, with the lag a test gives. */
function fakeLog(lag: PartitionLagView[] = []): LogOps & { offsets: AppliedOffsets } {
  const offsets = new AppliedOffsets();
  return {
    offsets,
    topic: 't',
    partitions: 2,
    partitionOf: () => 0,
    connected: true,
    lag: () => lag,
    position: () => offsets.snapshot(),
    whenApplied: (positions, fn) => offsets.whenCovered(positions, fn),
    applied: (positions) => offsets.covers(positions),
  };
}

/** Runs the command, and again as the dispatcher would each time what it waits for wakes it. */
function callUntilAnswered(c: TestContext, ...argv: string[]): { reply: string; blocked: number } {
  let blocked = 0;
  for (;;) {
    const reply = c.call(...argv);
    const wait = c.blockedOn;
    if (wait === null) return { reply, blocked };
    expect(reply).toBe('');
    blocked++;
    let woken = false;
    wait(() => {
      woken = true;
    });
    if (!woken) return { reply: '', blocked };
  }
}

describe('SLUICE', () => {
  const { context } = useKeyspace();

  it('HELP lists the subcommands', () => {
    const c = context();
    const reply = c.call('SLUICE', 'HELP');
    expect(reply.startsWith('*9\r\n+SLUICE <subcommand>')).toBe(true);
    for (const word of ['POSITION', 'WAIT <token> <timeout>', 'LAG', 'HELP'])
      expect(reply).toContain(`+${word}\r\n`);
  });

  it('POSITION, WAIT and LAG say the server is not in log mode when it is not', () => {
    const c = context();
    const notLog = R.err(errorReply('notLogMode'));
    expect(c.call('SLUICE', 'POSITION')).toBe(notLog);
    expect(c.call('SLUICE', 'WAIT', '0:1', '10')).toBe(notLog);
    expect(c.call('SLUICE', 'LAG')).toBe(notLog);
  });

  it('POSITION without a write is what the node has applied now', () => {
    const c = context();
    const log = fakeLog();
    c.server.logMode = log;
    expect(c.call('SLUICE', 'POSITION')).toBe(R.bulk(''));
    log.offsets.advance(1, 17n);
    log.offsets.advance(0, 4n);
    expect(c.call('SLUICE', 'POSITION')).toBe(R.bulk('0:4,1:17'));
  });

  it("POSITION waits for the connection's last write, then gives its offsets", async () => {
    const c = context();
    c.server.logMode = fakeLog();
    c.call('SET', 'k', 'v');
    const batch = c.commits[0];
    if (batch === undefined) throw new Error('SET joined no batch');
    c.session.lastWrite = batch;
    expect(c.call('SLUICE', 'POSITION')).toBe('');
    expect(c.blockedOn).not.toBeNull();
    // What log mode's writer records once Kafka has the write; the batch then commits (this keyspace
    // is in local mode, so it commits at the end of the turn).
    batch.positions = new Map([[1, 99n]]);
    await new Promise<void>((resolve) => batch.onSettled(resolve));
    expect(c.call('SLUICE', 'POSITION')).toBe(R.bulk('1:99'));
  });

  it('WAIT answers 1 at once when the node has the position, else waits until it has', () => {
    const c = context();
    const log = fakeLog();
    c.server.logMode = log;
    log.offsets.advance(0, 10n);
    expect(c.call('SLUICE', 'WAIT', '0:10', '1000')).toBe(R.int(1));
    expect(c.call('SLUICE', 'WAIT', '', '1000')).toBe(R.int(1));
    // Not there yet: the connection blocks, and the command runs again once applied.
    expect(c.call('SLUICE', 'WAIT', '0:12', '0')).toBe('');
    const wait = c.blockedOn;
    if (wait === null) throw new Error('WAIT did not block');
    let woken = false;
    wait(() => {
      woken = true;
    });
    log.offsets.advance(0, 11n);
    expect(woken).toBe(false);
    log.offsets.advance(0, 12n);
    expect(woken).toBe(true);
    expect(callUntilAnswered(c, 'SLUICE', 'WAIT', '0:12', '0')).toEqual({ reply: R.int(1), blocked: 0 });
  });

  it('WAIT answers 0 once its timeout has passed since it first ran', () => {
    const c = context();
    c.server.logMode = fakeLog();
    c.session.blockedSince = c.now - 500;
    expect(c.call('SLUICE', 'WAIT', '0:1', '400')).toBe(R.int(0));
    c.session.blockedSince = null;
  });

  it('WAIT inside MULTI/EXEC does not block: 0 when not applied', () => {
    const c = context();
    c.server.logMode = fakeLog();
    c.inTransaction = true;
    expect(c.call('SLUICE', 'WAIT', '0:1', '0')).toBe(R.int(0));
    expect(c.blockedOn).toBeNull();
    c.inTransaction = false;
  });

  it('WAIT refuses a token it did not hand out and a bad timeout', () => {
    const c = context();
    c.server.logMode = fakeLog();
    expect(c.call('SLUICE', 'WAIT', 'nope', '10')).toBe(R.err(errorReply('invalidPosition')));
    expect(c.call('SLUICE', 'WAIT', '0:1', 'soon')).toBe(R.err(errorReply('notInteger')));
    expect(c.call('SLUICE', 'WAIT', '0:1', '-1')).toBe(R.err(errorReply('timeoutNegative')));
  });

  it('LAG gives each partition as a map, nulls for what is not known yet', () => {
    const c = context();
    c.server.logMode = fakeLog([
      { partition: 0, applied: 41n, high: 42n, lagRecords: 0, lagSeconds: 0.5 },
      { partition: 1, applied: -1n, high: null, lagRecords: null, lagSeconds: null },
    ]);
    expect(c.call('SLUICE', 'LAG')).toBe(
      R.array(
        R.array(
          R.bulk('partition'),
          R.int(0),
          R.bulk('applied-offset'),
          R.int(41),
          R.bulk('high-watermark'),
          R.int(42),
          R.bulk('lag-records'),
          R.int(0),
          R.bulk('lag-seconds'),
          R.bulk('0.5'),
        ),
        R.array(
          R.bulk('partition'),
          R.int(1),
          R.bulk('applied-offset'),
          R.int(-1),
          R.bulk('high-watermark'),
          R.nil,
          R.bulk('lag-records'),
          R.nil,
          R.bulk('lag-seconds'),
          R.nil,
        ),
      ),
    );
  });
});
