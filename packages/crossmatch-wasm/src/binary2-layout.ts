// The memory layout of the BINARY/BINARY2 decoder's descriptors and state, and its codes: ONE
// file for both sides, compiled by asc into assembly/binary2.ts and by tsc into
// src/binary-decoder.ts, which reads and writes that memory. Plain integer constants only, so
// that it is valid AssemblyScript and TypeScript alike.

// ---- column descriptor (COL_BYTES per field; byte offsets) ----
export const COL_BYTES = 128;
export const C_KIND = 0;
export const C_VARIABLE = 4;
export const C_ITEM_ELEMENTS = 16;
export const C_BIT_ITEMS = 20;
export const C_WIDTH = 24;
export const C_FIXED_ELEMENTS = 28;
export const C_SEGMENT = 32;
export const C_OFFSET = 36;
export const C_STRING_LENGTH = 40;
export const C_INDEX = 44;
export const C_NULL_MODE = 48;
export const C_NULL_HI = 52;
export const C_NULL_LO = 56;
export const C_SCALAR = 60;
export const C_NULL_F64 = 64;
export const C_VALUES = 72;
export const C_VALUES_USED = 80;
export const C_VALIDITY = 84;
export const C_OFFSETS = 88;
export const C_STRING_OFFSETS = 92;
export const C_ELEMENTS = 96;
export const C_NULL_COUNT = 100;

// ---- decoder state (byte offsets of the STATE block) ----
export const S_NFIELDS = 0;
export const S_FLAG_BYTES = 4;
export const S_NVAR = 8;
export const S_TAIL_BYTES = 12;
export const S_STAGED_ROWS = 16;
export const S_ERR_ROW = 20;
export const S_ERR_FIELD = 24;
export const S_ERR_VALUE = 28;
export const S_MEASURED_END = 32;
export const S_NEG_CELL = 36;
export const S_NEG_POS = 40;
export const S_COLS = 44;
export const S_VAR_OFFSET = 48;
export const S_VAR_ITEM = 52;
export const S_STARTS = 56;
export const S_CAPACITY = 60;
export const S_FLAG_UNION = 64;
export const S_B64_BITS = 68;
export const S_B64_COUNT = 72;
export const S_B64_STOP = 76;
export const S_B64_NEWLINES = 80;
export const S_B64_GROUP = 84;
export const S_VAR_FIELD = 88;

// datatype codes
export const K_BOOLEAN = 0;
export const K_BIT = 1;
export const K_UBYTE = 2;
export const K_SHORT = 3;
export const K_INT = 4;
export const K_LONG = 5;
export const K_CHAR = 6;
export const K_UNICODE = 7;
export const K_FLOAT = 8;
export const K_DOUBLE = 9;
export const K_FLOAT_COMPLEX = 10;
export const K_DOUBLE_COMPLEX = 11;

// null modes
export const N_NONE = 0;
export const N_INT = 1;
export const N_FLOAT = 2;
export const N_NAN = 3;
export const N_LONG = 4;

/** Bytes of the STATE block. */
export const STATE_BYTES = 128;

/** b2Extract's result when a boolean byte is outside the accepted set. */
export const ERR_BAD_BOOLEAN = 1;
