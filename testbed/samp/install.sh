#!/usr/bin/env bash
# install.sh -- Debian packages the @vokit/samp integration tests need:
# JSAMP (hub, hubtester, snooper, messagesender), a headless JRE, TOPCAT's jar,
# Xvfb + fonts for TOPCAT, xdotool to click in its GUI (topcat-initiated test), and /usr/bin/python3 with astropy for interop.
# Chromium runs the Web Profile client in a real browser (web-profile.integration.test.ts).
# Idempotent: installs only what is missing; prints one line on stdout.
set -euo pipefail
PKGS=(libjsamp-java default-jre-headless starlink-topcat-java xvfb xfonts-base xdotool chromium python3-astropy)

missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} = 0 ]; then echo "samp testbed packages: present"; exit 0; fi
[ "${VOKIT_NO_APT:-}" = 1 ] && { echo "ERROR: missing ${missing[*]} (VOKIT_NO_APT=1)" >&2; exit 1; }
SUDO=; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
# apt-get update fails at once on a held lock (install waits by itself): retry for up to 10 min.
for i in $(seq 1 120); do
	if $SUDO apt-get update -qq >&2 2>/tmp/samp-apt-update.$$; then break; fi
	grep -qiE 'could not get lock|locked' /tmp/samp-apt-update.$$ || { cat /tmp/samp-apt-update.$$ >&2; exit 1; }
	sleep 5
done
rm -f /tmp/samp-apt-update.$$
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
echo "samp testbed packages: installed ${missing[*]}"
