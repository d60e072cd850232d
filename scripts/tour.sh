#!/usr/bin/env bash
# The vokit tour: installs what it needs (scripts/setup.sh), then runs the `vokit` command on a
# real VOTable, a DaCHS cone-search result from pyvo's test data (ROSAT photons, BINARY rows):
# describe it, convert it to JSON Lines and to BINARY2, and count the rows of the conversion.
# Works from a clean clone on Debian with Node >= 20.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

vokit() { node apps/cli/bin/vokit.js "$@"; }
SAMPLE=packages/votable/test/fixtures/pyvo/dal/scs/result.xml
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step vokit info "$SAMPLE"
vokit info "$SAMPLE"

step vokit convert "$SAMPLE" rosat.jsonl "&&" head -n 3 rosat.jsonl
vokit convert "$SAMPLE" "$OUT/rosat.jsonl"
head -n 3 "$OUT/rosat.jsonl"

step vokit convert "$SAMPLE" rosat.b2.vot --format votable-binary2
vokit convert "$SAMPLE" "$OUT/rosat.b2.vot" --format votable-binary2
ls -l "$OUT/rosat.b2.vot" | awk '{print $5 " bytes"}'

step vokit count rosat.b2.vot
rows=$(vokit count "$OUT/rosat.b2.vot")
echo "$rows"

step vokit convert rosat.b2.vot - --format csv "|" head -n 4
vokit convert "$OUT/rosat.b2.vot" - --format csv | head -n 4

# The conversions must agree with the source row for row.
lines=$(wc -l < "$OUT/rosat.jsonl")
source_rows=$(vokit count "$SAMPLE")
if [ "$rows" != "$source_rows" ] || [ "$lines" != "$source_rows" ]; then
  echo "tour: row counts disagree: source $source_rows, BINARY2 $rows, JSONL $lines" >&2
  exit 1
fi
printf '\ntour: ok (%s rows through BINARY→JSONL and BINARY→BINARY2→CSV)\n' "$source_rows"
