#!/usr/bin/env bash
# topcat.sh -- run TOPCAT 4.8 headless (own Xvfb) as a SAMP client of the hub SAMP_HUB names.
#
#   SAMP_HUB=std-lockurl:file:///DIR/samp topcat.sh start DIR   -> prints DISPLAY=:N
#   topcat.sh stop DIR
#
# DIR holds xvfb.{pid,log,display} and topcat.{pid,log}.  TOPCAT runs with -nohub (it would
# otherwise start its own hub when none answers) and -samp; it registers as "topcat" about
# 1-2 s later (the caller waits for that through SAMP).  java and Xvfb are started directly,
# not through /usr/bin/topcat or xvfb-run, so that their pids are the ones recorded.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || TB_RC=2 tb_die "usage: topcat.sh start|stop DIR"
case "$cmd" in
stop)
	tb_stop "$dir/topcat.pid" "uk.ac.starlink.topcat.Driver"
	tb_stop "$dir/xvfb.pid" "Xvfb"
	exit 0;;
start) ;;
*) TB_RC=2 tb_die "unknown command $cmd";;
esac
case "${SAMP_HUB:-}" in std-lockurl:*) ;; *) TB_RC=2 tb_die "set SAMP_HUB=std-lockurl:file:///... (never ~/.samp)";; esac
tb_need "$TOPCAT_JAR" "$JAVA" /usr/bin/Xvfb
mkdir -p "$dir"
rm -f "$dir/xvfb.display"
# -displayfd: Xvfb picks a free display number and writes it to fd 3.
tb_spawn "$dir/xvfb.pid" "$dir/xvfb.log" sh -c 'exec Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$0"' "$dir/xvfb.display"
for i in $(seq 1 200); do [ -s "$dir/xvfb.display" ] && break; sleep 0.05; done
[ -s "$dir/xvfb.display" ] || { tb_stop "$dir/xvfb.pid" Xvfb; tb_die "Xvfb did not start (log $dir/xvfb.log)"; }
display=":$(tr -d '[:space:]' <"$dir/xvfb.display")"
DISPLAY=$display tb_spawn "$dir/topcat.pid" "$dir/topcat.log" \
	"$JAVA" -Xmx1g -Duk.ac.starlink.topcat.cmdname=topcat -classpath "$TOPCAT_JAR" uk.ac.starlink.topcat.Driver -nohub -samp
tb_log "TOPCAT pid $(cat "$dir/topcat.pid") on DISPLAY=$display"
echo "DISPLAY=$display"
