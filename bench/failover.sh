#!/usr/bin/env bash
# Cluster mode (docs/cluster.md): (1) the failover gap — 3 members archive a live stream (1 s segments, embedded
# store); the owner is killed with kill -9 KILLS times (default 20; restarted and rejoined after each), and the gap
# is kill → the first segment archived under the new owner; p50/p99/max printed next to the target duration;
# (2) shield throughput of 1 member vs 3 members on this machine: wrk against a single swarmtee, then wrk against
# each of 3 clustered members at once (same total connections), on a cached 1 MiB segment; ratio = sum of the
# three ÷ the single one. REPEATS interleaved repeats (the order reversed every other one), every repeat
# printed; the table shows the medians.
# Bench discipline (bench_start): the load average is printed before and after; if the 1-minute load average
# exceeds cores/2 before the run the script refuses (exit 3) unless --noisy; such a run's figures are marked noisy.
#   bash bench/failover.sh [--kills N] [--duration S] [--repeats R] [--noisy] [--out DIR] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start failover "$@"
KILLS=20 DURATION=10 REPEATS=3 OUT=bench/results BUILD=1 CONNECTIONS=48
bench_options duration repeats out no-build
set -- ${BENCH_ARGS[@]+"${BENCH_ARGS[@]}"}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) KILLS="$2"; shift 2 ;;
    *) bench_usage "[--kills N] [--duration S] [--repeats R] [--noisy] [--out DIR] [--no-build]" ;;
  esac
done
require_tools wrk nginx python3 curl
bench_build proxy,bench proxy/target/swarmtee.jar bench/target/swarmtee-bench.jar
mkdir -p "$OUT"
bench_workdir failover
JAR=$(realpath proxy/target/swarmtee.jar)

# (1) The failover gap.
./dev java -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.FailoverBench "$JAR" "$WORK/gap" "$KILLS" \
  2> "$WORK/failover-driver.log" | tee "$WORK/gap.out" || { tail -n 30 "$WORK/failover-driver.log" >&2; exit 1; }
GAP=$(grep '^RESULT' "$WORK/gap.out") || { tail -n 30 "$WORK/failover-driver.log" >&2; exit 1; }
read -r _ N TARGET P50 P99 MAX <<<"$GAP"

# (2) Shield throughput, 1 member vs 3: a static origin (nginx), a cached 1 MiB segment.
ORIGIN_PORT=$(free_port) ONE_PORT=$(free_port)
mkdir -p "$WORK/root/stream/bench/source"
head -c 1048576 /dev/urandom > "$WORK/root/stream/bench/source/1.ts"
nginx_conf "$WORK/nginx" "
  sendfile on;
  types { video/mp2t ts; }
  server { listen 127.0.0.1:$ORIGIN_PORT; root $WORK/root; }"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
ORIGIN=http://127.0.0.1:$ORIGIN_PORT
./dev java -jar "$JAR" --listen 127.0.0.1:$ONE_PORT --upstream "$ORIGIN" --data "$WORK/one" > "$WORK/one.log" 2>&1 &
PIDS+=($!)
MEMBERS=() HTTP=()
for i in 0 1 2; do MEMBERS+=("127.0.0.1:$(free_port)"); HTTP+=("$(free_port)"); done
JOIN=$(IFS=,; echo "${MEMBERS[*]}")
for i in 0 1 2; do
  ./dev java -jar "$JAR" --listen 127.0.0.1:${HTTP[$i]} --upstream "$ORIGIN" --data "$WORK/m$i" \
    --cluster-listen "${MEMBERS[$i]}" --cluster-members "$JOIN" --cluster-name "bench-$$" > "$WORK/m$i.log" 2>&1 &
  PIDS+=($!)
done
SEGMENT=/stream/bench/source/1.ts
for port in "$ONE_PORT" "${HTTP[@]}"; do wait_for curl -fsS -o /dev/null "http://127.0.0.1:$port$SEGMENT"; done
members() { curl -fsS "http://127.0.0.1:$1/api/cluster" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["members"]))'; }
wait_for test "$(members "${HTTP[0]}")" = 3
rps() { # wrk's requests/s for URL, CONNECTIONS
  wrk -t2 -c"$2" -d"${DURATION}s" --latency -s bench/wrk-report.lua "$1" | awk '/^RESULT/ { printf "%.0f\n", $2 / ($4 / 1e6) }'
}
echo "failover: shield req/s, wrk -t2 -c$CONNECTIONS -d${DURATION}s per case; $REPEATS interleaved repeats, every repeat shown."
ONES=() THREES=()
for repeat in $(seq "$REPEATS"); do
  order=(one three)
  ((repeat % 2 == 0)) && order=(three one)
  for setup in "${order[@]}"; do
    if [[ $setup == one ]]; then
      ONES+=("$(rps "http://127.0.0.1:$ONE_PORT$SEGMENT" "$CONNECTIONS")")
      echo "  repeat $repeat 1 member:  ${ONES[-1]} req/s"
    else
      # The same machine and total connections, split over the three members at once.
      WRKS=()
      for i in 0 1 2; do rps "http://127.0.0.1:${HTTP[$i]}$SEGMENT" $((CONNECTIONS / 3)) > "$WORK/rps$i" & WRKS+=($!); done
      wait "${WRKS[@]}"
      EACH="$(cat "$WORK/rps0") $(cat "$WORK/rps1") $(cat "$WORK/rps2")"
      THREES+=("$EACH")
      echo "  repeat $repeat 3 members: $(( ${EACH// / + } )) req/s ($EACH)"
    fi
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" "$(nproc)" "$LOAD_BEFORE" "$LOAD_AFTER" "$NOISY" "$N" "$TARGET" "$P50" "$P99" "$MAX" \
  "$(IFS=,; echo "${ONES[*]}")" "$(IFS=,; echo "${THREES[*]}")" <<'PY'
import json, sys, datetime
out, cores, before, after, noisy, n, target, p50, p99, mx, ones, threes = sys.argv[1:]
ones = [int(x) for x in ones.split(",")]
threes = [[int(x) for x in each.split()] for each in threes.split(",")]
median = lambda xs: sorted(xs)[len(xs) // 2]
one = median(ones)
each = sorted(threes, key=sum)[len(threes) // 2]
three = sum(each)
r = dict(benchmark="failover", date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
         cores=int(cores), load_before=before, load_after=after, noisy=noisy == "1",
         failover_gap_ms=dict(kills=int(n), target_duration_ms=int(target), p50=int(p50), p99=int(p99), max=int(mx)),
         shield_rps=dict(one_member=one, three_members=three, each_member=each, ratio=three / one,
                         one_member_repeats=ones, three_members_repeats=[sum(t) for t in threes]))
print()
print("| kills | target duration | gap p50 | gap p99 | gap max | shield req/s, 1 member (median) | 3 members (sum, median) | ratio |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
print("| %s | %s ms | %s ms | %s ms | %s ms | %s | %s | %.2f |" % (n, target, p50, p99, mx, one, three, r["shield_rps"]["ratio"]))
print("req/s of each repeat: 1 member %s; 3 members %s" % (" / ".join(map(str, ones)), " / ".join(str(sum(t)) for t in threes)))
print("load average before %s, after %s (%s cores)%s" % (before, after, cores, " — NOISY, not publishable" if noisy == "1" else ""))
json.dump(r, open(out + "/failover.json", "w"), indent=2)
PY
