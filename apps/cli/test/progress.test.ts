import { describe, expect, it } from 'vitest';
import { renderProgress, withProgress } from '../src/progress.js';

async function* chunks(sizes: number[], pauseMs: number): AsyncGenerator<Uint8Array> {
  for (const size of sizes) {
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    yield new Uint8Array(size);
  }
}

async function drain(iterable: AsyncIterable<Uint8Array>): Promise<number> {
  let total = 0;
  for await (const chunk of iterable) total += chunk.length;
  return total;
}

describe('progress', () => {
  it('lays out name, bar, percentage, amount and rate within the width', () => {
    expect(renderProgress('big.vot', 50e6, 100e6, 2, 80)).toBe('big.vot [###############---------------]  50% 50.0 MB / 100.0 MB 25.0 MB/s');
    expect(renderProgress('stdin', 1500, undefined, 1, 80)).toBe('stdin 1.5 kB 1.5 kB/s');
    const narrow = renderProgress('/a/very/long/path/to/some/catalogue.vot', 1e9, 4e9, 10, 60);
    expect(narrow.length).toBeLessThanOrEqual(60);
    expect(narrow.startsWith('…')).toBe(true);
  });

  it('draws on a terminal and clears the line at the end', async () => {
    const writes: string[] = [];
    const target = { isTTY: true, columns: 80, write: (text: string) => writes.push(text) };
    const total = await drain(withProgress(chunks([1000, 1000, 1000], 120), { target, totalBytes: 3000, label: 'x.vot', delayMs: 0 }));
    expect(total).toBe(3000);
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes[0]).toMatch(/^\rx\.vot \[#+-*\]  33% 1\.0 kB \/ 3\.0 kB .*\/s\x1b\[K$/);
    expect(writes[writes.length - 1]).toBe('\r\x1b[K');
  });

  it('stays silent when the target is not a terminal', async () => {
    const writes: string[] = [];
    const target = { isTTY: false, write: (text: string) => writes.push(text) };
    expect(await drain(withProgress(chunks([10, 10], 1), { target, totalBytes: 20, label: 'x', delayMs: 0 }))).toBe(20);
    expect(writes).toEqual([]);
  });
});
