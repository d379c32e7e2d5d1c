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

# bench_workdir NAME: makes a temp dir $WORK and an empty $PIDS; at exit every pid in PIDS is stopped
# and WORK removed.
bench_workdir() {
  BENCH_NAME="$1"
  WORK=$(mktemp -d "/tmp/swarmtee-$1.XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
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
