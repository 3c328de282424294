#!/usr/bin/env bash
# Benchmarks `tether invoke` against curl doing the same request on loopback
# (DESIGN §7: benchmarks, not timed tests):
#
#   scripts/bench.sh [invoke|batch|postgres|all]      (default: all)
#
# `invoke`: builds the release binary, starts a loopback API that answers any GET
# carrying a Bearer token with 200 {"ok":true}, makes a bearer connection `b`
# in a throwaway HOME, then times with hyperfine
#
#   curl -s -o /dev/null -H "Authorization: Bearer …" http://127.0.0.1:PORT/bench
#   tether invoke b GET /bench
#
# with the file store and, where gnome-keyring and D-Bus are installed, with
# the keyring store on a private Secret Service. Prints the medians, their
# ratio and the peak RSS of one `tether invoke`.
#
# `batch`: starts a loopback HTTPS API (a CA and a certificate made with
# openssl) that takes 20 ms per answer, adds a bearer connection `s` whose
# service trusts that CA with `ca_file`, and times BENCH_REQUESTS (1000)
# requests three ways: `tether invoke --batch --parallel 32`, a shell loop of
# `tether invoke`, and a shell loop of `curl --cacert`; and measures the
# peak RSS of the batch.
#
# `postgres`: starts a throwaway PostgreSQL 15 cluster (Debian's, as
# `nobody` under root) and times `tether invoke` of the bearer connection
# kept in the file store against the same connection kept in a shared store,
# once over the cluster's Unix socket (trust) and once over loopback TCP
# with SCRAM-SHA-256: the cost a shared store adds per call, whose targets
# are 3 ms and 8 ms (a new connection plus one query). For scale it also
# times libpq's own client, psql, opening a session on the same socket and
# running one query, against `psql --version`.
#
# BENCH_RUNS and BENCH_WARMUP change hyperfine's --runs (200) and --warmup (20);
# BENCH_TETHER runs that binary instead of building a release one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

what=${1:-all}
case $what in
  invoke | batch | postgres | all) ;;
  *)
    echo "usage: scripts/bench.sh [invoke|batch|postgres|all]" >&2
    exit 2
    ;;
esac
requests=${BENCH_REQUESTS:-1000}
runs=${BENCH_RUNS:-200}
warmup=${BENCH_WARMUP:-20}
token=bench-token-123

# --- tools ------------------------------------------------------------------

# Installs the Debian package $2 when the program $1 is missing.
need() {
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "bench.sh: installing $2" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "$2" >/dev/null
  else
    echo "bench.sh: $1 is missing: install it (Debian/Ubuntu: sudo apt-get install $2)" >&2
    exit 1
  fi
}
need hyperfine hyperfine
need curl curl
need python3 python3
# `time` alone is the shell keyword: GNU time is the program /usr/bin/time.
need /usr/bin/time time
need openssl openssl

# pyenv's python3 is a shim that forks: $! must be the server itself.
python=$(python3 -c 'import sys; print(sys.executable)')

if [ -n "${BENCH_TETHER:-}" ]; then
  tether=$(realpath "$BENCH_TETHER")
else
  echo "bench.sh: cargo build --release --locked" >&2
  cargo build --release --locked
  tether=${CARGO_TARGET_DIR:-$PWD/target}/release/tether
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tether-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- the API ----------------------------------------------------------------

# HTTP/1.0 responses: one request per connection, as tether and curl both
# open one anyway. A request without a Bearer token gets 401, so a run in
# which tether attached no token fails instead of measuring nothing.
"$python" -c '
import http.server

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.headers.get("Authorization", "").startswith("Bearer ")
        body = b"{\"ok\":true}" if ok else b"{\"ok\":false}"
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
' >"$work/port" &
pids+=($!)

for _ in $(seq 100); do
  port=$(head -n1 "$work/port")
  [ -n "$port" ] && curl -sf -o /dev/null -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/bench" && break
  port=
  sleep 0.05
done
[ -n "$port" ] || { echo "bench.sh: the API did not start" >&2; exit 1; }
url=http://127.0.0.1:$port/bench

# --- an isolated home with connection `b` -------------------------------------

export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config \
  XDG_DATA_HOME=$work/home/.local/share XDG_STATE_HOME=$work/home/.local/state \
  XDG_CACHE_HOME=$work/home/.cache
unset TETHER_CONFIG TETHER_STORE
# No session bus unless the keyring part starts one.
export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/tether-bench-bus
mkdir -p "$XDG_CONFIG_HOME/tether"
cat >"$XDG_CONFIG_HOME/tether/tether.toml" <<EOF
[services.bench]
auth = "bearer"
base_url = "http://127.0.0.1:$port"

[connections.b]
service = "bench"
EOF

# Stores the bearer token of `b` in the store $1 (file or keyring).
store_token() {
  printf '%s\n' "$token" | TETHER_STORE=$1 "$tether" connect b --stdin >"$work/connect" 2>&1 \
    || { cat "$work/connect" >&2; exit 1; }
}

# --- measuring ----------------------------------------------------------------

rows=()

# One row of the table from hyperfine's JSON $1, for the store $2 and a peak
# RSS of $3 KiB.
row() {
  "$python" - "$@" <<'EOF'
import json, sys
path, store, rss_kib = sys.argv[1], sys.argv[2], int(sys.argv[3])
median = {r["command"]: r["median"] * 1000 for r in json.load(open(path))["results"]}
print(f"{store:<8} | {median['tether']:>10.2f} ms | {median['curl']:>8.2f} ms |"
      f" {median['tether'] / median['curl']:>5.2f} | {rss_kib / 1024:>12.1f} MB")
EOF
}

# Times curl and `tether invoke` with the store $1; adds a row to the table.
bench() {
  local store=$1 out=$work/$1.json rss
  if ! TETHER_STORE=$store "$tether" invoke b GET /bench >"$work/check" 2>&1; then
    echo "bench.sh: \`tether invoke b GET /bench\` failed with the $store store:" >&2
    cat "$work/check" >&2
    exit 1
  fi
  echo "bench.sh: $store store: hyperfine, $runs runs" >&2
  TETHER_STORE=$store hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
    --export-json "$out" \
    -n curl "curl -s -o /dev/null -H 'Authorization: Bearer $token' $url" \
    -n tether "$(printf '%q' "$tether") invoke b GET /bench" >&2
  TETHER_STORE=$store /usr/bin/time -f %M -o "$work/rss" "$tether" invoke b GET /bench >/dev/null
  rss=$(tail -n1 "$work/rss")
  rows+=("$(row "$out" "$store" "$rss")")
}

invoke_benches() {
store_token file
bench file

# The keyring store, on a private Secret Service: a bus with no service
# folders (nothing is auto-started behind our back) and an unlocked
# gnome-keyring that reads its password on stdin.
if command -v gnome-keyring-daemon >/dev/null && command -v dbus-daemon >/dev/null \
  && command -v dbus-send >/dev/null; then
  keyring=$work/keyring
  (umask 077 && mkdir -p "$keyring/home" "$keyring/run")
  cat >"$keyring/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$keyring/bus</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  dbus-daemon --config-file="$keyring/bus.conf" --nofork --print-address \
    >"$keyring/address" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do
    [ -s "$keyring/address" ] && break
    sleep 0.05
  done
  DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$keyring/address")
  export DBUS_SESSION_BUS_ADDRESS
  printf 'tether-bench-keyring' >"$keyring/password"
  HOME=$keyring/home XDG_RUNTIME_DIR=$keyring/run XDG_DATA_HOME=$keyring/home/.local/share \
    XDG_CONFIG_HOME=$keyring/home/.config XDG_CACHE_HOME=$keyring/home/.cache \
    gnome-keyring-daemon --foreground --unlock --components=secrets \
    <"$keyring/password" >/dev/null 2>&1 &
  pids+=($!)
  owned=
  for _ in $(seq 200); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
      | grep -q 'boolean true'; then
      owned=1
      break
    fi
    sleep 0.05
  done
  if [ -z "$owned" ]; then
    echo "bench.sh: gnome-keyring-daemon did not claim org.freedesktop.secrets: keyring skipped" >&2
  else
    store_token keyring
    bench keyring
  fi
else
  echo "bench.sh: no gnome-keyring-daemon/dbus-daemon/dbus-send: keyring skipped" >&2
fi

}

# --- many requests: --batch against shell loops, over HTTPS -------------------

batch_benches() {
  local tls=$work/tls
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  mkdir -p "$tls"
  (
    cd "$tls"
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=tether bench CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    openssl req "${ec[@]}" -keyout server.key -out server.csr -subj /CN=127.0.0.1
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
      >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
      -days 2 -extfile server.ext
  ) >/dev/null 2>&1

  # HTTP/1.1 with keep-alive, a thread per connection, 20 ms per answer.
  "$python" -c '
import http.server, ssl, sys, time

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The head and the body leave in two writes: without TCP_NODELAY,
    # Nagle and delayed ACKs add 40 ms to a kept-alive connection.
    disable_nagle_algorithm = True

    def do_GET(self):
        time.sleep(0.020)
        ok = self.headers.get("Authorization", "").startswith("Bearer ")
        body = b"{\"ok\":true}" if ok else b"{\"ok\":false}"
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

folder = sys.argv[1]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(folder + "/server.pem", folder + "/server.key")
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
' "$tls" >"$work/tls-port" &
  pids+=($!)
  local tls_port=
  for _ in $(seq 100); do
    tls_port=$(head -n1 "$work/tls-port")
    [ -n "$tls_port" ] && curl -sf -o /dev/null --cacert "$tls/ca.pem" \
      -H "Authorization: Bearer $token" "https://127.0.0.1:$tls_port/up" && break
    tls_port=
    sleep 0.05
  done
  [ -n "$tls_port" ] || { echo "bench.sh: the HTTPS API did not start" >&2; exit 1; }
  cat >>"$XDG_CONFIG_HOME/tether/tether.toml" <<EOF

[services.secure]
auth = "bearer"
base_url = "https://127.0.0.1:$tls_port"
ca_file = "$tls/ca.pem"

[connections.s]
service = "secure"
EOF
  printf '%s\n' "$token" | TETHER_STORE=file "$tether" connect s --stdin >"$work/connect" 2>&1 \
    || { cat "$work/connect" >&2; exit 1; }

  seq "$requests" | sed 's|.*|{"id": &, "url": "/item/&"}|' >"$work/batch.ndjson"
  local start end batch_ms tether_ms curl_ms rss ok i
  echo "bench.sh: $requests requests with --batch --parallel 32" >&2
  start=$(date +%s%N)
  TETHER_STORE=file /usr/bin/time -f %M -o "$work/batch-rss" \
    "$tether" invoke s --batch "$work/batch.ndjson" --parallel 32 >"$work/batch.out"
  end=$(date +%s%N)
  batch_ms=$(((end - start) / 1000000))
  rss=$(tail -n1 "$work/batch-rss")
  ok=$(grep -c '"status":200' "$work/batch.out" || true)
  [ "$ok" -eq "$requests" ] || { echo "bench.sh: only $ok of $requests succeeded" >&2; exit 1; }

  echo "bench.sh: $requests requests, a shell loop of tether invoke" >&2
  start=$(date +%s%N)
  for i in $(seq "$requests"); do
    TETHER_STORE=file "$tether" invoke s GET "/item/$i" >/dev/null
  done
  end=$(date +%s%N)
  tether_ms=$(((end - start) / 1000000))

  echo "bench.sh: $requests requests, a shell loop of curl" >&2
  start=$(date +%s%N)
  for i in $(seq "$requests"); do
    curl -sf -o /dev/null --cacert "$tls/ca.pem" -H "Authorization: Bearer $token" \
      "https://127.0.0.1:$tls_port/item/$i"
  done
  end=$(date +%s%N)
  curl_ms=$(((end - start) / 1000000))

  batch_rows+=("$(batch_row "tether invoke --batch --parallel 32" "$batch_ms" \
    "peak RSS $(awk -v k="$rss" 'BEGIN { printf "%.1f MB", k / 1024 }')")")
  batch_rows+=("$(batch_row "loop of tether invoke" "$tether_ms" \
    "$(awk -v a="$tether_ms" -v b="$batch_ms" 'BEGIN { printf "%.1fx the batch", a / b }')")")
  batch_rows+=("$(batch_row "loop of curl" "$curl_ms" \
    "$(awk -v a="$curl_ms" -v b="$batch_ms" 'BEGIN { printf "%.1fx the batch", a / b }')")")
}

# One row of the batch table: a name, milliseconds for all requests, a note.
batch_row() {
  awk -v name="$1" -v ms="$2" -v n="$requests" -v note="$3" \
    'BEGIN { printf "%-36s | %8.2f s | %8.1f/s | %s", name, ms / 1000, n * 1000 / ms, note }'
}

# The file store against a shared PostgreSQL store, over a socket and TCP.
pg_rows=()
postgres_benches() {
  local bin=/usr/lib/postgresql/15/bin pg=$work/pg pgport run=()
  [ -x "$bin/initdb" ] || need "$bin/initdb" postgresql
  mkdir -p "$pg"
  printf '%s' bench-pg-password >"$pg/pw"
  if [ "$(id -u)" -eq 0 ]; then
    # The cluster's owner must get through to its folder.
    chmod 711 "$work"
    chown -R nobody:nogroup "$pg"
    run=(runuser -u nobody --)
  fi
  pgport=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${run[@]}" "$bin/initdb" -D "$pg/data" -U tether --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$pg/pw" -E UTF8 --no-sync >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$pg/data" -l "$pg/log" -w \
    -o "-p $pgport -k $pg -c listen_addresses=127.0.0.1" start >/dev/null
  pids+=("$(head -n1 "$pg/data/postmaster.pid")")
  export BENCH_STORE_KEY
  BENCH_STORE_KEY=$(openssl rand -hex 32)
  cat >>"$XDG_CONFIG_HOME/tether/tether.toml" <<EOF

[connections.ps]
service = "bench"
store = "sock"

[connections.pt]
service = "bench"
store = "tcp"

[stores.sock]
kind = "postgres"
url = { value = "host=$pg port=$pgport user=tether dbname=postgres" }
key = { env = "BENCH_STORE_KEY" }

[stores.tcp]
kind = "postgres"
url = { value = "postgresql://tether:bench-pg-password@127.0.0.1:$pgport/postgres" }
key = { env = "BENCH_STORE_KEY" }
EOF
  store_token file
  for c in ps pt; do
    printf '%s\n' "$token" | "$tether" connect "$c" --stdin >"$work/connect" 2>&1 \
      || { cat "$work/connect" >&2; exit 1; }
    "$tether" invoke "$c" GET /bench >/dev/null
  done
  echo "bench.sh: file vs postgres stores: hyperfine, $runs runs" >&2
  TETHER_STORE=file hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
    --export-json "$work/pg.json" \
    -n file "$(printf '%q' "$tether") invoke b GET /bench" \
    -n socket "$(printf '%q' "$tether") invoke ps GET /bench" \
    -n tcp "$(printf '%q' "$tether") invoke pt GET /bench" \
    -n psql-version "$(printf '%q' "$bin/psql") -X --version" \
    -n psql-query "$(printf '%q' "$bin/psql") -X -h $(printf '%q' "$pg") -p $pgport -U tether -d postgres -Atc 'SELECT 1'" >&2
  mapfile -t pg_rows < <("$python" - "$work/pg.json" <<'EOF'
import json, sys
median = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
for name, label, target in (("socket", "postgres, Unix socket, trust", 3), ("tcp", "postgres, loopback TCP, SCRAM", 8)):
    added = median[name] - median["file"]
    print(f"{label:<30} | {median[name]:>8.2f} ms | +{added:>6.2f} ms | target {target} ms")
print(f"{'file store':<30} | {median['file']:>8.2f} ms |")
floor = median["psql-query"] - median["psql-version"]
print(f"{'psql: connect + SELECT 1':<30} | +{floor:>6.2f} ms over `psql --version` (libpq's own cost of a session, same socket)")
EOF
)
}

batch_rows=()
case $what in
  invoke) invoke_benches ;;
  batch) batch_benches ;;
  postgres) postgres_benches ;;
  all)
    invoke_benches
    batch_benches
    postgres_benches
    ;;
esac

if [ "${#rows[@]}" -gt 0 ]; then
  echo
  printf '%-8s | %13s | %11s | %5s | %s\n' store "tether median" "curl median" ratio "tether peak RSS"
  for row in "${rows[@]}"; do
    echo "$row"
  done
fi
if [ "${#pg_rows[@]}" -gt 0 ]; then
  echo
  echo "tether invoke, median, and the cost a shared store adds per call:"
  for row in "${pg_rows[@]}"; do
    echo "$row"
  done
fi
if [ "${#batch_rows[@]}" -gt 0 ]; then
  echo
  echo "$requests HTTPS requests to a loopback server that takes 20 ms each:"
  for row in "${batch_rows[@]}"; do
    echo "$row"
  done
fi
