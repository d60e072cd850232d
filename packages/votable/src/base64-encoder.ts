/**
 * Streaming base64 encoder (RFC 4648 §4 alphabet, `=` padding) writing ASCII straight into a
 * ByteSink, with optional line breaks: the STREAM content of BINARY and BINARY2. Input may come
 * in pieces of any size; the output is the same as encoding the concatenation.
 */

import type { ByteSink } from './byte-sink.js';

const ALPHABET = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const NEWLINE = 0x0a;
const PAD = 0x3d;

/** Encodes bytes pushed in any pieces as base64 lines into a ByteSink; `end()` pads the tail. */
export class Base64Encoder {
  private readonly sink: ByteSink;
  private readonly lineLength: number;
  /** Bytes (0–2) waiting for a full group of three. */
  private carry = new Uint8Array(3);
  private carried = 0;
  /** Characters on the current line. */
  private column = 0;

  /**
   * @param sink Where the base64 text goes.
   * @param lineLength Characters per line, a multiple of 4 is usual (default 76, as MIME);
   *   0 writes one line.
   */
  constructor(sink: ByteSink, lineLength = 76) {
    this.sink = sink;
    this.lineLength = Math.max(0, lineLength | 0);
  }

  /** Encodes `bytes[start, end)`. */
  write(bytes: Uint8Array, start = 0, end = bytes.length): void {
    if (this.carried > 0) {
      while (this.carried < 3 && start < end) this.carry[this.carried++] = bytes[start++];
      if (this.carried < 3) return;
      this.encodeGroups(this.carry, 0, 3);
      this.carried = 0;
    }
    const whole = start + Math.floor((end - start) / 3) * 3;
    this.encodeGroups(bytes, start, whole);
    for (let i = whole; i < end; i++) this.carry[this.carried++] = bytes[i];
  }

  private encodeGroups(bytes: Uint8Array, start: number, end: number): void {
    const sink = this.sink;
    const lineLength = this.lineLength;
    let i = start;
    while (i < end) {
      // Encode as many groups as fit in the sink's chunk and on the current line.
      let groups = (end - i) / 3;
      let room = sink.buffer.length - sink.pos;
      if (room < 5) {
        sink.flush();
        room = sink.buffer.length;
      }
      // Each group is 4 characters plus at most one newline.
      groups = Math.min(groups, Math.floor(room / 5));
      const buf = sink.buffer;
      let p = sink.pos;
      let column = this.column;
      for (let g = 0; g < groups; g++) {
        const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        i += 3;
        if (lineLength > 0 && column + 4 > lineLength) {
          buf[p++] = NEWLINE;
          column = 0;
        }
        buf[p] = ALPHABET[n >>> 18];
        buf[p + 1] = ALPHABET[(n >>> 12) & 63];
        buf[p + 2] = ALPHABET[(n >>> 6) & 63];
        buf[p + 3] = ALPHABET[n & 63];
        p += 4;
        column += 4;
      }
      sink.pos = p;
      this.column = column;
    }
  }

  /** Writes the last partial group with `=` padding. Call once, after the last `write`. */
  end(): void {
    if (this.carried === 0) return;
    const sink = this.sink;
    sink.reserve(5);
    if (this.lineLength > 0 && this.column + 4 > this.lineLength) {
      sink.buffer[sink.pos++] = NEWLINE;
      this.column = 0;
    }
    const a = this.carry[0];
    const b = this.carried > 1 ? this.carry[1] : 0;
    const n = (a << 16) | (b << 8);
    const buf = sink.buffer;
    buf[sink.pos] = ALPHABET[n >>> 18];
    buf[sink.pos + 1] = ALPHABET[(n >>> 12) & 63];
    buf[sink.pos + 2] = this.carried > 1 ? ALPHABET[(n >>> 6) & 63] : PAD;
    buf[sink.pos + 3] = PAD;
    sink.pos += 4;
    this.column += 4;
    this.carried = 0;
  }
}
