/** Structured logs: one JSON object per line, `{"time","level","msg",...fields}`. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Whether a message at `level` would be written. */
  enabled(level: LogLevel): boolean;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Writes JSON lines through `write` (standard output by default). */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line),
  now: () => Date = () => new Date(),
  base: LogFields = {},
): Logger {
  const min = RANK[level];
  const log = (at: LogLevel, msg: string, fields?: LogFields): void => {
    if (RANK[at] < min) return;
    write(`${JSON.stringify({ time: now().toISOString(), level: at, msg, ...base, ...fields }, replacer)}\n`);
  };
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    enabled: (at) => RANK[at] >= min,
    child: (fields) => createLogger(level, write, now, { ...base, ...fields }),
  };
}

/** Bigints as decimal strings, errors as their message (and code, when there is one). */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined
      ? `${value.name}: ${value.message}`
      : `${value.name}: ${value.message} (${String(code)})`;
  }
  return value;
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = createLogger('error', () => {});
