#!/usr/bin/env bash
# Replays: wrk loading one archived 2 MiB segment as players replay an archive, GET /bytes/<ref>?name=seg.ts
# (immutable content, served from swarmtee's replay cache once read and verified), from the embedded store
# and from a real Bee node (`bee dev`, built by tee/src/it/bee/build.sh), next to nginx serving the same
# file statically (sendfile from the page cache: the ceiling on this machine) and Bee's own /bytes, in one
# run, interleaved. Prints every repeat and a table (medians of the repeats) with ratios to nginx static; writes
# OUT/replay.json. Checks every response was a 2xx of the right length and that the bytes matched.
#   bash bench/replay.sh [--duration S] [--repeats R] [--threads T] [--connections C] [--warmup S]
#                        [--size BYTES] [--no-bee] [--out DIR] [--no-build] [--noisy]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start replay "$@"
DURATION=10 REPEATS=3 THREADS=2 CONNECTIONS=32 WARMUP=20 SIZE=$((2 * 1024 * 1024)) OUT=bench/results BUILD=1 BEE=1
bench_options duration repeats threads connections warmup out no-build
set -- ${BENCH_ARGS[@]+"${BENCH_ARGS[@]}"}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) SIZE="$2"; shift 2 ;;
    --no-bee) BEE=0; shift ;;
    *) bench_usage "[--duration S] [--repeats R] [--threads T] [--connections C] [--warmup S] [--size BYTES] [--no-bee] [--out DIR] [--no-build] [--noisy]" ;;
  esac
done
require_tools wrk nginx python3 curl
bench_build proxy,bench proxy/target/swarmtee.jar bench/target/swarmtee-bench.jar
mkdir -p "$OUT"

bench_workdir replay
mkdir -p "$WORK/www"
head -c "$SIZE" /dev/urandom > "$WORK/www/seg.ts"

# The segment archived into an embedded store (as the archiver would have) and into Bee.
REF=$(./dev java -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.StorePut "$WORK/data-embedded/store" "$WORK/www/seg.ts" | tail -n1)
[[ $REF =~ ^[0-9a-f]{64}$ ]] || { echo "replay: StorePut printed no reference: $REF" >&2; exit 1; }
BEE_STATE="$WORK/bee"
if ((BEE)); then
  bench_at_exit 'tee/src/it/bee/bee-dev.sh stop "$BEE_STATE" >/dev/null 2>&1'
  eval "$(tee/src/it/bee/bee-dev.sh start "$BEE_STATE" | grep '^BEE_')"
  BEE_REF=$(curl -fsS -X POST -H "swarm-postage-batch-id: $BEE_BATCH" -H "swarm-deferred-upload: true" \
    -H "swarm-redundancy-level: 0" -H "Content-Type: application/octet-stream" --data-binary "@$WORK/www/seg.ts" \
    "$BEE_URL/bytes" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reference"])')
  [[ $BEE_REF == "$REF" ]] || { echo "replay: Bee's reference $BEE_REF differs from the store's $REF" >&2; exit 1; }
fi

STATIC_PORT=$(free_port) EMB_PORT=$(free_port) SB_PORT=$(free_port)
nginx_conf "$WORK/nginx" "
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { video/mp2t ts; }
  server { listen 127.0.0.1:$STATIC_PORT; root $WORK/www; }
"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
# No upstream to speak of: replays never reach it.
./dev java -jar proxy/target/swarmtee.jar --listen 127.0.0.1:$EMB_PORT --upstream http://127.0.0.1:9 \
  --data "$WORK/data-embedded" > "$WORK/swarmtee-embedded.log" 2>&1 &
PIDS+=($!)
SERVERS=("nginx-static:http://127.0.0.1:$STATIC_PORT/seg.ts" "swarmtee-embedded:http://127.0.0.1:$EMB_PORT/bytes/$REF?name=seg.ts")
if ((BEE)); then
  ./dev java -jar proxy/target/swarmtee.jar --listen 127.0.0.1:$SB_PORT --upstream http://127.0.0.1:9 \
    --bee "$BEE_URL" --batch "$BEE_BATCH" --data "$WORK/data-bee" > "$WORK/swarmtee-bee.log" 2>&1 &
  PIDS+=($!)
  SERVERS+=("swarmtee-bee:http://127.0.0.1:$SB_PORT/bytes/$REF?name=seg.ts" "bee-direct:$BEE_URL/bytes/$REF")
fi
for s in "${SERVERS[@]}"; do
  wait_for curl -fsS -o "$WORK/check" "${s#*:}"
  cmp -s "$WORK/check" "$WORK/www/seg.ts" || { echo "replay: ${s%%:*} served other bytes than the segment" >&2; exit 1; }
done

echo "replay: $SIZE-byte segment, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per case, warmed ${WARMUP} s first;"
echo "  $REPEATS interleaved repeats (odd repeats in one server order, even ones in the reverse), every repeat shown."
ROWS=()
for repeat in $(seq "$REPEATS"); do
  order=("${SERVERS[@]}")
  if ((repeat % 2 == 0)); then order=(); for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do order+=("${SERVERS[i]}"); done; fi
  for s in "${order[@]}"; do
    url=${s#*:}
    if [[ $repeat -eq 1 && $WARMUP -gt 0 ]]; then wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null; fi
    bench_settle
    line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk-report.lua "$url" | grep '^RESULT')
    ROWS+=("$repeat ${s%%:*} ${line#RESULT }")
    awk -v r="$repeat" -v s="${s%%:*}" '{ printf "  repeat %s %-18s %7.0f req/s  p99 %7.2f ms  errors %d\n", r, s, $2 / ($4 / 1e6), $6 / 1e3, $7 }' <<<"$line"
  done
done

printf '%s\n' "${ROWS[@]}" | python3 -c '
import json, sys, datetime
out, size, noisy, load = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
runs = {}
for line in sys.stdin:
    rep, server, req, byts, dur, p50, p99, err, status = line.split()
    sec = int(dur) / 1e6
    runs.setdefault(server, []).append(dict(repeat=int(rep), requests=int(req), rps=int(req) / sec,
        bytes_per_request=int(byts) / max(1, int(req)), p50_ms=int(p50) / 1e3, p99_ms=int(p99) / 1e3,
        errors=int(err), non_2xx=int(status)))
rows = []
for server, reps in runs.items():
    # Each figure is the median of its own column over the repeats (see origin-shield.sh).
    m = dict(reps[0])
    for field in ("requests", "rps", "p50_ms", "p99_ms"):
        m[field] = sorted(r[field] for r in reps)[len(reps) // 2]
    m.update(server=server, repeats=reps)
    rows.append(m)
base = next(r for r in rows if r["server"] == "nginx-static")
print()
print("| server | req/s (median) | req/s of each repeat | p99 ms (median) | p99 ms of each repeat | req/s vs nginx static | p99 vs nginx static |")
print("|---|---:|---|---:|---|---:|---:|")
for r in rows:
    r["rps_ratio_vs_static"] = r["rps"] / base["rps"]
    r["p99_ratio_vs_static"] = r["p99_ms"] / base["p99_ms"] if base["p99_ms"] else None
    print("| %s | %.0f | %s | %.2f | %s | %.2f | %s |" % (r["server"], r["rps"], " / ".join("%.0f" % x["rps"] for x in r["repeats"]),
          r["p99_ms"], " / ".join("%.1f" % x["p99_ms"] for x in r["repeats"]), r["rps_ratio_vs_static"],
          "%.2f" % r["p99_ratio_vs_static"] if r["p99_ratio_vs_static"] is not None else "-"))
json.dump(dict(benchmark="replay", noisy=noisy, load_before=load, size=size,
               date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), rows=rows),
          open(out + "/replay.json", "w"), indent=2)
print("\nwrote %s/replay.json" % out)
# Bee itself is shown for reference only: its timeouts under this load are not a failure of the run.
bad = [r["server"] for r in rows for x in r["repeats"] if r["server"] != "bee-direct" and (x["errors"] or x["non_2xx"]
       or x["requests"] == 0 or abs(x["bytes_per_request"] - size) > 1024)]
for r in rows:
    if r["server"] == "bee-direct" and any(x["errors"] for x in r["repeats"]):
        print("replay: note: bee-direct had %d errors (timeouts of wrk at 2 s, most likely)" % sum(x["errors"] for x in r["repeats"]))
for b in sorted(set(bad)):
    print("replay: FAILED: %s had errors, non-2xx answers or short bodies" % b, file=sys.stderr)
sys.exit(1 if bad else 0)
' "$OUT" "$SIZE" "$NOISY" "$LOAD_BEFORE"
