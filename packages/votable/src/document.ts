/**
 * Finding things in a parsed document: tables in document order, the first table, and the
 * query status a DAL service reported (pyvo `DALResults` vocabulary).
 */

import { VOTableStructureError } from './errors.js';
import type { Info, Resource, Table, VOTableDocument } from './model.js';

/** Every TABLE of the document, depth first in document order (nested RESOURCEs included). */
export function* iterTables(doc: VOTableDocument): Generator<Table> {
  function* walk(resources: Resource[]): Generator<Table> {
    for (const r of resources) {
      // VOTable 1.5 §3.3: a RESOURCE lists its TABLEs before its sub-RESOURCEs.
      yield* r.tables;
      yield* walk(r.resources);
    }
  }
  yield* walk(doc.resources);
}

/** The first TABLE of the document (pyvo/astropy `get_first_table`); throws when there is none. */
export function getFirstTable(doc: VOTableDocument): Table {
  for (const t of iterTables(doc)) return t;
  throw new VOTableStructureError('the document has no TABLE');
}

/** Every INFO of the document in document order, wherever it sits. */
export function* iterInfos(doc: VOTableDocument): Generator<Info> {
  yield* doc.infos;
  function* walk(resources: Resource[]): Generator<Info> {
    for (const r of resources) {
      yield* r.infos;
      for (const t of r.tables) {
        yield* t.infos;
        yield* t.infosAfterData;
      }
      yield* walk(r.resources);
      yield* r.infosAfter;
    }
  }
  yield* walk(doc.resources);
  yield* doc.infosAfter;
}

/** A DAL query status (DALI 1.1 §4.4): `OK`, `OVERFLOW` or `ERROR`, with the INFO's text. */
export interface QueryStatus {
  /** The INFO's `value`, e.g. `OK`, `OVERFLOW`, `ERROR`. */
  value: string;
  /** The INFO's text content (the service's own words), or '' when it has none. */
  message: string;
  /** The INFO element itself. */
  info: Info;
}

/**
 * The query status of a DAL response: the LAST `INFO name="QUERY_STATUS"` in document order,
 * because services put an `OVERFLOW` after the table once they know the result was cut
 * (DALI 1.1 §4.4.1; pyvo `fixtures/overflowstatus.xml`). Undefined when there is none
 * (pyvo then assumes OK).
 */
export function queryStatus(doc: VOTableDocument): QueryStatus | undefined {
  let last: Info | undefined;
  for (const info of iterInfos(doc)) if (info.name.toUpperCase() === 'QUERY_STATUS') last = info;
  if (!last) return undefined;
  return { value: last.value, message: last.content ?? '', info: last };
}
