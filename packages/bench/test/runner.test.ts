import { describe, expect, it } from 'vitest';
import type { Progress } from '../src/progress.js';
import { runSuites } from '../src/runner.js';
import type { RunningServer } from '../src/servers.js';
import { RunFailure, RunSkipped, type Suite } from '../src/suite.js';
import { TARGETS } from '../src/targets.js';

/** A target that is never contacted: sluice's settle does nothing, so no server is needed. */
const fakeServer: RunningServer = {
  port: 1,
  dir: '/nonexistent',
  pid: -1,
  command: ['fake'],
  alive: () => true,
  stop: async () => {},
  kill: () => {},
  output: () => '',
};

function recorder(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return { lines, note() {}, activity() {}, rowFinished: (line) => lines.push(line), close() {} };
}

describe('runSuites', () => {
  it('measures baselines next to targets, records skips and failures, and closes the plan', async () => {
    const events: string[] = [];
    const suite: Suite = {
      name: 'fake',
      title: 'Fake',
      description: 'A suite that exercises the runner.',
      plan: () => ({
        settings: {},
        baselines: ['tool'],
        rateUnit: 'things/s',
        rows: [
          {
            id: 'ok',
            label: 'OK',
            command: 'ok',
            prepare: async (t) => {
              events.push(`prepare ok ${t.name}`);
              return { prepared: true };
            },
            measure: async (t) => {
              events.push(`measure ok ${t.name}`);
              return { measurement: { rps: 10 }, detail: {} };
            },
            measureBaseline: async (name) => {
              events.push(`measure ok ${name}`);
              return { measurement: { rps: 100 }, detail: {} };
            },
          },
          {
            id: 'skip',
            label: 'Skip',
            command: 'skip',
            prepare: async () => {
              throw new RunSkipped('not yet');
            },
            measure: async () => {
              throw new Error('never measured');
            },
            measureBaseline: async () => {
              throw new RunFailure('tool broke', 'line 1\nline 2', { raw: 'x' });
            },
          },
        ],
        close: async () => {
          events.push('close');
        },
      }),
    };
    const progress = recorder();
    const [result] = await runSuites({
      suites: [suite],
      targets: [{ name: 'sluice', server: fakeServer, spec: TARGETS.sluice }],
      mode: 'tiny',
      signal: new AbortController().signal,
      progress,
    });
    expect(events).toEqual(['prepare ok sluice', 'measure ok sluice', 'measure ok tool', 'close']);
    expect(result?.participants).toEqual(['sluice', 'tool']);
    expect(result?.runs.map((r) => [r.row, r.target, r.position])).toEqual([
      ['ok', 'sluice', 0],
      ['ok', 'tool', 1],
      ['skip', 'tool', 0],
      ['skip', 'sluice', 1],
    ]);
    const skip = result?.runs.filter((r) => r.row === 'skip');
    expect(skip?.find((r) => r.target === 'sluice')).toMatchObject({ skipped: 'not yet' });
    expect(skip?.find((r) => r.target === 'sluice')?.error).toBeUndefined();
    expect(skip?.find((r) => r.target === 'tool')).toMatchObject({
      error: 'tool broke: line 1\nline 2',
      detail: { raw: 'x' },
    });
    expect(progress.lines).toEqual([
      'fake: OK: sluice 10 things/s, tool 100 things/s',
      'fake: Skip: sluice skipped, tool failed',
    ]);
  });

  it('skips a suite that cannot run here, or has none of its targets in the run', async () => {
    const plan = () => {
      throw new Error('not planned');
    };
    const progress = recorder();
    const results = await runSuites({
      suites: [
        { name: 'a', title: 'A', description: '', plan },
        { name: 'b', title: 'B', description: '', targets: ['redis'], plan },
      ],
      targets: [{ name: 'sluice', server: fakeServer, spec: TARGETS.sluice }],
      mode: 'tiny',
      signal: new AbortController().signal,
      progress,
      unavailable: new Map([['a', 'it needs a tool']]),
    });
    expect(results.map((r) => r.skipped)).toEqual([
      'it needs a tool',
      'it measures only redis, which this run does not start',
    ]);
    expect(progress.lines).toEqual([
      'a: skipped: it needs a tool',
      'b: skipped: it measures only redis, which this run does not start',
    ]);
  });
});
