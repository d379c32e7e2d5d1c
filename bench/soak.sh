#!/usr/bin/env bash
# Start/stop soak: 500 short live streams (real ffmpeg HLS through the go-livepeer-like test origin, 3 segments
# each, 10 at a time, every other one watched) through swarmtee's fat jar, all archived and finalised with
# ENDLIST; every 50 the child's live heap after a full GC, threads, fds, client connections, archiver timers and
# tasks, shield cache. Prints the table and the verdict, writes bench/results/soak.csv and soak.json; exits 1
# on growth beyond the bounds (the same engine and bounds as the CI's StartStopSoakIT). Needs ffmpeg.
# swarmtee runs with --archive-keep 5s; the bounds allow no heap or series growth per stream.
#   bash bench/soak.sh [--cycles N] [--concurrency C] [--every K] [--segments S] [--out DIR]
#   e.g. at scale: bash bench/soak.sh --cycles 10000 --concurrency 100 --every 500 --segments 1
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start soak "$@"
set -- "${BENCH_ARGS[@]}"
./dev mvn -q -DskipTests -pl bench -am package
./dev java -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.SoakBench "$@"
