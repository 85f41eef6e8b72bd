import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Directories `tempDir` made and nobody removed yet (see `removeTempDirs`). */
const made = new Set<string>();

/** Create a fresh, empty directory under `os.tmpdir()` whose name starts with `prefix`. */
export async function tempDir(prefix = 'sluice-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/**
 * Removes every directory `tempDir` made that is still there: a test file's setup runs it after the
 * file's last test (vitest `setupFiles`), so that a test that restarts servers on a directory of its
 * own, or fails midway, leaves nothing behind in /tmp. SLUICE_KEEP_TEST_DIRS=1 keeps them, to look at
 * what a failed test left.
 */
export async function removeTempDirs(): Promise<void> {
  if (process.env.SLUICE_KEEP_TEST_DIRS === '1') return;
  const dirs = [...made];
  made.clear();
  // A directory a stray process still writes to may resist: that is said, and fails no test.
  const results = await Promise.allSettled(
    dirs.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })),
  );
  results.forEach((result, i) => {
    if (result.status === 'rejected')
      console.warn(`testkit: could not remove ${dirs[i]}: ${(result.reason as Error).message}`);
  });
}

/** Remove a directory and everything in it; a missing directory is not an error. */
export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
  made.delete(path);
}

/** A small tmpfs mounted for a test (a filesystem that fills up): needs root. */
export interface SmallDisk {
  /** The mount point. */
  readonly dir: string;
  /** Changes the filesystem's size (`mount -o remount,size=…`): more room, or less. */
  resize(bytes: number): void;
  /** Unmounts it and removes the mount point. */
  dispose(): Promise<void>;
}

/**
 * Mounts a tmpfs of `bytes` on a new temporary directory. Throws, naming what is missing, when the
 * process cannot mount (not root, or no mount command): disk-full tests need it and must not pass
 * without it.
 */
export async function mountSmallDisk(bytes: number): Promise<SmallDisk> {
  const dir = await tempDir('sluice-disk-');
  // Its own dispose unmounts and removes it (removeTempDirs cannot remove a mount point).
  made.delete(dir);
  const mount = (args: string[]) => {
    const r = spawnSync('mount', args, { encoding: 'utf8' });
    if (r.status !== 0) {
      throw new Error(
        `mount ${args.join(' ')} failed (${r.error?.message ?? r.stderr.trim()}): disk-full tests run as root, to mount a small tmpfs`,
      );
    }
  };
  try {
    mount(['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
  } catch (err) {
    await removeDir(dir);
    throw err;
  }
  return {
    dir,
    resize: (size) => mount(['-o', `remount,size=${size}`, dir]),
    dispose: async () => {
      spawnSync('umount', ['-l', dir]);
      await removeDir(dir);
    },
  };
}
