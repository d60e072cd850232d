#!/usr/bin/env bash
# hubtester.sh -- run JSAMP 1.3.7's HubTester (SAMP hub conformance suite) against a hub.
#
#   hubtester.sh [--timeout S] [--web] [LOCKFILE]
#
# LOCKFILE: the hub's Standard Profile lockfile (else $SAMP_HUB, which must be std-lockurl:).
# --web: test the Web Profile hub at http://localhost:21012/ instead.
# HubTester spins forever when a hub loses a message, hence the timeout (default 180 s): on
# expiry the JVM gets SIGQUIT (thread dump into the log) and KILL 2 s later.
# Prints one line "hubtester: PASS in T s, N warning(s)" or "hubtester: FAIL ..." (stdout);
# exit 0 pass, 1 fail, 2 timeout, 3 usage/no hub.  Full output: $HUBTESTER_LOG (default a temp file).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TIMEOUT=180 WEB=0 LOCK=
while [ $# -gt 0 ]; do
	case "$1" in
		--timeout) TIMEOUT=$2; shift 2;;
		--web) WEB=1; shift;;
		-*) TB_RC=3 tb_die "unknown option $1";;
		*) LOCK=$1; shift;;
	esac
done
tb_need "$JSAMP_JAR" "$JAVA"
if [ "$WEB" = 1 ]; then
	tb_port_open 21012 || TB_RC=3 tb_die "no Web Profile hub on localhost:21012"
	TARGET="web-appname:hubtester"
elif [ -n "$LOCK" ]; then
	[ -s "$LOCK" ] || TB_RC=3 tb_die "no lockfile $LOCK"
	TARGET="std-lockurl:file://$(cd "$(dirname "$LOCK")" && pwd)/$(basename "$LOCK")"
else
	case "${SAMP_HUB:-}" in std-lockurl:*) TARGET=$SAMP_HUB;; *) TB_RC=3 tb_die "give a LOCKFILE or set SAMP_HUB=std-lockurl:... (never ~/.samp)";; esac
fi
OUT=${HUBTESTER_LOG:-$(mktemp /tmp/hubtester.XXXXXX.log)}
t0=$(tb_now_ms)
set +e
SAMP_HUB=$TARGET timeout --signal=QUIT --kill-after=2 "$TIMEOUT" \
	"$JAVA" -classpath "$JSAMP_JAR" org.astrogrid.samp.JSamp hubtester >"$OUT" 2>&1 </dev/null
rc=$?
set -e
ms=$(( $(tb_now_ms) - t0 ))
t=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
nwarn=$(grep -c '^WARNING' "$OUT" || true)
if [ "$rc" = 124 ] || [ "$rc" = 137 ] || grep -q 'Full thread dump' "$OUT"; then
	awk '/^"main"/{p=1} p&&/^$/{exit} p' "$OUT" >&2
	echo "hubtester: FAIL timeout after $TIMEOUT s (a message was lost or never answered; log $OUT)"
	exit 2
elif [ "$rc" != 0 ]; then
	tail -30 "$OUT" >&2
	where=$(grep -m1 -o 'HubTester.java:[0-9]*' "$OUT" || true)
	echo "hubtester: FAIL exit $rc after $t s${where:+ at $where} (log $OUT)"
	exit 1
fi
echo "hubtester: PASS in $t s, $nwarn warning(s)"
