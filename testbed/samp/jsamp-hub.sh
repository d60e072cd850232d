#!/usr/bin/env bash
# jsamp-hub.sh -- start or stop a JSAMP 1.3.7 hub (the SAMP reference hub) on a private lockfile.
#
#   jsamp-hub.sh start DIR [--web] [--web-norestrict]   -> prints SAMP_HUB=std-lockurl:file://DIR/samp
#   jsamp-hub.sh stop DIR
#
# DIR holds samp (lockfile), hub.pid, hub.log.  --web adds the Web Profile on
# localhost:21012 (one per machine) auto-accepting registrations (-web:auth true);
# --web-norestrict also lifts MType restrictions (needed by the web HubTester).
# JSAMP needs -profiles/-web:auth: its default Swing consent dialog dies headless.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || TB_RC=2 tb_die "usage: jsamp-hub.sh start|stop DIR [--web] [--web-norestrict]"
shift 2
PAT="org.astrogrid.samp.JSamp hub"
case "$cmd" in
stop)
	tb_stop "$dir/hub.pid" "$PAT"
	rm -f "$dir/samp"   # JSAMP removes it on TERM; this covers a KILL
	exit 0;;
start) ;;
*) TB_RC=2 tb_die "unknown command $cmd";;
esac
HARGS=(-mode no-gui -profiles std)
WEB=0
while [ $# -gt 0 ]; do
	case "$1" in
		--web) HARGS=(-mode no-gui -profiles std,web -web:auth true); WEB=1; shift;;
		--web-norestrict) HARGS=(-mode no-gui -profiles std,web -web:auth true -web:norestrictmtypes); WEB=1; shift;;
		*) TB_RC=2 tb_die "unknown option $1";;
	esac
done
tb_need "$JSAMP_JAR" "$JAVA"
if [ "$WEB" = 1 ] && tb_port_open 21012; then
	TB_RC=2 tb_die "port 21012 (Web Profile, one per machine) is already in use"
fi
mkdir -p "$dir"; chmod 700 "$dir"
lock=$dir/samp
rm -f "$lock"
t0=$(tb_now_ms)
# JSAMP's hub writes its lockfile where SAMP_HUB points (it has no -lockfile option).
SAMP_HUB="std-lockurl:file://$lock" tb_spawn "$dir/hub.pid" "$dir/hub.log" \
	"$JAVA" -Xmx256m -classpath "$JSAMP_JAR" org.astrogrid.samp.JSamp hub "${HARGS[@]}"
pid=$(cat "$dir/hub.pid")
for i in $(seq 1 600); do
	tb_alive "$pid" "$PAT" || { tail -20 "$dir/hub.log" >&2; tb_die "JSAMP hub exited during startup"; }
	if [ -s "$lock" ]; then
		port=$(tb_lock_port "$lock")
		if [ -n "$port" ] && tb_hub_ping "$port" && { [ "$WEB" = 0 ] || tb_port_open 21012; }; then break; fi
	fi
	sleep 0.05
done
[ -s "$lock" ] || { tb_stop "$dir/hub.pid" "$PAT"; tb_die "JSAMP hub wrote no lockfile within 30 s"; }
tb_log "JSAMP hub up in $(( $(tb_now_ms) - t0 )) ms (pid $pid, lockfile $lock)"
echo "SAMP_HUB=std-lockurl:file://$lock"
