#!/usr/bin/env bash
# Collection-type benchmarks against Debian's redis-server, in the same run:
#  - memory: RSS growth for 1,000 hashes / sets / sorted sets of 1,000 small members each,
#    each type loaded into a freshly started server (redis-cli --pipe);
#  - throughput: XADD and ZRANGEBYSCORE (the workloads compare.sh does not cover), with
#    redis-benchmark at 50 clients, alternating servers over ROUNDS rounds (median reported).
# Usage: bench/collections-vs-redis.sh [ROUNDS]   (prints a markdown report)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$root" && mvn -q -B -DskipTests package -pl server -am)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

start() { # side port dir -> pid
  local side=$1 port=$2 dir=$3
  if [[ $side == redis ]]; then
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/log" 2>&1 &
  else
    KEYDB_NO_BUILD=1 "$root/tools/keydb-server" --port "$port" --dir "$dir" --loglevel warning >"$dir/log" 2>&1 &
  fi
  local pid=$!
  for _ in $(seq 200); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  # the launcher execs java, so $! is the server itself
  echo "$pid"
}
stop() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; sleep 0.5; kill "$2" 2>/dev/null || true; wait "$2" 2>/dev/null || true; }

gen() { # type -> RESP commands on stdout
  awk -v t="$1" 'BEGIN{
    for (i = 0; i < 1000; i++) for (j = 0; j < 1000; j += 10) {
      k = sprintf("%s:%d", t, i); line = "";
      n = 2;
      for (m = j; m < j + 10; m++) {
        if (t == "hash") { line = line sprintf("$%d\r\nf:%d\r\n$%d\r\nv:%d\r\n", length("f:" m), m, length("v:" m), m); n += 2 }
        else if (t == "set") { line = line sprintf("$%d\r\nm:%d\r\n", length("m:" m), m); n += 1 }
        else { line = line sprintf("$%d\r\n%d\r\n$%d\r\nm:%d\r\n", length(m ""), m, length("m:" m), m); n += 2 }
      }
      cmd = (t == "hash") ? "HSET" : (t == "set") ? "SADD" : "ZADD";
      printf "*%d\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n%s", n, length(cmd), cmd, length(k), k, line }
  }'
}

echo "## Collections vs redis-server ($(redis-server --version | awk '{print $3}'); $(date -u +%Y-%m-%d))"
echo
echo "### Memory: RSS growth for 1,000 keys x 1,000 members"
echo
echo "| type | redis bytes/member | keydb-jvm bytes/member | ratio |"
echo "|---|---:|---:|---:|"
for t in hash set zset; do
  declare -A per
  for side in redis keydb; do
    port=$(free_port); dir="$work/$side-$t"; mkdir -p "$dir"
    pid=$(start "$side" "$port" "$dir")
    sleep 1; r0=$(rss_kb "$pid")
    gen "$t" | redis-cli -p "$port" --pipe >/dev/null
    sleep 2; r1=$(rss_kb "$pid")
    per[$side]=$(( (r1 - r0) * 1024 / 1000000 ))
    stop "$port" "$pid"
  done
  echo "| $t | ${per[redis]} | ${per[keydb]} | $(awk -v a="${per[redis]}" -v b="${per[keydb]}" 'BEGIN{printf "%.2f", b/a}') |"
done
echo
echo "### Throughput (requests/s, median of $rounds rounds, 50 clients)"
echo
echo "| workload | redis | keydb-jvm | ratio |"
echo "|---|---:|---:|---:|"
rp=$(free_port); rd="$work/r"; mkdir -p "$rd"; rpid=$(start redis "$rp" "$rd")
kp=$(free_port); kd="$work/k"; mkdir -p "$kd"; kpid=$(start keydb "$kp" "$kd")
for p in "$rp" "$kp"; do
  awk 'BEGIN{for(i=0;i<1000;i++) printf "*4\r\n$4\r\nZADD\r\n$2\r\nzs\r\n$%d\r\n%d\r\n$%d\r\nm%d\r\n", length(i ""), i, length("m" i), i}' | redis-cli -p "$p" --pipe >/dev/null
done
run() { redis-benchmark -p "$1" -c 50 -n "$2" -r 100000 --csv "${@:3}" 2>/dev/null | tail -1 | awk -F'","' '{gsub(/"/,"",$2); print $2}'; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for w in xadd zrangebyscore; do
  rr=(); kk=()
  for ((i = 0; i < rounds; i++)); do
    if [[ $w == xadd ]]; then args=(XADD "s:__rand_int__" '*' f v); n=100000; else args=(ZRANGEBYSCORE zs 100 200 LIMIT 0 10); n=100000; fi
    run "$rp" "$n" "${args[@]}" >/dev/null   # warm-up
    run "$kp" "$n" "${args[@]}" >/dev/null
    rr+=("$(run "$rp" "$n" "${args[@]}")"); kk+=("$(run "$kp" "$n" "${args[@]}")")
  done
  a=$(printf '%s\n' "${rr[@]}" | median); b=$(printf '%s\n' "${kk[@]}" | median)
  echo "| $w | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN{ if (a > 0) printf "%.2f", b/a; else print "NA"}') |"
done
stop "$rp" "$rpid"; stop "$kp" "$kpid"
