/**
 * sluice-bench: runs sluice-server and redis-server side by side through the benchmark suites and writes
 * results.json and report.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderCharts } from './charts.js';
import { killChildren } from './exec.js';
import { createProgress, type Progress } from './progress.js';
import { formatDuration, renderReport } from './report.js';
import {
  describeCheckout,
  machineInfo,
  RESULTS_FORMAT,
  type Results,
  toolVersion,
  versions,
} from './results.js';
import { runSuites } from './runner.js';
import { baselineBuildCommand, type RunningServer, sluiceServerMissing } from './servers.js';
import type { Mode, Target } from './suite.js';
import { SUITES } from './suites/index.js';
import {
  TARGET_CHOICES,
  type TargetChoice,
  type TargetName,
  type TargetSpec,
  targetSpec,
  targetsFor,
} from './targets.js';

export const USAGE = `Usage: sluice-bench [--quick] [--target sluice|redis|both] [--baseline DIR] [--out DIR]
                    [--only SUITE]...

Runs sluice-server and redis-server side by side and writes results.json, report.md and SVG charts.

  --quick           short runs (under 2 minutes for every suite) instead of the full ones
                    (under 20 minutes)
  --target WHICH    sluice, redis (redis-server with AOF everysec and without persistence),
                    or both (default: all three)
  --baseline DIR    also measure DIR's sluice-server (another checkout of this repository, with
                    packages/server built) as the target sluice-base, next to sluice, and report
                    sluice/sluice-base: the new build over the baseline. Not with --target redis
  --out DIR         where to write results (default: bench-results/<timestamp>)
  --only SUITE      run only this suite; repeatable. Suites: ${SUITES.map((s) => s.name).join(', ')}
  -h, --help        show this help

Exit status: 0 when every run succeeded, 1 when a run failed or the run could not start,
2 for bad arguments, 130 when interrupted.`;

/** What the command line asks for. */
export interface Options {
  mode: Mode;
  targets: TargetName[];
  out: string;
  suites: string[];
  /** The absolute path of the checkout `--baseline` named, measured as the target sluice-base. */
  baseline?: string;
  /** Whether --only named the suites: a suite named that cannot run stops the run. */
  explicit: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `2026-11-21T20-13-05`: sortable and safe in a path. */
export function timestampForPath(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/:/g, '-');
}

export function parseOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): Options | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const target = values.target ?? 'both';
  if (!(TARGET_CHOICES as readonly string[]).includes(target)) {
    throw new UsageError(
      `--target must be one of ${TARGET_CHOICES.join(', ')}, not ${JSON.stringify(target)}`,
    );
  }
  if (values.baseline === '') throw new UsageError('--baseline needs a directory');
  if (values.baseline !== undefined && target === 'redis') {
    throw new UsageError(
      '--baseline compares sluice-server with a baseline build: it needs the sluice target, not --target redis',
    );
  }
  const known = SUITES.map((s) => s.name);
  const only = values.only ?? [];
  for (const name of only) {
    if (!known.includes(name))
      throw new UsageError(`unknown suite ${JSON.stringify(name)}; suites: ${known.join(', ')}`);
  }
  // --tiny (or SLUICE_BENCH_TINY=1) is for the package's own tests: it proves the plumbing, not speed.
  const tiny = values.tiny || env.SLUICE_BENCH_TINY === '1';
  return {
    mode: tiny ? 'tiny' : values.quick ? 'quick' : 'full',
    targets: targetsFor(target as TargetChoice, values.baseline !== undefined),
    out: path.resolve(values.out ?? path.join('bench-results', timestampForPath(now))),
    suites: only.length > 0 ? known.filter((name) => only.includes(name)) : known,
    explicit: only.length > 0,
    ...(values.baseline !== undefined ? { baseline: path.resolve(values.baseline) } : {}),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      tiny: { type: 'boolean' },
      target: { type: 'string' },
      baseline: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}

/** Runs sluice-bench; resolves with the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`sluice-bench: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const suites = SUITES.filter((s) => options.suites.includes(s.name));
  const sluiceMissing = sluiceServerMissing();
  if (options.targets.includes('sluice') && sluiceMissing !== undefined) {
    process.stderr.write(
      `sluice-bench: cannot run target sluice: ${sluiceMissing} does not exist.\n` +
        'Build @sluice/server first, or measure only the reference with --target redis.\n',
    );
    return 1;
  }
  const baseMissing = options.baseline === undefined ? undefined : sluiceServerMissing(options.baseline);
  if (options.baseline !== undefined && baseMissing !== undefined) {
    process.stderr.write(
      `sluice-bench: cannot run target sluice-base (--baseline ${options.baseline}): ${baseMissing} does not exist.\n` +
        (baseMissing === options.baseline
          ? `Make a checkout of the baseline commit there (git worktree add --detach ${options.baseline} <commit>), ` +
            `then build it: ${baselineBuildCommand(options.baseline)}\n`
          : `Build @sluice/server in that checkout first: ${baselineBuildCommand(options.baseline)}\n`),
    );
    return 1;
  }
  const unavailable = new Map<string, string>();
  for (const suite of suites) {
    const reason = await suite.check?.();
    if (reason === undefined) continue;
    if (options.explicit) {
      process.stderr.write(`sluice-bench: cannot run the ${suite.name} suite: ${reason}\n`);
      return 1;
    }
    unavailable.set(suite.name, reason);
  }

  const progress = createProgress();
  const controller = new AbortController();
  const servers = new Map<TargetName, RunningServer>();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      progress.close();
      process.stderr.write(`sluice-bench: ${signal}, stopping the servers…\n`);
      controller.abort(new Error(`interrupted by ${signal}`));
      return;
    }
    for (const server of servers.values()) server.kill();
    killChildren();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    return await benchmark(options, suites, unavailable, servers, controller.signal, progress);
  } catch (err) {
    if (controller.signal.aborted) return 130;
    progress.close();
    process.stderr.write(`sluice-bench: ${(err as Error).message}\n`);
    return 1;
  } finally {
    progress.close();
    await Promise.allSettled([...servers.values()].map((server) => server.stop()));
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function benchmark(
  options: Options,
  suites: typeof SUITES,
  unavailable: ReadonlyMap<string, string>,
  servers: Map<TargetName, RunningServer>,
  signal: AbortSignal,
  progress: Progress,
): Promise<number> {
  const startedAt = new Date();
  const started = performance.now();
  const machine = machineInfo();
  const baseline = options.baseline === undefined ? undefined : await describeCheckout(options.baseline);
  const specs = new Map<TargetName, TargetSpec>(
    options.targets.map((name) => [name, targetSpec(name, baseline)]),
  );

  const targets: Target[] = [];
  for (const [name, spec] of specs) {
    signal.throwIfAborted();
    progress.note(`starting ${name}: ${spec.description}`);
    try {
      const server = await spec.start();
      servers.set(name, server);
      targets.push({ name, server, spec });
    } catch (err) {
      throw new Error(`could not start target ${name}: ${(err as Error).message}`);
    }
  }

  const suiteResults = await runSuites({
    suites,
    targets,
    mode: options.mode,
    signal,
    progress,
    unavailable,
  });

  const results: Results = {
    format: RESULTS_FORMAT,
    tool: { name: 'sluice-bench', version: await toolVersion() },
    timestamp: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    settings: {
      mode: options.mode,
      targets: options.targets,
      suites: options.suites,
      ...(baseline !== undefined ? { baseline } : {}),
    },
    machine,
    versions: await versions(),
    targets: options.targets.map((name) => ({
      name,
      description: specs.get(name)?.description ?? name,
      command: [...(servers.get(name)?.command ?? [])],
      // A target that died during the run keeps its last words.
      ...(servers.get(name)?.alive() === false ? { output: servers.get(name)?.output().slice(-8192) } : {}),
    })),
    suites: suiteResults,
  };

  await mkdir(options.out, { recursive: true });
  await writeFile(path.join(options.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const charts = renderCharts(results);
  for (const chart of charts) await writeFile(path.join(options.out, chart.file), chart.svg);
  await writeFile(path.join(options.out, 'report.md'), renderReport(results, charts));

  const failed = suiteResults.flatMap((s) => s.runs).filter((run) => run.error !== undefined).length;
  progress.note(
    `${formatDuration(results.durationMs)}, ${failed === 0 ? 'every run succeeded' : `${failed} run(s) failed`}; ` +
      `report in ${path.join(displayPath(options.out), 'report.md')}`,
  );
  progress.close();
  process.stdout.write(`${options.out}\n`);
  return failed === 0 ? 0 : 1;
}

/** `out` relative to the working directory when it lies inside it, absolute otherwise. */
function displayPath(out: string): string {
  const relative = path.relative(process.cwd(), out);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? out : relative;
}
