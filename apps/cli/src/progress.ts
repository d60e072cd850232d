/**
 * A progress bar on stderr for long reads: bytes read of bytes expected (file size or
 * Content-Length), rate and percentage, redrawn at most ten times a second on one line.
 * Drawn only when stderr is a terminal, so pipes, logs and tests see nothing, and only once a
 * read has lasted `delayMs`, so short reads do not flicker.
 */

/** The stream the bar is drawn on (process.stderr or a test double). */
export interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Options of `withProgress`. */
export interface ProgressOptions {
  /** Where to draw; nothing is drawn unless `isTTY` is true. */
  target: ProgressTarget;
  /** Bytes expected, when known; without it the bar shows bytes and rate only. */
  totalBytes?: number;
  /** What is being read, shown before the bar (truncated to fit). */
  label: string;
  /** Milliseconds before the first draw. Default 500. */
  delayMs?: number;
}

const REDRAW_MS = 100;

function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** The bar's text for a state; exported so its layout can be tested without a terminal. */
export function renderProgress(label: string, done: number, total: number | undefined, seconds: number, width: number): string {
  const rate = seconds > 0 ? `${formatBytes(done / seconds)}/s` : '';
  const amount = total ? `${formatBytes(done)} / ${formatBytes(total)}` : formatBytes(done);
  const percent = total ? `${Math.min(100, Math.floor((100 * done) / total))}%`.padStart(4) : '';
  const tail = ' ' + [percent, amount, rate].filter((part) => part !== '').join(' ');
  // The name gets up to 30 columns, the bar what is left (at most 30), the name the rest.
  const nameWidth = Math.min(label.length, 30);
  let barWidth = total ? Math.min(30, width - nameWidth - tail.length - 3) : 0;
  if (barWidth < 5) barWidth = 0;
  let bar = '';
  if (barWidth > 0 && total) {
    const filled = Math.min(barWidth, Math.round((barWidth * done) / total));
    bar = ` [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
  }
  const room = Math.max(8, width - tail.length - bar.length);
  const name = label.length > room ? `…${label.slice(label.length - room + 1)}` : label;
  return `${name}${bar}${tail}`;
}

/**
 * Passes `chunks` through unchanged, drawing progress on `options.target` as they go, and
 * clears the line when the iteration ends (normally, by error, or by an early `break`).
 */
export async function* withProgress(chunks: AsyncIterable<Uint8Array>, options: ProgressOptions): AsyncGenerator<Uint8Array> {
  const { target } = options;
  if (!target.isTTY) {
    yield* chunks;
    return;
  }
  const start = performance.now();
  const delay = options.delayMs ?? 500;
  let done = 0;
  let lastDraw = 0;
  let drawn = false;
  try {
    for await (const chunk of chunks) {
      done += chunk.byteLength;
      const now = performance.now();
      if (now - start >= delay && now - lastDraw >= REDRAW_MS) {
        lastDraw = now;
        drawn = true;
        const width = target.columns || 80; // 0 on a terminal that reports no size
        target.write(`\r${renderProgress(options.label, done, options.totalBytes, (now - start) / 1000, width - 1)}\x1b[K`);
      }
      yield chunk;
    }
  } finally {
    if (drawn) target.write('\r\x1b[K');
  }
}
