import { statfsSync } from 'node:fs';
import type { LogLevel } from '../log.js';

/**
 * Keeps commits away from a full disk, and refuses writes while the disk cannot take them.
 *
 * With `lmdb-writemap` a commit writes pages of LMDB's memory map in place. A page past the end of what
 * the data file has used so far is a hole of a sparse file: the filesystem allocates it when it is first
 * written, and if the filesystem is full the process gets SIGBUS, which kills it. Without the writable
 * map the same commit fails with ENOSPC instead. Either way the guard is the same: before a commit, the
 * free space on the data directory's filesystem (statfs) must cover the most that commit can take
 * (`Keyspace` computes that bound from LMDB's tree depth and the batch's writes), plus `MARGIN`.
 *
 * When it does not, or when LMDB fails to commit or to flush to disk, writes are refused: the batch
 * fails, the cause is logged once, and write commands get `-MISCONF …` until a probe, once a second,
 * finds the disk usable again (space freed, a flush that succeeds). Reads go on throughout.
 */

/** Free space kept beyond a commit's bound, for LMDB's lock file, logs, and other writers. */
export const MARGIN = 1024 * 1024;
/** A refusal caused by space lasts until at least this much more than `MARGIN` is free, so it does not flap. */
const RESUME_MIN = 1024 * 1024;
const RESUME_MAX = 16 * 1024 * 1024;
const PROBE_MS = 1000;
/**
 * With this much room beyond a commit's bound at the last look, up to `TRUSTED_COMMITS` commits go
 * ahead without a new statfs, their bounds taken off what was measured (a statfs per commit costs
 * more than the commit itself when commits are small).
 */
const TRUSTED_ROOM = 1024 * 1024 * 1024;
const TRUSTED_COMMITS = 32;
const NO_SPACE = 'No space left on device';

/** A commit that the guard refused, or that LMDB could not complete: the writes were not applied. */
export class DiskError extends Error {
  override readonly name = 'DiskError';
}

export interface FsSpace {
  /** Bytes this process may still allocate on the filesystem. */
  free(): number;
}

/** statfs of `dir`: blocks free for root (root may use the reserved ones), available for others. */
export function statfsSpace(dir: string): FsSpace {
  const root = process.getuid?.() === 0;
  return {
    free() {
      const s = statfsSync(dir);
      return (root ? s.bfree : s.bavail) * s.bsize;
    },
  };
}

type Cause = 'space' | 'commit' | 'flush';

export interface DiskGuardOptions {
  space: FsSpace;
  log(level: LogLevel, message: string): void;
  /** Called by the probe after a failed flush: resolves once a flush to disk has succeeded. */
  flush(): Promise<void>;
  /** The directory, for log lines. */
  dir: string;
}

export class DiskGuard {
  /** Why writes are refused (the text after `MISCONF … data file:`), or null while they are accepted. */
  refusal: string | null = null;
  /** When writes were last refused (ms since the epoch), 0 if never. */
  refusedSince = 0;
  /** Times writes started being refused since the server started. */
  refusals = 0;
  /** Free bytes at the last statfs (refreshed before every commit). */
  freeBytes = Number.POSITIVE_INFINITY;
  private cause: Cause = 'space';
  /** Free bytes needed before a refusal for space ends. */
  private resumeAt = 0;
  private probe: NodeJS.Timeout | null = null;
  private probing = false;
  /** Bounds of the commits admitted since the last statfs, and how many. */
  private spentSinceMeasure = 0;
  private commitsSinceMeasure = TRUSTED_COMMITS; // the first commit measures

  constructor(private readonly options: DiskGuardOptions) {}

  get refusing(): boolean {
    return this.refusal !== null;
  }

  /** Reads the free space now. */
  measure(): number {
    this.spentSinceMeasure = 0;
    this.commitsSinceMeasure = 0;
    try {
      this.freeBytes = this.options.space.free();
    } catch {
      // statfs itself failing (the directory removed under us) says nothing about space: commit and see.
      this.freeBytes = Number.POSITIVE_INFINITY;
    }
    return this.freeBytes;
  }

  /**
   * Whether a commit that may allocate up to `bound` bytes can go ahead; if not, writes are refused
   * from now on. Measures the free space anew.
   */
  admit(bound: number): boolean {
    if (this.refusal !== null) return false;
    if (
      this.commitsSinceMeasure < TRUSTED_COMMITS &&
      this.freeBytes - this.spentSinceMeasure - bound >= TRUSTED_ROOM
    ) {
      this.spentSinceMeasure += bound;
      this.commitsSinceMeasure++;
      return true;
    }
    const free = this.measure();
    if (free >= bound + MARGIN) {
      this.spentSinceMeasure = bound;
      this.commitsSinceMeasure = 1;
      return true;
    }
    this.refuse('space', NO_SPACE, `${free} bytes free, a commit may need up to ${bound + MARGIN}`, bound);
    return false;
  }

  /**
   * Whether writes that may allocate up to `bound` bytes fit in the free space last measured; measures
   * again before saying no. For admission before a command runs, so that it is refused with an error
   * instead of failing at its commit.
   */
  fits(bound: number): boolean {
    if (this.refusal !== null) return false;
    if (this.freeBytes - this.spentSinceMeasure >= bound + MARGIN) return true;
    return this.admit(bound);
  }

  /** LMDB failed to commit: writes are refused until the probe finds space again. */
  commitFailed(error: Error): void {
    const text = describe(error);
    this.refuse('commit', text, `LMDB could not commit: ${error.message}`, 0);
  }

  /** LMDB failed to flush to disk: writes are refused until a flush succeeds (as redis-server on an AOF fsync error). */
  flushFailed(error: Error): void {
    this.refuse('flush', describe(error), `flushing to disk failed: ${error.message}`, 0);
  }

  /** The error that fails a batch refused now. */
  error(): DiskError {
    return new DiskError(this.refusal ?? NO_SPACE);
  }

  private refuse(cause: Cause, reason: string, detail: string, bound: number): void {
    if (this.refusal !== null) return;
    this.refusal = reason;
    this.cause = cause;
    this.refusedSince = Date.now();
    this.refusals++;
    this.resumeAt = MARGIN + Math.min(RESUME_MAX, Math.max(RESUME_MIN, bound));
    this.options.log(
      'warning',
      `Writes refused on ${this.options.dir}: ${reason} (${detail}); reads go on, and writes are accepted again by themselves once the disk can take them`,
    );
    this.probe = setInterval(() => void this.tryResume(), PROBE_MS);
    this.probe.unref();
  }

  private async tryResume(): Promise<void> {
    if (this.probing || this.refusal === null) return;
    this.probing = true;
    try {
      const free = this.measure();
      if (free < this.resumeAt) return;
      if (this.cause === 'flush') await this.options.flush();
      this.refusal = null;
      if (this.probe !== null) clearInterval(this.probe);
      this.probe = null;
      this.options.log('notice', `Writes accepted again on ${this.options.dir}: ${free} bytes free`);
    } catch {
      // Still failing (the flush): the next probe tries again.
    } finally {
      this.probing = false;
    }
  }

  close(): void {
    if (this.probe !== null) clearInterval(this.probe);
    this.probe = null;
  }
}

/** strerror's words for an errno error, else the message. */
function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || /ENOSPC|No space left/i.test(error.message)) return NO_SPACE;
  if (/MDB_MAP_FULL/.test(error.message)) return 'LMDB map full (MDB_MAP_FULL)';
  return error.message.replace(/[\r\n]+/g, ' ');
}
