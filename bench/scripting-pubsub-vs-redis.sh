#!/usr/bin/env bash
# Scripting, pub/sub, transaction and MONITOR workloads against Debian's redis-server, in the
# same run, both servers on free loopback ports, alternating which goes first in each of
# ROUNDS rounds (median reported):
#  1. EVALSHA of a 3-command script (INCR, SET, GET), redis-benchmark -c 50;
#  2. PUBLISH to a channel with 100 subscribers, redis-benchmark -c 50; the subscribers are
#     100 connections held by one python3 process that keeps draining them (so they never
#     hit an output-buffer limit); it counts what it received;
#  3. MULTI + 5 SETs + EXEC over 50 connections, each transaction written as one batch and
#     its 7 replies checked byte for byte. redis-benchmark can only repeat one command, so a
#     small python3 generator (standard library, 2 processes) drives it; it limits the
#     absolute numbers, so only the ratio means anything;
#  4. GET (redis-benchmark -c 50) without and with a `redis-cli monitor` client attached:
#     throughput and p50/p99 latency.
# Besides throughput, each timed run records the CPU time the server process used (user +
# system, from /proc/PID/stat) per request: on this shared 2-core machine the load generator
# and other processes compete for the CPU, so requests/s swing with the machine's load while
# CPU per request mostly does not; its ratio is the steadier measure of the server's own cost.
# Usage: bench/scripting-pubsub-vs-redis.sh [ROUNDS]   (prints a markdown report)
# Environment: ROUNDS (default 3, the argument wins), WORKLOADS (a subset of "evalsha publish
# multi get get_monitor"), N_EVAL, N_PUB, N_TX, N_GET (requests
# per timed run), KEYDB_NO_BUILD=1 to skip the Maven build, B_SIDE=redis to benchmark
# redis-server against itself (a noise check), KEYDB_ARGS for extra directives of our server
# (e.g. "--server-threads 1").
set -euo pipefail
rounds=${1:-${ROUNDS:-3}}
n_eval=${N_EVAL:-300000}
n_pub=${N_PUB:-100000}
n_tx=${N_TX:-200000}
n_get=${N_GET:-300000}
source "$(dirname "$0")/lib.sh"

# --- python helpers (standard library only) -------------------------------------------------
cat >"$work/subs.py" <<'EOF'
# subs.py PORT COUNT CHANNEL READYFILE: holds COUNT subscribed connections and drains them until
# SIGTERM, then writes the number of bytes each connection received to READYFILE.count.
import selectors, signal, socket, sys
port, count, ch, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
cmd = b"*2\r\n$9\r\nSUBSCRIBE\r\n$%d\r\n%s\r\n" % (len(ch), ch)
sel = selectors.DefaultSelector()
got = {}
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(cmd)
    buf = b""
    while buf.count(b"\r\n") < 6:          # *3 $9 subscribe $n ch :n
        d = s.recv(4096)
        if not d: sys.exit("subscriber %d: connection closed during SUBSCRIBE: %r" % (i, buf))
        buf += d
    if not buf.startswith(b"*3\r\n$9\r\nsubscribe\r\n"): sys.exit("subscriber %d: %r" % (i, buf))
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, i)
    got[i] = 0
closed = []
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
open(ready, "w").write("ready\n")
while not stop:
    for key, _ in sel.select(0.2):
        try:
            d = key.fileobj.recv(1 << 17)
        except BlockingIOError:
            continue
        if not d:
            sel.unregister(key.fileobj); closed.append(key.data)
        else:
            got[key.data] += len(d)
with open(ready + ".count", "w") as f:
    f.write("%d %d %d\n" % (min(got.values()), max(got.values()), len(closed)))
EOF

cat >"$work/tx.py" <<'EOF'
# tx.py PORT CONNS N PROCS: N transactions (MULTI, 5 x SET key 3-byte-value, EXEC) over CONNS
# connections in PROCS processes, closed loop, one transaction in flight per connection.
# Prints transactions/s; exits 1 with the unexpected reply if any reply is not the expected one.
import os, random, selectors, socket, sys, time
port, conns, n, procs = (int(a) for a in sys.argv[1:5])
def enc(*args):
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
def request(r):
    return enc(b"MULTI") + b"".join(enc(b"SET", b"tx%d:%06d" % (j, (r * 7 + j) % 100000), b"xxx") for j in range(5)) + enc(b"EXEC")
expect = b"+OK\r\n" + b"+QUEUED\r\n" * 5 + b"*5\r\n" + b"+OK\r\n" * 5
rnd = random.Random(42)
reqs = [request(rnd.randrange(100000)) for _ in range(1024)]
def child(nconn, ntx, go_r, done_w):
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(nconn)]
    for s in socks: s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    os.read(go_r, 1)
    sel = selectors.DefaultSelector()
    buf = {}
    sent = 0; done = 0; k = 0
    for s in socks:
        if sent < ntx:
            s.sendall(reqs[k & 1023]); k += 1; sent += 1
            sel.register(s, selectors.EVENT_READ); buf[s] = b""
    while done < ntx:
        for key, _ in sel.select():
            s = key.fileobj
            d = s.recv(65536)
            if not d:
                sys.stderr.write("connection closed by the server after %r\n" % buf[s]); os._exit(1)
            b = buf[s] + d
            if len(b) < len(expect) and expect.startswith(b):
                buf[s] = b; continue
            if b != expect:
                sys.stderr.write("unexpected reply: %r\n" % b[:300]); os._exit(1)
            buf[s] = b""; done += 1
            if sent < ntx:
                s.sendall(reqs[k & 1023]); k += 1; sent += 1
            else:
                sel.unregister(s)
    os.write(done_w, b"x"); os._exit(0)
go_r, go_w = os.pipe(); done_r, done_w = os.pipe()
kids = []
for p in range(procs):
    nc = conns // procs + (1 if p < conns % procs else 0)
    nt = n // procs + (1 if p < n % procs else 0)
    pid = os.fork()
    if pid == 0: child(nc, nt, go_r, done_w)
    kids.append(pid)
os.close(done_w)
time.sleep(0.5)                       # let every child connect
t0 = time.perf_counter()
os.write(go_w, b"x" * procs)
ok = True
for _ in range(procs):
    if not os.read(done_r, 1): ok = False
t1 = time.perf_counter()
for pid in kids:
    _, st = os.waitpid(pid, 0)
    if st != 0: ok = False
if not ok: sys.exit(1)
print("%.2f" % (n / (t1 - t0)))
EOF

# --- servers -------------------------------------------------------------------------------------
start() { # side port dir -> sets $started (pid); the launcher execs java, so $! is the server
  local side=$1 port=$2 dir=$3
  if [[ $side == redis || ${B_SIDE:-} == redis ]]; then
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/log" 2>&1 &
  else
    # shellcheck disable=SC2086 # KEYDB_ARGS: extra directives, word-split on purpose
    KEYDB_NO_BUILD=1 "$root/tools/keydb-server" --port "$port" --dir "$dir" --loglevel warning ${KEYDB_ARGS:-} >"$dir/log" 2>&1 &
  fi
  started=$!; pids+=("$started")
  for _ in $(seq 300); do [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]] && return; sleep 0.1; done
  echo "server $side did not start on port $port:" >&2; cat "$dir/log" >&2; exit 1
}
stop() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; sleep 0.5; kill "$2" 2>/dev/null || true; wait "$2" 2>/dev/null || true; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg); t_start=$(date +%s)
sides=(redis keydb)
declare -A port dir pid subpid
for s in "${sides[@]}"; do
  port[$s]=$(free_port); dir[$s]="$work/$s"; mkdir -p "${dir[$s]}"
  start "$s" "${port[$s]}" "${dir[$s]}"; pid[$s]=$started
done
jdk=$(grep -m1 'running on JDK' "${dir[keydb]}/log" | sed 's/^keydb-server: //' || true)

# --- workloads -----------------------------------------------------------------------------------
script="redis.call('INCR',KEYS[1]); redis.call('SET',KEYS[2],ARGV[1]); return redis.call('GET',KEYS[2])"
declare -A sha err   # err[workload,side]: why a workload could not run on a side
# One redis-benchmark run: prints "rps p50 p99", or returns 1 with the error in $work/bench.err.
bench() {
  local p=$1 n=$2 out; shift 2
  if ! out=$(timeout 300 redis-benchmark -p "$p" -c 50 -n "$n" -r 100000 --csv "$@" 2>"$work/bench.err"); then
    echo "$out" >>"$work/bench.err"; return 1
  fi
  echo "$out" | tail -1 | awk -F, '{gsub(/"/,""); print $2, $5, $7}'
}
monitor_pid=""
run_workload() { # workload side n -> prints "rps p50 p99" (p50/p99 "-" when not measured)
  local w=$1 s=$2 n=$3 p=${port[$2]} r
  case $w in
    evalsha) bench "$p" "$n" EVALSHA "${sha[$s]}" 2 k1:__rand_int__ k2:__rand_int__ v ;;
    publish)
      [[ $(redis-cli -p "$p" pubsub numsub ch | tail -1) == 100 ]] || { echo "subscribers lost before PUBLISH run" >"$work/bench.err"; return 1; }
      bench "$p" "$n" PUBLISH ch hello ;;
    multi)
      r=$(timeout 300 python3 "$work/tx.py" "$p" 50 "$n" 2 2>"$work/bench.err") || return 1
      echo "$r - -" ;;
    get) bench "$p" "$n" -t get ;;
    get_monitor)
      redis-cli -p "$p" monitor >/dev/null 2>&1 &
      monitor_pid=$!; pids+=("$monitor_pid"); sleep 0.5
      r=$(bench "$p" "$n" -t get) || { kill "$monitor_pid" 2>/dev/null || true; return 1; }
      kill "$monitor_pid" 2>/dev/null || true; wait "$monitor_pid" 2>/dev/null || true
      echo "$r" ;;
  esac
}
n_of() { case $1 in evalsha) echo "$n_eval" ;; publish) echo "$n_pub" ;; multi) echo "$n_tx" ;; *) echo "$n_get" ;; esac; }
read -r -a workloads <<< "${WORKLOADS:-evalsha publish multi get get_monitor}"   # WORKLOADS: a subset

# Setup and probes: one command of each kind on each side; an error reply marks the workload
# unsupported on that side (reported with its text) instead of aborting the run.
for s in "${sides[@]}"; do
  p=${port[$s]}
  sha[$s]=$(redis-cli -p "$p" script load "$script" 2>&1 | tail -1)
  if [[ ${sha[$s]} != df1047f22220b761138ba2b7ff9bc25d9f316fb9 ]]; then
    err[evalsha,$s]="SCRIPT LOAD: ${sha[$s]}"
  else
    out=$(redis-cli -p "$p" evalsha "${sha[$s]}" 2 k1:probe k2:probe v 2>&1)
    [[ $out == v ]] || err[evalsha,$s]="EVALSHA: $out"
  fi
  python3 "$work/subs.py" "$p" 100 ch "$work/subs-$s" 2>"$work/subs-$s.err" &
  subpid[$s]=$!; pids+=("${subpid[$s]}")
  for _ in $(seq 100); do [[ -f $work/subs-$s ]] && break; sleep 0.1; done
  out=$(redis-cli -p "$p" pubsub numsub ch 2>&1 | tail -1)
  [[ $out == 100 ]] || err[publish,$s]="subscribers: PUBSUB NUMSUB ch = $out $(cat "$work/subs-$s.err")"
  python3 "$work/tx.py" "$p" 1 1 1 >/dev/null 2>"$work/probe.err" || err[multi,$s]="MULTI/EXEC: $(cat "$work/probe.err")"
  # fill the GET keyspace so that GETs hit (and warm up SET on the JVM)
  bench "$p" 100000 -t set -d 3 >/dev/null || err[get,$s]="SET fill: $(cat "$work/bench.err")"
  out=$(timeout 1 redis-cli -p "$p" monitor 2>&1 | head -1 || true)
  [[ $out == OK ]] || err[get_monitor,$s]="MONITOR: $out"
done

# Warm-up (JIT compilation on the JVM side), untimed, then the rounds.
declare -A res   # res[workload,side,round] = "rps p50 p99"
declare -A cpu   # cpu[workload,side,round] = server CPU microseconds per request
clk_tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for w in "${workloads[@]}"; do
  for s in "${sides[@]}"; do
    [[ -n ${err[$w,$s]:-} ]] && continue
    run_workload "$w" "$s" "$(( $(n_of "$w") / 2 ))" >/dev/null || err[$w,$s]="$(tr '\n' ' ' <"$work/bench.err")"
  done
done
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then order=(redis keydb); else order=(keydb redis); fi
  for w in "${workloads[@]}"; do
    for s in "${order[@]}"; do
      [[ -n ${err[$w,$s]:-} ]] && continue
      c0=$(cpu_ticks "${pid[$s]}")
      if r=$(run_workload "$w" "$s" "$(n_of "$w")"); then
        res[$w,$s,$i]=$r
        cpu[$w,$s,$i]=$(awk -v a="$c0" -v b="$(cpu_ticks "${pid[$s]}")" -v n="$(n_of "$w")" -v t="$clk_tck" \
          'BEGIN{printf "%.2f", (b - a) * 1e6 / t / n}')
      else err[$w,$s]="$(tr '\n' ' ' <"$work/bench.err")"; fi
    done
  done
done

# Subscribers: how much each received (min/max bytes per connection) and whether any was cut.
declare -A subinfo
for s in "${sides[@]}"; do
  kill "${subpid[$s]}" 2>/dev/null || true; wait "${subpid[$s]}" 2>/dev/null || true
  subinfo[$s]=$(cat "$work/subs-$s.count" 2>/dev/null || echo "? ? ?")
done
for s in "${sides[@]}"; do stop "${port[$s]}" "${pid[$s]}"; done

# --- report --------------------------------------------------------------------------------------
median() { sort -g | awk '{a[NR]=$1} END{ if (NR == 0) print "NA"; else print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { # workload side field(1=rps 2=p50 3=p99) -> median over rounds
  for ((i = 1; i <= rounds; i++)); do if [[ -n ${res[$1,$2,$i]:-} ]]; then echo "${res[$1,$2,$i]}" | awk -v f="$3" '{print $f}'; fi; done | median
}
cpucol() { # workload side -> median CPU microseconds per request over rounds
  for ((i = 1; i <= rounds; i++)); do if [[ -n ${cpu[$1,$2,$i]:-} ]]; then echo "${cpu[$1,$2,$i]}"; fi; done | median
}
cpurange() { # workload -> min-max of per-round keydb/redis CPU-per-request ratios
  for ((i = 1; i <= rounds; i++)); do
    [[ -n ${cpu[$1,redis,$i]:-} && -n ${cpu[$1,keydb,$i]:-} ]] || continue
    awk -v a="${cpu[$1,redis,$i]}" -v b="${cpu[$1,keydb,$i]}" 'BEGIN{ if (a + 0 > 0) printf "%.2f\n", b/a }'
  done | sort -g | awk 'NR==1{lo=$1} {hi=$1} END{ if (NR) printf "%s-%s", lo, hi; else print "NA"}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "NA" || b == "NA" || a + 0 == 0) print "NA"; else printf "%.2f", b/a }'; }
range() { # workload field -> min-max of per-round keydb/redis ratios
  for ((i = 1; i <= rounds; i++)); do
    [[ -n ${res[$1,redis,$i]:-} && -n ${res[$1,keydb,$i]:-} ]] || continue
    paste -d' ' <(echo "${res[$1,redis,$i]}") <(echo "${res[$1,keydb,$i]}") | awk -v f="$2" '{printf "%.2f\n", $(f+3)/$f}'
  done | sort -g | awk 'NR==1{lo=$1} {hi=$1} END{ if (NR) printf "%s-%s", lo, hi; else print "NA"}'
}
label() {
  case $1 in
    evalsha) echo "EVALSHA, script of INCR + SET + GET (redis-benchmark -c 50)" ;;
    publish) echo "PUBLISH to 100 subscribers (redis-benchmark -c 50)" ;;
    multi) echo "MULTI + 5 SET + EXEC, transactions/s (python3 generator, 50 connections)" ;;
    get) echo "GET (redis-benchmark -c 50)" ;;
    get_monitor) echo "GET with a MONITOR client attached" ;;
  esac
}
bname=keydb-jvm; [[ ${B_SIDE:-} == redis ]] && bname="redis (B_SIDE=redis)"
echo "## Scripting, pub/sub, transactions and MONITOR vs redis-server ($(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'); $(date -u +%Y-%m-%d))"
echo
echo "keydb-jvm: ${jdk:-launcher line not found}${KEYDB_ARGS:+, started with $KEYDB_ARGS}. Median of $rounds rounds, servers alternating"
echo "first; requests per timed run: EVALSHA $n_eval, PUBLISH $n_pub, MULTI/EXEC $n_tx, GET $n_get"
echo "(warm-up: half of that, untimed). Load average before the run: $load_before; the run took"
echo "$(( $(date +%s) - t_start )) s."
echo
echo "### Throughput (requests/s; keydb-jvm / redis, higher is better)"
echo
echo "| workload | redis | $bname | ratio | per-round ratios | issue bar |"
echo "|---|---:|---:|---:|---|---|"
for w in "${workloads[@]}"; do
  a=$(col "$w" redis 1); b=$(col "$w" keydb 1)
  bar=""; case $w in evalsha|publish|multi) bar="≥ 0.7" ;; esac
  echo "| $(label "$w") | $a | $b | $(ratio "$a" "$b") | $(range "$w" 1) | $bar |"
done
echo
echo "### Server CPU time per request (microseconds, user + system; keydb-jvm / redis, lower is better)"
echo
echo "| workload | redis | $bname | ratio | per-round ratios |"
echo "|---|---:|---:|---:|---|"
for w in "${workloads[@]}"; do
  a=$(cpucol "$w" redis); b=$(cpucol "$w" keydb)
  echo "| $(label "$w") | $a | $b | $(ratio "$a" "$b") | $(cpurange "$w") |"
done
echo
echo "### GET latency with and without MONITOR (ms; keydb-jvm / redis, lower is better)"
echo
echo "| | redis p50 | $bname p50 | ratio | redis p99 | $bname p99 | ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for w in get get_monitor; do
  a50=$(col "$w" redis 2); b50=$(col "$w" keydb 2); a99=$(col "$w" redis 3); b99=$(col "$w" keydb 3)
  echo "| $(label "$w") | $a50 | $b50 | $(ratio "$a50" "$b50") | $a99 | $b99 | $(ratio "$a99" "$b99") |"
done
echo
sub() { awk '{printf "%s / %s bytes, %s closed", $1, $2, $3}' <<<"$1"; }
echo "PUBLISH subscribers, bytes received per connection (min / max) and connections closed by"
echo "the server: redis $(sub "${subinfo[redis]}"); $bname $(sub "${subinfo[keydb]}"); expected"
echo "$(( (n_pub / 2 + rounds * n_pub) * 36 )) bytes each (36-byte messages, warm-up included) when every run succeeded."
nerr=0
for w in "${workloads[@]}"; do for s in "${sides[@]}"; do if [[ -n ${err[$w,$s]:-} ]]; then nerr=1; fi; done; done
if ((nerr)); then
  echo
  echo "### Errors"
  echo
  for w in "${workloads[@]}"; do for s in "${sides[@]}"; do
    if [[ -n ${err[$w,$s]:-} ]]; then echo "- $w on $s: \`${err[$w,$s]}\`"; fi
  done; done
fi
echo
echo "The MULTI/EXEC generator is python3 (2 processes on this 2-core machine, sharing it with the"
echo "server): it caps both servers' numbers, so that row's ratio understates a faster server."
