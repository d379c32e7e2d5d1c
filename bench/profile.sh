#!/usr/bin/env bash
# Where swarmtee's time goes under load: swarmtee in front of an nginx origin (static files), wrk loading
# one cached object, async-profiler (Maven Central tools.profiler:async-profiler, which ships the native
# library) attached for DURATION seconds of CPU sampling and then DURATION seconds of allocation
# sampling. Prints the top frames by self time (CPU) and by allocated bytes (allocation), each with its
# share of all samples, and keeps the full profiles (collapsed stacks, for flame graphs) under OUT.
# Relative shares are meaningful on a busy machine; absolute rates are not.
#   bash bench/profile.sh [--object segment|segment2|playlist|replay] [--archive] [--duration S] [--connections C]
#                         [--top N] [--jar FILE] [--out DIR] [--no-build] [--noisy]
# --jar profiles another build of swarmtee (e.g. one of main, to compare before and after a change).
# --archive profiles swarmtee with --archive (embedded store; the playlist gets a new segment every 2 s).
# --object replay loads GET /bytes/<ref>?name=seg.ts of a 2 MiB segment put into the embedded store first
# (as bench/replay.sh does), served from the replay cache.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start profile "$@"
JAR=proxy/target/swarmtee.jar OBJECT=segment DURATION=15 CONNECTIONS=32 TOP=25 OUT=bench/results/profile BUILD=1 ARCHIVE=0
AP_VERSION=4.2
bench_options duration connections out no-build
set -- ${BENCH_ARGS[@]+"${BENCH_ARGS[@]}"}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --object) OBJECT="$2"; shift 2 ;;
    --archive) ARCHIVE=1; shift ;;
    --top) TOP="$2"; shift 2 ;;
    --jar) JAR="$2"; BUILD=0; shift 2 ;;
    *) bench_usage "[--object segment|segment2|playlist|replay] [--archive] [--duration S] [--connections C] [--top N] [--jar FILE] [--out DIR] [--no-build] [--noisy]" ;;
  esac
done
case "$OBJECT" in
  segment) OBJECT_PATH=/stream/bench/source/1.ts ;;
  segment2) OBJECT_PATH=/stream/bench/source/2.ts ;;
  playlist) OBJECT_PATH=/stream/bench/source.m3u8 ;;
  replay) OBJECT_PATH= ;; # /bytes/<ref>, once the segment is in the store
  *) echo "profile: --object segment|segment2|playlist|replay, not $OBJECT" >&2; exit 2 ;;
esac
require_tools wrk nginx python3 curl unzip
if [[ $OBJECT == replay ]]; then
  bench_build proxy,bench "$JAR" bench/target/swarmtee-bench.jar
else
  bench_build proxy "$JAR"
fi

# async-profiler's native library, from its Maven Central jar (once).
AP_DIR=bench/target/async-profiler-$AP_VERSION
AP_LIB=$PWD/$AP_DIR/linux-x64/libasyncProfiler.so
if [[ ! -f $AP_LIB ]]; then
  ./dev mvn -q dependency:copy -Dartifact=tools.profiler:async-profiler:$AP_VERSION:jar:linux-x64 \
    -DoutputDirectory="$AP_DIR" >/dev/null
  unzip -q -o "$AP_DIR/async-profiler-$AP_VERSION-linux-x64.jar" 'linux-x64/*' -d "$AP_DIR"
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

bench_workdir profile
ROOT="$WORK/www"
mkdir -p "$ROOT/stream/bench/source"
head -c $((1024 * 1024)) /dev/urandom > "$ROOT/stream/bench/source/1.ts"
head -c $((2 * 1024 * 1024)) /dev/urandom > "$ROOT/stream/bench/source/2.ts"
write_playlist() {
  local last=$1 first=$(($1 > 4 ? $1 - 4 : 1)) n
  {
    echo "#EXTM3U"; echo "#EXT-X-VERSION:3"; echo "#EXT-X-TARGETDURATION:2"; echo "#EXT-X-MEDIA-SEQUENCE:$first"
    for n in $(seq "$first" "$last"); do echo "#EXTINF:2.000,"; echo "source/$n.ts"; done
  } > "$ROOT/stream/bench/source.m3u8.tmp"
  mv "$ROOT/stream/bench/source.m3u8.tmp" "$ROOT/stream/bench/source.m3u8"
}
write_playlist 2
printf '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:PROGRAM-ID=0,BANDWIDTH=4000000,RESOLUTION=1280x720\nbench/source.m3u8\n' \
  > "$ROOT/stream/bench.m3u8"

if [[ $OBJECT == replay ]]; then
  REF=$(./dev java -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.StorePut "$WORK/data/store" \
    "$ROOT/stream/bench/source/2.ts" | tail -n1)
  [[ $REF =~ ^[0-9a-f]{64}$ ]] || { echo "profile: StorePut printed no reference: $REF" >&2; exit 1; }
  OBJECT_PATH="/bytes/$REF?name=seg.ts"
fi

ORIGIN_PORT=$(free_port) ST_PORT=$(free_port)
nginx_conf "$WORK/nginx" "
  sendfile on;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$ORIGIN_PORT; root $ROOT; }
"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
ARGS=(--listen "127.0.0.1:$ST_PORT" --upstream "http://127.0.0.1:$ORIGIN_PORT" --data "$WORK/data")
((ARCHIVE)) && ARGS+=(--archive)
# DebugNonSafepoints: frames of inlined methods are attributed where they run, not to the caller.
./dev java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+EnableDynamicAgentLoading \
  -jar "$JAR" "${ARGS[@]}" > "$WORK/swarmtee.log" 2>&1 &
ST_PID=$!
PIDS+=($ST_PID)
URL="http://127.0.0.1:$ST_PORT$OBJECT_PATH"
wait_for curl -fsS -o /dev/null "$URL"
((ARCHIVE)) && wait_for curl -fsS -o /dev/null "http://127.0.0.1:$ST_PORT/stream/bench.m3u8"
if ((ARCHIVE)); then
  ( last=2; while [[ ! -f $WORK/stop ]]; do sleep 2; last=$((last + 1))
      head -c $((256 * 1024)) /dev/urandom > "$ROOT/stream/bench/source/$last.ts"; write_playlist "$last"; done ) &
  PIDS+=($!)
fi
grep -i 'transport' "$WORK/swarmtee.log" | head -n 3 | sed 's/^/  swarmtee log: /' || true
echo "profile: $URL ($OBJECT$( ((ARCHIVE)) && echo ', archiving')), wrk -t2 -c$CONNECTIONS, warmed 5 s, then ${DURATION} s of CPU and ${DURATION} s of allocation sampling"
wrk -t2 -c"$CONNECTIONS" -d5s "$URL" >/dev/null

# jcmd splits an unquoted option string at its commas: the quotes keep it whole.
agent() {
  "$(./dev jdk)/bin/jcmd" "$ST_PID" JVMTI.agent_load "$AP_LIB" "\"$1\"" | grep -v "^$ST_PID:$\|return code: 0$" \
    | sed "s/^/  async-profiler: /" || true
}
profile() { # profile NAME EVENT-OPTIONS
  local name=$1 opts=$2
  agent "start,$opts"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk-report.lua "$URL" | grep '^RESULT' \
    | tee "$OUT/$name.wrk" | awk -v n="$name" '{ printf "  during %s sampling: %.0f req/s, p99 %.2f ms, %d errors\n", n, $2 / ($4 / 1e6), $6 / 1e3, $7 }'
  agent "stop,file=$OUT/$name.collapsed,collapsed,total"
}
profile cpu "event=cpu,interval=1ms"
profile alloc "event=alloc"

# Top frames: self samples per leaf frame (CPU), allocated bytes per allocating frame (allocation: the
# leaf is the allocated class, the frame below it the allocation site).
python3 - "$OUT" "$TOP" "$OBJECT" <<'PY'
import collections, sys
out, top, obj = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(name):
    stacks = []
    for line in open(f"{out}/{name}.collapsed"):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        stacks.append((stack.split(";"), int(n)))
    return stacks
def show(title, counter, total, unit):
    print(f"\n{title} ({total:,} {unit})")
    for frame, n in counter.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {frame}")
cpu = load("cpu")
total = sum(n for _, n in cpu) or 1
self_time = collections.Counter()
for frames, n in cpu:
    self_time[frames[-1]] += n
show(f"CPU, {obj}: top frames by self time", self_time, total, "ns of CPU sampled")
# Where the samples land by subsystem: the first frame of ours, Vert.x or Netty above the leaf.
def area(frames):
    for f in reversed(frames):
        for prefix, name in (("io/swarmtee", "swarmtee"), ("io.swarmtee", "swarmtee"), ("io/vertx", "vert.x"),
                             ("io.vertx", "vert.x"), ("io/netty", "netty"), ("io.netty", "netty")):
            if f.startswith(prefix):
                return name
    leaf = frames[-1]
    if leaf.endswith("_[k]"):
        return "kernel"
    return "jvm (JIT compiler, GC)" if "::" in leaf else "native/other"
areas = collections.Counter()
for frames, n in cpu:
    areas[area(frames)] += n
show(f"CPU, {obj}: by area (innermost frame of ours, Vert.x or Netty)", areas, total, "ns of CPU sampled")
alloc = load("alloc")
atotal = sum(n for _, n in alloc) or 1
sites = collections.Counter()
for frames, n in alloc:
    sites[(frames[-2] if len(frames) > 1 else "?") + " -> " + frames[-1]] += n
show(f"Allocation, {obj}: top sites (frame -> class) by sampled bytes", sites, atotal, "bytes sampled")
requests = int(open(f"{out}/alloc.wrk").read().split()[1])
print(f"\nallocated per request while sampling: ~{atotal / max(1, requests):,.0f} bytes ({requests:,} requests)")
print(f"\nfull profiles: {out}/cpu.collapsed, {out}/alloc.collapsed (collapsed stacks)")
PY
touch "$WORK/stop"
