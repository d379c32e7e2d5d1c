#!/usr/bin/env bash
# Start/stop soak: 500 short live streams (real ffmpeg HLS through the go-livepeer-like test origin, 3 segments
# each, 10 at a time, every other one watched) through swarmtee's fat jar, all archived and finalised with
# ENDLIST; every 50 the child's live heap after a full GC, threads, fds, client connections, archiver timers and
# tasks, shield cache. Prints the table and the verdict, writes bench/results/soak.csv and soak.json; exits 1
# on growth beyond the bounds (the same engine and bounds as the CI's StartStopSoakIT). Needs ffmpeg.
#   bash bench/soak.sh [--cycles N] [--concurrency C] [--every K] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
./dev mvn -q -DskipTests -pl bench -am package
exec ./dev java -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.SoakBench "$@"
