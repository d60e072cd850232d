// Builds BINARY/BINARY2 byte streams by hand (big-endian, VOTable 1.5 §5.4-5.5), so decoder tests
// state every byte they feed in.
import { createBinaryDecoder, type Column, type Field } from '@vokit/votable';

export function field(name: string, datatype: Field['datatype'], arraysize?: string, nullValue?: string): Field {
  const f: Field = { name, datatype, arraysize, attributes: {}, links: [] };
  if (nullValue !== undefined) f.values = { null: nullValue, attributes: {}, options: [] };
  return f;
}

/** Appends big-endian values; `bytes()` returns what was written. */
export class RowWriter {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): number {
    if (this.length + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      next.set(this.buf);
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  u8(...values: number[]): this {
    for (const v of values) this.buf[this.room(1)] = v;
    return this;
  }
  i16(...values: number[]): this {
    for (const v of values) this.put(2, (at) => this.view.setInt16(at, v));
    return this;
  }
  i32(...values: number[]): this {
    for (const v of values) this.put(4, (at) => this.view.setInt32(at, v));
    return this;
  }
  i64(...values: bigint[]): this {
    for (const v of values) this.put(8, (at) => this.view.setBigInt64(at, v));
    return this;
  }
  f32(...values: number[]): this {
    for (const v of values) this.put(4, (at) => this.view.setFloat32(at, v));
    return this;
  }
  f64(...values: number[]): this {
    for (const v of values) this.put(8, (at) => this.view.setFloat64(at, v));
    return this;
  }
  /** ASCII text, NUL-padded to `width` when given. */
  ascii(text: string, width = text.length): this {
    const at = this.room(width);
    for (let i = 0; i < width; i++) this.buf[at + i] = i < text.length ? text.charCodeAt(i) : 0;
    return this;
  }
  /** UCS-2 big-endian text, NUL-padded to `width` characters when given. */
  ucs2(text: string, width = text.length): this {
    for (let i = 0; i < width; i++) this.put(2, (at) => this.view.setUint16(at, i < text.length ? text.charCodeAt(i) : 0));
    return this;
  }
  /** Reserves `n` bytes first (which may replace the view), then writes. */
  private put(n: number, write: (at: number) => void): void {
    write(this.room(n));
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Decodes raw stream bytes pushed in the given chunk sizes (whole by default). */
export function decodeBytes(
  fields: Field[],
  serialization: 'BINARY' | 'BINARY2',
  bytes: Uint8Array,
  cuts: number[] = [],
): Column[] {
  const d = createBinaryDecoder({ fields, serialization });
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    d.pushBytes(bytes.subarray(at, cut));
    at = cut;
  }
  d.end();
  return d.takeColumns();
}

/** Every column as plain arrays of cells, for whole-table comparisons. */
export function cells(columns: Column[]): Record<string, unknown[]> {
  return Object.fromEntries(columns.map((c) => [c.name, c.toArray().map((v) => (ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number | bigint>) : v))]));
}

/** Extracts the text of the first `<STREAM>` of a document, with its document offset. */
export function streamText(xml: Uint8Array): { start: number; end: number } {
  const text = new TextDecoder('latin1').decode(xml);
  const open = /<STREAM[^>]*>/.exec(text);
  if (!open) throw new Error('no STREAM');
  const start = open.index + open[0].length;
  return { start, end: text.indexOf('</STREAM>', start) };
}

/** FIELDs of a fixture's first TABLE (name, datatype, arraysize, VALUES null), read by regex. */
export function fixtureFields(xml: Uint8Array): Field[] {
  const text = new TextDecoder('latin1').decode(xml);
  const out: Field[] = [];
  for (const m of text.matchAll(/<FIELD\b([^>]*?)(\/>|>([\s\S]*?)<\/FIELD>)/g)) {
    const attr = (name: string) => new RegExp(`\\b${name}=["']([^"']*)["']`).exec(m[1])?.[1];
    const nullValue = m[3] ? /<VALUES[^>]*\bnull=["']([^"']*)["']/.exec(m[3])?.[1] : undefined;
    out.push(field(attr('name') as string, attr('datatype') as Field['datatype'], attr('arraysize'), nullValue));
  }
  return out;
}
