#!/usr/bin/python3
"""Reads VOTables with astropy.io.votable and prints their first table's cells as exact JSON.

Used by test/interop.integration.test.ts to check that astropy reads what @vokit/votable writes
with the same values. Always run with the system interpreter (Debian python3-astropy):

    /usr/bin/python3 packages/votable/scripts/read-with-astropy.py [--max-rows N] FILE [FILE ...]

``--max-rows N`` prints at most the first N rows of each table (default: all).

Prints one JSON object: {FILE: {"fields": [{"name", "ID", "datatype", "arraysize", "unit",
"ucd", "utype", "width", "precision", "description", "null"}], "params": [{"name", "datatype",
"value"}], "columns": [[cell, ...] per field]} or {"error": "..."}}. Cell encoding, exact and
JSON-safe:

* masked scalar → null; an array cell → list of its elements, flattened in the order astropy
  stores them (astropy reverses the VOTable dimensions, so C order is the VOTable order, first
  index fastest), masked elements as null; a fully masked fixed-size array → null;
* float and double → the IEEE bits as big-endian hex ("3dcccccd"), NaN as "NaN" (its payload is
  not a value); integers (any width) → decimal string; booleans → true/false; strings → strings;
  complex → [re, im] of such hex.
"""

import json
import struct
import sys
import warnings

import numpy as np
from astropy.io import votable


def number(x):
    if isinstance(x, (np.floating, float)):
        if np.isnan(x):
            return "NaN"
        if isinstance(x, np.float32):
            return struct.pack(">f", x).hex()
        return struct.pack(">d", float(x)).hex()
    if isinstance(x, (np.complexfloating, complex)):
        return [number(x.real), number(x.imag)]
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return str(int(x))
    if isinstance(x, bytes):
        return x.decode("latin-1")
    return str(x)


def cell(value, mask):
    if isinstance(value, np.ndarray) or isinstance(value, np.ma.MaskedArray):
        data = np.ma.getdata(value)
        m = np.ma.getmaskarray(value) if isinstance(value, np.ma.MaskedArray) else np.zeros(data.shape, bool)
        if mask is not None and np.ndim(mask) > 0:
            m = m | np.asarray(mask, bool)
        if data.dtype == object:
            return [cell(v, None) for v in data.ravel()]
        flat = data.ravel()
        flags = np.asarray(m).ravel() if np.ndim(m) else np.zeros(flat.shape, bool)
        if data.dtype.kind in "US":
            return [str(number(v)) for v in flat]
        return [None if f else number(v) for v, f in zip(flat, flags)]
    if mask is not None and np.ndim(mask) == 0 and bool(mask):
        return None
    return number(value)


def read(path, max_rows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = votable.parse(path, verify="ignore").get_first_table()
    fields = [
        {
            "name": f.name,
            "ID": f.ID,
            "datatype": f.datatype,
            "arraysize": f.arraysize,
            "unit": None if f.unit is None else f.unit.to_string("vounit"),
            "ucd": f.ucd,
            "utype": f.utype,
            "width": f.width,
            "precision": f.precision,
            "description": f.description,
            "null": None if f.values is None or f.values.null is None else str(f.values.null),
        }
        for f in table.fields
    ]
    params = [{"name": p.name, "datatype": p.datatype, "value": str(p.value)} for p in table.params]
    array = table.array
    columns = []
    for f in table.fields:
        name = f.ID if f.ID in array.dtype.names else f.name
        data = np.ma.getdata(array[name])
        mask = np.ma.getmaskarray(array[name])
        out = []
        for i in range(min(len(data), max_rows)):
            m = mask[i]
            if np.ndim(m) > 0 and m.size > 0 and bool(np.all(m)) and data.dtype != object:
                out.append(None)
            else:
                out.append(cell(data[i], m))
        columns.append(out)
    return {"fields": fields, "params": params, "columns": columns}


def main():
    args = sys.argv[1:]
    max_rows = sys.maxsize
    if args[:1] == ["--max-rows"]:
        max_rows = int(args[1])
        args = args[2:]
    result = {}
    for path in args:
        try:
            result[path] = read(path, max_rows)
        except Exception as e:  # report, do not crash: the test shows which file failed and why
            result[path] = {"error": f"{type(e).__name__}: {e}"}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
