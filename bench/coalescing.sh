#!/usr/bin/env bash
# Request coalescing under a slow origin: VIEWERS (default 50) concurrent viewers ask for a segment that
# is not cached yet while the origin (bench SlowOrigin) takes FIRST_BYTE_MS (default 400) ms to the first
# byte and then sends 1 MiB at 10 MB/s. Reports, per round, how often the origin was asked (must be 1 for
# swarmtee), the viewers' time to first / last byte, for swarmtee and for nginx proxy_cache with
# proxy_cache_lock on (servers interleaved, the order reversed every other round), and the origin's own
# first byte measured in the same round by the same client with the same number of viewers, straight at the
# origin (and once by curl alone): the goal is viewers' first-byte p99 <= that direct p99 + 20 ms.
# WARM (default 3) rounds of the same kind run first and are shown apart ("warm-up"): a server that has
# run for a while has met many misses, while a fresh JVM meets its miss path for the first time and runs it
# interpreted; the warm-up volleys of CoalescingClient only reach a cached object.
# Writes OUT/coalescing.json and OUT/coalescing.csv (OUT defaults to bench/results); fails unless swarmtee's
# origin saw exactly one request per round and every viewer got the whole segment.
#   bash bench/coalescing.sh [--viewers N] [--rounds R] [--warm-rounds W] [--first-byte-ms MS] [--out DIR]
#                            [--no-build] [--noisy]
# --no-build uses proxy/target/swarmtee.jar and bench/target/swarmtee-bench.jar as they are (the CI test).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start coalescing "$@"
VIEWERS=50 ROUNDS=3 WARM=3 FIRST_BYTE_MS=400 OUT=bench/results BUILD=1
bench_options out no-build
set -- ${BENCH_ARGS[@]+"${BENCH_ARGS[@]}"}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --viewers) VIEWERS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warm-rounds) WARM="$2"; shift 2 ;;
    --first-byte-ms) FIRST_BYTE_MS="$2"; shift 2 ;;
    *) bench_usage "[--viewers N] [--rounds R] [--warm-rounds W] [--first-byte-ms MS] [--out DIR] [--no-build] [--noisy]" ;;
  esac
done
require_tools nginx python3 curl
bench_build proxy,bench proxy/target/swarmtee.jar bench/target/swarmtee-bench.jar
mkdir -p "$OUT"

bench_workdir coalescing
BENCH=(./dev java -cp bench/target/swarmtee-bench.jar)

"${BENCH[@]}" io.swarmtee.bench.SlowOrigin "$WORK/origin.port" "$FIRST_BYTE_MS" 10000000 1048576 \
  > "$WORK/origin.log" 2>&1 &
PIDS+=($!)
wait_for test -s "$WORK/origin.port"
ORIGIN_PORT=$(cat "$WORK/origin.port")
ORIGIN="http://127.0.0.1:$ORIGIN_PORT"
CACHE_PORT=$(free_port) ST_PORT=$(free_port)

nginx_conf "$WORK/nginx" "
  server {
    listen 127.0.0.1:$CACHE_PORT;
    location / {
      proxy_pass $ORIGIN;
      proxy_http_version 1.1;
      proxy_cache shield;
      proxy_cache_key \$uri;
      proxy_cache_lock on;          # one fetch fills the cache; the others wait (nginx polls the lock every 500 ms)
      proxy_cache_lock_timeout 30s; # never fall back to uncached fetches within one round
      proxy_cache_valid 200 10m;
    }
  }"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
./dev java -jar proxy/target/swarmtee.jar --listen 127.0.0.1:$ST_PORT --upstream "$ORIGIN" --data "$WORK/data" \
  > "$WORK/swarmtee.log" 2>&1 &
PIDS+=($!)
wait_for curl -fsS "http://127.0.0.1:$CACHE_PORT/stream/warm/source/0.ts"
wait_for curl -fsS "http://127.0.0.1:$ST_PORT/stream/warm/source/0.ts"

echo "  origin: $FIRST_BYTE_MS ms to first byte, then 1 MiB at 10 MB/s (~100 ms more alone); $VIEWERS viewers at once, fresh segment per round."
LINES=()
ORIGIN_TTFB=()
for round in $(seq $((WARM + ROUNDS))); do
  ((round == WARM + 1 && WARM > 0)) && echo "  -- the $WARM warm-up rounds are over; measured rounds follow --"
  # The origin's own first byte this round, asked directly (one client, a path of its own).
  ttfb=$(curl -fsS -o /dev/null -w '%{time_starttransfer}' "$ORIGIN/stream/round$round-origin/source/1.ts")
  ORIGIN_TTFB+=("$round $ttfb")
  echo "  round $round$( ((round <= WARM)) && echo ' (warm-up)') origin alone: first byte $(awk -v t="$ttfb" 'BEGIN { printf "%.0f", t * 1000 }') ms"
  servers=("nginx-proxy-cache-lock:$CACHE_PORT" "swarmtee:$ST_PORT")
  ((round % 2 == 0)) && servers=("swarmtee:$ST_PORT" "nginx-proxy-cache-lock:$CACHE_PORT")
  for server in "${servers[@]}"; do
    name=${server%%:*}
    url="http://127.0.0.1:${server#*:}/stream/round$round-$name/source/1.ts"
    out=$("${BENCH[@]}" io.swarmtee.bench.CoalescingClient "$name" "$url" "$ORIGIN" "$VIEWERS" 1048576)
    grep -v '^RESULT' <<<"$out" | sed "s/^/  round $round $name: /"
    LINES+=("$round $(grep '^RESULT' <<<"$out" | cut -d' ' -f2-)")
  done
done

printf '%s\n' "${LINES[@]}" | python3 -c '
import csv, json, sys, datetime
out, first_byte_ms, noisy, load = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
origin = {int(r): float(t) * 1000 for r, t in (x.split() for x in sys.argv[5].split(";") if x)}
warm = int(sys.argv[6])
rows = []
for line in sys.stdin:
    rnd, label, fetches, viewers, ok, f50, f99, fmax, l50, l99, lmax, d50, d99, dmax = line.split()
    rows.append(dict(round=int(rnd) - warm, warmup=int(rnd) <= warm, server=label, upstream_fetches=int(fetches), viewers=int(viewers), complete=int(ok),
                     ttfb_ms=dict(p50=float(f50), p99=float(f99), max=float(fmax)),
                     ttlb_ms=dict(p50=float(l50), p99=float(l99), max=float(lmax)),
                     origin_ttfb_ms=origin[int(rnd)], ttfb_p99_over_origin_ms=float(f99) - origin[int(rnd)],
                     direct_ttfb_ms=dict(p50=float(d50), p99=float(d99), max=float(dmax)),
                     ttfb_p99_over_direct_ms=float(f99) - float(d99)))
print()
print("| round | server | upstream fetches | complete | origin first byte ms, curl alone | origin first byte p50 / p99 ms, same viewers direct | first byte p50 / p99 / max ms | p99 - direct p99 ms (goal <= 20) | p99 - curl alone ms | last byte p50 / p99 / max ms |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    f, l, d = r["ttfb_ms"], r["ttlb_ms"], r["direct_ttfb_ms"]
    print("| %s | %s | %d | %d/%d | %.0f | %.0f / %.0f | %.0f / %.0f / %.0f | %+.0f | %+.0f | %.0f / %.0f / %.0f |" % ("warm-up %d" % (r["round"] + warm) if r["warmup"] else r["round"],
          r["server"], r["upstream_fetches"], r["complete"], r["viewers"], r["origin_ttfb_ms"], d["p50"], d["p99"],
          f["p50"], f["p99"], f["max"], r["ttfb_p99_over_direct_ms"], r["ttfb_p99_over_origin_ms"], l["p50"], l["p99"],
          l["max"]))
json.dump(dict(benchmark="coalescing", noisy=noisy, load_before=load, warmup_rounds=warm,
               date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               origin="%d ms to first byte, 1 MiB at 10 MB/s" % first_byte_ms, rows=rows),
          open(out + "/coalescing.json", "w"), indent=2)
with open(out + "/coalescing.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["round", "warmup", "server", "upstream_fetches", "viewers", "complete", "ttfb_p50_ms", "ttfb_p99_ms", "ttfb_max_ms",
                "ttlb_p50_ms", "ttlb_p99_ms", "ttlb_max_ms", "direct_ttfb_p50_ms", "direct_ttfb_p99_ms"])
    for r in rows:
        f, l, d = r["ttfb_ms"], r["ttlb_ms"], r["direct_ttfb_ms"]
        w.writerow([r["round"], r["warmup"], r["server"], r["upstream_fetches"], r["viewers"], r["complete"], f["p50"], f["p99"],
                    f["max"], l["p50"], l["p99"], l["max"], d["p50"], d["p99"]])
print()
print("wrote %s/coalescing.json and %s/coalescing.csv" % (out, out))
bad = [r for r in rows if r["server"] == "swarmtee" and (r["upstream_fetches"] != 1 or r["complete"] != r["viewers"])]
for r in bad:
    print("coalescing: FAILED: round %d: swarmtee fetched %d times, %d/%d viewers complete" % (r["round"],
          r["upstream_fetches"], r["complete"], r["viewers"]), file=sys.stderr)
sys.exit(1 if bad else 0)
' "$OUT" "$FIRST_BYTE_MS" "$NOISY" "$LOAD_BEFORE" "$(printf '%s;' "${ORIGIN_TTFB[@]}")" "$WARM"
