#!/usr/bin/python3
"""Expected `vokit convert --format jsonl` output, from astropy and numpy (the oracle).

Writes test/golden/<name>.expected.jsonl for each fixture below: the first ROWS rows of the first
table, one JSON object per row keyed by column name. Floats are written as the shortest decimal
numpy finds for the column's own precision (str(np.float32(x)) is the shortest text that reads
back to the same float32), so the test can compare values exactly. Run with Debian's python3:

    /usr/bin/python3 apps/cli/scripts/golden-jsonl.py
"""
import json
import math
import os
import warnings

import numpy as np
from astropy.io import votable

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "..", "packages", "votable", "test", "fixtures")
OUT = os.path.join(HERE, "..", "test", "golden")
ROWS = 300
CASES = {
    "rosat-scs": "pyvo/dal/scs/result.xml",  # DaCHS cone search: BINARY, double, float, char*
}


def cell(value, dtype):
    if value is np.ma.masked:
        return None
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    if isinstance(value, str):
        return value
    if dtype.kind == "f":
        x = dtype.type(value)
        if math.isnan(x):
            return "NaN"
        if math.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
        return float(str(x))  # shortest text at the column's precision, as a double
    if dtype.kind in "iu":
        return int(value)
    if dtype.kind == "b":
        return bool(value)
    raise TypeError(f"no mapping for {dtype}")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, path in CASES.items():
        table = votable.parse(os.path.join(FIXTURES, path)).get_first_table()
        array = table.array
        names = array.dtype.names
        with open(os.path.join(OUT, f"{name}.expected.jsonl"), "w") as out:
            for r in range(min(ROWS, len(array))):
                row = {}
                for field, column in zip(table.fields, names):
                    row[field.name] = cell(array[column][r], array.dtype[column])
                out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"wrote {name}.expected.jsonl ({min(ROWS, len(array))} rows of {path})")


if __name__ == "__main__":
    main()
