# Shared by bench/*.sh that run nginx next to swarmtee (source it; needs python3 and curl).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# nginx_conf DIR HTTP_BODY: writes DIR/nginx.conf, everything under DIR (pid, logs, temp files, cache
# zone "shield"), never the system's nginx; HTTP_BODY goes inside http { }. Start it with nginx_start DIR.
nginx_conf() {
  local dir="$1" body="$2" user=""
  [[ $(id -u) -eq 0 ]] && user="user root;" # workers of a root master would drop to nobody
  mkdir -p "$dir/logs" "$dir/cache"
  cat > "$dir/nginx.conf" <<CONF
$user
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/client_temp;
  proxy_temp_path $dir/proxy_temp;
  fastcgi_temp_path $dir/fastcgi_temp;
  uwsgi_temp_path $dir/uwsgi_temp;
  scgi_temp_path $dir/scgi_temp;
  proxy_cache_path $dir/cache levels=1:2 keys_zone=shield:10m max_size=1g inactive=60m use_temp_path=off;
$body
}
CONF
}

# Discipline shared by every bench/*.sh (figures taken on a busy machine are noise, in either direction):
#   bench_start NAME "$@"  takes --noisy out of the arguments (the rest are left in BENCH_ARGS), prints
#                          the machine's cores and load average, and refuses to run (exit 3) when the
#                          1-minute load average exceeds cores/2, unless --noisy was given; then the
#                          output says NOISY on its first and last line and nothing in it is for publishing.
#   At exit the load average is printed again (a run that raised it, or that other work raised, shows).
# Comparisons run interleaved (swarmtee, nginx, swarmtee, nginx, ...) and every repeat is shown.
NOISY=0
BENCH_ARGS=()
bench_start() {
  BENCH_NAME="$1"
  shift
  local a cores load1
  for a in "$@"; do
    if [[ $a == --noisy ]]; then NOISY=1; else BENCH_ARGS+=("$a"); fi
  done
  cores=$(nproc)
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  load1=${LOAD_BEFORE%% *}
  trap bench_exit EXIT
  echo "$BENCH_NAME: $cores cores, load average $LOAD_BEFORE before the run (limit for publishing: $(awk -v c="$cores" 'BEGIN { print c / 2 }'))"
  if awk -v l="$load1" -v c="$cores" 'BEGIN { exit !(l > c / 2) }'; then
    if ((NOISY)); then
      echo "$BENCH_NAME: NOISY: the machine is busy; these figures are not for publishing"
    else
      echo "$BENCH_NAME: refusing to run: 1-minute load average $load1 > $cores cores / 2; figures would be noise." >&2
      echo "  Run it on a quiet machine, or pass --noisy to check that the script works (figures not for publishing)." >&2
      exit 3
    fi
  fi
}
# bench_at_exit COMMAND: run COMMAND (a string for eval) at exit, before the load average is printed.
BENCH_AT_EXIT=()
bench_at_exit() { BENCH_AT_EXIT+=("$1"); }
bench_exit() {
  local rc=$? c
  for c in "${BENCH_AT_EXIT[@]}"; do eval "$c" || true; done
  if [[ -n ${WORK:-} ]]; then bench_cleanup; fi
  echo "$BENCH_NAME: load average $(cut -d' ' -f1-3 /proc/loadavg) after the run (before: ${LOAD_BEFORE:-?})$( ((NOISY)) && echo '; NOISY: not for publishing')"
  exit "$rc"
}

# bench_options NAME...: takes the named options the load-driving scripts share out of BENCH_ARGS (what
# bench_start left there) into their variables, the caller having set its defaults first:
#   duration: --duration S -> DURATION   repeats: --repeats R -> REPEATS    threads: --threads T -> THREADS
#   connections: --connections C -> CONNECTIONS   warmup: --warmup S -> WARMUP (wrk's settings)
#   out: --out DIR -> OUT                no-build: --no-build -> BUILD=0
# Everything else stays in BENCH_ARGS, in order, for the script's own options and its usage message.
bench_options() {
  local known=" $* " rest=() name
  set -- "${BENCH_ARGS[@]}"
  while (($#)); do
    name=${1#--}
    if [[ $1 == --* && $known == *" $name "* ]]; then
      if [[ $name == no-build ]]; then
        BUILD=0
        shift
      else
        (($# >= 2)) || { echo "$BENCH_NAME: $1 needs a value" >&2; exit 2; }
        printf -v "${name^^}" '%s' "$2"
        shift 2
      fi
    else
      rest+=("$1")
      shift
    fi
  done
  BENCH_ARGS=(${rest[@]+"${rest[@]}"})
}

# bench_settle: waits (at most 30 s) until the machine's busy CPU over one second is below 15 % of all cores,
# so that a case starts only once the previous one has stopped echoing: a server still answering the
# requests wrk abandoned (Bee takes ~1 s per replay under load), a JIT compiler finishing its queue.
# Prints a line when it gave up waiting. A --noisy run (not for publishing) does not wait.
bench_settle() {
  local i a b busy
  ((NOISY)) && return 0
  for i in $(seq 30); do
    a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
    sleep 1
    b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
    busy=$(awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[2] - x[2];
      printf "%d", (t > 0 ? 100 * (y[1] - x[1]) / t : 0) }')
    ((busy < 15)) && return 0
  done
  echo "  $BENCH_NAME: the machine stayed busy (${busy}% CPU) for 30 s before this case"
}

# bench_usage TEXT: prints "usage: SCRIPT TEXT" and exits 2 (an option the script does not know).
bench_usage() {
  echo "usage: $0 $1" >&2
  exit 2
}

# require_tools TOOL...: exits 1, naming the package to install, unless every TOOL is on PATH.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$BENCH_NAME: $tool is required (apt-get install $tool)" >&2; exit 1; }
  done
}

# bench_build MODULES JAR...: packages the Maven MODULES (and what they need) unless --no-build, then exits 1
# unless every JAR is there.
bench_build() {
  local modules=$1 jar
  shift
  if ((BUILD)); then ./dev mvn -q -DskipTests -pl "$modules" -am package; fi
  for jar in "$@"; do
    [[ -f $jar ]] || { echo "$BENCH_NAME: $jar is missing (run without --no-build)" >&2; exit 1; }
  done
}

# bench_workdir NAME: makes a temp dir $WORK and an empty $PIDS; at exit (bench_exit) every pid in PIDS
# is stopped and WORK removed.
bench_workdir() {
  BENCH_NAME="$1"
  WORK=$(mktemp -d "/tmp/swarmtee-$1.XXXXXX")
  PIDS=()
  trap bench_exit EXIT
}
bench_cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}

# wait_for COMMAND...: retries it for at most 60 s; then shows the logs in WORK and exits.
wait_for() {
  for _ in $(seq 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$BENCH_NAME: '$*' never succeeded" >&2
  tail -n 20 "$WORK"/*.log "$WORK"/nginx/logs/error.log >&2 || true
  exit 1
}
