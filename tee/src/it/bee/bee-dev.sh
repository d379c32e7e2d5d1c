#!/usr/bin/env bash
# Starts or stops a Bee dev node (in-memory store, mock chain) for manual runs and benchmarks.
# The tests use the Java twin of this script, io.swarmtee.tee.it.BeeDevNode.
#
#   tee/src/it/bee/bee-dev.sh start [STATE_DIR]   # builds bee if needed, starts it on a free port,
#                                                 # buys a usable batch, prints BEE_URL=… BEE_BATCH=…
#   tee/src/it/bee/bee-dev.sh stop  [STATE_DIR]   # stops the node started with the same STATE_DIR
#
# STATE_DIR (default ./target/bee-dev) holds bee.pid, bee.log and bee.env (the two variables above).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd="${1:-}"
state="${2:-target/bee-dev}"
depth=22
amount=100000000

stop() {
  [[ -f "$state/bee.pid" ]] || { echo "bee-dev: no $state/bee.pid, nothing to stop"; return 0; }
  local pid
  pid="$(cat "$state/bee.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "bee-dev: pid $pid ignored SIGTERM for 10 s, killing it" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$state/bee.pid" "$state/bee.env"
  echo "bee-dev: stopped pid $pid"
}

# Polls until "$@" succeeds, at most 90 s (a readiness poll, bounded).
await() {
  local what="$1"; shift
  for _ in $(seq 900); do
    if "$@"; then return 0; fi
    kill -0 "$(cat "$state/bee.pid")" 2>/dev/null || { echo "bee-dev: bee exited while waiting for $what; see $state/bee.log" >&2; return 1; }
    sleep 0.1
  done
  echo "bee-dev: timed out waiting for $what; see $state/bee.log" >&2
  return 1
}

api_address() { grep -o '"msg"="starting api server" "address"="127\.0\.0\.1:[0-9]*"' "$state/bee.log" | grep -o '127\.0\.0\.1:[0-9]*' | head -n1; }
has_api_address() { [[ -n "$(api_address)" ]]; }

case "$cmd" in
  start)
    mkdir -p "$state"
    if [[ -f "$state/bee.pid" ]] && kill -0 "$(cat "$state/bee.pid")" 2>/dev/null; then
      echo "bee-dev: already running (pid $(cat "$state/bee.pid")); stop it first" >&2
      exit 1
    fi
    bee="$("$here/build.sh" | tail -n1)"
    "$bee" dev --api-addr 127.0.0.1:0 --verbosity info >"$state/bee.log" 2>&1 &
    echo $! >"$state/bee.pid"
    trap 'stop >&2' ERR
    await "the API address" has_api_address
    url="http://$(api_address)"
    await "/readiness" curl -fsS -o /dev/null "$url/readiness"
    batch="$(curl -fsS -X POST "$url/stamps/$amount/$depth" | grep -o '"batchID":"[0-9a-f]*"' | cut -d'"' -f4)"
    [[ -n "$batch" ]] || { echo "bee-dev: POST /stamps gave no batch id" >&2; false; }
    await "batch $batch to be usable" sh -c "curl -fsS '$url/stamps/$batch' | grep -q '\"usable\":true'"
    printf 'BEE_URL=%s\nBEE_BATCH=%s\n' "$url" "$batch" | tee "$state/bee.env"
    ;;
  stop)
    stop
    ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
