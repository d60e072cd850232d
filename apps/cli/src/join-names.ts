/**
 * Column names of a joined table, made unique as STILTS and TOPCAT make them (`fixcols=dups`,
 * `suffixN=_N`; starlink-table `JoinStarTable` with `JoinFixAction.makeRenameDuplicatesAction`):
 *
 * - columns are renamed in output order; a column's name counts as a duplicate when, ignoring
 *   case, it equals the original name of any other column or the final name of any column
 *   renamed before it;
 * - a duplicate gets its table's suffix (`ra` → `ra_1`), and if that is taken too, letters
 *   `a`, `b`, … `z`, `ba`, … (base 26 with a = 0) until it is not (`ra_1a`);
 * - columns without a suffix (the `Separation`, `GroupID` and `GroupSize` a match adds) keep
 *   their names but still make input columns of the same name duplicates.
 *
 * So tables with `id, ra, dec` each give `id_1, ra_1, dec_1, id_2, ra_2, dec_2`, and a first
 * table that already has a `ra_1` keeps it while its `ra` becomes `ra_1a`.
 */

/** The columns of one table of the join, with the suffix its duplicates get (none: never renamed). */
export interface JoinNameBlock {
  names: readonly string[];
  suffix?: string;
}

/** STILTS's base-26 letters: 0 → `a`, 25 → `z`, 26 → `ba` (digits of the number in base 26). */
export function letterSuffix(index: number): string {
  let text = '';
  do {
    text = String.fromCharCode(97 + (index % 26)) + text;
    index = Math.floor(index / 26);
  } while (index > 0);
  return text;
}

/** The output names of every column of `blocks`, in order (see the file comment). */
export function joinColumnNames(blocks: readonly JoinNameBlock[]): string[] {
  const original = blocks.flatMap((b) => b.names.map((n) => n.toLowerCase()));
  // How often each lower-cased name occurs among the original names and the final names so far.
  const uses = new Map<string, number>();
  const add = (key: string) => uses.set(key, (uses.get(key) ?? 0) + 1);
  for (const key of original) add(key);
  const out: string[] = [];
  let column = 0;
  for (const block of blocks) {
    for (const name of block.names) {
      const self = original[column++];
      // The others are every use of the name except this column's own original one.
      const taken = (key: string) => (uses.get(key) ?? 0) - (key === self ? 1 : 0) > 0;
      let final = name;
      if (block.suffix !== undefined && taken(self)) {
        const renamed = name + block.suffix;
        final = renamed;
        for (let k = 0; taken(final.toLowerCase()); k++) final = renamed + letterSuffix(k);
      }
      out.push(final);
      add(final.toLowerCase());
    }
  }
  return out;
}
