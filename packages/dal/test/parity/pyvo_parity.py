#!/usr/bin/python3
"""Oracle for vokit's DAL parity test: run queries through pyvo and print what came back.

    /usr/bin/python3 pyvo_parity.py CASES.json

CASES.json is a list of {"id", "kind": tap|tap_async|scs|sia|sia2|ssa|slap, "url", ...kind
arguments}; "kwargs" go to run_sync/run_async as they are (maxrec, uploads as file paths...).
Prints one JSON object {id: {"fields": [...], "rows": [[...], ...]}} (or {"error": str}).
Values are normalised so the two sides can be compared exactly: integers as decimal strings
(64-bit ids stay exact), floats as Python floats (float32 widened exactly), NaN, masked values
and empty strings as null, bytes decoded, arrays as lists (an array of nulls or an empty one
as null).
"""
import json
import math
import sys
import warnings

import numpy as np

warnings.simplefilter("ignore")
import pyvo  # noqa: E402
from pyvo.dal import sia2  # noqa: E402


def value(v):
    out = _value(v)
    # astropy reads an empty TABLEDATA cell of a double[2] column as [] or [masked] (E02);
    # an array without any value counts as null on both sides
    if isinstance(out, list) and all(x is None for x in out):
        return None
    return out


def _value(v):
    if v is np.ma.masked or v is None:
        return None
    if isinstance(v, np.ma.MaskedArray):
        return [value(x) for x in v.tolist(fill_value=None)] if v.ndim else value(v.item())
    if isinstance(v, np.ndarray):
        return [value(x) for x in v.tolist()] if v.ndim else value(v.item())
    if isinstance(v, (bytes, np.bytes_)):
        v = v.decode("utf-8")
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) else f
    if isinstance(v, str):
        return v or None
    if isinstance(v, (list, tuple)):
        return [value(x) for x in v]
    return str(v)


def run(case):
    kind, url = case["kind"], case["url"]
    if kind == "tap":
        res = pyvo.dal.TAPService(url).run_sync(case["query"], **case.get("kwargs", {}))
    elif kind == "tap_async":
        res = pyvo.dal.TAPService(url).run_async(case["query"], **case.get("kwargs", {}))
    elif kind == "scs":
        res = pyvo.dal.SCSService(url).search(pos=tuple(case["pos"]), radius=case["radius"])
    elif kind == "sia":
        res = pyvo.dal.SIAService(url).search(pos=tuple(case["pos"]), size=case["size"])
    elif kind == "sia2":
        # pyvo 1.2.1's SIAService constructor fails on DaCHS's capabilities; query directly
        res = sia2.SIAQuery(url, pos=tuple(case["pos"])).execute()
    elif kind == "ssa":
        res = pyvo.dal.SSAService(url).search(pos=tuple(case["pos"]), diameter=case["diameter"])
    elif kind == "slap":
        from astropy import units as u
        lo, hi = case["wavelength"]
        res = pyvo.dal.SLAService(url).search(wavelength=(lo * u.m, hi * u.m))
    else:
        raise ValueError(kind)
    table = res.votable.get_first_table()
    fields = [{"name": f.name, "datatype": f.datatype, "ucd": f.ucd, "utype": f.utype,
               "arraysize": f.arraysize} for f in table.fields]
    data = table.array
    # column-wise: numpy cannot index a masked record's array element (DaCHS's double[2] ssa_location)
    columns = [data[name] for name in data.dtype.names]
    rows = [[value(column[i]) for column in columns] for i in range(len(data))]
    return {"fields": fields, "rows": rows}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    out = {}
    for case in cases:
        try:
            out[case["id"]] = run(case)
        except Exception as ex:  # reported, compared as a failure by the test
            out[case["id"]] = {"error": "%s: %s" % (type(ex).__name__, ex)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
