#!/usr/bin/env bash
# Runs every test of every package (hermetic, golden, integration against the local peers),
# then prints one line "N passed, N failed" summed over all packages.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

# Integration lanes need their peers; each lane's script starts what it needs (idempotent).
for up in testbed/up.sh; do
  if [ -x "$up" ]; then
    bash "$up" >&2 || { echo "$up failed"; echo "0 passed, 1 failed"; exit 1; }
  fi
done

find packages apps -maxdepth 2 -name .vitest-result.json -delete 2>/dev/null
pnpm exec turbo run test --concurrency=1 --continue --output-logs=full
status=$?
node scripts/sum-results.mjs
sum=$?
[ $status -eq 0 ] && [ $sum -eq 0 ]
