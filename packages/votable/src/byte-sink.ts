/**
 * The writer's output buffer: text and bytes go into fixed-size chunks, and full chunks wait in
 * `chunks` until the caller takes them. The writers take them after every bounded unit of work
 * (an element, a row), so memory stays at about one chunk plus one row however large the table.
 */

const encoder = new TextEncoder();

/** UTF-8 output in fixed-size chunks (see the file comment). */
export class ByteSink {
  /** Full chunks not yet taken. */
  chunks: Uint8Array[] = [];
  /** The chunk being filled; write at `pos` after `reserve`. */
  buffer: Uint8Array;
  pos = 0;
  readonly chunkBytes: number;

  /** @param chunkBytes Size of each emitted chunk in bytes (default 65536). */
  constructor(chunkBytes = 65536) {
    this.chunkBytes = Math.max(64, chunkBytes | 0);
    this.buffer = new Uint8Array(this.chunkBytes);
  }

  /** Moves the filled part of the current chunk to `chunks`. */
  flush(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.pos === this.buffer.length ? this.buffer : this.buffer.slice(0, this.pos));
    this.buffer = new Uint8Array(this.chunkBytes);
    this.pos = 0;
  }

  /** Makes room for `n` contiguous bytes at `pos` (n at most `chunkBytes`). */
  reserve(n: number): void {
    if (this.pos + n > this.buffer.length) this.flush();
  }

  /** Appends `bytes[start, end)`. */
  writeBytes(bytes: Uint8Array, start = 0, end = bytes.length): void {
    while (start < end) {
      if (this.pos === this.buffer.length) this.flush();
      const n = Math.min(end - start, this.buffer.length - this.pos);
      this.buffer.set(bytes.subarray(start, start + n), this.pos);
      this.pos += n;
      start += n;
    }
  }

  /** Appends `text` as UTF-8. */
  writeString(text: string): void {
    const n = text.length;
    if (n <= 256) {
      // Short strings: an ASCII copy loop beats TextEncoder's call overhead.
      if (this.pos + n > this.buffer.length) this.flush();
      const buf = this.buffer;
      let p = this.pos;
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      this.pos = p;
      if (i === n) return;
      text = text.slice(i);
    }
    if (text.length * 3 <= this.buffer.length - this.pos) {
      this.pos += encoder.encodeInto(text, this.buffer.subarray(this.pos)).written;
      return;
    }
    this.writeBytes(encoder.encode(text));
  }

  /** Takes the full chunks (and, with `all`, the partial one too). */
  take(all = false): Uint8Array[] {
    if (all) this.flush();
    const out = this.chunks;
    this.chunks = [];
    return out;
  }
}
