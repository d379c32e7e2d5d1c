#!/usr/bin/env bash
# Starts or stops a production-mode Bee (`bee start`, a full node) on a local chain with Swarm's
# contracts, for manual runs, benchmarks and the tests (io.swarmtee.tee.it.BeeChainNode runs this script).
#
#   tee/src/it/bee/bee-chain.sh start [STATE_DIR]  # builds chain + bee if needed, starts them on free
#                                                  # loopback ports, buys a batch through Bee's /stamps,
#                                                  # waits until it is usable, prints (one per line)
#                                                  # BEE_URL=… BEE_BATCH=… RPC_URL=…
#   tee/src/it/bee/bee-chain.sh start STATE_DIR --no-batch  # the same, but buys no batch: the node
#                                                  # owns none (BEE_BATCH is empty), for clients
#                                                  # that stamp chunks with their own batch
#   tee/src/it/bee/bee-chain.sh stop  [STATE_DIR]  # stops all of it
#
# STATE_DIR (default ./target/bee-chain) holds the pids, logs, Bee's data dir, chain.env (contract
# addresses, RPC_URL, WS_URL), bee.env (the three variables above plus BEE_ADDRESS) and
# status-alone.json (Bee's /status before the warm-up peer came).
# SWARMTEE_BEE / SWARMTEE_CHAIN name prebuilt binaries (then nothing is built, a missing one fails).
# Diagnostics go to stderr, so stdout carries only the three variables.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd="${1:-}"
state="${2:-target/bee-chain}"
no_batch=false
[[ "${3:-}" == "--no-batch" ]] && no_batch=true
depth="${BEE_CHAIN_DEPTH:-22}"
# PLUR per chunk: the chain starts at 24000 PLUR per chunk per block (mainnet's floor), one block a
# second, so 1e9 lasts ~11.5 h; the contract refuses less than its minimum validity.
amount="${BEE_CHAIN_AMOUNT:-1000000000}"
password="swarmtee-it"

say() { echo "bee-chain: $*" >&2; }

stop_one() {
  local name="$1" pid
  [[ -f "$state/$name.pid" ]] || return 0
  pid="$(cat "$state/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name pid $pid ignored SIGTERM for 10 s, killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$state/$name.pid"
  say "stopped $name (pid $pid)"
}

stop() {
  stop_one peer
  stop_one bee
  stop_one chain
  rm -f "$state/bee.env"
}

# Polls until "$@" succeeds, at most 120 s, failing at once if the process NAME died.
await() {
  local name="$1" what="$2"; shift 2
  for _ in $(seq 1200); do
    if "$@"; then return 0; fi
    kill -0 "$(cat "$state/$name.pid")" 2>/dev/null || { say "$name exited while waiting for $what; see $state/$name.log"; return 1; }
    sleep 0.1
  done
  say "timed out waiting for $what; see $state/$name.log"
  return 1
}

binary() {
  local var="$1" target="$2" path
  path="${!var:-}"
  if [[ -z "$path" ]]; then
    path="$("$here/build.sh" "$target" | tail -n1)"
  fi
  [[ -x "$path" ]] || { say "no $target binary at $path (build it with bash $here/build.sh $target)"; exit 1; }
  echo "$path"
}

api_address() { grep -o '"msg"="starting debug & api server" "address"="127\.0\.0\.1:[0-9]*"' "$state/$1.log" | grep -o '127\.0\.0\.1:[0-9]*' | head -n1; }
has_api_address() { [[ -n "$(api_address "$1")" ]]; }
has_file() { [[ -s "$1" ]]; }
json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -n1 | cut -d'"' -f4; }

# start_bee NAME EXTRA_FLAGS...: a production-mode full node on this chain, no peers unless given.
start_bee() {
  local name="$1"; shift
  "$bee" start \
    --data-dir "$state/$name" --password "$password" \
    --api-addr 127.0.0.1:0 --p2p-addr 127.0.0.1:0 \
    --mainnet=false --network-id "$NETWORK_ID" \
    --blockchain-rpc-endpoint "$RPC_URL" --block-time "$BLOCK_PERIOD" \
    --postage-stamp-address "$POSTAGE_ADDRESS" --postage-stamp-start-block "$POSTAGE_START_BLOCK" \
    --price-oracle-address "$PRICE_ORACLE_ADDRESS" --staking-address "$STAKING_ADDRESS" \
    --redistribution-address "$REDISTRIBUTION_ADDRESS" \
    --swap-enable=false --full-node --storage-incentives-enable=false \
    --warmup-time 0s --verbosity info "$@" >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
  await "$name" "$name's API address" has_api_address "$name"
}

case "$cmd" in
  start)
    mkdir -p "$state"
    for name in chain bee peer; do
      if [[ -f "$state/$name.pid" ]] && kill -0 "$(cat "$state/$name.pid")" 2>/dev/null; then
        say "$name already running (pid $(cat "$state/$name.pid")); stop it first"
        exit 1
      fi
    done
    bee="$(binary SWARMTEE_BEE bee)"
    chain="$(binary SWARMTEE_CHAIN chain)"
    rm -rf "$state/bee" "$state/peer" "$state/chain.env" "$state/bee.env"
    trap 'stop' ERR

    "$chain" serve --state "$state" >"$state/chain.log" 2>&1 &
    echo $! >"$state/chain.pid"
    await chain "the contracts to be deployed" has_file "$state/chain.env"
    set -a; source "$state/chain.env"; set +a
    say "chain at $RPC_URL, postage stamp contract $POSTAGE_ADDRESS from block $POSTAGE_START_BLOCK"

    start_bee bee --bootnode=
    url="http://$(api_address bee)"
    await bee "/readiness" curl -fs -o /dev/null "$url/readiness"
    addresses="$(curl -fsS "$url/addresses")"
    address="$(json_field ethereum <<<"$addresses")"
    "$chain" fund --state "$state" --to "$address" --eth 10 --bzz 10000 >&2

    # Bee's push-sync waits for the node's warm-up, which only ends after a peer connected: a node
    # that never saw one stores nothing directly (direct uploads and POST /soc hang). A second
    # full node connects once and leaves; the node stays warmed up, alone, storing what it pushes.
    curl -fsS "$url/status" >"$state/status-alone.json"
    underlay="$(grep -o '"/ip4/127\.0\.0\.1/tcp/[0-9]*/p2p/[A-Za-z0-9]*"' <<<"$addresses" | head -n1 | tr -d '"')"
    start_bee peer --bootnode "$underlay"
    await bee "the end of Bee's warm-up" sh -c "curl -fs '$url/status' | grep -q '\"isWarmingUp\":false'"
    stop_one peer

    batch=""
    if $no_batch; then
      say "--no-batch: the node owns no batch"
    else
      bought="$(curl -fsS -X POST "$url/stamps/$amount/$depth")"
      batch="$(json_field batchID <<<"$bought")"
      [[ -n "$batch" ]] || { say "POST /stamps gave no batch id: $bought"; false; }
      say "bought batch $batch in transaction $(json_field txHash <<<"$bought"); waiting for its confirmations"
      await bee "batch $batch to be usable" sh -c "curl -fs '$url/stamps/$batch' | grep -q '\"usable\":true'"
    fi
    printf 'BEE_URL=%s\nBEE_BATCH=%s\nRPC_URL=%s\nBEE_ADDRESS=%s\n' "$url" "$batch" "$RPC_URL" "$address" >"$state/bee.env"
    head -n3 "$state/bee.env"
    ;;
  stop)
    stop
    ;;
  *)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
