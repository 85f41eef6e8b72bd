import { describe, expect, it } from 'vitest';
import { bindLogs } from '../../src/event-logs.js';
import { Events } from '../../src/events.js';
import { createLogger } from '../../src/log.js';
import { emitAll } from '../helpers/events.js';

type Line = Record<string, unknown>;

function setup(): { events: Events; lines: Line[] } {
  const events = new Events();
  const lines: Line[] = [];
  bindLogs(
    events,
    createLogger('debug', (line) => lines.push(JSON.parse(line) as Line)),
    't',
  );
  return { events, lines };
}

/** The lines without their time. */
function logged(lines: Line[]): Line[] {
  return lines.map(({ time: _, ...rest }) => rest);
}

describe('bindLogs', () => {
  it('writes the documented lines for the events that have one', () => {
    const { events, lines } = setup();
    emitAll(events.emit);
    expect(logged(lines)).toEqual([
      { level: 'info', msg: 'stopping: finishing the batches in flight' },
      { level: 'info', msg: 'stopped' },
      { level: 'error', msg: 'background task failed', error: 'Error: boom' },
      { level: 'info', msg: 'partitions assigned', topic: 't', partitions: [0, 2] },
      {
        level: 'info',
        msg: 'other members of the consumer group hold the other partitions; a bridge that writes to its own target needs its own --group-id',
        assigned: 2,
        partitions: 4,
      },
      {
        level: 'debug',
        msg: 'could not commit the group offsets (lag tools only; retried later)',
        error: 'Error: coordinator moved',
      },
      { level: 'info', msg: 'topic partitions', topic: 't', partitions: 4 },
      { level: 'info', msg: 'partition positioned', partition: 2, storedOffset: '99', readFrom: '100' },
      {
        level: 'warn',
        msg: 'records were deleted from Kafka before the bridge applied them',
        partition: 2,
        storedOffset: '9',
        firstAvailable: '50',
      },
      {
        level: 'debug',
        msg: 'the target is ahead of the bridge; skipping what it has',
        partition: 2,
        expected: '99',
        stored: '105',
      },
      {
        level: 'warn',
        msg: 'the target holds an older offset than the bridge wrote (data lost or restored); reading again from there',
        partition: 2,
        storedOffset: null,
        written: '105',
      },
      {
        level: 'warn',
        msg: 'skipping records: the record has no key (logged once per partition and reason)',
        partition: 2,
        reason: 'no_key',
        offset: '101',
      },
      {
        level: 'warn',
        msg: 'apply failed; retrying',
        partition: 2,
        component: 'target',
        attempt: 0,
        error: 'Error: refused',
      },
      { level: 'info', msg: 'apply succeeded after 1 retries', partition: 2 },
    ]);
  });

  it('says nothing about other members when the bridge has every partition, or the count is unknown', () => {
    const { events, lines } = setup();
    events.emit('group.assigned', { partitions: [0, 1], total: 2 });
    events.emit('group.assigned', { partitions: [0], total: 0 });
    expect(lines.map((l) => l.msg)).toEqual(['partitions assigned', 'partitions assigned']);
  });

  it('logs skipped records once per partition and reason', () => {
    const { events, lines } = setup();
    const skip = (partition: number, reason: 'no_key' | 'reserved_key', firstOffset: bigint) =>
      events.emit('records.skipped', { partition, reason, count: 1, firstOffset });
    skip(0, 'no_key', 1n);
    skip(0, 'no_key', 5n);
    skip(0, 'reserved_key', 6n);
    skip(1, 'no_key', 2n);
    skip(1, 'reserved_key', 3n);
    skip(1, 'reserved_key', 9n);
    expect(lines.map((l) => [l.partition, l.reason, l.offset])).toEqual([
      [0, 'no_key', '1'],
      [0, 'reserved_key', '6'],
      [1, 'no_key', '2'],
      [1, 'reserved_key', '3'],
    ]);
  });

  it('logs a failed attempt only when the retry loop reports it', () => {
    const { events, lines } = setup();
    const failure = {
      operation: 'position',
      partition: undefined,
      component: 'kafka' as const,
      attempt: 0,
      error: new Error('x'),
      report: true,
      retrying: true,
    };
    events.emit('retry.failed', failure);
    events.emit('retry.failed', { ...failure, attempt: 1, report: false });
    events.emit('retry.failed', { ...failure, attempt: 2, report: true, retrying: false });
    expect(logged(lines)).toEqual([
      { level: 'warn', msg: 'position failed; retrying', component: 'kafka', attempt: 0, error: 'Error: x' },
      { level: 'warn', msg: 'position failed; retrying', component: 'kafka', attempt: 2, error: 'Error: x' },
    ]);
  });
});
