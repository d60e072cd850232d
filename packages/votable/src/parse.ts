/**
 * Reading VOTables: `parseVOTable` (whole document, columns filled), `parseVOTableSync` (the
 * same for bytes or a string already in memory) and `streamVOTable` (row batches with bounded
 * memory). All three drive one push parser: the streaming XML scanner (`xml-scanner.ts`) feeds
 * the header builder (`header.ts`), and the bytes between `<TABLEDATA>` and `</TABLEDATA>` or
 * inside `<STREAM>` go straight to the TABLEDATA decoder (`tabledata.ts`) or the BINARY/BINARY2
 * decoder (`binary.ts`), never through a DOM.
 *
 * `writeVOTable` (writer.ts) is the opposite of `parseVOTable`.
 */

import { Base64Decoder } from './base64.js';
import { BINARY_DECODER_HOST, createBinaryDecoder, type BinaryDecoderFactory, type BinaryStreamDecoder } from './binary.js';
import type { Column } from './column.js';
import { ColumnBuilder } from './column-builder.js';
import { sliceColumn } from './column-slice.js';
import { OptionsError, StreamReferenceError, TruncatedError } from './errors.js';
import { readFitsTable } from './fits.js';
import {
  HEADER_SERIALIZATION,
  HEADER_SERIALIZATION_END,
  HEADER_STREAM,
  HEADER_STREAM_END,
  HEADER_TABLE_END,
  HEADER_TABLEDATA,
  HeaderBuilder,
} from './header.js';
import { documentChunks, gzipError, inMemoryBytes, isGzip, type VOTableInput } from './input.js';
import type { Resource, Table, VOTableDocument } from './model.js';
import { resolveStreamHref } from './stream-href.js';
import { TableDataDecoder, TD_END, TD_NEED_MORE, TD_PAUSED } from './tabledata.js';
import { XmlScanner } from './xml-scanner.js';

export type { VOTableInput } from './input.js';

/** Options of parseVOTable, parseVOTableSync and streamVOTable. */
export interface ParseOptions {
  /** Rows per `rows` event of streamVOTable (default 65536). Ignored by parseVOTable. */
  batchRows?: number;
  /**
   * Most internal-entity expansions allowed (default 10000); more is a SecurityError.
   * External entities and DTDs are never fetched.
   */
  maxEntityExpansions?: number;
  /** Base URL for relative STREAM `href`s (local `file:` only unless allowRemoteHref). */
  baseUrl?: string;
  /** Allow STREAM `href`s that are not local files (default false). */
  allowRemoteHref?: boolean;
  /** Allow local STREAM `href`s outside the directory of `baseUrl` (default false). */
  allowHrefOutsideBase?: boolean;
  /** The fetch used for remote STREAM hrefs (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Aborts reading; the promise or iterator rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Makes the decoder of each BINARY/BINARY2 stream instead of the TypeScript one (default
   * `createBinaryDecoder`), e.g. `@vokit/crossmatch-wasm`'s `wasmBinaryDecoderFactory`. It gets
   * the stream's options and `BINARY_DECODER_HOST`.
   */
  binaryDecoderFactory?: BinaryDecoderFactory;
  /**
   * Size in bytes of the whole input, when it is known though the input comes in chunks (a
   * file's size, a Content-Length). Only a hint: whole-document parses use it to size each
   * table's columns once instead of growing them (less copying, a lower memory peak). Inputs
   * given whole (bytes, string) know their size and ignore it.
   */
  inputBytes?: number;
}

/** What streamVOTable yields, in document order. */
export type VOTableEvent =
  /** A TABLE's metadata is complete (its `columns` are still empty). `path` is the index of
   * each RESOURCE from the root, then the table's index in its RESOURCE. */
  | { type: 'table'; table: Table; path: number[] }
  /** A batch of rows of `table`: one Column per FIELD, rows `[rowOffset, rowOffset + rowCount)`. */
  | { type: 'rows'; table: Table; columns: Column[]; rowOffset: number; rowCount: number }
  /** The whole document (tables without columns when streamed; `rowCount` is set). */
  | { type: 'end'; document: VOTableDocument };

/** Default rows per batch when streaming. */
export const DEFAULT_BATCH_ROWS = 65536;

/** Base64 text is handed to the BINARY decoder in pieces of this many bytes at most, so that
 * batches stay near `batchRows` even when a whole document arrives in one chunk. */
const STREAM_PIECE = 1 << 18;

/** Largest row count taken from a TABLE's `nrows` to size buffers up front (a hint only). */
const MAX_PREALLOCATED_ROWS = 1 << 22;

const AMP = 0x26;

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

interface RowDecoder {
  readonly pendingRows: number;
  takeColumns(): Column[];
}

/**
 * FITS data (`<FITS extnum>`, VOTable 1.5 §5.3) needs the whole file before its BINTABLE can be
 * read (header first, heap last), so its bytes are gathered and decoded at the end of the STREAM
 * by `fits.ts`; the table then arrives as one batch.
 */
class FitsCollector implements RowDecoder {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private columns: Column[] | null = null;
  private readonly base64 = new Base64Decoder();
  pendingRows = 0;

  constructor(
    private readonly table: Table,
    private readonly tableIndex: number,
  ) {}

  pushBytes(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice());
    this.size += bytes.length;
  }

  pushBase64(bytes: Uint8Array, start: number, end: number, offset: number): void {
    const out = this.base64.decode(bytes, start, end, offset);
    if (out.length > 0) this.pushBytes(out);
  }

  /** All bytes are in: decodes the BINTABLE. */
  finish(inline: boolean): void {
    if (inline) {
      const tail = this.base64.end();
      if (tail.length > 0) this.pushBytes(tail);
    }
    const bytes = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    this.chunks.length = 0;
    const fits = readFitsTable(bytes, {
      extnum: this.table.data?.extnum ?? 1,
      fields: this.table.fields,
      tableIndex: this.tableIndex,
    });
    this.columns = fits.columns;
    this.pendingRows = fits.rowCount;
  }

  takeColumns(): Column[] {
    const columns = this.columns ?? this.table.fields.map((f) => new ColumnBuilder(f).finish());
    this.columns = this.table.fields.map((f) => new ColumnBuilder(f).finish());
    this.pendingRows = 0;
    return columns;
  }
}

/** A STREAM whose bytes live at an href, waiting for the async driver to read them. */
export interface PendingHref {
  href: string;
  /** The STREAM `encoding` (gzip, base64, dynamic or none). */
  encoding?: string;
  offset: number;
  line: number;
}

function validateOptions(options: ParseOptions): void {
  const b = options.batchRows;
  if (b !== undefined && !(Number.isInteger(b) && b > 0)) {
    throw new OptionsError(`batchRows must be a positive integer, got ${String(b)}`);
  }
  const m = options.maxEntityExpansions;
  if (m !== undefined && !(Number.isInteger(m) && m >= 0)) {
    throw new OptionsError(`maxEntityExpansions must be a non-negative integer, got ${String(m)}`);
  }
}

/**
 * The push parser behind every entry point: `push` bytes, `end`, and collect `events`
 * (streaming) or `document` (whole).
 */
export class VOTableParser {
  /** Events not yet taken (streaming mode only). */
  events: VOTableEvent[] = [];
  private readonly scanner: XmlScanner;
  private readonly header: HeaderBuilder;
  private readonly streaming: boolean;
  private readonly batchRows: number;
  private td: TableDataDecoder | null = null;
  private binary: BinaryStreamDecoder | null = null;
  private fits: FitsCollector | null = null;
  /** Set when a STREAM href must be read before parsing can go on (see `resolveHref`). */
  pendingHref: PendingHref | null = null;
  private decoder: RowDecoder | null = null;
  private inStream = false;
  private tableAnnounced = false;
  private rowsEmitted = 0;
  private readonly options: ParseOptions;

  /**
   * @param streaming true to emit `rows` batches and leave `table.columns` empty; false to
   *   fill every table's columns.
   */
  constructor(options: ParseOptions = {}, streaming = false) {
    validateOptions(options);
    this.streaming = streaming;
    this.batchRows = streaming ? (options.batchRows ?? DEFAULT_BATCH_ROWS) : Infinity;
    this.scanner = new XmlScanner({ maxEntityExpansions: options.maxEntityExpansions });
    this.header = new HeaderBuilder((bytes) => (this.scanner.latin1 ? latin1 : utf8).decode(bytes));
    this.options = options;
  }

  /**
   * Size of the whole document when it is known before parsing (in memory), or -1; TABLEDATA
   * uses it to size columns once instead of growing them by doubling.
   */
  totalBytes = -1;

  /** Adds document bytes and decodes as far as they go. */
  push(chunk: Uint8Array): void {
    this.scanner.push(chunk);
    this.run();
  }

  /** Ends the input: throws TruncatedError when the document is incomplete. */
  end(): VOTableDocument {
    this.scanner.end();
    this.run();
    const doc = this.header.document;
    if (!doc || !this.scanner.finished) {
      throw new TruncatedError('input ends before </VOTABLE>', this.scanner.where());
    }
    if (this.streaming) this.events.push({ type: 'end', document: doc });
    return doc;
  }

  private run(): void {
    const scanner = this.scanner;
    const header = this.header;
    for (;;) {
      if (this.pendingHref) return;
      if (this.td) {
        const state = this.td.decode(scanner, this.batchRows);
        if (state === TD_PAUSED) {
          this.emitRows();
          continue;
        }
        if (state === TD_NEED_MORE) {
          if (this.streaming && this.td.pendingRows >= this.batchRows) this.emitRows();
          return;
        }
        // TD_END: the scanner reads `</TABLEDATA>` next.
        this.td = null;
      }
      if (this.inStream && this.binary && scanner.atText && typeof this.binary.pushBase64Text === 'function') {
        this.streamRaw();
        continue;
      }
      const token = scanner.next();
      if (token === null) return;
      if (token.kind === 'text') {
        if (this.inStream) {
          if (this.binary) this.streamText(token.bytes, token.start, token.end, token.offset);
          else this.fits?.pushBase64(token.bytes, token.start, token.end, token.offset);
        } else header.text(token);
        continue;
      }
      if (token.kind === 'start') {
        const code = header.start(token);
        if (code === HEADER_TABLEDATA) {
          this.announceTable();
          const decoder = new TableDataDecoder({
            fields: header.table!.fields,
            tableIndex: header.tableIndex,
            expectedRows: this.expectedRows(header.table!),
            batchRows: this.batchRows,
            bytesHint: this.streaming ? 0 : Math.max(0, this.knownBytes() - scanner.offset),
          });
          this.decoder = decoder;
          if (!token.selfClosing) this.td = decoder;
        } else if (code === HEADER_SERIALIZATION) {
          this.announceTable();
          const serialization = header.serialization;
          if (serialization === 'BINARY' || serialization === 'BINARY2') {
            this.binary = (this.options.binaryDecoderFactory ?? createBinaryDecoder)(
              {
                fields: header.table!.fields,
                serialization,
                tableIndex: header.tableIndex,
                expectedRows: this.expectedRows(header.table!),
                // base64 text decodes to 3/4 of its length (a rough guess for other encodings)
                expectedBytes: this.streaming ? undefined : Math.floor(Math.max(0, this.knownBytes() - scanner.offset) * 0.75) || undefined,
              },
              BINARY_DECODER_HOST,
            );
            this.decoder = this.binary;
          } else {
            this.fits = new FitsCollector(header.table!, header.tableIndex);
            this.decoder = this.fits;
          }
        } else if (code === HEADER_STREAM) {
          this.inStream = this.dataStream(token.attributes, token.offset, token.line) && !token.selfClosing;
          scanner.rawText = this.inStream;
        }
        continue;
      }
      // End tag.
      const code = header.end(token);
      if (code === HEADER_STREAM_END) {
        if (this.fits && this.inStream) this.fits.finish(true);
        this.inStream = false;
        scanner.rawText = false;
      } else if (code === HEADER_SERIALIZATION_END) {
        if (this.binary) this.binary.end();
      } else if (code === HEADER_TABLE_END) this.finishTable();
    }
  }

  /** The input's size: known when given whole, else the `inputBytes` hint; 0 when unknown. */
  private knownBytes(): number {
    if (this.totalBytes >= 0) return this.totalBytes;
    const hint = this.options.inputBytes;
    return hint !== undefined && Number.isFinite(hint) && hint > 0 ? hint : 0;
  }

  private expectedRows(table: Table): number {
    // Streaming: every batch is `batchRows` rows, so the first can be sized for it.
    if (this.streaming) return Math.min(this.batchRows, MAX_PREALLOCATED_ROWS);
    return Math.min(table.nrows ?? 0, MAX_PREALLOCATED_ROWS);
  }

  /**
   * Starts a STREAM. Returns true when its content is inline base64; for an href, sets
   * `pendingHref` (the async driver reads it) and returns false.
   */
  private dataStream(attributes: Record<string, string>, offset: number, line: number): boolean {
    const encoding = attributes.encoding?.trim();
    if (attributes.href !== undefined) {
      this.pendingHref = { href: attributes.href, encoding, offset, line };
      return false;
    }
    if (encoding !== undefined && encoding !== '' && encoding !== 'base64') {
      throw new StreamReferenceError(`inline STREAM encoding="${encoding}" is not supported (expected base64)`, {
        offset,
        line,
        table: this.header.tableIndex,
      });
    }
    return true;
  }

  /**
   * Reads the pending STREAM href into the table's decoder, then parses on. Emits `rows`
   * batches while reading (streaming mode).
   */
  async resolveHref(): Promise<void> {
    for await (const _ of this.readHref()) {
      // Whole-document mode: batches are not taken while reading.
    }
  }

  /** `resolveHref` step by step: yields after each chunk so a streaming caller can drain `events`. */
  async *readHref(): AsyncGenerator<void> {
    const pending = this.pendingHref;
    if (!pending) return;
    const options = this.options;
    const where = { offset: pending.offset, line: pending.line, table: this.header.tableIndex };
    try {
      for await (const bytes of resolveStreamHref(pending.href, {
        baseUrl: options.baseUrl,
        encoding: pending.encoding,
        allowRemote: options.allowRemoteHref,
        allowOutsideBase: options.allowHrefOutsideBase,
        fetch: options.fetch,
        signal: options.signal,
      })) {
        if (this.binary) {
          this.binary.pushBytes(bytes);
          if (this.streaming && this.binary.pendingRows >= this.batchRows) this.emitRows();
        } else this.fits?.pushBytes(bytes);
        yield;
      }
    } catch (e) {
      if (e instanceof StreamReferenceError && e.where.offset === undefined) {
        throw new StreamReferenceError(e.message.replace(/^votable: /, ''), where, { cause: e });
      }
      throw e;
    }
    this.fits?.finish(false);
    this.pendingHref = null;
    this.run();
  }

  private streamText(bytes: Uint8Array, start: number, end: number, offset: number): void {
    const binary = this.binary!;
    if (!this.streaming) {
      binary.pushBase64(bytes, start, end, offset);
      return;
    }
    let at = start;
    while (at < end) {
      // Feed about as much text as the rows missing from the batch take (learned from what
      // was fed so far), so that batches end on exactly `batchRows` without cutting columns.
      const missing = this.batchRows - binary.pendingRows;
      const perRow = this.base64Rows > 0 ? this.base64Fed / this.base64Rows : 0;
      const want = perRow > 0 ? Math.max(64, Math.floor(missing * perRow * 0.95)) : STREAM_PIECE;
      const stop = Math.min(end, at + Math.min(want, STREAM_PIECE));
      const before = binary.rowCount;
      binary.pushBase64(bytes, at, stop, offset + (at - start));
      this.base64Fed += stop - at;
      this.base64Rows += binary.rowCount - before;
      at = stop;
      if (binary.pendingRows >= this.batchRows) this.emitRows();
    }
  }

  /**
   * Inline base64 read straight from the scanner's buffer: the decoder stops at the first `<`
   * (the end tag, or a comment the scanner then skips) so the text is passed over once instead
   * of once by the scanner looking for `<` and again by the decoder. The scanner then resumes
   * at that `<` with its offset and line count advanced. Pieces are sized as in `streamText`.
   */
  private streamRaw(): void {
    const scanner = this.scanner;
    const binary = this.binary!;
    const bytes = scanner.buffer;
    const start = scanner.pos;
    const end = scanner.limit;
    const offset = scanner.offsetOf(start);
    const newlines = binary.newlines;
    let at = start;
    if (!this.streaming) {
      at = binary.pushBase64Text(bytes, start, end, offset);
    } else {
      while (at < end) {
        const missing = this.batchRows - binary.pendingRows;
        const perRow = this.base64Rows > 0 ? this.base64Fed / this.base64Rows : 0;
        const want = perRow > 0 ? Math.max(64, Math.floor(missing * perRow * 0.95)) : STREAM_PIECE;
        const stop = Math.min(end, at + Math.min(want, STREAM_PIECE));
        const before = binary.rowCount;
        const stopped = binary.pushBase64Text(bytes, at, stop, offset + (at - start));
        this.base64Fed += stopped - at;
        this.base64Rows += binary.rowCount - before;
        at = stopped;
        if (binary.pendingRows >= this.batchRows) this.emitRows();
        if (stopped < stop) break;
      }
    }
    // `&` is no reference in base64 text (rawText): the decoder rejects it, with its offset.
    if (at < end && bytes[at] === AMP) {
      binary.pushBase64(bytes, at, at + 1, offset + (at - start));
      at++;
    }
    scanner.advance(at, binary.newlines - newlines);
  }

  /** Base64 bytes fed and rows they gave, for sizing the pieces of `streamText`. */
  private base64Fed = 0;
  private base64Rows = 0;

  private announceTable(): void {
    if (this.tableAnnounced) return;
    this.tableAnnounced = true;
    if (!this.streaming) return;
    const table = this.header.table!;
    this.events.push({ type: 'table', table, path: tablePath(this.header.document!, table) });
  }

  /**
   * Emits the pending rows as batches of exactly `batchRows` (the last one shorter): a decoder
   * fed a whole base64 piece may hold more than one batch.
   */
  private emitRows(): void {
    const decoder = this.decoder;
    if (!decoder || decoder.pendingRows === 0) return;
    const rowCount = decoder.pendingRows;
    const columns = decoder.takeColumns();
    const table = this.header.table!;
    if (rowCount <= this.batchRows) {
      this.events.push({ type: 'rows', table, columns, rowOffset: this.rowsEmitted, rowCount });
      this.rowsEmitted += rowCount;
      return;
    }
    for (let at = 0; at < rowCount; at += this.batchRows) {
      const n = Math.min(this.batchRows, rowCount - at);
      const batch = columns.map((c) => sliceColumn(c, at, at + n));
      this.events.push({ type: 'rows', table, columns: batch, rowOffset: this.rowsEmitted, rowCount: n });
      this.rowsEmitted += n;
    }
  }

  private finishTable(): void {
    const table = this.header.table!;
    this.announceTable();
    const decoder = this.decoder;
    if (this.streaming) {
      this.emitRows();
      table.rowCount = this.rowsEmitted;
    } else if (decoder) {
      const rows = decoder.pendingRows;
      table.columns = decoder.takeColumns();
      table.rowCount = rows;
    } else {
      table.columns = table.fields.map((f) => new ColumnBuilder(f).finish());
      table.rowCount = 0;
    }
    this.decoder = null;
    this.binary = null;
    this.fits = null;
    this.base64Fed = 0;
    this.base64Rows = 0;
    this.td = null;
    this.inStream = false;
    this.tableAnnounced = false;
    this.rowsEmitted = 0;
    this.header.tableDone();
  }
}

/** RESOURCE indices from the root down to `table`, then its index in its RESOURCE. */
function tablePath(doc: VOTableDocument, table: Table): number[] {
  const search = (resources: Resource[], prefix: number[]): number[] | null => {
    for (let r = 0; r < resources.length; r++) {
      const t = resources[r].tables.indexOf(table);
      if (t >= 0) return [...prefix, r, t];
      const inner = search(resources[r].resources, [...prefix, r]);
      if (inner) return inner;
    }
    return null;
  };
  return search(doc.resources, []) ?? [];
}

/**
 * Reads a whole VOTable into memory: every table's metadata and its columns.
 * Gzip-compressed input (the whole document) is recognised by its magic bytes.
 *
 * @example
 * const doc = await parseVOTable(await readFile('cone.xml'));
 * const t = getFirstTable(doc);
 * t.columns[0].get(0);
 */
export async function parseVOTable(input: VOTableInput, options: ParseOptions = {}): Promise<VOTableDocument> {
  const parser = new VOTableParser(options, false);
  const bytes = inMemoryBytes(input);
  if (bytes && !isGzip(bytes)) {
    // Already in memory: one push, no copies.
    options.signal?.throwIfAborted();
    parser.totalBytes = bytes.length;
    parser.push(bytes);
    while (parser.pendingHref) await parser.resolveHref();
    return parser.end();
  }
  for await (const chunk of documentChunks(input, options.signal)) {
    parser.push(chunk);
    while (parser.pendingHref) await parser.resolveHref();
  }
  return parser.end();
}

type Gunzip = (bytes: Uint8Array) => Uint8Array;

function nodeGunzip(): Gunzip | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const zlib = proc?.getBuiltinModule?.('node:zlib') as { gunzipSync(b: Uint8Array): Uint8Array } | undefined;
  return zlib ? (b) => zlib.gunzipSync(b) : null;
}

/**
 * parseVOTable for input already in memory, synchronously. Gzip-compressed bytes are
 * decompressed with node:zlib (Node ≥ 20.16); elsewhere use parseVOTable for gzip.
 */
export function parseVOTableSync(input: Uint8Array | ArrayBuffer | string, options: ParseOptions = {}): VOTableDocument {
  let bytes = inMemoryBytes(input);
  if (!bytes) throw new OptionsError('parseVOTableSync takes a Uint8Array, ArrayBuffer or string; use parseVOTable for streams');
  if (isGzip(bytes)) {
    const gunzip = nodeGunzip();
    if (!gunzip) throw new OptionsError('gzip input needs node:zlib here; use the async parseVOTable instead');
    try {
      bytes = gunzip(bytes);
    } catch (e) {
      throw gzipError(e);
    }
  }
  const parser = new VOTableParser(options, false);
  parser.totalBytes = bytes.length;
  parser.push(bytes);
  if (parser.pendingHref) {
    throw new OptionsError(
      `STREAM href="${parser.pendingHref.href}" has to be read asynchronously: use parseVOTable instead of parseVOTableSync`,
    );
  }
  return parser.end();
}

/**
 * Reads a VOTable as a stream of events: `table` when a table's metadata is complete, `rows`
 * for each batch of at most `batchRows` rows, `end` with the document. Memory stays bounded by
 * the batch size and the input chunk size, whatever the table size.
 *
 * @example
 * for await (const ev of streamVOTable(createReadStream('big.vot'))) {
 *   if (ev.type === 'rows') total += ev.rowCount;
 * }
 */
export async function* streamVOTable(input: VOTableInput, options: ParseOptions = {}): AsyncGenerator<VOTableEvent> {
  const parser = new VOTableParser(options, true);
  const drain = function* (): Generator<VOTableEvent> {
    if (parser.events.length === 0) return;
    const events = parser.events;
    parser.events = [];
    yield* events;
  };
  for await (const chunk of documentChunks(input, options.signal)) {
    parser.push(chunk);
    yield* drain();
    while (parser.pendingHref) {
      for await (const _ of parser.readHref()) yield* drain();
      yield* drain();
    }
  }
  parser.end();
  yield* parser.events;
  parser.events = [];
}
