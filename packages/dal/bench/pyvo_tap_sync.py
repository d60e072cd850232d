#!/usr/bin/python3
"""pyvo side of bench/tap-sync.mjs: times run_sync of QUERY at URL, REPEAT times.

    /usr/bin/python3 pyvo_tap_sync.py URL QUERY MAXREC FORMAT REPEAT
Prints JSON {"rows": n, "times": [seconds, ...]} (fetch and parse into an astropy table).
"""
import json
import sys
import time
import warnings

warnings.simplefilter("ignore")
import pyvo  # noqa: E402

url, query, maxrec, fmt, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
service = pyvo.dal.TAPService(url)
times, rows = [], 0
for _ in range(repeat):
    t0 = time.perf_counter()
    result = service.run_sync(query, maxrec=maxrec, RESPONSEFORMAT=fmt)
    table = result.to_table()
    times.append(time.perf_counter() - t0)
    rows = len(table)
print(json.dumps({"rows": rows, "times": times}))
