import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { repoRoot } from '@sluice/testkit';
import { describe, expect, it } from 'vitest';
import { envName, SETTINGS } from '../../src/config/index.js';
import { updateGenerated } from '../../src/docs.js';
import { METRICS } from '../../src/metrics.js';
import { VERSION } from '../../src/version.js';

const PAGE = new URL('../../../../apps/docs/kafka-bridge.md', import.meta.url);

describe('the docs page (apps/docs/kafka-bridge.md)', () => {
  const page = readFileSync(PAGE, 'utf8');

  it('has its generated sections up to date (pnpm --filter @sluice/kafka-bridge docs)', () => {
    // The page is formatted by Biome (the docs' lint checks it), tables padded: compare formatted text.
    const formatted = execFileSync(
      `${repoRoot}node_modules/.bin/biome`,
      ['format', `--stdin-file-path=${repoRoot}apps/docs/kafka-bridge.md`],
      { cwd: repoRoot, input: updateGenerated(page), encoding: 'utf8' },
    );
    expect(formatted).toBe(page);
  });

  it('documents every flag, environment variable and metric', () => {
    for (const spec of SETTINGS) {
      expect(page).toContain(`\`--${spec.name}\``);
      expect(page).toContain(`\`${envName(spec.name)}\``);
    }
    for (const metric of METRICS) expect(page).toContain(`\`${metric.name}\``);
  });

  it('describes the offsets namespace the code uses', () => {
    expect(page).toContain('<key-prefix>__sluice_bridge:offset:<topic>:<partition>');
  });

  it('has nothing VitePress would read as a template expression', () => {
    expect(page).not.toContain('{{');
  });
});

describe('version', () => {
  it('is package.json’s', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(manifest.version);
  });
});
