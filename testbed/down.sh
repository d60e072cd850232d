#!/usr/bin/env bash
# testbed/down.sh: stop the testbed server that testbed/up.sh started, by its recorded pid
# (checked to still be a `dachs serve` process), and PostgreSQL only if up.sh started it.
#   down.sh            server and (if up.sh started it) PostgreSQL
#   down.sh --keep-db  the server only
# Data stay in /var/gavo and the database; up.sh restarts in seconds.
set -euo pipefail
TESTBED=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" != 0 ]; then exec sudo -E bash "$TESTBED/down.sh" "$@"; fi
RUN=${VOKIT_TESTBED_RUN:-/var/tmp/vokit-testbed}
PIDFILE=$RUN/server.pid
say() { printf 'testbed-down  %s\n' "$*" >&2; }

if pid=$(cat "$PIDFILE" 2>/dev/null) && [ -n "$pid" ]; then
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'dachs serve'; then
    say "stopping DaCHS (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 80); do [ -e "/proc/$pid" ] || break; sleep 0.25; done
    if [ -e "/proc/$pid" ]; then say "pid $pid ignored TERM for 20 s; KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  else
    say "stale pid file (pid $pid is not a DaCHS server)"
  fi
  rm -f "$PIDFILE"
else
  say "no pid file at $PIDFILE: nothing to stop"
fi
rm -f "$RUN/stamp"

if [ "${1:-}" != --keep-db ] && [ -f "$RUN/postgres-started" ]; then
  read -r version cluster <"$RUN/postgres-started"
  say "stopping PostgreSQL $version/$cluster (started by up.sh)"
  pg_ctlcluster "$version" "$cluster" stop || true
  rm -f "$RUN/postgres-started"
fi
