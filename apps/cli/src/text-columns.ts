/**
 * Aligned plain-text columns for `vokit info`: each column as wide as its widest cell, two
 * spaces between, no trailing spaces, `-` for a missing value.
 */

/** Lays out `rows` (the first is the heading) as aligned lines, each prefixed by `indent`. */
export function formatTextColumns(rows: (string | undefined)[][], indent = ''): string[] {
  const cells = rows.map((row) => row.map((cell) => (cell === undefined || cell === '' ? '-' : cell.replace(/\s+/g, ' '))));
  const widths: number[] = [];
  for (const row of cells) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return cells.map((row) => (indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).trimEnd());
}
