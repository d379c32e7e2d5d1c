#!/usr/bin/env bash
# Load ramp into Swarm: bitrate steps from 144p 10 fps (~100 kbit/s) doubling to >= 25 Mbit/s per rendition,
# with 1, 3 and 10 concurrent live streams (2 s segments, replayed in real time through a go-livepeer-like
# origin) archived by the real swarmtee.jar into the Bee test double (fake) and/or a real `bee dev` node
# (bee). Per step: segments/s and MB/s into Swarm, upload latency and archive lag p50/p99, queue and spool
# depth, errors, CPU; per setup the highest sustainable bitrate and the bottleneck against same-run
# baselines (hashing, Bee ingest, disk, loopback). Prints the tables, writes <out>.csv and <out>.json.
# Each rung is encoded once by ffmpeg into ${SWARMTEE_CACHE:-~/.cache/swarmtee}/ramp and reused.
#   bash bench/ramp.sh [--backend fake|bee|both] [--streams 1,3,10] [--max-bitrate 25.6M] [--step-seconds 24]
#                      [--lag-bound 4s] [--drain-timeout 30s] [--out bench/results/ramp]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start ramp "$@"
set -- "${BENCH_ARGS[@]}"
./dev mvn -q -DskipTests -pl bench -am package
bee_binary=""
if [[ " $* " != *" --backend fake "* ]]; then
  bee_binary="$(tee/src/it/bee/build.sh | tail -n1)" # builds bee into the cache once
fi
work="$(mktemp -d /tmp/swarmtee-ramp.XXXXXX)"
bench_at_exit 'rm -rf "$work"'
exec_args=(--add-modules jdk.incubator.vector -Dswarmtee.simd="${SWARMTEE_SIMD:-true}" -Xmx4g
  -Dswarmtee.bee.binary="$bee_binary" -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.ramp.RampBench
  --work "$work" "$@")
./dev java "${exec_args[@]}"
