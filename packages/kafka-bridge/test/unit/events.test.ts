import { describe, expect, it } from 'vitest';
import { EVENTS, Events } from '../../src/events.js';
import { SAMPLE_EVENTS } from '../helpers/events.js';

describe('Events', () => {
  it('calls the listeners of an event in the order they subscribed, synchronously', () => {
    const events = new Events();
    const calls: string[] = [];
    events.on('bridge.stopping', () => calls.push('first'));
    events.on('bridge.stopping', () => calls.push('second'));
    events.on('bridge.stopped', () => calls.push('other event'));
    events.emit('bridge.stopping', {});
    expect(calls).toEqual(['first', 'second']);
  });

  it('hands each listener the payload as emitted', () => {
    const events = new Events();
    const seen: unknown[] = [];
    events.on('partition.rewound', (payload) => seen.push(payload));
    const payload = { partition: 1, storedOffset: null, written: 5n };
    events.emit('partition.rewound', payload);
    expect(seen).toEqual([payload]);
  });

  it('stops calling a listener once unsubscribed, and ignores events nobody listens to', () => {
    const events = new Events();
    let count = 0;
    const off = events.on('readiness.checked', () => count++);
    events.emit('readiness.checked', { ready: true });
    off();
    off();
    events.emit('readiness.checked', { ready: false });
    events.emit('bridge.stopped', {});
    expect(count).toBe(1);
  });

  it('describes every event it can emit', () => {
    expect(Object.keys(EVENTS).sort()).toEqual(Object.keys(SAMPLE_EVENTS).sort());
    for (const text of Object.values(EVENTS)) expect(text.length).toBeGreaterThan(0);
  });
});
