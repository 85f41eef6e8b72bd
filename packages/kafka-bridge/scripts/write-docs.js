#!/usr/bin/env node
// Rewrites the generated sections of apps/docs/kafka-bridge.md (settings and metrics tables) from the
// bridge's tables, then formats the page with Biome as the docs' lint expects. Build the package first;
// a test fails while the page is out of date.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { updateGenerated } from '../dist/docs.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const page = `${root}apps/docs/kafka-bridge.md`;
const biome = `${root}node_modules/.bin/biome`;
const before = readFileSync(page, 'utf8');
const formatted = execFileSync(biome, ['format', `--stdin-file-path=${page}`], {
  cwd: root,
  input: updateGenerated(before),
  encoding: 'utf8',
});
if (formatted === before) {
  console.log(`${page} is up to date`);
} else {
  writeFileSync(page, formatted);
  console.log(`wrote ${page}`);
}
