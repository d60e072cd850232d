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
printf '\ntour: files ok (%s rows through BINARY→JSONL and BINARY→BINARY2→CSV)\n' "$source_rows"

# Part 2, the course's workflow against the local VO testbed (a real GAVO DaCHS on 127.0.0.1,
# started if needed): discover tables, cone search, a TAP query, a TAP upload join, and a
# local crossmatch of the two results.
step bash testbed/up.sh
bash testbed/up.sh >/dev/null
# shellcheck disable=SC1091
source .testbed/endpoints.env

step vokit tap tables "$VOKIT_TESTBED_TAP"
vokit tap tables "$VOKIT_TESTBED_TAP" | grep -E '^[0-9]+ tables|vokit\.'

step vokit scs "$VOKIT_TESTBED_SCS" --pos 155,5 --size 0.5 --out cone.vot
vokit scs "$VOKIT_TESTBED_SCS" --pos 155,5 --size 0.5 --out "$OUT/cone.vot"

step vokit tap "$VOKIT_TESTBED_TAP" "SELECT source_id, ra, dec, kmag FROM vokit.sources WHERE 1=CONTAINS(...)" --out field.vot
vokit tap "$VOKIT_TESTBED_TAP" \
  "SELECT source_id, ra, dec, kmag FROM vokit.sources WHERE 1=CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 155, 5, 0.5))" \
  --out "$OUT/field.vot"
vokit convert "$OUT/field.vot" - --format csv | head -n 4

step vokit tap "$VOKIT_TESTBED_TAP" --async --upload mine=cone.vot "SELECT TOP 5 ... JOIN TAP_UPLOAD.mine ..."
vokit tap "$VOKIT_TESTBED_TAP" --async --upload "mine=$OUT/cone.vot" \
  "SELECT TOP 5 s.source_id, s.kmag, m._r FROM vokit.sources AS s JOIN TAP_UPLOAD.mine AS m ON 1=CONTAINS(POINT('ICRS', s.ra, s.dec), CIRCLE('ICRS', m.ra, m.dec, 0.0001)) ORDER BY m._r" \
  --out - --out-format csv

step vokit xmatch cone.vot field.vot --radius 1arcsec --count
pairs=$(vokit xmatch "$OUT/cone.vot" "$OUT/field.vot" --radius 1arcsec --count)
echo "$pairs"
cone_rows=$(vokit count "$OUT/cone.vot")
if [ "$pairs" != "$cone_rows" ]; then
  echo "tour: the cone search and the TAP query disagree: $cone_rows cone rows, $pairs matched" >&2
  exit 1
fi

step vokit xmatch cone.vot field.vot --radius 1arcsec --out - --out-format csv "|" head -n 4
vokit xmatch "$OUT/cone.vot" "$OUT/field.vot" --radius 1arcsec --out - --out-format csv | head -n 4
printf '\ntour: ok (%s cone-search rows found again by TAP and matched on the sky)\n' "$pairs"
