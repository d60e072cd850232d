/**
 * A joined table: the columns of several input tables side by side, each taken at given rows
 * (-1 for none, giving nulls), then any columns the match adds, with names made unique the
 * STILTS way (`join-names.ts`). Each output FIELD is a copy of its input FIELD (datatype,
 * arraysize, unit, ucd, utype, xtype, width, precision, description, VALUES with its null, LINKs)
 * under its new name, without `ID` and `ref`: IDs of two inputs can clash, and a `ref` points
 * at a COOSYS or GROUP of an input document that the output does not carry.
 */

import { Column, type Field, type Table } from '@vokit/votable';
import { joinColumnNames } from './join-names.js';
import { takeRows } from './take-rows.js';

/** One input table's part of the join. */
export interface JoinedBlock {
  table: Table;
  /** Input row of each output row, -1 for none. */
  rows: Int32Array;
  /** Appended to a column name that is not unique, e.g. `_1`. */
  suffix: string;
}

/** A column the match adds (Separation, GroupID…): never renamed. */
export interface AddedColumn {
  field: Field;
  values: Float64Array | Int32Array;
  /** Row validity, LSB-first, 1 = valid; null when every row is valid. */
  validity: Uint8Array | null;
}

/** The joined table named `name`; every block's `rows` and every added column has its length. */
export function joinedTable(name: string, blocks: readonly JoinedBlock[], added: readonly AddedColumn[], rowCount: number): Table {
  const names = joinColumnNames([
    ...blocks.map((b) => ({ names: b.table.fields.map((f) => f.name), suffix: b.suffix })),
    { names: added.map((c) => c.field.name) },
  ]);
  const columns: Column[] = [];
  let k = 0;
  for (const block of blocks) {
    block.table.fields.forEach((field, i) => {
      const copy: Field = { ...field, name: names[k++], id: undefined, ref: undefined };
      columns.push(takeRows(block.table.columns[i], block.rows, copy));
    });
  }
  for (const c of added) {
    const field = { ...c.field, name: names[k++] };
    columns.push(new Column({ field, length: rowCount, values: c.values, validity: c.validity, offsets: null, stringOffsets: null }));
  }
  return {
    attributes: {},
    name,
    fields: columns.map((c) => c.field),
    params: [],
    groups: [],
    links: [],
    infos: [],
    infosAfterData: [],
    columns,
    rowCount,
  };
}

/** Validity bits (LSB-first, 1 = valid) of the rows where `valid(i)`, or null when all are. */
export function validityWhere(length: number, valid: (i: number) => boolean): Uint8Array | null {
  const bits = new Uint8Array((length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    if (valid(i)) bits[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  return nulls > 0 ? bits : null;
}
