#!/usr/bin/env bash
# Runs ../shared/bench/compare.sh with this server as the candidate (B) against Debian's
# redis-server (A), in the same run. Extra arguments go to compare.sh (e.g. --quick,
# --rounds 5, --only 'set|get', --no-memory, --pin).
# The candidate runs through tools/keydb-server, i.e. with the launcher's JDK choice and flags.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
compare=${COMPARE_SH:-$root/../shared/bench/compare.sh}
[[ -x $compare ]] || { echo "compare.sh not found at $compare (set COMPARE_SH)" >&2; exit 2; }
# Build once up front so that the server's start-up time is not spent compiling.
(cd "$root" && mvn -q -B -DskipTests package -pl server -am)
exec "$compare" --b-name keydb-jvm \
  --b "exec $root/tools/keydb-server --port \$PORT --dir \$DIR --protected-mode no --loglevel warning" "$@"
