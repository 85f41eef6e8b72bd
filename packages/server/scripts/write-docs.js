#!/usr/bin/env node
// Writes the generated reference pages of apps/docs from the server's tables (build the package first).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReference } from '../dist/reference.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '../../../apps/docs');
for (const [path, text] of Object.entries(renderReference())) {
  const file = join(docs, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
