#!/usr/bin/env bash
# Origin-shield throughput, same machine, same files, wrk as the client, in one run:
#   nginx static (the ceiling; it is also the origin), nginx proxy_cache in front of that origin,
#   swarmtee in front of the same origin with archiving off, and swarmtee with --archive into its embedded
#   store (no Bee): the archiver follows the stream the viewers ask for and must archive all it lists.
# Objects: a 1 MiB and a 2 MiB segment under /stream/bench/source/<n>.ts and a live playlist (with its master
# /stream/bench.m3u8, which the archiver polls) that gets a new 256 KiB segment every 2 s during the run.
# Prints a table with ratios swarmtee / nginx-proxy-cache, checks that every case ran without errors, that
# each swarmtee fetched each segment from the origin exactly once, and that the archiving one archived every
# segment the playlist listed, and writes OUT/origin-shield.json and OUT/origin-shield.csv (OUT defaults to bench/results).
# Cases run interleaved REPEATS times (each repeat: every object on every server); the table shows, per
# object and server, the median of each figure over the repeats (req/s, p50 and p99 each on its own), so
# one burst of noise does not decide a row, and every repeat beside it.
#   bash bench/origin-shield.sh [--duration SECONDS] [--repeats R] [--threads T] [--connections C]
#                               [--warmup SECONDS] [--out DIR] [--no-build] [--noisy]
# --no-build uses proxy/target/swarmtee.jar as it is (the CI test runs after Maven packaged it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start origin-shield "$@"
DURATION=10 REPEATS=3 THREADS=2 CONNECTIONS=32 WARMUP=20 OUT=bench/results BUILD=1
bench_options duration repeats threads connections warmup out no-build
((${#BENCH_ARGS[@]} == 0)) \
  || bench_usage "[--duration S] [--repeats R] [--threads T] [--connections C] [--warmup S] [--out DIR] [--no-build] [--noisy]"
require_tools wrk nginx python3 curl
bench_build proxy proxy/target/swarmtee.jar
mkdir -p "$OUT"

bench_workdir origin-shield

# the files
ROOT="$WORK/www"
mkdir -p "$ROOT/stream/bench/source"
head -c $((1024 * 1024)) /dev/urandom > "$ROOT/stream/bench/source/1.ts"
head -c $((2 * 1024 * 1024)) /dev/urandom > "$ROOT/stream/bench/source/2.ts"
# A live media playlist: the last 5 segments, one more every 2 s while the run lasts (see live_stream), so
# the archiver works the whole time as it would on a live stream. Segments 3.. are 256 KiB; wrk loads the
# 1 and 2 MiB segments, which stay on disk after leaving the window.
write_playlist() { # write_playlist LAST: segments LAST-4..LAST (those > 0), atomically
  local last=$1 first=$(($1 > 4 ? $1 - 4 : 1)) n
  {
    echo "#EXTM3U"; echo "#EXT-X-VERSION:3"; echo "#EXT-X-TARGETDURATION:2"; echo "#EXT-X-MEDIA-SEQUENCE:$first"
    for n in $(seq "$first" "$last"); do echo "#EXTINF:2.000,"; echo "source/$n.ts"; done
  } > "$ROOT/stream/bench/source.m3u8.tmp"
  mv "$ROOT/stream/bench/source.m3u8.tmp" "$ROOT/stream/bench/source.m3u8"
  echo "$last" > "$WORK/listed"
}
live_stream() { # until $WORK/stop exists; never stops between a segment and its playlist
  local last=2
  while [[ ! -f $WORK/stop ]]; do
    sleep 2
    last=$((last + 1))
    head -c $((256 * 1024)) /dev/urandom > "$ROOT/stream/bench/source/$last.ts"
    write_playlist "$last"
  done
}
write_playlist 2
{
  echo "#EXTM3U"; echo "#EXT-X-VERSION:3"
  echo "#EXT-X-STREAM-INF:PROGRAM-ID=0,BANDWIDTH=4000000,RESOLUTION=1280x720"; echo "bench/source.m3u8"
} > "$ROOT/stream/bench.m3u8"

ORIGIN_PORT=$(free_port) CACHE_PORT=$(free_port) ST_PORT=$(free_port) STA_PORT=$(free_port)
nginx_conf "$WORK/nginx" "
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 64; }
  server { # static: the ceiling, and the origin of the two shields
    listen 127.0.0.1:$ORIGIN_PORT;
    root $ROOT;
  }
  server { # what a user would pick instead of swarmtee
    listen 127.0.0.1:$CACHE_PORT;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_cache shield;
      proxy_cache_key \$uri;
      proxy_cache_lock on;
      proxy_cache_valid 200 10m;
      location ~ \.m3u8\$ { proxy_pass http://origin; proxy_cache_valid 200 1s; }
    }
  }
"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
./dev java -jar proxy/target/swarmtee.jar --listen 127.0.0.1:$ST_PORT --upstream http://127.0.0.1:$ORIGIN_PORT \
  --data "$WORK/data-off" > "$WORK/swarmtee.log" 2>&1 &
PIDS+=($!)
# Archiving on, default mode: the embedded store under --data, no Bee.
./dev java -jar proxy/target/swarmtee.jar --listen 127.0.0.1:$STA_PORT --upstream http://127.0.0.1:$ORIGIN_PORT \
  --archive --data "$WORK/data-archive" > "$WORK/swarmtee-archiving.log" 2>&1 &
PIDS+=($!)

SERVERS=("nginx-static:$ORIGIN_PORT" "nginx-proxy-cache:$CACHE_PORT" "swarmtee:$ST_PORT" "swarmtee-archiving:$STA_PORT")
OBJECTS=("segment-1MiB:/stream/bench/source/1.ts" "segment-2MiB:/stream/bench/source/2.ts" "playlist:/stream/bench/source.m3u8")
for s in "${SERVERS[@]}"; do
  for o in "${OBJECTS[@]}"; do wait_for curl -fsS -o /dev/null "http://127.0.0.1:${s#*:}${o#*:}"; done
done

live_stream &
LIVE=$!
PIDS+=($LIVE)

LOAD=$LOAD_BEFORE
echo "origin-shield: load average $(cut -d' ' -f1-3 /proc/loadavg) with the servers up. wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per case,"
echo "  each case warmed with a ${WARMUP} s wrk run first; $REPEATS interleaved repeats, medians shown."
ROWS=()
for repeat in $(seq "$REPEATS"); do
  for o in "${OBJECTS[@]}"; do
    # Odd repeats run the servers in one order, even repeats in the reverse one: no server always runs
    # right after the same neighbour (or always first, on a cold CPU cache).
    order=("${SERVERS[@]}")
    if ((repeat % 2 == 0)); then order=(); for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do order+=("${SERVERS[i]}"); done; fi
    for s in "${order[@]}"; do
      url="http://127.0.0.1:${s#*:}${o#*:}"
      if [[ $repeat -eq 1 && $WARMUP -gt 0 ]]; then wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null; fi
      bench_settle
      line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk-report.lua "$url" | grep '^RESULT')
      ROWS+=("${o%%:*} ${s%%:*} ${line#RESULT }")
      echo "  repeat $repeat ${o%%:*} ${s%%:*} ${line#RESULT }" | awk '{ printf "  repeat %s %-13s %-20s %7.0f req/s  p99 %7.2f ms  errors %d\n", $2, $3, $4, $5 / ($7 / 1e6), $9 / 1e3, $10 }'
    done
  done
done

# What each swarmtee fetched from the origin — each segment once however many viewers: swarmtee only the two
# the viewers asked for, the archiving one also every segment the live playlist listed — and what the
# archiving one archived: every listed segment (the stream stops advancing first, then the archiver catches up).
touch "$WORK/stop"; wait "$LIVE" 2>/dev/null || true
LISTED=$(cat "$WORK/listed")
upstream_segment_fetches() {
  curl -fsS "http://127.0.0.1:$1/metrics" | awk '/^swarmtee_upstream_requests_total\{/ && /kind="segment"/ { n += $NF } END { print n + 0 }'
}
archived() {
  curl -fsS "http://127.0.0.1:$STA_PORT/api/archives/bench" \
    | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["segments"]["archived"], a["segments"]["lost"], a["state"])'
}
ARCHIVED="0 0 none"
for _ in $(seq 300); do
  ARCHIVED=$(archived 2>/dev/null || echo "0 0 none")
  [[ ${ARCHIVED%% *} -ge $LISTED ]] && break
  sleep 0.1
done
FETCHES="swarmtee=$(upstream_segment_fetches "$ST_PORT") swarmtee-archiving=$(upstream_segment_fetches "$STA_PORT")"

printf '%s\n' "${ROWS[@]}" | python3 -c '
import csv, json, sys, datetime
out, fetches_text, archived_text, listed = sys.argv[5], sys.argv[6], sys.argv[7], int(sys.argv[8])
runs = {}
for line in sys.stdin:
    obj, server, req, byts, dur, p50, p99, err, status = line.split()
    sec = int(dur) / 1e6
    runs.setdefault((obj, server), []).append(dict(object=obj, server=server, requests=int(req), rps=int(req) / sec,
                     mb_per_s=int(byts) / sec / 1e6, p50_ms=int(p50) / 1e3, p99_ms=int(p99) / 1e3, errors=int(err),
                     non_2xx=int(status)))
rows = []
for key, reps in runs.items():
    # Each figure is the median of its own column over the repeats: a tail is not the tail of the
    # repeat that happened to have the median throughput.
    median = dict(reps[0])
    for field in ("requests", "rps", "mb_per_s", "p50_ms", "p99_ms"):
        median[field] = sorted(r[field] for r in reps)[len(reps) // 2]
    median["rps_all_repeats"] = [round(r["rps"]) for r in reps]
    median["p99_ms_all_repeats"] = [r["p99_ms"] for r in reps]
    # Errors of every repeat, not only of the median one: a case passes only if none had any.
    median["errors"] = sum(r["errors"] for r in reps)
    median["non_2xx"] = sum(r["non_2xx"] for r in reps)
    median["requests_all_repeats"] = sum(r["requests"] for r in reps)
    rows.append(median)
base = {r["object"]: r for r in rows if r["server"] == "nginx-proxy-cache"}
print()
print("| object | server | req/s (median) | req/s of each repeat | MB/s | p50 ms | p99 ms (median) | p99 ms of each repeat | errors | req/s vs nginx proxy_cache | p99 vs nginx proxy_cache |")
print("|---|---|---:|---|---:|---:|---:|---|---:|---:|---:|")
for r in rows:
    b = base[r["object"]]
    r["rps_ratio_vs_proxy_cache"] = r["rps"] / b["rps"]
    r["p99_ratio_vs_proxy_cache"] = r["p99_ms"] / b["p99_ms"] if b["p99_ms"] else None
    print("| %s | %s | %.0f | %s | %.0f | %.2f | %.2f | %s | %d | %.2f | %s |" % (r["object"], r["server"], r["rps"],
          " / ".join(str(x) for x in r["rps_all_repeats"]), r["mb_per_s"],
          r["p50_ms"], r["p99_ms"], " / ".join("%.1f" % x for x in r["p99_ms_all_repeats"]), r["errors"], r["rps_ratio_vs_proxy_cache"],
          "%.2f" % r["p99_ratio_vs_proxy_cache"] if r["p99_ratio_vs_proxy_cache"] is not None else "-"))
fetches = {k: int(v) for k, v in (kv.split("=") for kv in fetches_text.split())}
arch, lost, state = archived_text.split()
archive = dict(stream="bench", archived=int(arch), lost=int(lost), state=state, segments_listed=listed)
print()
print("upstream segment fetches: swarmtee %d (viewers asked for 2 segments), swarmtee-archiving %d (%d segments listed)"
      % (fetches["swarmtee"], fetches["swarmtee-archiving"], listed))
print("swarmtee-archiving archived %d of %d listed segments (%d lost, archive %s)" % (archive["archived"], listed,
      archive["lost"], state))
json.dump(dict(benchmark="origin-shield", noisy=sys.argv[9] == "1", date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               cores=int(sys.argv[1]), load_before=sys.argv[2], wrk=sys.argv[3], repeats=int(sys.argv[4]),
               upstream_segment_fetches=fetches, archive=archive, rows=rows),
          open(out + "/origin-shield.json", "w"), indent=2)
fields = ["object", "server", "requests", "rps", "mb_per_s", "p50_ms", "p99_ms", "errors", "non_2xx",
          "rps_ratio_vs_proxy_cache", "p99_ratio_vs_proxy_cache"]
with open(out + "/origin-shield.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
print()
print("wrote %s/origin-shield.json and %s/origin-shield.csv" % (out, out))
problems = ["%s %s: %d requests, %d errors (%d non-2xx)" % (r["object"], r["server"], r["requests"], r["errors"],
            r["non_2xx"]) for r in rows if r["errors"] or r["non_2xx"] or min(r["rps_all_repeats"]) == 0]
if fetches["swarmtee"] != 2:
    problems.append("swarmtee fetched the 2 segments %d times" % fetches["swarmtee"])
if fetches["swarmtee-archiving"] != listed:
    problems.append("swarmtee-archiving fetched the %d segments %d times" % (listed, fetches["swarmtee-archiving"]))
if archive["archived"] != listed or archive["lost"]:
    problems.append("swarmtee-archiving archived %d of %d segments, %d lost" % (archive["archived"], listed, archive["lost"]))
for p in problems:
    print("origin-shield: FAILED: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
' "$(nproc)" "$LOAD" "-t$THREADS -c$CONNECTIONS -d${DURATION}s --latency" "$REPEATS" "$OUT" "$FETCHES" "$ARCHIVED" "$LISTED" "$NOISY"
