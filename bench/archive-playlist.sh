#!/usr/bin/env bash
# Cost of keeping a 10-hour (18,000-segment) archive playlist current: append one segment + render vs.
# rebuilding the whole playlist, next to parse time and a plain StringBuilder baseline measured in the
# same run. Prints a table, writes bench/results/archive-playlist.json.
#   bash bench/archive-playlist.sh [--segments N] [--repeats R] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start archive-playlist "$@"
set -- "${BENCH_ARGS[@]}"
./dev mvn -q -DskipTests -pl bench -am package
./dev java -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.ArchivePlaylistBench "$@"
