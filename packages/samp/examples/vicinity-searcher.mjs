// The "vicinity searcher" of the SAMP course: a client that remembers the tables it is sent
// (table.load.votable), and when a row of one is highlighted (table.highlight.row, e.g. a
// click in TOPCAT) runs a Simple Cone Search around that row and sends the result back to
// the client that highlighted it.
//
//   node examples/vicinity-searcher.mjs 'https://example.org/scs?' [radius-deg]
//
// Uses SAMP_HUB or ~/.samp to find the hub. Import startVicinitySearcher to embed it.
//
// The cone search is a plain HTTP GET parsed with @vokit/votable (already @vokit/samp's one
// runtime dependency), so this file runs wherever @vokit/samp is installed; @vokit/dal's
// SCSService would do the same with more checks, at the price of another package.
import { SampClient, parseHighlightRow, parseLoadTable } from '@vokit/samp';
import { getFirstTable, iterInfos, parseVOTable, queryStatus } from '@vokit/votable';

/** The RA and Dec columns of a table: by UCD (pos.eq.ra/dec, main first), else by name. */
function findPositionColumns(table) {
  const pick = (ucd, names) =>
    table.columns.find((c) => c.field.ucd?.toLowerCase() === `${ucd};meta.main`) ??
    table.columns.find((c) => c.field.ucd?.toLowerCase().startsWith(ucd)) ??
    table.columns.find((c) => names.includes(c.field.name.toLowerCase()));
  const ra = pick('pos.eq.ra', ['ra', 'ra_icrs', 'raj2000', 'ra_deg']);
  const dec = pick('pos.eq.dec', ['dec', 'de', 'dec_icrs', 'dej2000', 'dec_deg']);
  if (!ra || !dec) throw new Error('no RA/Dec columns (UCD pos.eq.ra/pos.eq.dec or names ra/dec)');
  return { ra, dec };
}

/**
 * The error message of a cone search response, or undefined when it is a result. SCS 1.03 §2.3
 * signals errors with `INFO name="Error"` (DaCHS does, with HTTP 200); DALI services with
 * `QUERY_STATUS=ERROR`.
 */
function coneSearchError(doc) {
  const status = queryStatus(doc);
  if (status?.value.toUpperCase() === 'ERROR') return status.message || 'QUERY_STATUS=ERROR';
  for (const info of iterInfos(doc)) if (info.name === 'Error') return info.value || info.content || 'Error';
  return undefined;
}

/**
 * Registers the vicinity searcher. `coneUrl` is an SCS base URL (RA, DEC, SR are appended);
 * `radiusDeg` the search radius in degrees (default 0.05). Resolves to the registered client.
 */
export async function startVicinitySearcher({ coneUrl, radiusDeg = 0.05, hub, fetch: doFetch = fetch, log = console.error }) {
  const tables = new Map(); // table-id or url -> { table, name }
  const client = new SampClient({
    hub,
    metadata: { 'samp.name': 'vicinity-searcher', 'samp.description.text': 'Cone search around highlighted rows' },
  });
  await client.bindReceiveMessage('table.load.votable', async ({ params }) => {
    const { url, 'table-id': tableId, name } = parseLoadTable(params);
    const response = await doFetch(url);
    if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
    const table = getFirstTable(await parseVOTable(new Uint8Array(await response.arrayBuffer())));
    findPositionColumns(table); // refuse tables we could not search around, at load time
    const entry = { table, name: name ?? table.name ?? 'table' };
    tables.set(url, entry);
    if (tableId) tables.set(tableId, entry);
    log(`loaded ${entry.name}: ${table.rowCount} rows`);
    return {};
  });
  await client.bindReceiveMessage('table.highlight.row', async ({ params, senderId }) => {
    const { tableId, url, row } = parseHighlightRow(params);
    const entry = (tableId && tables.get(tableId)) || (url && tables.get(url));
    if (!entry) throw new Error(`no table with table-id=${tableId} or url=${url} was loaded here`);
    const { ra, dec } = findPositionColumns(entry.table);
    if (row >= entry.table.rowCount) throw new Error(`row ${row} is beyond the ${entry.table.rowCount} rows of ${entry.name}`);
    const [raDeg, decDeg] = [Number(ra.get(row)), Number(dec.get(row))];
    if (!Number.isFinite(raDeg) || !Number.isFinite(decDeg)) throw new Error(`row ${row} of ${entry.name} has no position`);
    const query = `${coneUrl}${/[?&]$/.test(coneUrl) ? '' : coneUrl.includes('?') ? '&' : '?'}RA=${raDeg}&DEC=${decDeg}&SR=${radiusDeg}`;
    log(`row ${row} of ${entry.name}: cone search at ${raDeg}, ${decDeg}`);
    const response = await doFetch(query);
    if (!response.ok) throw new Error(`cone search failed: HTTP ${response.status} from ${query}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const doc = await parseVOTable(bytes);
    const error = coneSearchError(doc);
    if (error !== undefined) throw new Error(`cone search failed: ${error}`);
    const rows = getFirstTable(doc).rowCount;
    // Reply first, then send: the highlighter may be waiting on this call.
    setTimeout(() => {
      client
        .sendTable(bytes, { to: senderId, name: `vicinity of ${entry.name} row ${row}`, tableId: `vicinity-${Date.now()}` })
        .catch((error) => log(`sending the result failed: ${error.message}`));
    }, 0);
    return { ra: String(raDeg), dec: String(decDeg), rows: String(rows) };
  });
  return client.register();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [coneUrl, radius] = process.argv.slice(2);
  if (!coneUrl) {
    console.error('usage: node vicinity-searcher.mjs CONE_SEARCH_URL [radius-deg]');
    process.exit(2);
  }
  const client = await startVicinitySearcher({ coneUrl, radiusDeg: radius ? Number(radius) : undefined });
  console.error(`vicinity-searcher registered as ${client.selfId}; waiting for tables (Ctrl-C to stop)`);
  process.on('SIGINT', () => client.unregister().finally(() => process.exit(0)));
}
