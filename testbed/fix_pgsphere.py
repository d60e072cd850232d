#!/usr/bin/python3
"""Make Debian 12's pg_sphere extension SQL acceptable to PostgreSQL >= 15.20.

pg_sphere 1.2.0's SQL (Debian package postgresql-15-pgsphere 1.1.1+2021-11-10) declares
two legacy operators `@ (bigint, smoc)` and `@ (spoint, smoc)` with COMMUTATOR '@>' and
NEGATOR '!<@'. Those already pair with the `<@` operators, which PostgreSQL 15.20 rejects,
so `CREATE EXTENSION pg_sphere` (and DaCHS's `dachs init`) fail. We remove just those two
clauses; the operators stay. Idempotent; the original goes to RUN_DIR/<name>.orig once.

Usage: fix_pgsphere.py RUN_DIR
"""
import glob
import os
import re
import shutil
import sys

run_dir = sys.argv[1]
operator = re.compile(r"CREATE OPERATOR @ \((.*?)\);", re.S)
clause = re.compile(r"\s*(COMMUTATOR|NEGATOR)\s*=\s*'[^']*'\s*,")


def strip_clauses(match):
    body = match.group(1)
    if not re.search(r"RIGHTARG\s*=\s*smoc", body):
        return match.group(0)
    return "CREATE OPERATOR @ (" + clause.sub("", body) + ");"


for path in glob.glob("/usr/share/postgresql/*/extension/pg_sphere--*.sql"):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    fixed = operator.sub(strip_clauses, text)
    if fixed != text:
        backup = os.path.join(run_dir, os.path.basename(path) + ".orig")
        if not os.path.exists(backup):
            shutil.copy2(path, backup)
        with open(path, "w", encoding="utf-8") as f:
            f.write(fixed)
        print("testbed: patched %s (pg_sphere smoc operators vs PostgreSQL >= 15.20)" % path)
