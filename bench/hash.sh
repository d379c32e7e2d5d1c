#!/usr/bin/env bash
# Swarm hashing throughput (SwarmHasher, /bytes reference of 2 MiB segments) next to the JDK's SHA-256
# over the same bytes, on one thread and on all cores. Prints a table, writes bench/results/hash.json.
#   bash bench/hash.sh [--seconds S] [--repeats R] [--threads N] [--out FILE]
#   SWARMTEE_SIMD=false bash bench/hash.sh --out bench/results/hash-scalar.json   # scalar BMT path
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start hash "$@"
set -- "${BENCH_ARGS[@]}"
./dev mvn -q -DskipTests -pl bench -am package
./dev java --add-modules jdk.incubator.vector -Dswarmtee.simd="${SWARMTEE_SIMD:-true}" \
  -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.HashBench "$@"
