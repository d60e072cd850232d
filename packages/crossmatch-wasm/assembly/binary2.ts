// VOTable BINARY / BINARY2 decoding (VOTable 1.5 §5.4, §5.5): base64 text → big-endian rows →
// one little-endian typed-array buffer per column, with validity bitmaps and offsets laid out as
// @vokit/votable's Column expects (LSB-first, 1 = valid; Int32 offsets; UTF-8 string bytes).
//
// The JavaScript side (src/binary-decoder.ts) owns every buffer: it writes a plan of the row
// layout (one COL_BYTES descriptor per FIELD) above heapBase, sizes each column's buffers for the
// rows of a pass from what b2Measure and b2Sums report, and copies columns out. The kernels here
// only read and write where the descriptors point, so a pass never allocates and never fails for
// lack of room. Rows are decoded in two passes as in the TypeScript decoder: b2Measure finds where
// each row's segments start (a segment ends at each counted cell), b2Extract runs one loop per
// column. Results are bit-identical to the TypeScript decoder (the oracle of the tests).
//
// SIMD (release-simd): base64 is decoded 16 characters per step (nibble lookups with
// i8x16.swizzle, after Muła & Lemire, "Faster Base64 Encoding and Decoding using AVX2
// Instructions", ACM TOW 2018), and numeric cells are byte-swapped 16 bytes per swizzle.

import {
  COL_BYTES,
  C_KIND,
  C_VARIABLE,
  C_ITEM_ELEMENTS,
  C_WIDTH,
  C_FIXED_ELEMENTS,
  C_SEGMENT,
  C_OFFSET,
  C_STRING_LENGTH,
  C_INDEX,
  C_NULL_MODE,
  C_NULL_HI,
  C_NULL_LO,
  C_SCALAR,
  C_NULL_F64,
  C_VALUES,
  C_VALUES_USED,
  C_VALIDITY,
  C_OFFSETS,
  C_STRING_OFFSETS,
  C_ELEMENTS,
  C_NULL_COUNT,
  S_NFIELDS,
  S_FLAG_BYTES,
  S_NVAR,
  S_TAIL_BYTES,
  S_STAGED_ROWS,
  S_ERR_ROW,
  S_ERR_FIELD,
  S_ERR_VALUE,
  S_MEASURED_END,
  S_NEG_CELL,
  S_NEG_POS,
  S_COLS,
  S_VAR_OFFSET,
  S_VAR_ITEM,
  S_STARTS,
  S_CAPACITY,
  S_FLAG_UNION,
  S_B64_BITS,
  S_B64_COUNT,
  S_B64_STOP,
  S_B64_NEWLINES,
  S_B64_GROUP,
  K_BOOLEAN,
  K_BIT,
  K_UBYTE,
  K_SHORT,
  K_INT,
  K_CHAR,
  K_UNICODE,
  K_FLOAT,
  K_FLOAT_COMPLEX,
  N_NONE,
  N_INT,
  N_NAN,
  N_LONG,
  ERR_BAD_BOOLEAN,
} from '../src/binary2-layout';


// base64 character classes: 0–63 alphabet values, 64 whitespace, 255 anything else (stop)
const B64_TABLE = memory.data(256);
// boolean bytes: 0 false, 1 true, 2 null, 3 invalid (astropy's set: T t 1 / F f 0 / ? space NUL)
const BOOL_TABLE = memory.data(256);
let tablesReady = false;

function initTables(): void {
  if (tablesReady) return;
  tablesReady = true;
  memory.fill(B64_TABLE, 255, 256);
  for (let i = 0; i < 26; i++) {
    store<u8>(B64_TABLE + 65 + i, <u8>i);
    store<u8>(B64_TABLE + 97 + i, <u8>(26 + i));
  }
  for (let i = 0; i < 10; i++) store<u8>(B64_TABLE + 48 + i, <u8>(52 + i));
  store<u8>(B64_TABLE + 43, 62);
  store<u8>(B64_TABLE + 47, 63);
  // XML whitespace (XML 1.0 §2.3 S)
  store<u8>(B64_TABLE + 0x20, 64);
  store<u8>(B64_TABLE + 0x09, 64);
  store<u8>(B64_TABLE + 0x0d, 64);
  store<u8>(B64_TABLE + 0x0a, 64);
  memory.fill(BOOL_TABLE, 3, 256);
  store<u8>(BOOL_TABLE + 84, 1); // T
  store<u8>(BOOL_TABLE + 116, 1); // t
  store<u8>(BOOL_TABLE + 49, 1); // 1
  store<u8>(BOOL_TABLE + 70, 0); // F
  store<u8>(BOOL_TABLE + 102, 0); // f
  store<u8>(BOOL_TABLE + 48, 0); // 0
  store<u8>(BOOL_TABLE + 63, 2); // ?
  store<u8>(BOOL_TABLE + 32, 2); // space
  store<u8>(BOOL_TABLE + 0, 2); // NUL
}

// ---------------------------------------------------------------------------------------------
// base64

/**
 * Decodes base64 text `src[0, n)` to `dst` and returns the bytes written. Alphabet characters
 * and whitespace only: it stops at the first other byte (`=`, `<`, `&` or an invalid one) and
 * leaves its index in S_B64_STOP (n when none), so the caller handles padding and errors with
 * the exact messages of @vokit/votable. A 4-character group may span calls (S_B64_BITS,
 * S_B64_COUNT); S_B64_GROUP gets the index where the last group begun in this call started (-1
 * when none did), S_B64_NEWLINES counts line feeds.
 */
export function b64Decode(state: usize, src: usize, n: i32, dst: usize): i32 {
  initTables();
  let bits = load<i32>(state + S_B64_BITS);
  let count = load<i32>(state + S_B64_COUNT);
  let newlines = load<i32>(state + S_B64_NEWLINES);
  let group = -1;
  let i = 0;
  let o: usize = dst;
  while (i < n) {
    if (count == 0) {
      if (ASC_FEATURE_SIMD) {
        const r = b64Simd(src + <usize>i, n - i, o);
        i += r << 2;
        o += <usize>(r * 3);
      }
      // Four characters per step while all four are alphabet characters.
      while (i + 4 <= n) {
        const w = load<u32>(src + <usize>i);
        const a = <u32>load<u8>(B64_TABLE + (w & 255));
        const b = <u32>load<u8>(B64_TABLE + ((w >> 8) & 255));
        const c = <u32>load<u8>(B64_TABLE + ((w >> 16) & 255));
        const d = <u32>load<u8>(B64_TABLE + (w >> 24));
        if ((a | b | c | d) & 0xc0) break;
        const v = (a << 18) | (b << 12) | (c << 6) | d;
        store<u8>(o, <u8>(v >> 16));
        store<u8>(o, <u8>(v >> 8), 1);
        store<u8>(o, <u8>v, 2);
        o += 3;
        i += 4;
      }
      if (i >= n) break;
    }
    const ch = load<u8>(src + <usize>i);
    const v = <i32>load<u8>(B64_TABLE + ch);
    if (v < 64) {
      if (count == 0) group = i;
      bits = (bits << 6) | v;
      count++;
      if (count == 4) {
        store<u8>(o, <u8>(bits >> 16));
        store<u8>(o, <u8>(bits >> 8), 1);
        store<u8>(o, <u8>bits, 2);
        o += 3;
        count = 0;
        bits = 0;
      }
    } else if (v == 64) {
      if (ch == 0x0a) newlines++;
    } else {
      break;
    }
    i++;
  }
  store<i32>(state + S_B64_BITS, bits);
  store<i32>(state + S_B64_COUNT, count);
  store<i32>(state + S_B64_NEWLINES, newlines);
  store<i32>(state + S_B64_STOP, i);
  store<i32>(state + S_B64_GROUP, group);
  return <i32>(o - dst);
}

/**
 * SIMD base64: 16 characters → 12 bytes per step while a whole block is alphabet characters.
 * Returns the 4-character groups decoded. Writes 16 bytes per step (4 past the 12), so `dst`
 * needs 4 bytes of slack, which the caller's buffers have.
 */
// @ts-ignore: decorator
@inline function b64Simd(src: usize, n: i32, dst: usize): i32 {
  let groups = 0;
  if (ASC_FEATURE_SIMD) {
    const lutLo = v128(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a);
    const lutHi = v128(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    const lutRoll = v128(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const nibble = i8x16.splat(0x0f);
    const slash = i8x16.splat(0x2f);
    const pack = v128(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    const m6 = i16x8.splat(0x3f);
    // Per 32-bit lane [ab, cd] (16 bits each, < 4096): ab * 4096 + cd in one dot product.
    const merge = i32x4.splat(0x00011000);
    let i = 0;
    let o = dst;
    // Two blocks per step while both are clean: one branch per 32 characters.
    while (i + 32 <= n) {
      const s0 = v128.load(src + <usize>i);
      const s1 = v128.load(src + <usize>i, 16);
      const h0 = v128.and(i16x8.shr_u(s0, 4), nibble);
      const h1 = v128.and(i16x8.shr_u(s1, 4), nibble);
      const bad = v128.or(
        v128.and(i8x16.swizzle(lutLo, v128.and(s0, nibble)), i8x16.swizzle(lutHi, h0)),
        v128.and(i8x16.swizzle(lutLo, v128.and(s1, nibble)), i8x16.swizzle(lutHi, h1)),
      );
      if (v128.any_true(bad)) break;
      const x0 = i8x16.add(s0, i8x16.swizzle(lutRoll, i8x16.add(i8x16.eq(s0, slash), h0)));
      const x1 = i8x16.add(s1, i8x16.swizzle(lutRoll, i8x16.add(i8x16.eq(s1, slash), h1)));
      const a0 = v128.or(i16x8.shl(v128.and(x0, m6), 6), i16x8.shr_u(x0, 8));
      const a1 = v128.or(i16x8.shl(v128.and(x1, m6), 6), i16x8.shr_u(x1, 8));
      const b0 = i32x4.dot_i16x8_s(a0, merge);
      const b1 = i32x4.dot_i16x8_s(a1, merge);
      v128.store(o, i8x16.swizzle(b0, pack));
      v128.store(o, i8x16.swizzle(b1, pack), 12);
      o += 24;
      i += 32;
      groups += 8;
    }
    while (i + 16 <= n) {
      const s = v128.load(src + <usize>i);
      const hiN = v128.and(i16x8.shr_u(s, 4), nibble);
      const loN = v128.and(s, nibble);
      const lo = i8x16.swizzle(lutLo, loN);
      const hi = i8x16.swizzle(lutHi, hiN);
      if (v128.any_true(v128.and(lo, hi))) break;
      const eq2f = i8x16.eq(s, slash);
      const roll = i8x16.swizzle(lutRoll, i8x16.add(eq2f, hiN));
      const sextets = i8x16.add(s, roll);
      // per 16-bit lane [a, b] → a << 6 | b; per 32-bit lane [ab, cd] → ab << 12 | cd
      const ab = v128.or(i16x8.shl(v128.and(sextets, m6), 6), i16x8.shr_u(sextets, 8));
      const abcd = i32x4.dot_i16x8_s(ab, merge);
      v128.store(o, i8x16.swizzle(abcd, pack));
      o += 12;
      i += 16;
      groups += 4;
    }
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// pass 1: row measurement

/**
 * Finds where the segments of up to `capacity` whole rows start, from `p` to `end` (absolute
 * addresses): starts[segment * capacity + r]. Returns the number of whole rows; S_MEASURED_END
 * gets where they end. A negative array count stops before its row: S_NEG_CELL gets the counted
 * cell's index (else -1) and S_NEG_POS the address of the count.
 */
export function b2Measure(state: usize, p: usize, end: usize, capacity: i32): i32 {
  const nv = load<i32>(state + S_NVAR);
  const varOffset = load<usize>(state + S_VAR_OFFSET);
  const varItem = load<usize>(state + S_VAR_ITEM);
  const tail = <usize>load<i32>(state + S_TAIL_BYTES);
  const starts = load<usize>(state + S_STARTS);
  store<i32>(state + S_CAPACITY, capacity);
  store<i32>(state + S_NEG_CELL, -1);
  let rows = 0;
  if (nv == 0) {
    // Fixed-size rows: no counts to read.
    const avail = <i32>((end - p) / tail);
    rows = avail < capacity ? avail : capacity;
    for (let r = 0; r < rows; r++) store<u32>(starts + (<usize>r << 2), <u32>(p + <usize>r * tail));
    store<u32>(state + S_MEASURED_END, <u32>(p + <usize>rows * tail));
    return rows;
  }
  const stride = <usize>capacity << 2;
  if (nv == 1) {
    // One counted cell (a `char *` name, say): the common case, with its layout in locals.
    const off0 = <u64>load<i32>(varOffset);
    const size0 = load<i32>(varItem);
    const starts1 = starts + stride;
    const last = <u64>end;
    while (rows < capacity) {
      const q = <u64>p + off0;
      if (q + 4 > last) break;
      const count = <i32>bswap<u32>(load<u32>(<usize>q));
      if (count < 0) {
        store<i32>(state + S_NEG_CELL, 0);
        store<u32>(state + S_NEG_POS, <u32>q);
        break;
      }
      const base = q + 4 + (size0 >= 0 ? <u64>count * <u64>size0 : (<u64>count * <u64>(-size0) + 7) >> 3);
      const next = base + <u64>tail;
      if (next > last) break;
      store<u32>(starts + (<usize>rows << 2), <u32>p);
      store<u32>(starts1 + (<usize>rows << 2), <u32>base);
      p = <usize>next;
      rows++;
    }
    store<u32>(state + S_MEASURED_END, <u32>p);
    return rows;
  }
  // (AssemblyScript has no labelled break: `whole` ends the row loop from the cell loop.)
  let whole = true;
  while (whole && rows < capacity) {
    store<u32>(starts + (<usize>rows << 2), <u32>p);
    let base: u64 = <u64>p;
    for (let k = 0; k < nv; k++) {
      const q = base + <u64>load<i32>(varOffset + (<usize>k << 2));
      if (q + 4 > <u64>end) {
        whole = false;
        break;
      }
      const count = <i32>bswap<u32>(load<u32>(<usize>q));
      if (count < 0) {
        store<i32>(state + S_NEG_CELL, k);
        store<u32>(state + S_NEG_POS, <u32>q);
        whole = false;
        break;
      }
      const size = load<i32>(varItem + (<usize>k << 2));
      // Bit arrays are packed into whole bytes (size = -bits per item).
      base = q + 4 + (size >= 0 ? <u64>count * <u64>size : (<u64>count * <u64>(-size) + 7) >> 3);
      if (base > <u64>end) {
        whole = false;
        break;
      }
      store<u32>(starts + <usize>(k + 1) * stride + (<usize>rows << 2), <u32>base);
    }
    if (!whole) break;
    const q = base + <u64>tail;
    if (q > <u64>end) break;
    p = <usize>q;
    rows++;
  }
  store<u32>(state + S_MEASURED_END, <u32>p);
  return rows;
}

/**
 * For each counted cell k, the sum of its counts over the `rows` rows just measured, into
 * `out[k]` (f64: sums may pass 2^31). The JavaScript side sizes the column buffers from these.
 */
export function b2Sums(state: usize, rows: i32, out: usize): void {
  const nv = load<i32>(state + S_NVAR);
  const varOffset = load<usize>(state + S_VAR_OFFSET);
  const starts = load<usize>(state + S_STARTS);
  const stride = <usize>load<i32>(state + S_CAPACITY) << 2;
  for (let k = 0; k < nv; k++) {
    const off = <usize>load<i32>(varOffset + (<usize>k << 2));
    const seg = starts + <usize>k * stride;
    let sum: u64 = 0;
    for (let r = 0; r < rows; r++) {
      sum += <u64>bswap<u32>(load<u32>(<usize>load<u32>(seg + (<usize>r << 2)) + off));
    }
    store<f64>(out + (<usize>k << 3), <f64>sum);
  }
}

// ---------------------------------------------------------------------------------------------
// pass 2: one loop per column

/**
 * Decodes the `rows` rows measured by b2Measure into every column's buffers (which the caller
 * sized), appending after the S_STAGED_ROWS rows already there. Returns 0, or ERR_BAD_BOOLEAN
 * with S_ERR_ROW (row within the pass), S_ERR_FIELD and S_ERR_VALUE (the byte) set.
 */
export function b2Extract(state: usize, rows: i32): i32 {
  initTables();
  const nf = load<i32>(state + S_NFIELDS);
  const cols = load<usize>(state + S_COLS);
  const flagBytes = load<i32>(state + S_FLAG_BYTES);
  const starts = load<usize>(state + S_STARTS);
  const capacity = load<i32>(state + S_CAPACITY);
  const union = load<usize>(state + S_FLAG_UNION);
  // OR of every row's null-flag bytes: columns without any flag set skip the flag loop.
  if (flagBytes > 0 && flagBytes <= 8) {
    // Up to 64 fields: 8 bytes a row into a register (the bytes past the flags are masked off;
    // reading them is safe, the decoded buffer has slack).
    let acc: u64 = 0;
    for (let r = 0; r < rows; r++) acc |= load<u64>(<usize>load<u32>(starts + (<usize>r << 2)));
    for (let b = 0; b < flagBytes; b++) store<u8>(union + <usize>b, <u8>(acc >> (<u64>b << 3)));
  } else if (flagBytes > 0) {
    memory.fill(union, 0, <usize>flagBytes);
    for (let r = 0; r < rows; r++) {
      const at = <usize>load<u32>(starts + (<usize>r << 2));
      for (let b = 0; b < flagBytes; b++) store<u8>(union + <usize>b, load<u8>(union + <usize>b) | load<u8>(at + <usize>b));
    }
  }
  const staged = load<i32>(state + S_STAGED_ROWS);
  for (let f = 0; f < nf; f++) {
    const c = cols + <usize>f * <usize>COL_BYTES;
    const seg = starts + <usize>load<i32>(c + C_SEGMENT) * (<usize>capacity << 2);
    const off = <usize>load<i32>(c + C_OFFSET);
    const kind = load<i32>(c + C_KIND);
    const variable = load<i32>(c + C_VARIABLE) != 0;
    let err = 0;
    if (kind == K_CHAR) {
      if (variable) varChar(c, seg, off, rows, staged);
      else fixedChar(c, seg, off, rows);
    } else if (kind == K_UNICODE) {
      if (variable) varUnicode(c, seg, off, rows, staged);
      else fixedUnicode(c, seg, off, rows);
    } else if (kind == K_BOOLEAN) {
      err = booleans(state, c, seg, off, rows, staged, variable);
    } else if (kind == K_BIT) {
      if (variable) varBit(c, seg, off, rows, staged);
      else fixedBit(c, seg, off, rows);
    } else if (variable) {
      varNumbers(c, seg, off, rows, staged, kind);
    } else {
      fixedNumbers(c, seg, off, rows, staged, kind);
    }
    if (err != 0) {
      store<i32>(state + S_ERR_FIELD, f);
      return err;
    }
    if (flagBytes > 0) applyFlags(c, starts, union, rows, staged);
  }
  store<i32>(state + S_STAGED_ROWS, staged + rows);
  return 0;
}

/**
 * Count-only mode's pass 2 (the `countOnly` option): checks the boolean cells of the `rows` rows
 * just measured, field by field and row by row as b2Extract would meet them, and writes nothing.
 * Boolean bytes are the only cell bytes that can be invalid, so this finds the same first error:
 * returns 0, or ERR_BAD_BOOLEAN with S_ERR_ROW, S_ERR_FIELD and S_ERR_VALUE set.
 */
export function b2Check(state: usize, rows: i32): i32 {
  initTables();
  const nf = load<i32>(state + S_NFIELDS);
  const cols = load<usize>(state + S_COLS);
  const starts = load<usize>(state + S_STARTS);
  const capacity = load<i32>(state + S_CAPACITY);
  for (let f = 0; f < nf; f++) {
    const c = cols + <usize>f * <usize>COL_BYTES;
    if (load<i32>(c + C_KIND) != K_BOOLEAN) continue;
    const seg = starts + <usize>load<i32>(c + C_SEGMENT) * (<usize>capacity << 2);
    const off = <usize>load<i32>(c + C_OFFSET);
    const variable = load<i32>(c + C_VARIABLE) != 0;
    if (!variable && load<i32>(c + C_FIXED_ELEMENTS) == 1) {
      // Scalars, the common case: one scan for a byte outside the set; the rows are looked at
      // one by one (null flags, which row) only when there is one.
      let bad: u32 = 0;
      for (let r = 0; r < rows; r++) bad |= <u32>(load<u8>(BOOL_TABLE + <usize>load<u8>(rowStart(seg, r) + off)) == 3);
      if (bad == 0) continue;
    }
    const err = booleans(state, c, seg, off, rows, 0, variable, false);
    if (err != 0) {
      store<i32>(state + S_ERR_FIELD, f);
      return err;
    }
  }
  return 0;
}

// @ts-ignore: decorator
@inline function rowStart(seg: usize, r: i32): usize {
  return <usize>load<u32>(seg + (<usize>r << 2));
}

// @ts-ignore: decorator
@inline function count32(p: usize): i32 {
  return <i32>bswap<u32>(load<u32>(p));
}

/** Clears validity bit `row` (staging-relative), counting it once. */
// @ts-ignore: decorator
@inline function setNull(c: usize, row: i32): void {
  const a = load<usize>(c + C_VALIDITY) + (<usize>row >> 3);
  const bit: u32 = <u32>1 << (<u32>row & 7);
  const v = <u32>load<u8>(a);
  if (v & bit) {
    store<u8>(a, <u8>(v ^ bit));
    store<i32>(c + C_NULL_COUNT, load<i32>(c + C_NULL_COUNT) + 1);
  }
}

/** BINARY2 null flags (MSB first, 1 = null) of the column's field → validity bits. */
function applyFlags(c: usize, starts: usize, union: usize, rows: i32, staged: i32): void {
  const index = load<i32>(c + C_INDEX);
  const byte = <usize>(index >> 3);
  const mask: u32 = <u32>0x80 >> (<u32>index & 7);
  if ((<u32>load<u8>(union + byte) & mask) == 0) return;
  for (let r = 0; r < rows; r++) {
    if (<u32>load<u8>(rowStart(starts, r) + byte) & mask) setNull(c, staged + r);
  }
}

/** Elements per variable cell item, by the cell's count at `p`. */
// @ts-ignore: decorator
@inline function varElements(c: usize, p: usize): i32 {
  return count32(p) * load<i32>(c + C_ITEM_ELEMENTS);
}

// @ts-ignore: decorator
@inline function recordOffset(c: usize, staged: i32, r: i32): void {
  store<i32>(load<usize>(c + C_OFFSETS) + (<usize>(staged + r + 1) << 2), load<i32>(c + C_ELEMENTS));
}

/** Bytes per number of a numeric datatype. */
// @ts-ignore: decorator
@inline function numberBytes(kind: i32): i32 {
  return kind == K_UBYTE ? 1 : kind == K_SHORT ? 2 : kind == K_INT || kind == K_FLOAT || kind == K_FLOAT_COMPLEX ? 4 : 8;
}

/** Copies `bytes` big-endian numbers of `size` bytes from `src` to `dst` as little-endian. */
// @ts-ignore: decorator
@inline function swapCopy(src: usize, dst: usize, bytes: usize, size: i32): void {
  if (size == 1) {
    memory.copy(dst, src, bytes);
  } else if (ASC_FEATURE_SIMD) {
    // 16 bytes per swizzle; up to 15 bytes are read and written past the end (slack).
    const mask =
      size == 8
        ? v128(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8)
        : size == 4
          ? v128(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)
          : v128(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
    for (let b: usize = 0; b < bytes; b += 16) v128.store(dst + b, i8x16.swizzle(v128.load(src + b), mask));
  } else if (size == 8) {
    for (let b: usize = 0; b < bytes; b += 8) store<u64>(dst + b, bswap<u64>(load<u64>(src + b)));
  } else if (size == 4) {
    for (let b: usize = 0; b < bytes; b += 4) store<u32>(dst + b, bswap<u32>(load<u32>(src + b)));
  } else {
    for (let b: usize = 0; b < bytes; b += 2) store<u16>(dst + b, bswap<u16>(load<u16>(src + b)));
  }
}

function fixedNumbers(c: usize, seg: usize, off: usize, rows: i32, staged: i32, kind: i32): void {
  const size = numberBytes(kind);
  const numbers = load<i32>(c + C_FIXED_ELEMENTS) * load<i32>(c + C_WIDTH);
  const rowBytes = <usize>(numbers * size);
  const used = load<i32>(c + C_VALUES_USED);
  const out = load<usize>(c + C_VALUES) + <usize>used;
  // The common scalar cases get their own loops (one swizzle or bswap per value).
  if (ASC_FEATURE_SIMD && rowBytes == 8 && size == 8) {
    const mask = v128(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
    let r = 0;
    for (; r + 2 <= rows; r += 2) {
      let v = v128.load64_zero(rowStart(seg, r) + off);
      v = v128.load64_lane(rowStart(seg, r + 1) + off, v, 1);
      v128.store(out + (<usize>r << 3), i8x16.swizzle(v, mask));
    }
    if (r < rows) store<u64>(out + (<usize>r << 3), bswap<u64>(load<u64>(rowStart(seg, r) + off)));
  } else if (ASC_FEATURE_SIMD && rowBytes == 4 && size == 4) {
    const mask = v128(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      let v = v128.load32_zero(rowStart(seg, r) + off);
      v = v128.load32_lane(rowStart(seg, r + 1) + off, v, 1);
      v = v128.load32_lane(rowStart(seg, r + 2) + off, v, 2);
      v = v128.load32_lane(rowStart(seg, r + 3) + off, v, 3);
      v128.store(out + (<usize>r << 2), i8x16.swizzle(v, mask));
    }
    for (; r < rows; r++) store<u32>(out + (<usize>r << 2), bswap<u32>(load<u32>(rowStart(seg, r) + off)));
  } else if (rowBytes == 8 && size == 8) {
    for (let r = 0; r < rows; r++) store<u64>(out + (<usize>r << 3), bswap<u64>(load<u64>(rowStart(seg, r) + off)));
  } else if (rowBytes == 4 && size == 4) {
    for (let r = 0; r < rows; r++) store<u32>(out + (<usize>r << 2), bswap<u32>(load<u32>(rowStart(seg, r) + off)));
  } else if (rowBytes == 1) {
    for (let r = 0; r < rows; r++) store<u8>(out + <usize>r, load<u8>(rowStart(seg, r) + off));
  } else {
    for (let r = 0; r < rows; r++) swapCopy(rowStart(seg, r) + off, out + <usize>r * rowBytes, rowBytes, size);
  }
  // VALUES null sentinels apply to scalars only (array cells have row-level validity only).
  const mode = load<i32>(c + C_NULL_MODE);
  if (mode != N_NONE && load<i32>(c + C_FIXED_ELEMENTS) == 1) {
    const step = <usize>rowBytes;
    if (mode == N_INT) {
      const sentinel = load<i32>(c + C_NULL_HI);
      for (let r = 0; r < rows; r++) {
        const at = out + <usize>r * step;
        const v = kind == K_UBYTE ? <i32>load<u8>(at) : kind == K_SHORT ? <i32>load<i16>(at) : load<i32>(at);
        if (v == sentinel) setNull(c, staged + r);
      }
    } else if (mode == N_LONG) {
      const sentinel = (<i64>load<i32>(c + C_NULL_HI) << 32) | <i64>load<u32>(c + C_NULL_LO);
      for (let r = 0; r < rows; r++) if (load<i64>(out + <usize>r * step) == sentinel) setNull(c, staged + r);
    } else {
      const nan = mode == N_NAN;
      const sentinel = load<f64>(c + C_NULL_F64);
      const single = size == 4;
      for (let r = 0; r < rows; r++) {
        const at = out + <usize>r * step;
        const v: f64 = single ? <f64>load<f32>(at) : load<f64>(at);
        if (nan ? v != v : v == sentinel) setNull(c, staged + r);
      }
    }
  }
  store<i32>(c + C_VALUES_USED, used + rows * <i32>rowBytes);
  store<i32>(c + C_ELEMENTS, load<i32>(c + C_ELEMENTS) + rows * load<i32>(c + C_FIXED_ELEMENTS));
}

function varNumbers(c: usize, seg: usize, off: usize, rows: i32, staged: i32, kind: i32): void {
  const size = numberBytes(kind);
  const width = load<i32>(c + C_WIDTH);
  const values = load<usize>(c + C_VALUES);
  let used = load<i32>(c + C_VALUES_USED);
  let elements = load<i32>(c + C_ELEMENTS);
  const offsets = load<usize>(c + C_OFFSETS);
  for (let r = 0; r < rows; r++) {
    const p = rowStart(seg, r) + off;
    const e = varElements(c, p);
    const bytes = e * width * size;
    swapCopy(p + 4, values + <usize>used, <usize>bytes, size);
    used += bytes;
    elements += e;
    store<i32>(offsets + (<usize>(staged + r + 1) << 2), elements);
  }
  store<i32>(c + C_VALUES_USED, used);
  store<i32>(c + C_ELEMENTS, elements);
}

/**
 * Booleans, fixed or counted; returns ERR_BAD_BOOLEAN for a byte outside the set. With `write`
 * false (count-only mode) the bytes are only checked and the column's buffers are not touched.
 */
function booleans(state: usize, c: usize, seg: usize, off: usize, rows: i32, staged: i32, variable: bool, write: bool = true): i32 {
  const values = load<usize>(c + C_VALUES);
  let used = load<i32>(c + C_VALUES_USED);
  let elements = load<i32>(c + C_ELEMENTS);
  const k = load<i32>(c + C_FIXED_ELEMENTS);
  const scalar = load<i32>(c + C_SCALAR) != 0;
  const index = load<i32>(c + C_INDEX);
  const flagBytes = load<i32>(state + S_FLAG_BYTES);
  const starts = load<usize>(state + S_STARTS);
  if (write && !variable && k == 1) {
    // Scalars, the common case: codes stored in one loop; the rows are looked at one by one
    // (nulls, bad bytes under a null flag or not) only when some code is not 0 or 1.
    const out = values + <usize>used;
    let any: u32 = 0;
    for (let r = 0; r < rows; r++) {
      const code = <u32>load<u8>(BOOL_TABLE + <usize>load<u8>(rowStart(seg, r) + off));
      store<u8>(out + <usize>r, <u8>(code == 1));
      any |= code;
    }
    if (any <= 1) {
      store<i32>(c + C_VALUES_USED, used + rows);
      store<i32>(c + C_ELEMENTS, elements + rows);
      return 0;
    }
  }
  for (let r = 0; r < rows; r++) {
    let p = rowStart(seg, r) + off;
    let n = k;
    if (variable) {
      n = varElements(c, p);
      p += 4;
    }
    const out = values + <usize>used;
    let firstNull = false;
    for (let j = 0; j < n; j++) {
      const byte = load<u8>(p + <usize>j);
      const code = load<u8>(BOOL_TABLE + byte);
      if (code > 1) {
        // Outside the set is an error, unless the BINARY2 null flag says the cell is null.
        if (code == 3) {
          const flagged = flagBytes > 0 && ((<u32>load<u8>(rowStart(starts, r) + <usize>(index >> 3)) >> (7 - (index & 7))) & 1) != 0;
          if (!flagged) {
            store<i32>(state + S_ERR_ROW, r);
            store<i32>(state + S_ERR_VALUE, byte);
            return ERR_BAD_BOOLEAN;
          }
        }
        if (j == 0) firstNull = true;
        if (write) store<u8>(out + <usize>j, 0);
      } else if (write) {
        store<u8>(out + <usize>j, code);
      }
    }
    if (!write) continue;
    used += n;
    elements += n;
    if (variable) recordOffsetTo(c, staged + r + 1, elements);
    else if (firstNull && scalar) setNull(c, staged + r);
  }
  if (write) {
    store<i32>(c + C_VALUES_USED, used);
    store<i32>(c + C_ELEMENTS, elements);
  }
  return 0;
}

// @ts-ignore: decorator
@inline function recordOffsetTo(c: usize, at: i32, value: i32): void {
  store<i32>(load<usize>(c + C_OFFSETS) + (<usize>at << 2), value);
}

// @ts-ignore: decorator
@inline function unpackBits(p: usize, n: i32, out: usize): void {
  for (let j = 0; j < n; j++) store<u8>(out + <usize>j, (load<u8>(p + <usize>(j >> 3)) >> <u8>(7 - (j & 7))) & 1);
}

function fixedBit(c: usize, seg: usize, off: usize, rows: i32): void {
  const k = load<i32>(c + C_FIXED_ELEMENTS);
  const used = load<i32>(c + C_VALUES_USED);
  const out = load<usize>(c + C_VALUES) + <usize>used;
  if (load<i32>(c + C_SCALAR) != 0) {
    // A scalar bit is one byte, true when non-zero (astropy writes 0x08 for true).
    for (let r = 0; r < rows; r++) store<u8>(out + <usize>r, load<u8>(rowStart(seg, r) + off) != 0 ? 1 : 0);
  } else {
    for (let r = 0; r < rows; r++) unpackBits(rowStart(seg, r) + off, k, out + <usize>(r * k));
  }
  store<i32>(c + C_VALUES_USED, used + rows * k);
  store<i32>(c + C_ELEMENTS, load<i32>(c + C_ELEMENTS) + rows * k);
}

function varBit(c: usize, seg: usize, off: usize, rows: i32, staged: i32): void {
  const values = load<usize>(c + C_VALUES);
  let used = load<i32>(c + C_VALUES_USED);
  let elements = load<i32>(c + C_ELEMENTS);
  for (let r = 0; r < rows; r++) {
    const p = rowStart(seg, r) + off;
    const n = varElements(c, p);
    unpackBits(p + 4, n, values + <usize>used);
    used += n;
    elements += n;
    recordOffsetTo(c, staged + r + 1, elements);
  }
  store<i32>(c + C_VALUES_USED, used);
  store<i32>(c + C_ELEMENTS, elements);
}

/** Appends `count` strings of `length` bytes from `p`, each cut at its first NUL (astropy). */
function appendChars(c: usize, p: usize, length: i32, count: i32): void {
  const values = load<usize>(c + C_VALUES);
  const so = load<usize>(c + C_STRING_OFFSETS);
  let o = load<i32>(c + C_VALUES_USED);
  let e = load<i32>(c + C_ELEMENTS);
  for (let s = 0; s < count; s++) {
    const start = p + <usize>(s * length);
    let n = 0;
    while (n < length && load<u8>(start + <usize>n) != 0) n++;
    memory.copy(values + <usize>o, start, <usize>n);
    o += n;
    e++;
    store<i32>(so + (<usize>e << 2), o);
  }
  store<i32>(c + C_VALUES_USED, o);
  store<i32>(c + C_ELEMENTS, e);
}

function fixedChar(c: usize, seg: usize, off: usize, rows: i32): void {
  const length = load<i32>(c + C_STRING_LENGTH);
  const k = load<i32>(c + C_FIXED_ELEMENTS);
  for (let r = 0; r < rows; r++) appendChars(c, rowStart(seg, r) + off, length, k);
}

function varChar(c: usize, seg: usize, off: usize, rows: i32, staged: i32): void {
  const length = load<i32>(c + C_STRING_LENGTH);
  if (length < 0) {
    // `*` or `N*`: one string of `count` bytes, kept whole (astropy does not cut these at NUL).
    const values = load<usize>(c + C_VALUES);
    const so = load<usize>(c + C_STRING_OFFSETS);
    let o = load<i32>(c + C_VALUES_USED);
    let e = load<i32>(c + C_ELEMENTS);
    for (let r = 0; r < rows; r++) {
      const p = rowStart(seg, r) + off;
      const n = count32(p);
      const dst = values + <usize>o;
      const src = p + 4;
      if (n <= 16) {
        // Short names dominate catalogues; two 8-byte moves beat memory.copy's call (the
        // values buffer has 16 bytes of slack, the source is inside the decoded buffer's slack).
        store<u64>(dst, load<u64>(src));
        store<u64>(dst, load<u64>(src, 8), 8);
      } else {
        memory.copy(dst, src, <usize>n);
      }
      o += n;
      e++;
      store<i32>(so + (<usize>e << 2), o);
    }
    store<i32>(c + C_VALUES_USED, o);
    store<i32>(c + C_ELEMENTS, e);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const p = rowStart(seg, r) + off;
    appendChars(c, p + 4, length, varElements(c, p));
    recordOffset(c, staged, r);
  }
}

/** Appends one UCS-2 big-endian string of `chars` characters from `p` as UTF-8. */
function appendUnicode(c: usize, p: usize, chars: i32, cutAtNul: bool): void {
  const values = load<usize>(c + C_VALUES);
  let o = values + <usize>load<i32>(c + C_VALUES_USED);
  for (let j = 0; j < chars; j++) {
    let u = <u32>bswap<u16>(load<u16>(p + <usize>(j << 1)));
    if (u == 0 && cutAtNul) break;
    if (u < 0x80) {
      store<u8>(o++, <u8>u);
    } else if (u < 0x800) {
      store<u8>(o++, <u8>(0xc0 | (u >> 6)));
      store<u8>(o++, <u8>(0x80 | (u & 63)));
    } else {
      if (u >= 0xd800 && u < 0xdc00 && j + 1 < chars) {
        // A UTF-16 surrogate pair, which UCS-2 writers sometimes emit: one 4-byte character.
        const low = <u32>bswap<u16>(load<u16>(p + <usize>((j + 1) << 1)));
        if (low >= 0xdc00 && low < 0xe000) {
          const cp = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
          store<u8>(o++, <u8>(0xf0 | (cp >> 18)));
          store<u8>(o++, <u8>(0x80 | ((cp >> 12) & 63)));
          store<u8>(o++, <u8>(0x80 | ((cp >> 6) & 63)));
          store<u8>(o++, <u8>(0x80 | (cp & 63)));
          j++;
          continue;
        }
      }
      if (u >= 0xd800 && u < 0xe000) u = 0xfffd; // lone surrogate
      store<u8>(o++, <u8>(0xe0 | (u >> 12)));
      store<u8>(o++, <u8>(0x80 | ((u >> 6) & 63)));
      store<u8>(o++, <u8>(0x80 | (u & 63)));
    }
  }
  const used = <i32>(o - values);
  store<i32>(c + C_VALUES_USED, used);
  const e = load<i32>(c + C_ELEMENTS) + 1;
  store<i32>(c + C_ELEMENTS, e);
  store<i32>(load<usize>(c + C_STRING_OFFSETS) + (<usize>e << 2), used);
}

function fixedUnicode(c: usize, seg: usize, off: usize, rows: i32): void {
  const length = load<i32>(c + C_STRING_LENGTH);
  const k = load<i32>(c + C_FIXED_ELEMENTS);
  for (let r = 0; r < rows; r++) {
    const p = rowStart(seg, r) + off;
    for (let s = 0; s < k; s++) appendUnicode(c, p + <usize>(2 * s * length), length, true);
  }
}

function varUnicode(c: usize, seg: usize, off: usize, rows: i32, staged: i32): void {
  const length = load<i32>(c + C_STRING_LENGTH);
  for (let r = 0; r < rows; r++) {
    const p = rowStart(seg, r) + off;
    if (length < 0) {
      appendUnicode(c, p + 4, count32(p), false);
    } else {
      const n = varElements(c, p);
      for (let s = 0; s < n; s++) appendUnicode(c, p + 4 + <usize>(2 * s * length), length, true);
      recordOffset(c, staged, r);
    }
  }
}

