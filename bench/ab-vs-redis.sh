#!/usr/bin/env bash
# Same-run A/B of two builds of our server against redis-server: three servers on free loopback
# ports (redis, keydb A, keydb B), one workload, ROUNDS rounds with the order reversed every other
# round; each line gives requests/s, p50 and p99 (ms) per server, the keydb/redis ratios and the
# server CPU time per request (user + system microseconds, from /proc/PID/stat).
# Usage: bench/ab-vs-redis.sh ROUNDS N WORKLOAD   (WORKLOAD: evalsha, get or getmon = GET with a
#        `redis-cli monitor` attached to each server)
# Environment: ROOT_A / ROOT_B = checkouts whose server/target/keydb-server.jar is built (default:
# this one), OPTS_A / OPTS_B = JAVA_OPTS, KARGS_A / KARGS_B = extra directives.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}; n=${2:-300000}; w=${3:-evalsha}
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 10000))
    python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.close()' "$p" 2>/dev/null && { echo "$p"; return; }
  done
}
d=$(mktemp -d)
mons=()
cleanup() {
  for m in "${mons[@]}"; do kill "$m" 2>/dev/null; done
  for p in ${pa:-} ${pb:-} ${pr:-}; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1; done
  sleep 1; kill ${A:-} ${B:-} ${RR:-} 2>/dev/null; wait 2>/dev/null; rm -rf "$d"
}
trap cleanup EXIT
# shellcheck disable=SC2086 # KARGS_*: extra directives, word-split on purpose
pa=$(free_port); KEYDB_NO_BUILD=1 JAVA_OPTS="${OPTS_A:-}" "${ROOT_A:-$root}/tools/keydb-server" ${KARGS_A:-} --port "$pa" --dir "$d" --loglevel warning >"$d/a.log" 2>&1 & A=$!
# shellcheck disable=SC2086
pb=$(free_port); KEYDB_NO_BUILD=1 JAVA_OPTS="${OPTS_B:-}" "${ROOT_B:-$root}/tools/keydb-server" ${KARGS_B:-} --port "$pb" --dir "$d" --loglevel warning >"$d/b.log" 2>&1 & B=$!
pr=$(free_port); redis-server --port "$pr" --bind 127.0.0.1 --save '' --appendonly no --dir "$d" >"$d/r.log" 2>&1 & RR=$!
for p in $pa $pb $pr; do
  for _ in $(seq 300); do [[ $(redis-cli -p "$p" ping 2>/dev/null) == PONG ]] && break; sleep 0.1; done
done
script="redis.call('INCR',KEYS[1]); redis.call('SET',KEYS[2],ARGV[1]); return redis.call('GET',KEYS[2])"
for p in $pa $pb $pr; do
  sha=$(redis-cli -p "$p" script load "$script")
  redis-benchmark -p "$p" -c 50 -n 100000 -r 100000 -t set -d 3 >/dev/null
done
if [[ $w == getmon ]]; then
  for p in $pa $pb $pr; do redis-cli -p "$p" monitor >/dev/null 2>&1 & mons+=($!); done
  sleep 0.5
fi
run() { # port requests -> "rps p50 p99"
  case $w in
    evalsha) redis-benchmark -p "$1" -c 50 -n "$2" -r 100000 --csv EVALSHA "$sha" 2 k1:__rand_int__ k2:__rand_int__ v ;;
    *) redis-benchmark -p "$1" -c 50 -n "$2" -r 100000 --csv -t get ;;
  esac | tail -1 | awk -F, '{gsub(/"/,""); print $2, $5, $7}'
}
run "$pa" $((n / 2)) >/dev/null; run "$pb" $((n / 2)) >/dev/null   # JIT warm-up
tck=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then order="$pr $pa $pb"; else order="$pb $pa $pr"; fi
  declare -A res cpu
  for p in $order; do
    case $p in $pa) pid=$A ;; $pb) pid=$B ;; *) pid=$RR ;; esac
    c0=$(ticks "$pid"); res[$p]=$(run "$p" "$n"); c1=$(ticks "$pid")
    cpu[$p]=$(awk -v a="$c0" -v b="$c1" -v n="$n" -v t="$tck" 'BEGIN{printf "%.2f", (b - a) * 1e6 / t / n}')
  done
  rat() { awk -v a="${res[$1]%% *}" -v b="${res[$pr]%% *}" 'BEGIN{printf "%.2f", a/b}'; }
  echo "round $i redis ${res[$pr]} | A ${res[$pa]} | B ${res[$pb]} | A/r $(rat "$pa") B/r $(rat "$pb")" \
       "cpu us/req r ${cpu[$pr]} A ${cpu[$pa]} B ${cpu[$pb]} load $(cut -d' ' -f1 /proc/loadavg)"
done
