# lib.sh -- helpers for the @vokit/samp testbed scripts (sourced, not run).
# Every script keeps its state in one directory (first argument), so tests can run several
# private "SAMP worlds" side by side; nothing here reads or writes ~/.samp.
JSAMP_JAR=${JSAMP_JAR:-/usr/share/java/jsamp.jar}
TOPCAT_JAR=${TOPCAT_JAR:-/usr/share/java/starlink-topcat.jar}
JAVA=${JAVA:-$(command -v java || echo /usr/bin/java)}

tb_log() { printf '[samp-testbed %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
tb_die() { tb_log "ERROR: $*"; exit "${TB_RC:-1}"; }
tb_now_ms() { date +%s%3N; }

tb_need() { # files that must exist, else point at install.sh
	local f
	for f in "$@"; do
		[ -e "$f" ] || tb_die "missing $f: run testbed/samp/install.sh"
	done
}

# tb_alive PID PATTERN: the pid runs (not a zombie) and its command line contains PATTERN.
tb_alive() {
	local pid=$1 pat=$2
	[ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
	[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pat"
}

# tb_spawn PIDFILE LOGFILE CMD...: run CMD detached in its own session; the pid file holds
# CMD's own pid (the shell execs it).
tb_spawn() {
	local pidf=$1 logf=$2
	shift 2
	rm -f "$pidf"
	setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidf" "$@" </dev/null >"$logf" 2>&1 &
	local i
	for i in $(seq 1 100); do [ -s "$pidf" ] && return 0; sleep 0.02; done
	tb_die "failed to start: $*"
}

# tb_stop PIDFILE PATTERN: TERM the recorded pid (only if it is still that program), KILL after 10 s.
tb_stop() {
	local pidf=$1 pat=$2 pid i
	[ -f "$pidf" ] || return 0
	pid=$(cat "$pidf" 2>/dev/null)
	if tb_alive "$pid" "$pat"; then
		kill -TERM "$pid" 2>/dev/null || true
		for i in $(seq 1 40); do tb_alive "$pid" "$pat" || break; sleep 0.25; done
		tb_alive "$pid" "$pat" && kill -KILL "$pid" 2>/dev/null
	fi
	rm -f "$pidf"
}

# tb_port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
tb_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# tb_lock_port LOCKFILE: the port of samp.hub.xmlrpc.url in a lockfile.
tb_lock_port() { sed -n 's/^samp\.hub\.xmlrpc\.url=http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$1" 2>/dev/null; }

# tb_hub_ping PORT: samp.hub.ping over XML-RPC answers without a fault (bash /dev/tcp, no curl).
tb_hub_ping() {
	local port=$1 body reply
	body='<?xml version="1.0"?><methodCall><methodName>samp.hub.ping</methodName><params></params></methodCall>'
	reply=$(
		exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
		printf 'POST /xmlrpc HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s' "${#body}" "$body" >&3
		timeout 2 cat <&3
	) 2>/dev/null || return 1
	case "$reply" in *methodResponse*) case "$reply" in *fault*) return 1;; *) return 0;; esac;; *) return 1;; esac
}
