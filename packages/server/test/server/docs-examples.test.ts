/**
 * The programs of the docs' examples page (apps/docs/examples.md), run against a real sluice-server: each
 * `<!-- example: name -->` code block is written to a file next to this package (so that its imports
 * resolve to this package's client libraries), run with node, and must print the `text` block that
 * follows it on the page.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, run, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const PAGE = path.resolve(here, '../../../../apps/docs/examples.md');

/** Each example: its name, its code, and the output the page gives for it. */
async function examples(): Promise<{ name: string; code: string; output: string }[]> {
  const text = await readFile(PAGE, 'utf8');
  const found: { name: string; code: string; output: string }[] = [];
  const pattern = /<!-- example: ([\w-]+) -->\n```js\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/g;
  for (const m of text.matchAll(pattern)) {
    found.push({ name: m[1] as string, code: m[2] as string, output: m[3] as string });
  }
  return found;
}

describe('the examples page', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('has examples, and each prints what the page says', async () => {
    const all = await examples();
    expect(all.map((e) => e.name)).toEqual(
      expect.arrayContaining(['job-queue', 'leaderboard', 'rate-limiter']),
    );
    for (const { name, code, output } of all) {
      const file = path.resolve(here, `../../.example-${name}.mjs`);
      await writeFile(file, code);
      try {
        const result = await run('node', [file], { env: { SLUICE_PORT: String(server.port) } });
        expect({ name, stderr: result.stderr, stdout: result.stdout }).toEqual({
          name,
          stderr: '',
          stdout: output,
        });
      } finally {
        await rm(file, { force: true });
      }
    }
  }, 60_000);
});
