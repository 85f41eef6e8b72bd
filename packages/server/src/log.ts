import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const MARKS: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Log lines in redis-server's format: `pid:M 21 Nov 2026 20:03:02.123 * message`. */
export class Logger {
  private readonly write: (line: string) => void;

  /** Writes to `logfile` (appending) when given, else to standard output. */
  constructor(
    public level: LogLevel,
    logfile = '',
  ) {
    // A log file on a full disk loses lines rather than the server (redis-server ignores the failure too).
    this.write =
      logfile === ''
        ? (line) => process.stdout.write(line)
        : (line) => {
            try {
              appendFileSync(logfile, line);
            } catch {}
          };
  }

  /** Whether a message at `level` is written. */
  enabled(level: LogLevel): boolean {
    return LEVELS[level] >= LEVELS[this.level];
  }

  log(level: LogLevel, message: string): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const d = new Date();
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const stamp = `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    this.write(`${process.pid}:M ${stamp} ${MARKS[level]} ${message}\n`);
  }
}
