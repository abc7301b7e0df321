#!/usr/bin/env bash
# Writes under maxmemory against Debian's redis-server, in the same run: both servers on free
# loopback ports, each first filled with the whole keyspace (100,000 keys x 256 B) to learn
# what that costs it, then limited to its start-up memory plus half of that dataset, so that
# each holds about half the keys and every SET of a missing key evicts one. Then
# redis-benchmark SET with random keys over the keyspace (-c 50, unpipelined and -P 16) under
# allkeys-lru, allkeys-lfu and allkeys-random, plus the same SETs with no limit as the
# reference, alternating which server goes first in each of ROUNDS rounds (median reported).
# Besides requests/s, the server's CPU time per request (from /proc) is the steadier figure
# on this shared 2-core machine.
# Usage: bench/eviction-vs-redis.sh [ROUNDS]   (prints a markdown report)
# Environment: N (requests per timed run, default 300000), KEYDB_NO_BUILD=1 to skip the build.
set -euo pipefail
rounds=${1:-${ROUNDS:-3}}
n=${N:-300000}
keys=100000
source "$(dirname "$0")/lib.sh"

start() { # side port dir -> sets $started (pid); the launcher execs java, so $! is the server
  local side=$1 port=$2 dir=$3
  if [[ $side == redis ]]; then
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/log" 2>&1 &
  else
    KEYDB_NO_BUILD=1 "$root/tools/keydb-server" --port "$port" --dir "$dir" --save '' --loglevel warning >"$dir/log" 2>&1 &
  fi
  started=$!; pids+=("$started")
  for _ in $(seq 300); do [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]] && return; sleep 0.1; done
  echo "server $side did not start on port $port:" >&2; cat "$dir/log" >&2; exit 1
}
info() { redis-cli -p "$1" info "$2" | tr -d '\r' | awk -F: -v k="$3" '$1 == k {print $2}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
clk_tck=$(getconf CLK_TCK)

sides=(redis keydb)
declare -A port dir pid limit
for s in "${sides[@]}"; do
  port[$s]=$(free_port); dir[$s]="$work/$s"; mkdir -p "${dir[$s]}"
  start "$s" "${port[$s]}" "${dir[$s]}"; pid[$s]=$started
  # Calibrate: what the whole keyspace costs this server, then allow half of it.
  redis-benchmark -p "${port[$s]}" -t set -r $keys -n $((keys * 6)) -d 256 -c 50 -P 16 -q >/dev/null
  full=$(info "${port[$s]}" memory used_memory); startup=$(info "${port[$s]}" memory used_memory_startup)
  limit[$s]=$(( startup + (full - startup) / 2 ))
done
jdk=$(grep -m1 'running on JDK' "${dir[keydb]}/log" | sed 's/^keydb-server: //' || true)

# workload name -> "policy pipeline"
workloads=(${WORKLOADS:-unlimited_P1 lru_P1 lfu_P1 random_P1 unlimited_P16 lru_P16})
declare -A wl=([unlimited_P1]="none 1" [lru_P1]="allkeys-lru 1" [unlimited_P16]="none 16" [lru_P16]="allkeys-lru 16" [lfu_P1]="allkeys-lfu 1"
               [random_P1]="allkeys-random 1")
declare -A rps cpu evicted keysheld over
run() { # workload side round
  local w=$1 s=$2 i=$3 policy pipe p=${port[$2]}
  read -r policy pipe <<<"${wl[$w]}"
  if [[ $policy == none ]]; then
    redis-cli -p "$p" config set maxmemory 0 >/dev/null
  else
    redis-cli -p "$p" config set maxmemory-policy "$policy" maxmemory "${limit[$s]}" >/dev/null
  fi
  redis-cli -p "$p" config resetstat >/dev/null
  local c0; c0=$(cpu_ticks "${pid[$s]}")
  local out; out=$(redis-benchmark -p "$p" -t set -r $keys -n "$n" -d 256 -c 50 -P "$pipe" -q 2>&1 | tr '\r' '\n' | grep 'requests per second' | tail -1)
  rps[$w,$s,$i]=$(awk '{print $2}' <<<"$out")
  cpu[$w,$s,$i]=$(awk -v a="$c0" -v b="$(cpu_ticks "${pid[$s]}")" -v n="$n" -v t="$clk_tck" 'BEGIN{printf "%.2f", (b - a) * 1e6 / t / n}')
  evicted[$w,$s,$i]=$(info "$p" stats evicted_keys)
  keysheld[$w,$s,$i]=$(redis-cli -p "$p" dbsize)
  local used; used=$(info "$p" memory used_memory)
  over[$w,$s,$i]=0
  if [[ $policy != none ]] && ((used > limit[$s])); then over[$w,$s,$i]=$((used - limit[$s])); fi
  redis-cli -p "$p" config set maxmemory 0 >/dev/null
}
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then order=(redis keydb); else order=(keydb redis); fi
  for w in "${workloads[@]}"; do
    for s in "${order[@]}"; do
      run "$w" "$s" "$i"
      # Refill what the eviction took, so every run starts from the same full keyspace.
      redis-benchmark -p "${port[$s]}" -t set -r $keys -n $((keys * 3)) -d 256 -c 50 -P 16 -q >/dev/null
    done
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
col() { local w=$1 s=$2 arr=$3 i out=""; for ((i = 1; i <= rounds; i++)); do eval "out+=\" \${$arr[\$w,\$s,\$i]}\""; done; echo "$out" | median; }
echo "## Writes under maxmemory vs redis-server ($(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'); $(date -u +%Y-%m-%d))"
echo
echo "keydb-jvm: ${jdk:-?}. $rounds rounds of $n SETs (256 B values, 50 clients, random keys over $keys)."
echo "Limits: redis ${limit[redis]} B, keydb-jvm ${limit[keydb]} B (start-up memory + half of the full keyspace's cost on each)."
echo
echo "| workload | redis rps | keydb rps | ratio | CPU us/req redis | keydb | ratio | evicted/run redis | keydb | keys held redis | keydb | max bytes over limit |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for w in "${workloads[@]}"; do
  ra=$(col "$w" redis rps); rb=$(col "$w" keydb rps); ca=$(col "$w" redis cpu); cb=$(col "$w" keydb cpu)
  printf '| %s | %.0f | %.0f | **%.2f** | %s | %s | %.2f | %s | %s | %s | %s | %s |\n' "$w" "$ra" "$rb" \
    "$(awk -v a="$ra" -v b="$rb" 'BEGIN{print b / a}')" "$ca" "$cb" "$(awk -v a="$ca" -v b="$cb" 'BEGIN{print b / a}')" \
    "$(col "$w" redis evicted)" "$(col "$w" keydb evicted)" "$(col "$w" redis keysheld)" "$(col "$w" keydb keysheld)" \
    "$(col "$w" keydb over)"
done
