#!/usr/bin/env bash
# Installs everything the tour and the tests need on a fresh Debian machine with Node >= 20:
# Debian packages (oracles and peers), pnpm, the workspace's dependencies, and the build.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

# Debian packages used by tests and benches: astropy/pyvo/healpy oracles (for /usr/bin/python3),
# STILTS. Other lanes add theirs through VOKIT_APT_EXTRA or their own scripts.
# SAMP peers (@vokit/samp integration tests, see testbed/samp/): JSAMP hub/HubTester, TOPCAT, Xvfb,
# Chromium (Web Profile client in a real browser).
APT_PACKAGES="python3-astropy python3-scipy python3-pyvo python3-healpy stilts libjsamp-java default-jre-headless starlink-topcat-java xvfb xfonts-base xdotool chromium ${VOKIT_APT_EXTRA:-}"
missing=()
for p in $APT_PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] && [ "${VOKIT_NO_APT:-}" != "1" ]; then
  echo "setup: apt-get install ${missing[*]}" >&2
  for i in $(seq 1 60); do
    $SUDO fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1 || break
    sleep 5
  done
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
fi

if ! command -v pnpm >/dev/null 2>&1 || ! pnpm --version 2>/dev/null | grep -q '^10\.'; then
  echo "setup: npm i -g pnpm@10" >&2
  $SUDO npm i -g pnpm@10 >&2
fi

if [ -n "${CI:-}" ]; then
  pnpm install --frozen-lockfile >&2
else
  pnpm install --prefer-offline >&2
fi
pnpm exec turbo run build --output-logs=errors-only >&2
