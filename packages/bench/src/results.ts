/** The shape of results.json, and what it records about the machine and the software measured. */
import { readFile, realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runTool } from './exec.js';
import { repoRoot } from './servers.js';
import type { ChartSpec, Detail, Measurement, Mode, TableSpec } from './suite.js';
import type { BaseCheckout, TargetName } from './targets.js';

/** 2: suites carry participants, tables and charts; runs may be skipped. */
export const RESULTS_FORMAT = 2;

export interface Results {
  format: 1 | typeof RESULTS_FORMAT;
  tool: { name: 'sluice-bench'; version: string };
  /** ISO 8601, when the run started. */
  timestamp: string;
  /** Wall time of the whole run. */
  durationMs: number;
  settings: {
    mode: Mode;
    targets: TargetName[];
    suites: string[];
    /** The checkout `--baseline` named, whose sluice-server is the target `sluice-base`. */
    baseline?: BaseCheckout;
  };
  machine: Machine;
  versions: Versions;
  /** How each target was started. */
  targets: TargetRecord[];
  suites: SuiteResult[];
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  os: string;
  /** 1, 5 and 15-minute load averages when the run started. */
  loadAverage: number[];
}

export interface Versions {
  /** `redis-server --version`, or null when it could not be run. */
  redisServer: string | null;
  redisBenchmark: string | null;
  /** packages/server/package.json's version, or null when it is missing. */
  sluice: string | null;
}

export interface TargetRecord {
  name: TargetName;
  description: string;
  command: string[];
  /** The end of the server's output, when it exited before the run was over. */
  output?: string;
}

export interface RowInfo {
  id: string;
  label: string;
  command: string;
}

export interface RunRecord {
  row: string;
  /** A target (`sluice`, `sluice-base`, `redis`, `redis-mem`) or a baseline of the suite (`kcat`). */
  target: string;
  /** 0-based place of this target among the row's runs. */
  position: number;
  startedAt: string;
  durationMs: number;
  /** What preparing the row did for this target (a preload), if anything. */
  prepare?: Detail;
  measurement?: Measurement;
  error?: string;
  /** Why the run did not happen, when that is not a failure (the server lacks the feature yet). */
  skipped?: string;
  detail?: Detail;
}

export interface SuiteResult {
  name: string;
  title: string;
  description: string;
  settings: Record<string, string | number>;
  rows: RowInfo[];
  runs: RunRecord[];
  /** Why the suite did not run at all (a missing tool, no target it can measure). */
  skipped?: string;
  /** Who the rows ran on, in column order: targets, then baselines. Absent in format 1: the run's targets. */
  participants?: string[];
  /** What `rps` counts: `rps` or `records/s`. */
  rateUnit?: string;
  /** How the report shows the suite; absent: `defaultTables(participants)`. */
  tables?: TableSpec[];
  /** Absent: ratio bars when the first table has ratios. */
  charts?: ChartSpec[];
}

export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()} (${os.version()})`,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

async function firstLine(command: string, args: string[]): Promise<string | null> {
  try {
    const result = await runTool(command, args, { timeoutMs: 10_000 });
    return result.code === 0 ? (result.stdout.trim().split('\n')[0] ?? null) : null;
  } catch {
    return null;
  }
}

async function packageVersion(file: string): Promise<string | null> {
  try {
    const json: unknown = JSON.parse(await readFile(file, 'utf8'));
    const version = (json as { version?: unknown }).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

export async function versions(): Promise<Versions> {
  return {
    redisServer: await firstLine('redis-server', ['--version']),
    redisBenchmark: await firstLine('redis-benchmark', ['--version']),
    sluice: await packageVersion(path.join(repoRoot, 'packages/server/package.json')),
  };
}

export async function toolVersion(): Promise<string> {
  return (await packageVersion(path.join(repoRoot, 'packages/bench/package.json'))) ?? 'unknown';
}

/**
 * What `--baseline DIR` measures: the absolute path, its commit (`git rev-parse HEAD`, only when DIR is the
 * top of a git checkout, not a folder inside another one) and its sluice-server's version.
 */
export async function describeCheckout(dir: string): Promise<BaseCheckout> {
  const absolute = path.resolve(dir);
  let commit: string | null = null;
  try {
    const result = await runTool('git', ['-C', absolute, 'rev-parse', '--show-toplevel', 'HEAD'], {
      timeoutMs: 10_000,
    });
    const [top, head] = result.stdout.trim().split('\n');
    if (result.code === 0 && top !== undefined && head !== undefined && /^[0-9a-f]{40,64}$/.test(head)) {
      const [realTop, realDir] = await Promise.all([realpath(top), realpath(absolute)]);
      if (realTop === realDir) commit = head;
    }
  } catch {
    commit = null;
  }
  return {
    dir: absolute,
    commit,
    version: await packageVersion(path.join(absolute, 'packages/server/package.json')),
  };
}
