// The streaming XML tokenizer on its own: tokens, namespaces, entities, CDATA, comments, PIs,
// Latin-1, offsets and lines, and the same tokens however the bytes are cut.
import { describe, expect, it } from 'vitest';
import { TruncatedError, VOTableXMLError, XmlScanner, type XmlToken } from '@vokit/votable';
import { SYNTHETIC } from './support/synthetic.js';

/** Tokens as comparable text; text pieces merged, as a consumer would. */
function tokens(chunks: Uint8Array[], latin1 = false): string[] {
  const scanner = new XmlScanner();
  const out: string[] = [];
  let text: number[] | null = null;
  const flush = () => {
    if (text) out.push(`text ${JSON.stringify(new TextDecoder(latin1 ? 'latin1' : 'utf-8').decode(new Uint8Array(text)))}`);
    text = null;
  };
  const take = () => {
    for (let t: XmlToken | null; (t = scanner.next()) !== null; ) {
      if (t.kind === 'text') {
        text ??= [];
        for (let i = t.start; i < t.end; i++) text.push(t.bytes[i]);
        continue;
      }
      flush();
      if (t.kind === 'start') out.push(`start ${t.qname} {${t.ns}}${t.local} ${JSON.stringify(t.attributes)}${t.selfClosing ? ' /' : ''} @${t.offset}:${t.line}`);
      else out.push(`end ${t.qname} @${t.offset}:${t.line}`);
    }
  };
  for (const c of chunks) {
    scanner.push(c);
    take();
  }
  scanner.end();
  take();
  flush();
  return out;
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('XmlScanner', () => {
  it('tokenizes elements, attributes, text, references and CDATA with offsets and lines', () => {
    const xml = `<?xml version="1.0"?>\n<a x="1" y='2 &amp; &#65;&#x42;'>\n hi &lt;there&gt; <b/><![CDATA[<raw>]]><!-- c --><?pi x?></a>\n`;
    expect(tokens([enc(xml)])).toEqual([
      'start a {}a {"x":"1","y":"2 & AB"} @22:2',
      'text "\\n hi <there> "',
      `start b {}b {} / @${xml.indexOf('<b/>')}:3`,
      `end b @${xml.indexOf('<b/>')}:3`,
      'text "<raw>"',
      `end a @${xml.indexOf('</a>')}:3`,
    ]);
  });

  it('normalizes whitespace in attribute values but keeps character references', () => {
    expect(tokens([enc('<a v="x\ty\r\nz&#10;w"/>')])[0]).toBe('start a {}a {"v":"x y z\\nw"} / @0:1');
  });

  it('resolves default and prefixed namespaces with scoping', () => {
    const xml = '<r xmlns="urn:a" xmlns:p="urn:p"><p:x><y xmlns="urn:b"/></p:x><q:z/></r>';
    expect(tokens([enc(xml)]).filter((t) => t.startsWith('start')).map((t) => t.split(' ').slice(1, 3).join(' '))).toEqual([
      'r {urn:a}r',
      'p:x {urn:p}x',
      'y {urn:b}y',
      'q:z {urn:undeclared-prefix:q}z',
    ]);
  });

  it('gives the same tokens for every split of a document full of hard cases', () => {
    const bytes = enc(SYNTHETIC);
    const whole = tokens([bytes]);
    expect(whole.length).toBeGreaterThan(100);
    for (let cut = 1; cut < bytes.length; cut++) {
      const split = tokens([bytes.subarray(0, cut), bytes.subarray(cut)]);
      if (split.join('\n') !== whole.join('\n')) expect({ cut, split }).toEqual({ cut, split: whole });
    }
    expect(tokens(Array.from(bytes, (b) => new Uint8Array([b])))).toEqual(whole);
  });

  it('reads ISO-8859-1 documents as declared', () => {
    const bytes = new Uint8Array([...enc('<?xml version="1.0" encoding="ISO-8859-1"?><a n="'), 0xe9, ...enc('">'), 0xfc, ...enc('</a>')]);
    const decl = '<?xml version="1.0" encoding="ISO-8859-1"?>'.length;
    // One byte per character: the end tag sits after `<a n="` + é + `">` + ü.
    expect(tokens([bytes], true)).toEqual([`start a {}a {"n":"é"} @${decl}:1`, 'text "ü"', `end a @${decl + 10}:1`]);
  });

  it('skips a UTF-8 byte-order mark and refuses UTF-16', () => {
    expect(tokens([new Uint8Array([0xef, 0xbb, 0xbf, ...enc('<a/>')])])).toEqual(['start a {}a {} / @3:1', 'end a @3:1']);
    expect(() => tokens([new Uint8Array([0xff, 0xfe, 0x3c, 0])])).toThrow(VOTableXMLError);
  });

  it('reports truncation inside each kind of construct', () => {
    const cases = ['<a', '<a x="1', '<a>&amp', '<a><![CDATA[x', '<a><!-- x', '<a><?pi', '<!DOCTYPE a [', '<a>', ''];
    for (const xml of cases) {
      expect(() => tokens([enc(xml)]), xml).toThrow(TruncatedError);
    }
  });

  it('skips a huge comment chunk by chunk, keeping little of it, and still counts its lines', () => {
    const scanner = new XmlScanner();
    scanner.push(enc('<a><!--'));
    expect(scanner.next()).toMatchObject({ kind: 'start', local: 'a' });
    for (let k = 0; k < 100; k++) {
      scanner.push(enc('-x\n'.repeat(3000)));
      expect(scanner.next()).toBeNull();
      // Only the bytes that could begin "-->" wait for the next chunk.
      expect(scanner.limit - scanner.pos).toBeLessThanOrEqual(2);
    }
    scanner.push(enc('--><b/></a>'));
    expect(scanner.next()).toMatchObject({ kind: 'start', local: 'b', line: 300_001 });
    const unterminated = new XmlScanner();
    unterminated.push(enc('<a/><!-- x'));
    unterminated.next();
    unterminated.next();
    unterminated.end();
    expect(() => unterminated.next()).toThrow(TruncatedError);
  });

  it('keeps a token that spans many chunks in a growing buffer (linear, not quadratic)', () => {
    const scanner = new XmlScanner();
    const value = 'v'.repeat(1_000_000);
    const bytes = enc(`<a x="${value}"/>`);
    const buffers = new Set<ArrayBufferLike>();
    for (let at = 0; at < bytes.length; at += 1000) {
      scanner.push(bytes.subarray(at, at + 1000));
      buffers.add(scanner.buffer.buffer);
    }
    const t = scanner.next();
    expect(t).toMatchObject({ kind: 'start', local: 'a' });
    expect((t as { attributes: Record<string, string> }).attributes.x.length).toBe(1_000_000);
    // Doubling: a few dozen allocations for a thousand chunks.
    expect(buffers.size).toBeLessThan(40);
  });

  it('reads a one-line document with 100k elements in linear time', () => {
    const xml = enc(`<r>${'<a b="1"/>'.repeat(100_000)}</r>`);
    const scanner = new XmlScanner();
    scanner.push(xml);
    scanner.end();
    const start = performance.now();
    let count = 0;
    for (let t: XmlToken | null; (t = scanner.next()) !== null; ) if (t.kind === 'start') count++;
    expect(count).toBe(100_001);
    // Quadratic scanning (a newline search running to the end of the line each time) took
    // minutes here.
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it('hands out huge text in pieces without rescanning it', () => {
    const scanner = new XmlScanner();
    scanner.push(enc('<a>'));
    expect(scanner.next()).toMatchObject({ kind: 'start', local: 'a' });
    let total = 0;
    for (let k = 0; k < 200; k++) {
      scanner.push(enc('x'.repeat(10_000)));
      const t = scanner.next();
      expect(t).toMatchObject({ kind: 'text' });
      total += (t as { end: number; start: number }).end - (t as { start: number }).start;
      expect(scanner.next()).toBeNull();
    }
    expect(total).toBe(2_000_000);
  });
});
