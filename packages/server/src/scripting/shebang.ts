/**
 * The `#!` first line of Redis 7 scripts and function libraries: `#!lua flags=no-writes,allow-stale` on
 * an EVAL script declares what it may do; `#!lua name=mylib` names a FUNCTION LOAD library. Parsed as
 * redis-server parses them (its sdssplitargs rules for words and quotes), with its error messages.
 */
import { type ErrorName, errorReply } from '../errors.js';

/** The flags a script or function may declare, in the order redis-server lists them. */
export const SCRIPT_FLAGS = [
  'no-writes',
  'allow-oom',
  'allow-stale',
  'no-cluster',
  'allow-cross-slot-keys',
] as const;
export type ScriptFlag = (typeof SCRIPT_FLAGS)[number];

/** What a run may do: `null` for an EVAL script without a `#!` line (Redis's compatibility mode). */
export type ScriptFlags = ReadonlySet<ScriptFlag> | null;

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
const HEX = /^[0-9a-fA-F]{2}$/;
const ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, a: 0x07 };

/**
 * Splits a line into words as redis-server's sdssplitargs does: blanks separate words, "double quotes"
 * take escapes (\n, \xHH, …), 'single quotes' take \'. Null when a quote does not close or a closing
 * quote is not followed by a blank.
 */
export function splitArgs(line: Uint8Array): Buffer[] | null {
  const words: Buffer[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && SPACE.has(line[i] as number)) i++;
    if (i >= n) return words;
    const word: number[] = [];
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      const c = line[i];
      if (inDouble) {
        if (c === undefined) return null;
        if (c === 0x5c && i + 3 < n && line[i + 1] === 0x78) {
          const hex = String.fromCharCode(line[i + 2] as number, line[i + 3] as number);
          if (HEX.test(hex)) {
            word.push(Number.parseInt(hex, 16));
            i += 4;
            continue;
          }
        }
        if (c === 0x5c && i + 1 < n) {
          const next = line[i + 1] as number;
          word.push(ESCAPES[String.fromCharCode(next)] ?? next);
          i += 2;
          continue;
        }
        if (c === 0x22) {
          if (i + 1 < n && !SPACE.has(line[i + 1] as number)) return null;
          i++;
          break;
        }
        word.push(c);
        i++;
      } else if (inSingle) {
        if (c === undefined) return null;
        if (c === 0x5c && line[i + 1] === 0x27) {
          word.push(0x27);
          i += 2;
          continue;
        }
        if (c === 0x27) {
          if (i + 1 < n && !SPACE.has(line[i + 1] as number)) return null;
          i++;
          break;
        }
        word.push(c);
        i++;
      } else {
        if (c === undefined || SPACE.has(c)) break;
        if (c === 0x22) inDouble = true;
        else if (c === 0x27) inSingle = true;
        else word.push(c);
        i++;
      }
    }
    words.push(Buffer.from(word));
  }
}

const error = (name: ErrorName, ...parts: string[]) => ({ error: errorReply(name, ...parts) });

/**
 * An EVAL script's flags: `null` without a `#!` line; else the declared flags and where the Lua code
 * starts (at the line feed, so that line numbers stay the script's).
 */
export function parseScriptShebang(
  body: Buffer,
): { flags: ScriptFlags; codeStart: number } | { error: string } {
  if (body[0] !== 0x23 || body[1] !== 0x21) return { flags: null, codeStart: 0 };
  const end = body.indexOf(0x0a);
  if (end === -1) return error('invalidShebang');
  const parts = splitArgs(body.subarray(0, end));
  if (parts === null || parts.length === 0) return error('invalidShebangEngine');
  const engine = (parts[0] as Buffer).toString('latin1');
  if (engine !== '#!lua') return error('unexpectedShebangEngine', engine);
  const flags = new Set<ScriptFlag>();
  for (const part of parts.slice(1)) {
    const text = part.toString('latin1');
    if (!text.startsWith('flags=')) return error('unknownShebangOption', text);
    const list = text.slice(6);
    if (list === '') continue;
    for (const name of list.split(',')) {
      if (!(SCRIPT_FLAGS as readonly string[]).includes(name)) return error('unexpectedShebangFlag', name);
      flags.add(name as ScriptFlag);
    }
  }
  return { flags, codeStart: end };
}

/** A library's `#!<engine> name=<name>` line, and its Lua code (from the line feed on). */
export function parseLibraryMetadata(
  code: Buffer,
): { engine: string; name: string; body: Buffer } | { error: string } {
  if (code[0] !== 0x23 || code[1] !== 0x21) return error('libraryMetadataMissing');
  const end = code.indexOf(0x0a);
  if (end === -1) return error('libraryMetadataInvalid');
  const parts = splitArgs(code.subarray(0, end));
  if (parts === null || parts.length === 0) return error('libraryMetadataInvalid');
  const engine = (parts[0] as Buffer).toString('latin1').slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    const text = part.toString('latin1');
    if (text.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return error('libraryNameRepeated');
      name = text.slice(5);
      continue;
    }
    return error('libraryMetadataValue', text);
  }
  if (name === null) return error('libraryNameMissing');
  return { engine, name, body: code.subarray(end) };
}

/** Whether a library or function name is made of letters, digits and underscores only, and not empty. */
export function validName(name: string): boolean {
  return /^[a-zA-Z0-9_]+$/.test(name);
}
