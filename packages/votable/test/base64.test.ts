import { describe, expect, it } from 'vitest';
import { Base64Decoder, BinaryDecodeError, decodeBase64, encodeBase64 } from '@vokit/votable';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A deterministic byte pattern (LCG), so failures reproduce. */
function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Decodes `text` pushed in pieces cut at `cuts`, with document offsets starting at `base`. */
function decodeChunked(text: Uint8Array, cuts: number[], base = 0): Uint8Array {
  const d = new Base64Decoder();
  const parts: number[] = [];
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    parts.push(...d.decode(text, at, cut, base + at));
    at = cut;
  }
  parts.push(...d.end());
  return Uint8Array.from(parts);
}

function errorOf(fn: () => unknown): BinaryDecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BinaryDecodeError);
    return e as BinaryDecodeError;
  }
  throw new Error('expected a BinaryDecodeError');
}

describe('base64 decoding', () => {
  it('decodes the RFC 4648 §10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(new TextDecoder().decode(decodeBase64(encoded))).toBe(plain);
      expect(encodeBase64(ascii(plain))).toBe(encoded);
    }
  });

  it('agrees with Node Buffer on every length and every line width writers use', () => {
    for (let n = 0; n < 200; n++) {
      const raw = pattern(n, n + 1);
      for (const lineLength of [0, 4, 64, 76]) {
        const text = encodeBase64(raw, { lineLength });
        expect(text).toBe(lineLength ? Buffer.from(raw).toString('base64').replace(new RegExp(`(.{${lineLength}})(?=.)`, 'g'), '$1\n') : Buffer.from(raw).toString('base64'));
        expect(Array.from(decodeBase64(text))).toEqual(Array.from(raw));
      }
    }
  });

  it('gives the same bytes for the input cut at every position, including inside a 4-character group', () => {
    const raw = pattern(47, 7);
    // STILTS-like wrapping at 64 plus an odd 5-character line so groups straddle line breaks.
    const text = ascii(`  ${encodeBase64(raw, { lineLength: 64 }).slice(0, 5)}\r\n\t${encodeBase64(raw, { lineLength: 64 }).slice(5)}\n  `);
    for (let cut = 0; cut <= text.length; cut++) {
      expect(Array.from(decodeChunked(text, [cut]))).toEqual(Array.from(raw));
    }
    for (let a = 0; a <= text.length; a += 3) {
      for (let b = a; b <= text.length; b += 5) {
        expect(Array.from(decodeChunked(text, [a, b]))).toEqual(Array.from(raw));
      }
    }
    // One character per call.
    const every = Array.from({ length: text.length }, (_, i) => i);
    expect(Array.from(decodeChunked(text, every))).toEqual(Array.from(raw));
  });

  it('accepts whitespace inside groups and around padding', () => {
    expect(Array.from(decodeBase64('Zm 9v\nYm\r\nE\t='))).toEqual(Array.from(ascii('fooba')));
    expect(Array.from(decodeBase64('Zg =\n= \n'))).toEqual([0x66]);
  });

  it('accepts an unpadded final group of 2 or 3 characters', () => {
    expect(Array.from(decodeBase64('Zg'))).toEqual([0x66]);
    expect(Array.from(decodeBase64('Zm8'))).toEqual([0x66, 0x6f]);
    expect(Array.from(decodeBase64('Zm9vYmE'))).toEqual(Array.from(ascii('fooba')));
  });

  it('decodes 1 MB in 4 KiB pieces like Buffer does', () => {
    const raw = pattern(1 << 20, 3);
    const text = ascii(Buffer.from(raw).toString('base64'));
    const cuts: number[] = [];
    for (let c = 4095; c < text.length; c += 4095) cuts.push(c);
    expect(Buffer.compare(Buffer.from(decodeChunked(text, cuts)), Buffer.from(raw))).toBe(0);
  });

  it('names the document offset of an invalid character', () => {
    // "Zm9v" at document offset 1000, then "Y" at 1004, "!" at 1005.
    const text = ascii('Zm9vY!mE=');
    const d = new Base64Decoder();
    const e = errorOf(() => d.decode(text, 0, text.length, 1000));
    expect(e.where.offset).toBe(1005);
    expect(e.code).toBe('VOTABLE_BINARY');
    expect(e.message).toBe(
      'votable offset 1005: invalid base64 character "!" (expected A-Z, a-z, 0-9, "+", "/", "=" or whitespace)',
    );
  });

  it('names the offset of an invalid character in a later chunk, relative to that chunk', () => {
    const text = ascii('AAAAAAAA\nAAAA\u00e9AAA');
    text[13] = 0xc3; // a UTF-8 lead byte where base64 is expected
    const d = new Base64Decoder();
    d.decode(text, 0, 10, 500);
    const e = errorOf(() => d.decode(text, 10, text.length, 510));
    expect(e.where.offset).toBe(513);
    expect(e.message).toContain('invalid base64 character byte 0xc3');
  });

  it('rejects misplaced padding with the offset of the "="', () => {
    expect(errorOf(() => decodeBase64('=AAA')).where.offset).toBe(0);
    expect(errorOf(() => decodeBase64('AAAAA===')).where.offset).toBe(5);
    expect(errorOf(() => decodeBase64('AA==AAAA')).where.offset).toBe(4);
    expect(errorOf(() => decodeBase64('AA==AAAA')).message).toContain('after "=" padding');
    expect(errorOf(() => decodeBase64('AAA==')).where.offset).toBe(4);
  });

  it('rejects a stream ending inside a group, naming where the group starts', () => {
    const text = ascii('AAAA AAAA\n B');
    const d = new Base64Decoder();
    d.decode(text, 0, text.length, 200);
    const e = errorOf(() => d.end());
    expect(e.where.offset).toBe(211);
    expect(e.message).toBe('votable offset 211: base64 data ends inside a 4-character group (1 of 4 characters)');
    expect(errorOf(() => decodeBase64('AAAAAA=')).message).toContain('3 of 4 characters, 1 of them "="');
  });
});

describe('Base64Decoder.decodeText', () => {
  it('stops before the first < or & and counts the line feeds it consumed', () => {
    const text = ascii('Zm9v\nYmFy\r\nYg==\n</STREAM>');
    const d = new Base64Decoder();
    const bytes = Array.from(d.decodeText(text, 0, text.length, 100));
    expect(new TextDecoder().decode(Uint8Array.from(bytes))).toBe('foobarb');
    expect(d.stoppedAt).toBe(text.indexOf(0x3c));
    expect(d.newlines).toBe(3);
    const amp = ascii('Zm9vYm&#65;');
    const e = new Base64Decoder();
    e.decodeText(amp, 0, amp.length, 0);
    expect(e.stoppedAt).toBe(6);
  });

  it('stops at the same place and decodes the same bytes for every split', () => {
    const text = ascii(`${encodeBase64(Uint8Array.from({ length: 50 }, (_, i) => i * 5), { lineLength: 16 })}\n  </STREAM></BINARY>`);
    const lt = text.indexOf(0x3c);
    for (let cut = 0; cut <= lt; cut++) {
      const d = new Base64Decoder();
      const out = [...d.decodeText(text, 0, cut, 0)];
      expect(d.stoppedAt).toBe(cut);
      out.push(...d.decodeText(text, cut, text.length, cut));
      expect(d.stoppedAt).toBe(lt);
      out.push(...d.end());
      expect(out).toEqual(Array.from({ length: 50 }, (_, i) => (i * 5) & 255));
      expect(d.newlines).toBe(5);
    }
  });

  it('still rejects other invalid characters with their offset', () => {
    const text = ascii('Zm9v*</STREAM>');
    expect(errorOf(() => new Base64Decoder().decodeText(text, 0, text.length, 10)).where.offset).toBe(14);
  });
});

describe('encodeBase64', () => {
  it('wraps lines at the given width with no newline after the last line', () => {
    const raw = pattern(96, 5);
    const text = encodeBase64(raw, { lineLength: 64 });
    expect(text.split('\n').map((l) => l.length)).toEqual([64, 64]);
    expect(encodeBase64(pattern(48, 5), { lineLength: 64 })).toBe(Buffer.from(pattern(48, 5)).toString('base64'));
  });

  it('refuses a line width that is not a multiple of 4', () => {
    expect(() => encodeBase64(new Uint8Array(3), { lineLength: 10 })).toThrow(RangeError);
  });
});
