#!/usr/bin/env bash
# Origin-shield throughput, same machine, same files, wrk as the client, in one run:
#   nginx static (the ceiling; it is also the origin), nginx proxy_cache in front of that origin,
#   swarmtee in front of the same origin, archiving off. (Archiving on is not measured yet: the archiver is
#   only wired with --bee, and this script has no Bee or Bee test double to point it at.)
# Objects: a 1 MiB and a 2 MiB segment under /stream/bench/source/<n>.ts and a live playlist.
# Prints a table with ratios swarmtee / nginx-proxy-cache and writes bench/results/origin-shield.json.
# Cases run interleaved REPEATS times (each repeat: every object on every server); the table shows, per
# object and server, the repeat with the median requests/s, so one burst of load from other builds on
# the shared machine does not decide a row.
#   bash bench/origin-shield.sh [--duration SECONDS] [--repeats R] [--threads T] [--connections C]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION=10 REPEATS=3 THREADS=2 CONNECTIONS=32
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    *) echo "usage: $0 [--duration S] [--repeats R] [--threads T] [--connections C]" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx python3; do
  command -v "$tool" >/dev/null || { echo "origin-shield: $tool is required (apt-get install $tool)" >&2; exit 1; }
done

./dev mvn -q -DskipTests -pl proxy -am package

bench_workdir origin-shield

# the files
ROOT="$WORK/www"
mkdir -p "$ROOT/stream/bench/source"
head -c $((1024 * 1024)) /dev/urandom > "$ROOT/stream/bench/source/1.ts"
head -c $((2 * 1024 * 1024)) /dev/urandom > "$ROOT/stream/bench/source/2.ts"
{
  echo "#EXTM3U"; echo "#EXT-X-VERSION:3"; echo "#EXT-X-TARGETDURATION:2"; echo "#EXT-X-MEDIA-SEQUENCE:1"
  echo "#EXTINF:2.000,"; echo "source/1.ts"; echo "#EXTINF:2.000,"; echo "source/2.ts"
} > "$ROOT/stream/bench/source.m3u8"

ORIGIN_PORT=$(free_port) CACHE_PORT=$(free_port) ST_PORT=$(free_port)
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
  > "$WORK/swarmtee.log" 2>&1 &
PIDS+=($!)

SERVERS=("nginx-static:$ORIGIN_PORT" "nginx-proxy-cache:$CACHE_PORT" "swarmtee:$ST_PORT")
OBJECTS=("segment-1MiB:/stream/bench/source/1.ts" "segment-2MiB:/stream/bench/source/2.ts" "playlist:/stream/bench/source.m3u8")
for s in "${SERVERS[@]}"; do
  for o in "${OBJECTS[@]}"; do wait_for curl -fsS -o /dev/null "http://127.0.0.1:${s#*:}${o#*:}"; done
done

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "origin-shield: $(nproc) cores, load average $LOAD before the run (the machine is shared with other builds:"
echo "  absolute figures are noisy; compare the ratios within this run). wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per case,"
echo "  each case warmed with a 2 s wrk run first; $REPEATS interleaved repeats, median req/s shown."
ROWS=()
for repeat in $(seq "$REPEATS"); do
  for o in "${OBJECTS[@]}"; do
    for s in "${SERVERS[@]}"; do
      url="http://127.0.0.1:${s#*:}${o#*:}"
      [[ $repeat -eq 1 ]] && wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$url" >/dev/null
      line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk-report.lua "$url" | grep '^RESULT')
      ROWS+=("${o%%:*} ${s%%:*} ${line#RESULT }")
    done
  done
done

printf '%s\n' "${ROWS[@]}" | python3 -c '
import json, sys, datetime
runs = {}
for line in sys.stdin:
    obj, server, req, byts, dur, p50, p99, err = line.split()
    sec = int(dur) / 1e6
    runs.setdefault((obj, server), []).append(dict(object=obj, server=server, requests=int(req), rps=int(req) / sec,
                     mb_per_s=int(byts) / sec / 1e6, p50_ms=int(p50) / 1e3, p99_ms=int(p99) / 1e3, errors=int(err)))
rows = []
for key, reps in runs.items():
    median = dict(sorted(reps, key=lambda r: r["rps"])[len(reps) // 2])
    median["rps_all_repeats"] = [round(r["rps"]) for r in reps]
    rows.append(median)
base = {r["object"]: r for r in rows if r["server"] == "nginx-proxy-cache"}
print()
print("| object | server | req/s (median) | req/s of each repeat | MB/s | p50 ms | p99 ms | errors | req/s vs nginx proxy_cache | p99 vs nginx proxy_cache |")
print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    b = base[r["object"]]
    r["rps_ratio_vs_proxy_cache"] = r["rps"] / b["rps"]
    r["p99_ratio_vs_proxy_cache"] = r["p99_ms"] / b["p99_ms"] if b["p99_ms"] else None
    print("| %s | %s | %.0f | %s | %.0f | %.2f | %.2f | %d | %.2f | %s |" % (r["object"], r["server"], r["rps"],
          " / ".join(str(x) for x in r["rps_all_repeats"]), r["mb_per_s"],
          r["p50_ms"], r["p99_ms"], r["errors"], r["rps_ratio_vs_proxy_cache"],
          "%.2f" % r["p99_ratio_vs_proxy_cache"] if r["p99_ratio_vs_proxy_cache"] is not None else "-"))
json.dump(dict(benchmark="origin-shield", date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               cores=int(sys.argv[1]), load_before=sys.argv[2], wrk=sys.argv[3], repeats=int(sys.argv[4]), rows=rows),
          open("bench/results/origin-shield.json", "w"), indent=2)
print()
print("wrote bench/results/origin-shield.json")
' "$(nproc)" "$LOAD" "-t$THREADS -c$CONNECTIONS -d${DURATION}s --latency" "$REPEATS"
