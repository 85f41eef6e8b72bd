/**
 * The structure the code keeps (issue 13): handlers reach the server only through the command context,
 * the import graph of src has no large cycle, and each family's index lists its folder's commands.
 * Imports are read from the sources, `import type` included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bitmapCommands } from '../../src/commands/bitmap/index.js';
import { clusterCommands } from '../../src/commands/cluster/index.js';
import { connectionCommands } from '../../src/commands/connection/index.js';
import { genericCommands } from '../../src/commands/generic/index.js';
import { hyperloglogCommands } from '../../src/commands/hyperloglog/index.js';
import { scriptingCommands } from '../../src/commands/scripting/index.js';
import { serverCommands } from '../../src/commands/server/index.js';
import type { CommandDef } from '../../src/commands/spec.js';
import { stringCommands } from '../../src/commands/string/index.js';
import { transactionsCommands } from '../../src/commands/transactions/index.js';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The files of src that `file` imports (relative imports only, `import type` and re-exports included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
    out.push(resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')));
  }
  return out;
}

/** Strongly connected components of the import graph (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, indices.get(w) as number));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component);
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}

describe('architecture', () => {
  const files = sources(src);
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it('reads the import graph', () => {
    // The reading itself works: the server imports the dispatcher, a handler its context.
    expect(graph.get(join(src, 'server.ts'))).toContain(join(src, 'dispatch.ts'));
    expect(graph.get(join(src, 'commands/transactions/EXEC.ts'))).toContain(join(src, 'commands/spec.ts'));
  });

  it('no file under commands/ imports client.ts or server.ts, not even as a type', () => {
    const forbidden = [join(src, 'client.ts'), join(src, 'server.ts'), join(src, 'dispatch.ts')];
    const offenders = files
      .filter((f) => f.startsWith(join(src, 'commands')))
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => forbidden.includes(i))
          .map((i) => `${relative(src, f)} → ${relative(src, i)}`),
      );
    expect(offenders).toEqual([]);
  });

  it('has no import cycle of more than two files', () => {
    const found = cycles(graph).map((c) => c.map((f) => relative(src, f)).sort());
    // context.ts and spec.ts name each other's types (a handler's context, a queued command's def).
    expect(found).toEqual([['commands/context.ts', 'commands/spec.ts']]);
  });

  it.each([
    ['bitmap', bitmapCommands],
    ['cluster', clusterCommands],
    ['connection', connectionCommands],
    ['generic', genericCommands],
    ['hyperloglog', hyperloglogCommands],
    ['server', serverCommands],
    ['scripting', scriptingCommands],
    ['string', stringCommands],
    ['transactions', transactionsCommands],
  ] as const)("the %s index lists its folder's commands, in name order, all of that group", (group, defs) => {
    const dir = join(src, 'commands', group);
    const inFolder = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'index.ts')
      .map((f) => f.slice(0, -3).toLowerCase())
      .sort();
    const names = (defs as readonly CommandDef[]).map((d) => d.spec.name);
    expect(names).toEqual(inFolder);
    for (const d of defs as readonly CommandDef[]) expect(d.spec.group, d.spec.name).toBe(group);
  });
});
