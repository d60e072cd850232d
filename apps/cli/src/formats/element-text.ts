/**
 * One array element of a column as text, by datatype: where the element sits in the column's
 * values (complex values take two slots, booleans are bytes of 1/0) and how numbers are written
 * (exact integers, shortest round-trip floats from number-text). A text format only says how it
 * spells what differs between formats: floats, complex pairs and strings.
 */

import type { Column, Datatype } from '@vokit/votable';
import { formatFloat32, formatFloat64 } from './number-text.js';

/** Formats the element at index `index` of a column's values. */
export type ElementFormatter = (column: Column, index: number) => string;

/** How a text format spells the elements whose text differs between formats. */
export interface ElementSpelling {
  /**
   * A float or double, given as number-text's shortest round-trip decimal, or `NaN`,
   * `Infinity`, `-Infinity` for the non-finite values.
   */
  float(text: string): string;
  /** A complex value, given its real and imaginary parts as `float` spelled them. */
  complex(re: string, im: string): string;
  /** A `char` / `unicodeChar` cell's string. */
  string(text: string): string;
}

/** The formatter of one element of a `datatype` column, in a format's spelling. */
export function elementTextFormatter(datatype: Datatype, spelling: ElementSpelling): ElementFormatter {
  const { float, complex, string } = spelling;
  switch (datatype) {
    case 'boolean':
    case 'bit':
      return (c, i) => ((c.values as Uint8Array)[i] === 1 ? 'true' : 'false');
    case 'unsignedByte':
    case 'short':
    case 'int':
    case 'long':
      // BigInt's and small integers' String() are exact decimal integers.
      return (c, i) => String(c.values[i]);
    case 'float':
      return (c, i) => float(formatFloat32(c.values[i] as number));
    case 'double':
      return (c, i) => float(formatFloat64(c.values[i] as number));
    case 'floatComplex':
      return (c, i) => complex(float(formatFloat32(c.values[2 * i] as number)), float(formatFloat32(c.values[2 * i + 1] as number)));
    case 'doubleComplex':
      return (c, i) => complex(float(formatFloat64(c.values[2 * i] as number)), float(formatFloat64(c.values[2 * i + 1] as number)));
    case 'char':
    case 'unicodeChar':
      return (c, i) => string(c.stringAt(i));
  }
}
