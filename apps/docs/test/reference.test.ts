/**
 * The generated reference: every command and subcommand of the server's command table has an entry (its
 * heading and syntax line) in the pages the docs build generates, and the pages in the repository are
 * what the build generates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allCommands, type CommandDef } from '@sluice/server';
import { describe, expect, it } from 'vitest';
import { loadServerReference } from '../scripts/server-reference.js';

const docs = new URL('..', import.meta.url);
const { renderReference, syntax } = await loadServerReference();
const rendered = renderReference();
const read = (path: string) => readFileSync(new URL(path, docs), 'utf8');

const entries: [string, CommandDef, number][] = allCommands.flatMap((def) => [
  [def.spec.name, def, 2] as [string, CommandDef, number],
  ...(def.subcommands ?? []).map((sub) => [sub.spec.name, sub, 3] as [string, CommandDef, number]),
]);

describe('the generated command reference', () => {
  it.each(Object.keys(rendered))('%s in the repository is what the build generates', (path) => {
    expect(read(path)).toBe(rendered[path]);
  });

  it.each(entries)('documents %s on its family page', (name, def, level) => {
    const page = read(`reference/commands-${def.spec.group}.md`);
    const title = name.replace('|', ' ').toUpperCase();
    expect(page).toContain(`\n${'#'.repeat(level)} ${title}\n`);
    expect(page).toContain(`\n\`\`\`\n${syntax(def)}\n\`\`\`\n`);
  });

  it('lists every command in the index, linked to its family page', () => {
    const index = read('reference/commands.md');
    for (const def of allCommands) {
      const anchor = def.spec.name.replace(/[|_]/g, '-');
      expect(index, def.spec.name).toContain(
        `[${def.spec.name.toUpperCase()}](./commands-${def.spec.group}.md#${anchor})`,
      );
    }
  });

  it('has a page for every command family and none left over', () => {
    const families = new Set(allCommands.map((def) => def.spec.group));
    const pages = readdirSync(fileURLToPath(new URL('reference/', docs)))
      .map((file) => /^commands-(.+)\.md$/.exec(file)?.[1])
      .filter((group) => group !== undefined);
    expect(new Set(pages)).toEqual(families);
  });
});
