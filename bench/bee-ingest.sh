#!/usr/bin/env bash
# Bee's ingest rate: 2 MiB segments uploaded to a real Bee (POST /bytes) with 1, 4 and 16 uploads in
# flight, next to swarmtee's own hashing rate over the same bytes in the same run.
#   --node dev         (default) a `bee dev` node, deferred uploads (dev mode refuses direct ones)
#   --node production  the same `bee dev` run, then a production-mode full node on a local chain
#                      (tee/src/it/bee/bee-chain.sh), deferred and direct uploads
# Builds Bee (and the chain) if needed, starts the nodes on free ports, stops them afterwards.
# Prints a table per node, writes bench/results/bee-ingest.json (and bee-ingest-production.json).
#   bash bench/bee-ingest.sh [--node dev|production] [--segments N] [--concurrency 1,4,16]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start bee-ingest "$@"
set -- "${BENCH_ARGS[@]}"
node=dev
args=()
while (($#)); do
  case "$1" in
    --node) node="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ "$node" == dev || "$node" == production ]] || { echo "bee-ingest: --node dev|production, not $node" >&2; exit 2; }
./dev mvn -q -DskipTests -pl bench -am package
dev_state="bench/target/bee-dev"
chain_state="bench/target/bee-chain"
bench_at_exit 'tee/src/it/bee/bee-dev.sh stop "$dev_state" >/dev/null; tee/src/it/bee/bee-chain.sh stop "$chain_state" >/dev/null 2>&1'

bench() {
  ./dev java --add-modules jdk.incubator.vector -Dswarmtee.simd="${SWARMTEE_SIMD:-true}" \
    -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.BeeIngestBench \
    --bee "$BEE_URL" --batch "$BEE_BATCH" "$@" "${args[@]}"
}

eval "$(tee/src/it/bee/bee-dev.sh start "$dev_state" | grep '^BEE_')"
bench --node "bee dev" --uploads deferred
tee/src/it/bee/bee-dev.sh stop "$dev_state" >/dev/null
if [[ "$node" == production ]]; then
  eval "$(tee/src/it/bee/bee-chain.sh start "$chain_state" | grep '^BEE_')"
  bench --node "production (bee start, full node, local chain)" --uploads deferred,direct \
    --out bench/results/bee-ingest-production.json
fi
