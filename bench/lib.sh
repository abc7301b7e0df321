# Shared by the bench/*-vs-redis.sh scripts (sourced, not run): a scratch directory removed on
# exit with every server started, a free loopback port, and the build unless KEYDB_NO_BUILD=1.
# After sourcing: $root (the repository), $work (scratch), pids (add every server's pid).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { # a random free port in 20000-29999
  local p
  while :; do
    p=$((20000 + RANDOM % 10000))
    python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.close()' "$p" 2>/dev/null && { echo "$p"; return; }
  done
}
if [[ ${KEYDB_NO_BUILD:-} != 1 ]]; then (cd "$root" && mvn -q -B -DskipTests package -pl server -am); fi
