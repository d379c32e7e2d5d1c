#!/usr/bin/env bash
# Local archive path throughput for 2 MiB segments: embedded store put/read and the upload pipeline
# (spool → embedded store), each next to a plain durable write / plain read of the same bytes.
#   bash bench/store.sh [--segments N] [--repeats R] [--dir DIR]   (SWARMTEE_SIMD=false: scalar BMT)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start store "$@"
set -- "${BENCH_ARGS[@]}"
./dev mvn -q -DskipTests -pl bench -am package
./dev java --add-modules jdk.incubator.vector -Dswarmtee.simd="${SWARMTEE_SIMD:-true}" \
  -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.StoreBench "$@"
