#!/usr/bin/env bash
# RDB persistence against Debian's redis-server on the same machine and the same data, both
# servers on free loopback ports (issue 5's benchmark):
#  1. a dataset of KEYS keys of mixed types (50% 64-byte strings, 10% each of 8-element lists,
#     hashes, sets, sorted sets, 10% strings with a TTL), loaded with redis-cli --pipe;
#  2. BGSAVE time (wall clock from the command to rdb_bgsave_in_progress:0, median of ROUNDS);
#  3. the RDB file size;
#  4. time to load that RDB at start-up ("DB loaded from disk" in each server's log) and from
#     process start to the first PONG;
#  5. p50/p99 of a GET/SET load (redis-benchmark -c 50, random keys) without a save, then while
#     BGSAVEs run back to back for the whole run. Redis forks for its save; we snapshot;
#  6. SET throughput with the AOF on (appendfsync everysec and always), unpipelined and -P 16,
#     on fresh servers (median of ROUNDS).
# Usage: bench/persistence-vs-redis.sh   (prints a markdown report)
# Environment: KEYS (default 1000000), ROUNDS (default 3), N_LOAD (requests per latency run,
# default 1000000), N_AOF (requests per AOF throughput run, default 200000), KEYDB_NO_BUILD=1 to
# skip the Maven build.
set -euo pipefail
keys=${KEYS:-1000000}
rounds=${ROUNDS:-3}
n_load=${N_LOAD:-1000000}
n_aof=${N_AOF:-200000}
source "$(dirname "$0")/lib.sh"

python3 - "$keys" >"$work/dataset.resp" <<'EOF'
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
def enc(*args):
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
val = b"v" * 64
for i in range(n):
    k = i % 10
    if k < 5:
        out.write(enc(b"SET", b"str:%d" % i, val))
    elif k == 5:
        out.write(enc(b"RPUSH", b"list:%d" % i, *[b"item-%d" % j for j in range(8)]))
    elif k == 6:
        out.write(enc(b"HSET", b"hash:%d" % i, *[x for j in range(8) for x in (b"field-%d" % j, b"value-%d" % (i + j))]))
    elif k == 7:
        out.write(enc(b"SADD", b"set:%d" % i, *[b"member-%d" % (i + j) for j in range(8)]))
    elif k == 8:
        out.write(enc(b"ZADD", b"zset:%d" % i, *[x for j in range(8) for x in (b"%d" % (i + j), b"member-%d" % j)]))
    else:
        out.write(enc(b"SET", b"ttl:%d" % i, val, b"EX", b"100000"))
EOF

now_ms() { date +%s%3N; }
start() { # side port dir [directives...] -> sets $started (pid) and $startup_ms (process start to first PONG)
  local side=$1 port=$2 dir=$3 t0
  shift 3
  t0=$(now_ms)
  if [[ $side == redis ]]; then
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" "$@" >>"$dir/log" 2>&1 &
  else
    KEYDB_NO_BUILD=1 "$root/tools/keydb-server" --port "$port" --dir "$dir" --save '' --loglevel notice "$@" >>"$dir/log" 2>&1 &
  fi
  started=$!; pids+=("$started")
  for _ in $(seq 6000); do
    if [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]]; then startup_ms=$(( $(now_ms) - t0 )); return; fi
    sleep 0.01
  done
  echo "server $side did not start on port $port:" >&2; cat "$dir/log" >&2; exit 1
}
stop() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; for _ in $(seq 100); do kill -0 "$2" 2>/dev/null || break; sleep 0.1; done; kill "$2" 2>/dev/null || true; wait "$2" 2>/dev/null || true; }
field() { redis-cli -p "$1" info persistence | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'; }
bgsave_ms() { # port -> wall ms of one BGSAVE
  local p=$1 t0 out
  out=$(redis-cli -p "$p" bgsave)
  [[ $out == "Background saving started" ]] || { echo "BGSAVE: $out" >&2; exit 1; }
  t0=$(now_ms)
  while [[ $(field "$p" rdb_bgsave_in_progress) != 0 ]]; do sleep 0.01; done
  [[ $(field "$p" rdb_last_bgsave_status) == ok ]] || { echo "BGSAVE failed" >&2; exit 1; }
  echo $(( $(now_ms) - t0 ))
}
median() { tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
latency() { # port -> "p50 p99" of GET and SET, as "get50 get99 set50 set99"
  redis-benchmark -p "$1" -c 50 -n "$n_load" -r 1000000 -d 64 -t get,set --csv 2>/dev/null |
    awk -F, 'NR > 1 { gsub(/"/, ""); printf "%s %s ", $5, $7 }'
}
save_loop() { # port stopfile: BGSAVE back to back until stopfile exists; writes how many ran
  # One connection polling every 50 ms: a redis-cli process per poll would itself load the cores.
  python3 - "$1" "$2" <<'PY'
import os, socket, sys, time
port, stopfile = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")
def call(*args):
    s.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
    line = f.readline()
    if line[:1] == b"$":
        n = int(line[1:])
        return f.read(n + 2)[:-2]
    return line.strip()
n = 0
while not os.path.exists(stopfile):
    if call(b"BGSAVE") == b"+Background saving started":
        n += 1
    while b"rdb_bgsave_in_progress:1" in call(b"INFO", b"persistence"):
        time.sleep(0.05)
open(stopfile + ".count", "w").write("%d\n" % n)
PY
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg); t_start=$(date +%s)
declare -A port dir pid bg size load startup lat latsave saves_during
for s in redis keydb; do
  port[$s]=$(free_port); dir[$s]="$work/$s"; mkdir -p "${dir[$s]}"
  start "$s" "${port[$s]}" "${dir[$s]}"; pid[$s]=$started
  redis-cli -p "${port[$s]}" --pipe <"$work/dataset.resp" >"$work/pipe-$s.log" 2>&1 || { cat "$work/pipe-$s.log" >&2; exit 1; }
  got=$(redis-cli -p "${port[$s]}" dbsize)
  [[ $got == "$keys" ]] || { echo "$s: DBSIZE $got after loading $keys keys" >&2; exit 1; }
done
digest_redis=$(redis-cli -p "${port[redis]}" debug digest 2>/dev/null || echo "n/a")
digest_keydb=$(redis-cli -p "${port[keydb]}" debug digest 2>/dev/null || echo "n/a")
jdk=$(grep -m1 'running on JDK' "${dir[keydb]}/log" | sed 's/^keydb-server: //' || true)

for s in redis keydb; do
  times=""
  for ((i = 0; i < rounds; i++)); do times="$times $(bgsave_ms "${port[$s]}")"; done
  bg[$s]=$(echo $times | median)
  size[$s]=$(stat -c %s "${dir[$s]}/dump.rdb")
  lat[$s]=$(latency "${port[$s]}")
  touch "$work/stop-$s.none"; rm -f "$work/stop-$s"
  save_loop "${port[$s]}" "$work/stop-$s" &
  loop=$!
  latsave[$s]=$(latency "${port[$s]}")
  touch "$work/stop-$s"; wait "$loop"
  saves_during[$s]=$(cat "$work/stop-$s.count")
done
# Load the same saved file at start-up (each server its own file; the datasets are identical).
for s in redis keydb; do
  stop "${port[$s]}" "${pid[$s]}"
  start "$s" "${port[$s]}" "${dir[$s]}"; pid[$s]=$started; startup[$s]=$startup_ms
  load[$s]=$(grep 'DB loaded from disk' "${dir[$s]}/log" | tail -1 | sed -E 's/.*DB loaded from disk: ([0-9.]+) seconds.*/\1/')
  got=$(redis-cli -p "${port[$s]}" dbsize)
  [[ $got -ge $keys ]] || { echo "$s: DBSIZE $got after loading the RDB" >&2; exit 1; }
  stop "${port[$s]}" "${pid[$s]}"
done
# Cross-load: Redis loads our file and we load Redis's (same content check by DEBUG DIGEST).
cross=$(mktemp -d -p "$work")
cp "${dir[keydb]}/dump.rdb" "$cross/dump.rdb"
p=$(free_port); start redis "$p" "$cross"; cross_redis=$(redis-cli -p "$p" dbsize); stop "$p" "$started"
# AOF: SET throughput with appendfsync everysec and always, fresh servers and directories.
declare -A aof
for fsync in everysec always; do
  for pipe in 1 16; do
    for s in redis keydb; do
      runs=""
      for ((i = 0; i < rounds; i++)); do
        d=$(mktemp -d -p "$work"); p=$(free_port)
        start "$s" "$p" "$d" --appendonly yes --appendfsync "$fsync"
        redis-benchmark -p "$p" -c 50 -n "$n_aof" -P "$pipe" -t set -r 100000 -d 64 -q >/dev/null 2>&1 || true   # warm-up (the JIT)
        r=$(redis-benchmark -p "$p" -c 50 -n "$n_aof" -P "$pipe" -t set -r 100000 -d 64 --csv 2>/dev/null | awk -F, 'NR > 1 { gsub(/"/, ""); print $2 }')
        stop "$p" "$started"; rm -rf "$d"
        runs="$runs ${r:-0}"
      done
      aof[$fsync,$pipe,$s]=$(echo $runs | median)
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
read -r rg50 rg99 rs50 rs99 <<<"${lat[redis]}"
read -r kg50 kg99 ks50 ks99 <<<"${lat[keydb]}"
read -r rG50 rG99 rS50 rS99 <<<"${latsave[redis]}"
read -r kG50 kG99 kS50 kS99 <<<"${latsave[keydb]}"
cat <<EOF
# RDB persistence vs redis-server ($(date -u +%F))

- Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average before $load_before, after $load_after; $(( $(date +%s) - t_start )) s.
- redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/'); KeyDB: ${jdk:-JDK unknown}.
- Dataset: $keys keys (50% 64-byte strings, 10% each list/hash/set/zset of 8, 10% strings with TTL).
  DEBUG DIGEST equal on both sides: $([[ $digest_redis == "$digest_keydb" ]] && echo yes || echo "NO ($digest_redis vs $digest_keydb)").
  Redis loaded our file: $cross_redis keys.

| measure | redis-server | KeyDB (JVM) | ratio KeyDB/Redis |
|---|---:|---:|---:|
| BGSAVE wall time, ms (median of $rounds) | ${bg[redis]} | ${bg[keydb]} | $(ratio "${bg[keydb]}" "${bg[redis]}") |
| RDB file size, bytes | ${size[redis]} | ${size[keydb]} | $(ratio "${size[keydb]}" "${size[redis]}") |
| RDB load at start-up, s (server log) | ${load[redis]} | ${load[keydb]} | $(ratio "${load[keydb]}" "${load[redis]}") |
| process start to first PONG, ms | ${startup[redis]} | ${startup[keydb]} | $(ratio "${startup[keydb]}" "${startup[redis]}") |
| GET p50 / p99 ms, no save | $rg50 / $rg99 | $kg50 / $kg99 | |
| GET p50 / p99 ms, BGSAVE running (${saves_during[redis]} / ${saves_during[keydb]} saves) | $rG50 / $rG99 | $kG50 / $kG99 | |
| SET p50 / p99 ms, no save | $rs50 / $rs99 | $ks50 / $ks99 | |
| SET p50 / p99 ms, BGSAVE running | $rS50 / $rS99 | $kS50 / $kS99 | |

p99 during saves / p99 without (the bar is at most 2x): Redis GET $(ratio "$rG99" "$rg99")x, SET $(ratio "$rS99" "$rs99")x;
KeyDB GET $(ratio "$kG99" "$kg99")x, SET $(ratio "$kS99" "$ks99")x.

AOF on, SET 64 B, 50 clients, requests/s (median of $rounds fresh servers):

| appendfsync | pipeline | redis-server | KeyDB (JVM) | ratio |
|---|---:|---:|---:|---:|
| everysec | 1 | ${aof[everysec,1,redis]} | ${aof[everysec,1,keydb]} | $(ratio "${aof[everysec,1,keydb]}" "${aof[everysec,1,redis]}") |
| everysec | 16 | ${aof[everysec,16,redis]} | ${aof[everysec,16,keydb]} | $(ratio "${aof[everysec,16,keydb]}" "${aof[everysec,16,redis]}") |
| always | 1 | ${aof[always,1,redis]} | ${aof[always,1,keydb]} | $(ratio "${aof[always,1,keydb]}" "${aof[always,1,redis]}") |
| always | 16 | ${aof[always,16,redis]} | ${aof[always,16,keydb]} | $(ratio "${aof[always,16,keydb]}" "${aof[always,16,redis]}") |
EOF
