#!/usr/bin/env bash
# Bee's ingest rate: 2 MiB segments uploaded to a real `bee dev` node (POST /bytes, deferred) with 1, 4
# and 16 uploads in flight, next to swarmtee's own hashing rate over the same bytes in the same run.
# Builds Bee if needed (tee/src/it/bee/build.sh), starts it on a free port, stops it afterwards.
# Prints a table, writes bench/results/bee-ingest.json.
#   bash bench/bee-ingest.sh [--segments N] [--concurrency 1,4,16] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
./dev mvn -q -DskipTests -pl bench -am package
state="bench/target/bee-dev"
trap 'tee/src/it/bee/bee-dev.sh stop "$state" >/dev/null' EXIT
eval "$(tee/src/it/bee/bee-dev.sh start "$state" | grep '^BEE_')"
./dev java --add-modules jdk.incubator.vector -Dswarmtee.simd="${SWARMTEE_SIMD:-true}" \
  -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.BeeIngestBench \
  --bee "$BEE_URL" --batch "$BEE_BATCH" "$@"
