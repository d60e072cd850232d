#!/usr/bin/python3
"""Golden expectations for @vokit/votable, written by astropy.io.votable.

Run from anywhere (Debian 12 with python3-astropy; always the system interpreter, not pyenv's):

    /usr/bin/python3 packages/votable/scripts/golden.py

It reads every VOTable under packages/votable/test/fixtures/ (``*.xml``, ``*.xml.gz``, ``*.vot``)
and writes packages/votable/test/golden/<same relative path>.json, then deletes goldens whose
fixture is gone. Output is deterministic (sorted walk, no timestamps, stable float formatting):
running it twice gives identical files, so a diff after an astropy upgrade shows exactly what the
oracle changed its mind about. ``--check`` writes nothing and exits 1 when a golden is stale.

What a golden holds (test/golden.test.ts reads it):

* ``{"astropyError": "<class>: <message>"}`` when ``votable.parse(path, verify="ignore")`` raises.
* Otherwise ``version`` (astropy's), ``versionAttribute`` and ``namespace`` (as written),
  ``warnings`` (the distinct astropy warning codes under verify="warn"), document
  ``infos``/``params``, and a ``resources`` tree in astropy's walk order (a RESOURCE's tables,
  then its sub-resources). Each table has ``ID``, ``name``, ``nrowsAttr`` (as declared),
  ``rowCount`` (rows astropy decoded), ``serialization``, ``fields``, ``params``, ``infos`` and
  ``columns`` (one list of cells per field, at most MAX_ROWS rows).
* ``viaStilts``, a second opinion where astropy cannot be trusted: documents astropy fails on
  without a VOTable verdict (a crash, not a spec error), and BINARY/BINARY2 documents where
  astropy and STILTS decode different row counts (astropy 5.2 misreads bounded variable-length
  char such as ``128*``). It holds the tables of ``stilts tpipe ofmt=votable-tabledata`` as
  astropy reads them: values, field names and datatypes only (STILTS rewrites the rest).
* FIELD/PARAM/TABLE attributes are the values *as written*: astropy rewrites some (it derives an
  ID from the name, uniquifies names, parses units into objects, sets arraysize "1" on bare char),
  so the script records the keyword arguments astropy's reader passed to each constructor. The
  one exception is ``datatype``, which is astropy's final datatype (it maps ``string`` → ``char``
  and similar, W13); ``datatypeAsWritten`` appears when the two differ.

Cell encoding (exact, JSON-safe):

* integers (any width, including long) → decimal string; double → Python ``repr`` (shortest
  round-trip), float → ``repr(numpy.float32)`` (round-trips through Math.fround);
  NaN/±Inf → ``"nan"``, ``"inf"``, ``"-inf"``; booleans → true/false; strings → strings;
  complex → ``[re, im]``; arrays → nested lists in numpy order (astropy reverses the VOTable
  dimensions, so flattening the nesting gives FITS order: first index fastest).
* A cell that astropy masks, or whose source needs explaining, is an object instead:
  ``{"data": <astropy's data under the mask>, "masked": bool (whole cell), "elementMask":
  nested bools (arrays with some masked element), "td": "<the TD text exactly as written>"
  (TABLEDATA only), "nullFlag": true (BINARY2 null flag set)}``. astropy strips TD text before
  its converters see it, so ``td`` comes from expat (xml.etree); ``nullFlag`` is recorded by
  wrapping astropy's flag decoder while it parses. With them the test can tell an empty cell
  from a NaN, or a null flag from a NaN, which astropy's mask alone does not say.
"""

import argparse
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
import xml.etree.ElementTree as ET

import numpy as np
import astropy
from astropy.io.votable import converters, parse, tree
from astropy.io.votable.exceptions import VOTableSpecError, VOWarning

MAX_ROWS = 100
HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
FIXTURES = os.path.join(PACKAGE, "test", "fixtures")
GOLDEN = os.path.join(PACKAGE, "test", "golden")
PATTERNS = ("*.xml", "*.xml.gz", "*.vot")

INT_TYPES = {"unsignedByte", "short", "int", "long"}

# ---------------------------------------------------------------------------------------------
# Recording what astropy's reader saw: it normalises attributes and does not keep the BINARY2
# null flags or which serialization it read, so wrap the element constructors, the TABLEDATA and
# BINARY entry points and the flag decoder (this process only; astropy's files are untouched).

_state = {"binary2": None, "tables": 0}


def _wrap_init(cls):
    original = cls.__init__

    def init(self, *args, **kwargs):
        if not hasattr(self, "_golden_raw"):
            self._golden_raw = {k: v for k, v in kwargs.items() if k not in ("config", "pos")}
        if cls is tree.Table:
            # astropy builds tables as it meets their start tags: this is document order.
            self._golden_index = _state["tables"]
            _state["tables"] += 1
        original(self, *args, **kwargs)

    cls.__init__ = init


for _cls in (tree.Param, tree.Field, tree.Table, tree.Resource, tree.Info):
    _wrap_init(_cls)

_original_parse_tabledata = tree.Table._parse_tabledata
_original_parse_binary = tree.Table._parse_binary
_original_bitarray_to_bool = converters.bitarray_to_bool


def _parse_tabledata(self, *args, **kwargs):
    self._golden_format = "TABLEDATA"
    return _original_parse_tabledata(self, *args, **kwargs)


def _parse_binary(self, mode, *args, **kwargs):
    flags = []
    self._golden_flags = flags
    self._golden_format = "BINARY2" if mode == 2 else "BINARY"
    _state["binary2"] = flags if mode == 2 else None
    try:
        return _original_parse_binary(self, mode, *args, **kwargs)
    finally:
        _state["binary2"] = None


def _bitarray_to_bool(data, length):
    result = _original_bitarray_to_bool(data, length)
    # Only the per-row null flags read by Table._parse_binary, not bit-array cells.
    if _state["binary2"] is not None and sys._getframe(1).f_code.co_name == "_parse_binary":
        _state["binary2"].append(list(result))
    return result


tree.Table._parse_tabledata = _parse_tabledata
tree.Table._parse_binary = _parse_binary
converters.bitarray_to_bool = _bitarray_to_bool

# ---------------------------------------------------------------------------------------------
# Encoding


def enc_float(x, single):
    x = float(x)
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(np.float32(x)) if single else repr(x)


def enc_scalar(x, datatype):
    if datatype in INT_TYPES:
        return str(int(x))
    if datatype in ("float", "double"):
        return enc_float(x, datatype == "float")
    if datatype in ("floatComplex", "doubleComplex"):
        c = complex(x)
        single = datatype == "floatComplex"
        return [enc_float(c.real, single), enc_float(c.imag, single)]
    if datatype in ("boolean", "bit"):
        return bool(x)
    if isinstance(x, bytes):
        return x.decode("utf-8", "surrogateescape")
    return str(x)


def enc_data(x, datatype):
    if isinstance(x, np.ma.MaskedArray):
        x = x.data
    if isinstance(x, np.ndarray):
        if x.ndim == 0:
            return enc_scalar(x[()], datatype)
        return [enc_data(item, datatype) for item in x]
    if isinstance(x, (list, tuple)):
        return [enc_data(item, datatype) for item in x]
    return enc_scalar(x, datatype)


def plain_int_text(text):
    t = text.strip()
    if t.startswith("+"):
        t = t[1:]
    return t


def enc_cell(data, mask, datatype, td_text, null_flag):
    """One cell: plain value, or an object explaining a mask, an odd TD text or a null flag."""
    element_mask = None
    if isinstance(data, np.ma.MaskedArray):  # variable-length array: row mask + element mask
        row_masked = bool(np.all(mask))
        em = np.ma.getmaskarray(data)
        if em.size and em.any():
            element_mask = em.tolist()
    elif isinstance(mask, np.ndarray) and mask.ndim > 0:  # fixed array: element mask only
        row_masked = bool(mask.all()) and mask.size > 0
        if mask.any():
            element_mask = mask.tolist()
    else:
        row_masked = bool(mask)
    value = enc_data(data, datatype)
    explain_td = td_text is not None and (
        row_masked
        or element_mask is not None
        or td_text.strip() == ""
        # astropy takes hex, clamps out-of-range integers (W51): show the text it started from
        or (datatype in INT_TYPES and isinstance(value, str) and plain_int_text(td_text) != value)
        # astropy strips the TD text of char cells: show what was written
        or (datatype in ("char", "unicodeChar") and isinstance(value, str) and td_text != value)
    )
    if not (row_masked or element_mask is not None or explain_td or null_flag):
        return value
    cell = {"data": value, "masked": row_masked}
    if element_mask is not None:
        cell["elementMask"] = element_mask
    if explain_td:
        cell["td"] = td_text
    if null_flag:
        cell["nullFlag"] = True
    return cell


def raw(element, key):
    value = getattr(element, "_golden_raw", {}).get(key)
    return None if value is None else str(value)


def describe_field(field):
    out = {
        "name": raw(field, "name"),
        "ID": raw(field, "ID"),
        "datatype": field.datatype,
        "arraysize": raw(field, "arraysize"),
        "unit": raw(field, "unit"),
        "ucd": raw(field, "ucd"),
        "utype": raw(field, "utype"),
        "xtype": raw(field, "xtype"),
    }
    written = raw(field, "datatype")
    if written != field.datatype:
        out["datatypeAsWritten"] = written
    return out


def describe_param(param):
    out = describe_field(param)
    out["value"] = raw(param, "value")
    return out


def describe_info(info):
    return {"name": raw(info, "name"), "value": raw(info, "value")}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def root_of(rel):
    opener = gzip.open if rel.endswith(".gz") else open
    with opener(rel, "rb") as fh:
        return ET.parse(fh).getroot()


def raw_tabledata(rel):
    """TD texts exactly as written (entities decoded, CDATA joined, whitespace kept), per TABLE
    in document order; None for a table without TABLEDATA. astropy strips TD text before its
    converters see it (astropy.utils.xml.iterparser), so the raw text comes from expat."""
    root = root_of(rel)
    tables = []

    def walk(element):
        for child in element:
            name = local(child.tag)
            if name == "RESOURCE":
                walk(child)
            elif name == "TABLE":
                rows = None
                for data in child:
                    if local(data.tag) != "DATA":
                        continue
                    for td_parent in data:
                        if local(td_parent.tag) == "TABLEDATA":
                            rows = [
                                ["".join(td.itertext()) for td in tr if local(td.tag) == "TD"]
                                for tr in td_parent
                                if local(tr.tag) == "TR"
                            ]
                tables.append(rows)

    walk(root)
    return tables


def describe_table(table, raw_tables):
    fields = list(table.fields)
    array = table.array
    rows = 0 if array is None else len(array)
    shown = min(rows, MAX_ROWS)
    serialization = getattr(table, "_golden_format", None)
    flags = getattr(table, "_golden_flags", None) if serialization == "BINARY2" else None
    columns = []
    for k, field in enumerate(fields):
        cells = []
        if shown:
            column = array[array.dtype.names[k]]
            index = getattr(table, "_golden_index", None)
            rows_text = None
            if serialization == "TABLEDATA" and index is not None and index < len(raw_tables):
                rows_text = raw_tables[index]
            for i in range(shown):
                td = None
                if rows_text is not None and i < len(rows_text) and k < len(rows_text[i]):
                    td = rows_text[i][k]
                flag = bool(flags[i][k]) if flags is not None and i < len(flags) else False
                cells.append(enc_cell(column.data[i], column.mask[i], field.datatype, td, flag))
        columns.append(cells)
    nrows = raw(table, "nrows")
    return {
        "ID": raw(table, "ID"),
        "name": raw(table, "name"),
        "nrowsAttr": None if nrows is None else int(nrows),
        "rowCount": rows,
        "rowsInGolden": shown,
        # astropy 5.2 leaves Table.format at "tabledata" whatever it read: use what we saw.
        "serialization": serialization,
        "fields": [describe_field(f) for f in fields],
        "params": [describe_param(p) for p in table.params],
        "infos": [describe_info(i) for i in table.infos],
        "columns": columns,
    }


def describe_resource(resource, raw_tables):
    return {
        "type": raw(resource, "type"),
        "ID": raw(resource, "ID"),
        "name": raw(resource, "name"),
        "infos": [describe_info(i) for i in resource.infos],
        "params": [describe_param(p) for p in resource.params],
        "tables": [describe_table(t, raw_tables) for t in resource.tables],
        "resources": [describe_resource(r, raw_tables) for r in resource.resources],
    }


def golden_for(rel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _state["tables"] = 0
            votable = parse(rel, verify="ignore")
        except Exception as exc:  # the oracle rejects it: record why
            out = {"astropyError": f"{type(exc).__name__}: {exc}"}
            if not isinstance(exc, (VOWarning, VOTableSpecError)):
                # Not a verdict on the document but an astropy failure (astropy 5.2 cannot read
                # bounded variable-length char in BINARY: vizier_b2_votable.xml). Second
                # opinion: STILTS rewrites it as TABLEDATA, and astropy reads that.
                via = via_stilts(rel)
                if via is not None:
                    out["viaStilts"] = via
            return out
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parse(rel, verify="warn")
        except Exception:
            pass
    raw_tables = raw_tabledata(rel)
    stilts = via_stilts(rel) if has_binary(rel) else None
    if stilts is not None:
        ours = [t["rowCount"] for r in votable.resources for t in walk_tables(describe_resource(r, []))]
        if ours == [t["rowCount"] for t in stilts["tables"]]:
            stilts = None  # the oracles agree: no second opinion needed
    codes = sorted({type(w.message).__name__ for w in caught if type(w.message).__name__[:1] in "WE"})
    return {
        "astropy": astropy.__version__,
        "version": votable.version,
        # astropy reports its default (1.4) when the attribute is missing: keep what was written.
        "versionAttribute": root_of(rel).get("version"),
        "namespace": root_of(rel).tag[1:].split("}")[0] if root_of(rel).tag.startswith("{") else None,
        "warnings": codes,
        "infos": [describe_info(i) for i in votable.infos],
        "params": [describe_param(p) for p in votable.params],
        "resources": [describe_resource(r, raw_tables) for r in votable.resources],
        **({"viaStilts": stilts} if stilts is not None else {}),
    }


def to_json(value, indent=""):
    """JSON with one line per small object and per column, so goldens stay short and diffable."""
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if not isinstance(value, (dict, list)) or len(compact) <= 200:
        return compact
    inner = indent + " "
    if isinstance(value, list):
        parts = [to_json(v, inner) for v in value]
        return "[\n" + ",\n".join(inner + p for p in parts) + "\n" + indent + "]"
    parts = []
    for key, v in value.items():
        if key == "columns":
            cols = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in v]
            body = "[]" if not cols else "[\n" + ",\n".join(inner + " " + c for c in cols) + "\n" + inner + "]"
            parts.append(f"{json.dumps(key)}:{body}")
        else:
            parts.append(f"{json.dumps(key)}:{to_json(v, inner)}")
    return "{\n" + ",\n".join(inner + p for p in parts) + "\n" + indent + "}"


def walk_tables(resource):
    yield from resource["tables"]
    for sub in resource["resources"]:
        yield from walk_tables(sub)


def has_binary(rel):
    """True when the document has a BINARY or BINARY2 table: those get a second oracle."""
    opener = gzip.open if rel.endswith(".gz") else open
    with opener(rel, "rb") as fh:
        text = fh.read()
    return b"<BINARY" in text


def via_stilts(rel):
    """astropy's reading of `stilts tpipe ofmt=votable-tabledata` applied to the fixture."""
    if shutil.which("stilts") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "converted.xml")
        subprocess.run(
            ["stilts", "tpipe", f"in={rel}", "ofmt=votable-tabledata", f"out={out}"],
            check=True,
            capture_output=True,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _state["tables"] = 0
            votable = parse(out, verify="ignore")
        raw_tables = raw_tabledata(out)
        tables = [describe_table(t, raw_tables) for t in votable.iter_tables()]
    # STILTS rewrites the metadata (IDs, refs, arraysize bounds): keep only what it preserves.
    for table in tables:
        table["fields"] = [{"name": f["name"], "datatype": f["datatype"]} for f in table["fields"]]
        for key in ("ID", "name", "nrowsAttr", "params", "infos", "serialization"):
            table.pop(key, None)
    return {"stiltsCommand": "stilts tpipe ofmt=votable-tabledata", "tables": tables}


def fixture_paths():
    found = set()
    for pattern in PATTERNS:
        found.update(glob.glob(os.path.join("**", pattern), recursive=True))
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args()
    os.chdir(FIXTURES)  # relative paths keep astropy's messages machine-independent
    stale = []
    wanted = set()
    for rel in fixture_paths():
        out = os.path.join(GOLDEN, rel + ".json")
        wanted.add(os.path.normpath(out))
        text = to_json(golden_for(rel)) + "\n"
        old = open(out, encoding="utf-8").read() if os.path.exists(out) else None
        if old != text:
            stale.append(rel)
            if not args.check:
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, "w", encoding="utf-8") as fh:
                    fh.write(text)
    for path in glob.glob(os.path.join(GOLDEN, "**", "*.json"), recursive=True):
        if os.path.normpath(path) not in wanted:
            stale.append(os.path.relpath(path, GOLDEN))
            if not args.check:
                os.remove(path)
    for rel in stale:
        print(("stale: " if args.check else "wrote: ") + rel)
    if args.check and stale:
        sys.exit(1)


if __name__ == "__main__":
    main()
