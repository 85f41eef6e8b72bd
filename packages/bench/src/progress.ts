/**
 * Progress on stderr. On a terminal: a status line, redrawn in place, saying what runs and how far the
 * run has got, plus a line per finished row. Otherwise: only the line per finished row.
 */

export interface Activity {
  suite: string;
  row: string;
  target: string;
  phase: 'preparing' | 'measuring';
  /** Measured runs finished so far, and in all. */
  done: number;
  total: number;
}

export interface Progress {
  /** A note worth showing on a terminal only (starting servers, where results go). */
  note(message: string): void;
  activity(activity: Activity): void;
  /** One line per finished row, always printed. */
  rowFinished(line: string): void;
  close(): void;
}

interface Stream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export function createProgress(stream: Stream = process.stderr): Progress {
  return stream.isTTY ? new TerminalProgress(stream) : new QuietProgress(stream);
}

class QuietProgress implements Progress {
  constructor(private readonly stream: Stream) {}
  note(): void {}
  activity(): void {}
  rowFinished(line: string): void {
    this.stream.write(`${line}\n`);
  }
  close(): void {}
}

class TerminalProgress implements Progress {
  private current: Activity | undefined;
  private since = 0;
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly stream: Stream) {
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }

  note(message: string): void {
    this.print(message);
  }

  activity(activity: Activity): void {
    this.current = activity;
    this.since = Date.now();
    this.draw();
  }

  rowFinished(line: string): void {
    this.current = undefined;
    this.print(line);
  }

  close(): void {
    clearInterval(this.timer);
    this.stream.write('\r\x1b[2K');
    this.current = undefined;
  }

  private print(line: string): void {
    this.stream.write(`\r\x1b[2K${line}\n`);
    this.draw();
  }

  private draw(): void {
    const a = this.current;
    if (!a) return;
    const width = String(a.total).length;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
    // What changes comes first, so that a narrow terminal cuts off only the row's name.
    const line =
      `[${String(a.done).padStart(width)}/${a.total} runs · ${seconds(Date.now() - this.started)}] ` +
      `${a.target} ${a.phase} ${seconds(Date.now() - this.since)} · ${a.suite} › ${a.row}`;
    const columns = this.stream.columns ?? 120;
    this.stream.write(`\r\x1b[2K${line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line}`);
  }
}
