import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/commands/index.js';
import { SETTINGS } from '../../src/config/index.js';
import { Errors } from '../../src/errors.js';
import { renderReference, syntax } from '../../src/reference.js';

const docs = new URL('../../../../apps/docs/', import.meta.url);
const pages = renderReference();

describe('generated reference pages', () => {
  it.each(Object.keys(pages))(
    'apps/docs/%s is up to date (run `pnpm --filter @sluice/server docs`)',
    (path) => {
      expect(readFileSync(new URL(path, docs), 'utf8')).toBe(pages[path]);
    },
  );

  it('has an entry for every command and subcommand', () => {
    const all = Object.values(pages).join('\n');
    for (const def of allCommands) {
      for (const d of [def, ...(def.subcommands ?? [])]) {
        expect(all, d.spec.name).toContain(`# ${d.spec.name.replace('|', ' ').toUpperCase()}\n`);
        expect(all, d.spec.name).toContain(syntax(d));
      }
    }
  });

  it('documents every setting and every error', () => {
    for (const s of SETTINGS) expect(pages['reference/configuration.md'], s.name).toContain(`\`${s.name}\``);
    // A table cell escapes the pipes of a reply (SCRIPT FLUSH's `SYNC|ASYNC`).
    for (const e of Object.values(Errors)) {
      expect(pages['reference/errors.md'], e.reply).toContain(e.reply.replace(/\|/g, '\\|'));
    }
  });

  it('documents every HTTP error and metric', async () => {
    const { HttpErrors } = await import('../../src/http/server.js');
    const { METRIC_DOCS } = await import('../../src/http/metrics.js');
    for (const e of Object.values(HttpErrors)) expect(pages['reference/http.md']).toContain(e.error);
    for (const m of Object.keys(METRIC_DOCS)) expect(pages['reference/http.md']).toContain(`\`${m}\``);
  });

  it('writes syntax lines the way Redis documents them', () => {
    const set = allCommands.find((d) => d.spec.name === 'set');
    if (!set) throw new Error('set missing');
    expect(syntax(set)).toBe(
      'SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]',
    );
  });
});
