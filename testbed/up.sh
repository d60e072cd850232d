#!/usr/bin/env bash
# testbed/up.sh: start vokit's integration-test VO server (GAVO DaCHS 2.7 on Debian 12) on
# 127.0.0.1, idempotently. A fresh machine gets its Debian packages, a database, the
# synthetic "vokit" collection (testbed/data/make_data.py + testbed/rd/q.rd) and a local
# RegTAP registry (testbed/regtap/); a machine where everything already runs returns in
# well under a second.
#
# Environment (all optional):
#   VOKIT_TESTBED_PORT      HTTP port, default 8080 (the server binds 127.0.0.1 only)
#   VOKIT_TESTBED_RUN       pid file, logs and endpoints.env; default /var/tmp/vokit-testbed
#   VOKIT_TESTBED_REIMPORT=1  regenerate and re-import the data even when unchanged
#   VOKIT_NO_APT=1          never call apt-get; fail when a package is missing
#
# Writes the endpoints as shell variables to $VOKIT_TESTBED_RUN/endpoints.env and to
# <repo>/.testbed/endpoints.env (read by the *.integration.test.ts files).
# Stop with testbed/down.sh (by pid only).
set -euo pipefail

TESTBED=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$TESTBED")
if [ "$(id -u)" != 0 ]; then exec sudo -E bash "$TESTBED/up.sh" "$@"; fi

PORT=${VOKIT_TESTBED_PORT:-8080}
RUN=${VOKIT_TESTBED_RUN:-/var/tmp/vokit-testbed}
case "$RUN" in /*) ;; *) RUN=$PWD/$RUN ;; esac
HOST=127.0.0.1
BASE=http://$HOST:$PORT
GAVO=/var/gavo
RES=vokit                       # DaCHS resource directory and database schema
PIDFILE=$RUN/server.pid
mkdir -p "$RUN" "$REPO/.testbed"
# runuser'd commands (postgres, dachsroot) may not be able to enter the caller's directory.
cd /
t0=$(date +%s%N)
say() { printf 'testbed %s  %s\n' "$(date +%T)" "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
# DaCHS spawns `gavo taprun` for async jobs and needs Debian's python3, not a pyenv shim.
PLAIN_ENV=(env -i LANG=C.UTF-8 LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin)

# The stamp covers everything that ends up in the database: when it is unchanged and the
# server answers, nothing needs doing.
stamp() { cat "$TESTBED/rd/"* "$TESTBED/data/make_data.py" "$TESTBED/regtap/"*.py; echo "$BASE"; }
STAMP=$(stamp | sha256sum | cut -c1-20)

server_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'dachs serve' && echo "$pid"
}
answers() { curl -fsS -o /dev/null --max-time 5 "$BASE/tap/availability" 2>/dev/null; }

write_endpoints() {
  local f=$RUN/endpoints.env
  cat >"$f.tmp" <<EOF
# written by testbed/up.sh; source it or read it as KEY=VALUE lines
VOKIT_TESTBED_BASE=$BASE
VOKIT_TESTBED_TAP=$BASE/tap
VOKIT_TESTBED_SCS=$BASE/$RES/q/scs/scs.xml
VOKIT_TESTBED_SIA1=$BASE/$RES/q/siap/siap.xml
VOKIT_TESTBED_SIA2=$BASE/__system__/siap2/sitewide/siap2.xml
VOKIT_TESTBED_SSA=$BASE/$RES/q/ssa/ssap.xml
VOKIT_TESTBED_SLAP=$BASE/$RES/q/slap/slap.xml
VOKIT_TESTBED_DATALINK_IMAGES=$BASE/$RES/q/dl/dlmeta
VOKIT_TESTBED_SODA_IMAGES=$BASE/$RES/q/dl/dlget
VOKIT_TESTBED_DATALINK_CUBE=$BASE/$RES/q/cdl/dlmeta
VOKIT_TESTBED_SODA_CUBE=$BASE/$RES/q/cdl/dlget
VOKIT_TESTBED_DATALINK_SPECTRA=$BASE/$RES/q/sdl/dlmeta
VOKIT_TESTBED_SODA_SPECTRA=$BASE/$RES/q/sdl/dlget
VOKIT_TESTBED_DATALINK_OBSCORE=$BASE/__system__/obscore/dl/dlmeta
VOKIT_TESTBED_OAIPMH=$BASE/oai.xml
VOKIT_TESTBED_REGTAP=$BASE/tap
VOKIT_TESTBED_PID=$1
VOKIT_TESTBED_STAMP=$STAMP
EOF
  mv "$f.tmp" "$f"
  cp "$f" "$REPO/.testbed/endpoints.env"
}

# ------------------------------------------------------------------ fast path (already up)
if [ "${VOKIT_TESTBED_REIMPORT:-0}" != 1 ] && pid=$(server_pid) \
  && [ "$(cat "$RUN/stamp" 2>/dev/null)" = "$STAMP" ] && answers; then
  write_endpoints "$pid"
  say "already up at $BASE (pid $pid), $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  exit 0
fi

# ------------------------------------------------------------------ Debian packages
PG_PACKAGES=(postgresql postgresql-15-pgsphere postgresql-15-q3c python3)  # python3 runs fix_pgsphere.py
DACHS_PACKAGES=(gavodachs2-server python3-matplotlib curl)
installed() {
  local p
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = 'install ok installed' ] || return 1
  done
}
# apt-get waits for the dpkg lock itself (Lock::Timeout); `apt-get update` and
# `dpkg --configure -a` do not, so they are retried while another apt run holds a lock.
retry_locked() {
  local n out rc
  out=$(mktemp)
  for n in $(seq 1 120); do
    rc=0
    "$@" >"$out" 2>&1 || rc=$?
    cat "$out" >>"$RUN/apt.log"
    grep -qiE 'could not get lock|locked by another' "$out" || break
    [ "$n" = 1 ] && say "waiting for another apt/dpkg to release its lock"
    sleep 5
  done
  rm -f "$out"
  return $rc
}
APT_READY=0
apt_install() {
  [ "${VOKIT_NO_APT:-0}" = 1 ] && fail "missing Debian packages ($*) and VOKIT_NO_APT=1"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$APT_READY" = 0 ]; then
    say "apt-get update"
    retry_locked apt-get -o DPkg::Lock::Timeout=600 update -qq || fail "apt-get update (see $RUN/apt.log)"
    APT_READY=1
  fi
  say "apt-get install $*"
  # A postinst that fails (e.g. DaCHS's without a running database) is healed further down.
  retry_locked apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$@" \
    || say "apt-get reported errors; repairing below (log: $RUN/apt.log)"
}

# Maintainer scripts must not start daemons: the dachs init script would take the port with
# the default configuration. Debian's policy-rc.d convention: exit 101 = "not allowed".
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
if [ ! -e "$POLICY" ]; then printf '#!/bin/sh\nexit 101\n' >"$POLICY"; chmod 755 "$POLICY"; OWN_POLICY=1; fi
drop_policy() { if [ "$OWN_POLICY" = 1 ]; then rm -f "$POLICY"; OWN_POLICY=0; fi; }
trap drop_policy EXIT

installed "${PG_PACKAGES[@]}" || apt_install "${PG_PACKAGES[@]}"
command -v pg_lsclusters >/dev/null || fail "PostgreSQL is not installed (see $RUN/apt.log)"

# PostgreSQL >= 15.20 refuses two legacy '@' (…, smoc) operators of Debian 12's pg_sphere
# SQL, whose COMMUTATOR/NEGATOR already belong to '<@' ("commutator operator @> is already
# the commutator of operator <@"), so CREATE EXTENSION and DaCHS's postinst fail. Dropping
# those two clauses keeps the operators and is a no-op on older PostgreSQL.
/usr/bin/python3 "$TESTBED/fix_pgsphere.py" "$RUN" >&2

PG_VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
[ -n "$PG_VERSION" ] || fail "no PostgreSQL server binaries"
pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"' | grep -q . \
  || { say "creating PostgreSQL cluster $PG_VERSION/main"; pg_createcluster "$PG_VERSION" main >/dev/null; }
if [ "$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" {print $4}')" != online ]; then
  say "starting PostgreSQL $PG_VERSION/main"
  pg_ctlcluster "$PG_VERSION" main start
  echo "$PG_VERSION main" >"$RUN/postgres-started"
fi
for _ in $(seq 1 40); do runuser -u postgres -- psql -qtAc 'select 1' >/dev/null 2>&1 && break; sleep 0.25; done
sql() { runuser -u postgres -- psql -d "${2:-gavo}" -qtAc "$1" 2>/dev/null; }
[ "$(sql 'select 1' postgres)" = 1 ] || fail "PostgreSQL does not answer"

# DaCHS only after PostgreSQL runs: its postinst creates roles and runs `dachs init`.
installed "${DACHS_PACKAGES[@]}" || apt_install "${DACHS_PACKAGES[@]}"
if ! installed "${PG_PACKAGES[@]}" "${DACHS_PACKAGES[@]}"; then
  say "dpkg --configure -a"
  retry_locked dpkg --configure -a || fail "dpkg --configure -a (see $RUN/apt.log)"
fi
installed "${DACHS_PACKAGES[@]}" || fail "gavodachs2-server did not install (see $RUN/apt.log)"
drop_policy

# ------------------------------------------------------------------ DaCHS configuration
GAVORC="; vokit testbed (written by testbed/up.sh)
[general]
logLevel: info

[web]
bindAddress: $HOST
serverPort: $PORT
serverURL: $BASE
sitename: vokit testbed
adminpasswd: vokit-testbed
corsOriginPat: .*
sqlTimeout: 60

[async]
defaultExecTimeSync: 60
maxTAPRunning: 6

[ivoa]
authority: vokit.test
"
RC_CHANGED=0
if [ "$(cat /etc/gavo.rc 2>/dev/null)" != "$(printf '%s' "$GAVORC")" ]; then
  [ -e /etc/gavo.rc ] && ! grep -q 'vokit testbed' /etc/gavo.rc && cp -n /etc/gavo.rc /etc/gavo.rc.before-vokit
  printf '%s' "$GAVORC" >/etc/gavo.rc
  RC_CHANGED=1
fi

as_dachs() { runuser -u dachsroot -- "${PLAIN_ENV[@]}" HOME=$GAVO/tmp MPLCONFIGDIR=$GAVO/tmp "$@"; }
id dachsroot >/dev/null 2>&1 || fail "user dachsroot missing: gavodachs2-server's postinst did not run"
[ "$(sql "select 1 from pg_roles where rolname = 'dachsroot'" postgres)" = 1 ] \
  || runuser -u postgres -- createuser --superuser dachsroot
[ "$(sql "select 1 from pg_database where datname = 'gavo'" postgres)" = 1 ] \
  || runuser -u postgres -- createdb --encoding=UTF-8 --template=template0 gavo
install -d -o dachsroot "$GAVO"
if [ "$(sql "select 1 from pg_namespace where nspname = 'dc'")" != 1 ] || [ ! -e "$GAVO/etc/dsn" ]; then
  say "dachs init"
  as_dachs dachs init >>"$RUN/import.log" 2>&1 || fail "dachs init (see $RUN/import.log)"
fi
install -o dachsroot -g gavo -m 644 "$TESTBED/rd/defaultmeta.txt" "$GAVO/etc/defaultmeta.txt"
install -o dachsroot -g gavo -m 644 "$TESTBED/rd/userconfig.rd" "$GAVO/etc/userconfig.rd"

# ------------------------------------------------------------------ data, RD, registry records
IMPORTED=0
if [ "${VOKIT_TESTBED_REIMPORT:-0}" = 1 ] || [ "$(cat "$GAVO/inputs/$RES/.stamp" 2>/dev/null)" != "$STAMP" ] \
  || [ "$(sql "select count(*) from $RES.sources")" != 10000 ]; then
  say "generating data and importing $RES/q (about 30 s)"
  install -d -o dachsroot -g gavo "$GAVO/inputs/$RES"
  install -o dachsroot -g gavo -m 644 "$TESTBED/rd/q.rd" "$GAVO/inputs/$RES/q.rd"
  # on stdin: dachsroot may not be allowed to read the checkout
  as_dachs /usr/bin/python3 - "$GAVO/inputs/$RES" <"$TESTBED/data/make_data.py" >>"$RUN/import.log" 2>&1 \
    || fail "data generation (see $RUN/import.log)"
  # (set -e does not act inside a subshell that is the left side of ||: chain with &&)
  (
    cd "$GAVO/inputs" \
      && { [ "$(sql "select 1 from pg_namespace where nspname = 'ivoa'")" = 1 ] || as_dachs dachs imp //obscore; } \
      && as_dachs dachs imp "$RES/q" \
      && { as_dachs dachs limits "$RES/q" || true; } \
      && as_dachs dachs pub "$RES/q" \
      && as_dachs dachs pub //services //tap //siap2   # site records: registry, authority, TAP, SIA 2
  ) >>"$RUN/import.log" 2>&1 || { tail -25 "$RUN/import.log" >&2; fail "import (see $RUN/import.log)"; }
  [ "$(sql "select count(*) from $RES.sources")" = 10000 ] || fail "vokit.sources is not complete (see $RUN/import.log)"
  IMPORTED=1
fi

# ------------------------------------------------------------------ server
pid=$(server_pid || true)
if [ -n "$pid" ] && { [ "$RC_CHANGED" = 1 ] || [ "$IMPORTED" = 1 ]; }; then
  say "configuration or data changed: restarting the server"
  "$TESTBED/down.sh" --keep-db
  pid=""
fi
if [ -z "$pid" ]; then
  rm -f "$PIDFILE"
  if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
    fail "port $PORT is taken by another process; set VOKIT_TESTBED_PORT"
  fi
  say "starting DaCHS on $BASE"
  # `dachs serve start -f` is the production server in the foreground (it drops to user
  # gavo); start-stop-daemon detaches it and records the real pid.
  start-stop-daemon --start --background --make-pidfile --pidfile "$PIDFILE" --chdir / \
    --output "$RUN/server.log" --startas /usr/bin/env -- "${PLAIN_ENV[@]:1}" /usr/bin/dachs serve start -f
fi
for _ in $(seq 1 240); do
  answers && break
  server_pid >/dev/null || { tail -20 "$RUN/server.log" >&2; fail "the server exited (see $RUN/server.log, $GAVO/logs)"; }
  sleep 0.25
done
answers || fail "no answer from $BASE within 60 s"
pid=$(server_pid)

# ------------------------------------------------------------------ RegTAP
# The rr schema is filled from this server's own OAI-PMH endpoint, so it is built while the
# server runs. The TAP capabilities only declare RegTAP once rr exists, so a first build
# harvests twice to get that declaration into rr itself.
NRES=$(sql "select count(*) from rr.resource" || true)
if [ "$IMPORTED" = 1 ] || [ -z "$NRES" ] || [ "$NRES" = 0 ] || [ "$(cat "$GAVO/inputs/rr/.stamp" 2>/dev/null)" != "$STAMP" ]; then
  say "building the local RegTAP registry (schema rr)"
  install -d -o dachsroot -g gavo "$GAVO/inputs/rr"
  /usr/bin/python3 "$TESTBED/regtap/make_rd.py" >"$RUN/rr.rd"
  install -o dachsroot -g gavo -m 644 "$RUN/rr.rd" "$GAVO/inputs/rr/q.rd"
  install -o dachsroot -g gavo -m 644 "$TESTBED/regtap/oai_grammar.py" "$GAVO/inputs/rr/oai_grammar.py"
  passes=1; [ -z "$NRES" ] && passes=2
  for _ in $(seq 1 $passes); do
    (cd "$GAVO/inputs" && as_dachs dachs imp rr/q) >>"$RUN/import-rr.log" 2>&1 \
      || { tail -25 "$RUN/import-rr.log" >&2; fail "RegTAP import (see $RUN/import-rr.log)"; }
  done
  echo "$STAMP" >"$GAVO/inputs/rr/.stamp"
fi
[ "$IMPORTED" = 1 ] && echo "$STAMP" >"$GAVO/inputs/$RES/.stamp"
echo "$STAMP" >"$RUN/stamp"

write_endpoints "$pid"
say "up at $BASE (pid $pid) in $(( ($(date +%s%N) - t0) / 1000000 )) ms; endpoints: $RUN/endpoints.env"
