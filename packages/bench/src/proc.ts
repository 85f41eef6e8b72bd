/** What a server process costs: its memory, from /proc, and its data directory's size on disk. */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ProcessMemory {
  /** Resident set size (VmRSS): anonymous memory, plus file pages mapped in (LMDB's map), plus shared memory. */
  rssBytes: number;
  /** The anonymous part (RssAnon): the heap, what the process allocated itself. */
  rssAnonBytes: number;
  /** The file-backed part (RssFile): pages of mapped files, which the kernel can reclaim. */
  rssFileBytes: number;
}

/** Reads `VmRSS`, `RssAnon` and `RssFile` from the text of /proc/<pid>/status. */
export function parseProcStatus(status: string): ProcessMemory {
  const kib = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/<pid>/status has no ${name} line`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kib('VmRSS'), rssAnonBytes: kib('RssAnon'), rssFileBytes: kib('RssFile') };
}

export async function processMemory(pid: number): Promise<ProcessMemory> {
  return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
}

/** Bytes allocated on disk under `dir` (like `du -s`, in bytes): sparse files count what they use. */
export async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(file);
    else total += (await lstat(file)).blocks * 512;
  }
  return total;
}
