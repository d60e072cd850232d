/**
 * The query status of a DAL response document (DALI 1.1 §4.4 `QUERY_STATUS`, plus the legacy
 * SCS 1.03 §3 `INFO`/`PARAM name="Error"`), and the error it implies.
 *
 * Order matters: a service may write `QUERY_STATUS="OK"` before the table and
 * `QUERY_STATUS="OVERFLOW"` (or `"ERROR"` when it failed while streaming) after it. The last
 * one in document order wins.
 */
import { parseVOTable, type Info, type Param, type Resource, type VOTableDocument } from '@vokit/votable';
import { DALQueryError, type DALErrorDetails } from './errors.js';

/** What a document says about its query. */
export interface QueryStatus {
  /** `OK`, `ERROR`, `OVERFLOW`, or undefined when the document does not say. */
  status?: 'OK' | 'ERROR' | 'OVERFLOW' | string;
  /** The INFO's text content, or its value for the legacy form. */
  message?: string;
}

function* infosOf(resource: Resource): Generator<Info> {
  yield* resource.infos;
  for (const table of resource.tables) {
    yield* table.infos;
    yield* table.infosAfterData;
  }
  for (const child of resource.resources) yield* infosOf(child);
  yield* resource.infosAfter;
}

function* allInfos(doc: VOTableDocument): Generator<Info> {
  yield* doc.infos;
  for (const resource of doc.resources) yield* infosOf(resource);
  yield* doc.infosAfter;
}

function* allParams(doc: VOTableDocument): Generator<Param> {
  yield* doc.params;
  const walk = function* (r: Resource): Generator<Param> {
    yield* r.params;
    for (const t of r.tables) yield* t.params;
    for (const c of r.resources) yield* walk(c);
  };
  for (const r of doc.resources) yield* walk(r);
}

/** The query status of `doc`; the last QUERY_STATUS wins. */
export function queryStatusOf(doc: VOTableDocument): QueryStatus {
  let found: QueryStatus = {};
  for (const info of allInfos(doc)) {
    if (info.name === 'QUERY_STATUS') {
      found = { status: info.value.trim().toUpperCase(), message: (info.content ?? '').trim() || undefined };
    }
  }
  if (found.status) return found;
  // SCS 1.03 §3: an error is an INFO or PARAM named "Error" whose value is the message
  for (const info of allInfos(doc)) {
    if (info.name === 'Error' || info.id === 'Error') return { status: 'ERROR', message: info.value || info.content };
  }
  for (const param of allParams(doc)) {
    if (param.name === 'Error' || param.id === 'Error') return { status: 'ERROR', message: param.value };
  }
  return found;
}

/** Throws {@link DALQueryError} when `doc` reports an error. */
export function raiseForStatus(doc: VOTableDocument, details: DALErrorDetails = {}): QueryStatus {
  const status = queryStatusOf(doc);
  if (status.status === 'ERROR') {
    throw new DALQueryError({ ...details, serverMessage: status.message || 'the service reported an error without a message' });
  }
  return status;
}

/**
 * If `bytes` hold a VOTable that reports an error, the matching {@link DALQueryError};
 * otherwise undefined (not a VOTable, unparsable, or no error in it).
 */
export async function errorFromDocumentBytes(bytes: Uint8Array, details: DALErrorDetails): Promise<DALQueryError | undefined> {
  // cheap sniff before a parse: the first KiB of a VOTable names its root element
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 2048));
  if (!/<(\w+:)?VOTABLE[\s>]/.test(head)) return undefined;
  let doc: VOTableDocument;
  try {
    doc = await parseVOTable(bytes);
  } catch {
    return undefined;
  }
  const status = queryStatusOf(doc);
  if (status.status !== 'ERROR') return undefined;
  return new DALQueryError({ ...details, serverMessage: status.message || 'the service reported an error without a message' });
}
