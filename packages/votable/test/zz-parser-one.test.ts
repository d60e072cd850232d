import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { parseVOTableSync, getFirstTable, iterTables, tableRows } from '@vokit/votable';
it('one', () => {
  for (const f of (process.env.FILES ?? '').split(',')) {
    const doc = parseVOTableSync(readFileSync(f));
    for (const t of iterTables(doc)) {
      console.log(f, t.rowCount, t.fields.map((x) => `${x.name}:${x.datatype}:${x.arraysize ?? ''}`).join(' '));
      for (const r of tableRows(t)) console.log(r);
    }
  }
});
