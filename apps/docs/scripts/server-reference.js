// Loads the reference renderers of @sluice/server (its dist/reference.js, which the package's entry point
// does not re-export). Build the server first: `pnpm --filter @sluice/server build`.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {import('@sluice/server').CommandDef} CommandDef
 * @typedef {object} ServerReference
 * @property {() => Record<string, string>} renderReference Every generated page, by path relative to apps/docs.
 * @property {(def: CommandDef) => string} syntax A command's syntax line, as the command pages show it.
 */

/** @returns {Promise<ServerReference>} */
export async function loadServerReference() {
  const entry = createRequire(import.meta.url).resolve('@sluice/server');
  return import(new URL('./reference.js', pathToFileURL(entry)).href);
}
