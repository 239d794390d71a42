#!/usr/bin/env bash
# Load: N products (default 1000) queued at once drain through `enhancer serve` while wrk reads
# GET /products/{id}; prints the API's p50/p99 latency during the drain and the drain time.
#
#   bench/load/run.sh [PRODUCTS]        BUILD_DIR=build-release bench/load/run.sh 1000
#
# Two drains on fresh data: the first without readers measures the drain time D; the second runs
# wrk for 0.9*D (so every sample falls inside that drain, which readers only slow down) and
# measures the drain under reads. Everything listens on 127.0.0.1 and is stopped by pid.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${BUILD_DIR:-$root/build}" 2>/dev/null && pwd || echo "${BUILD_DIR:-$root/build}")"
products="${1:-1000}"
shared="${ENHANCER_SHARED_DIR:-$root/../shared}"
binary="$build/enhancer"
for tool in wrk python3 vips; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/install-deps)" >&2; exit 2; }
done
[ -x "$binary" ] || { echo "run.sh: no $binary; build first (scripts/build)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/enhancer-load-XXXXXX")"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

# One tiny photo, uploaded once and shared by every product: the drain measures the pipeline
# (queue, database, store, a small render), not JPEG decoding of big photos.
vips thumbnail "$shared/testdata/images/coffee_1mp.jpg" "$work/tiny.jpg" 96

# Starts `enhancer serve` on fresh data in $work/$1; sets server_pid and port.
start_server() {
  local dir="$work/$1"
  mkdir -p "$dir"
  (cd "$dir" && exec env HOST=127.0.0.1 PORT=0 \
      DATABASE_URL="sqlite://$dir/enhancer.db" EMBEDDED_QUEUE_PATH="$dir/queue.db" \
      MEDIA_DIR="$dir/media" ENHANCED_IMAGES_COUNT=1 OUTPUT_SIZE=64 THUMBNAIL_SIZE=16 \
      RECEIVE_WAIT_SECONDS=1 "$binary" serve) >"$dir/serve.log" 2>&1 &
  server_pid=$!
  port=""
  for _ in $(seq 1 600); do
    port="$(sed -n 's|.*Listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$dir/serve.log" | head -1)"
    if [ -n "$port" ] && grep -q "Worker thread started" "$dir/serve.log"; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: enhancer serve did not start:" >&2
  cat "$dir/serve.log" >&2
  exit 1
}

# api.py PORT create N PHOTO -> prints the first and last product id (drafts)
# api.py PORT enqueue FIRST LAST -> queues them all, prints the time it started (monotonic s)
# api.py PORT wait N -> waits until N products are pending_review; prints the time (monotonic s)
cat >"$work/api.py" <<'PY'
import http.client, json, sys, time, uuid

port, command = int(sys.argv[1]), sys.argv[2]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

def call(method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, json.loads(data) if data else None

if command == "create":
    count, photo = int(sys.argv[3]), open(sys.argv[4], "rb").read()
    boundary = uuid.uuid4().hex
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tiny.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + photo + f"\r\n--{boundary}--\r\n".encode()
    status, upload = call("POST", "/uploads", form, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 201, (status, upload)
    ids = []
    for i in range(count):
        body = json.dumps({"name": f"product {i}", "raw_image_url": upload["key"]})
        status, product = call("POST", "/products", body, {"Content-Type": "application/json"})
        assert status == 201, (status, product)
        ids.append(product["id"])
    print(ids[0], ids[-1])
elif command == "enqueue":
    first, last = int(sys.argv[3]), int(sys.argv[4])
    print(f"{time.monotonic():.3f}")
    for product_id in range(first, last + 1):
        status, answer = call("POST", f"/products/{product_id}/enhance", "{}", {"Content-Type": "application/json"})
        assert status == 202, (status, answer)
elif command == "wait":
    count = int(sys.argv[3])
    while True:
        status, counts = call("GET", "/products/counts")
        if status == 200 and counts["counts"].get("pending_review", 0) >= count:
            break
        time.sleep(0.1)
    print(f"{time.monotonic():.3f}")
PY

cat >"$work/read.lua" <<'LUA'
-- Each request reads a random product of the drain.
local first, last
init = function(args) first, last = tonumber(args[1]), tonumber(args[2]) end
request = function() return wrk.format("GET", "/products/" .. math.random(first, last)) end
LUA

# Creates and queues the products; runs `$@` (if any) while they drain; writes the drain time
# (seconds) to $work/NAME.seconds. Not in a subshell, so the EXIT trap can always stop the server.
drain() {
  local name="$1"; shift
  start_server "$name"
  python3 "$work/api.py" "$port" create "$products" "$work/tiny.jpg" >"$work/ids"
  read -r first last <"$work/ids"
  local queued_at done_at
  queued_at="$(python3 "$work/api.py" "$port" enqueue "$first" "$last")"
  if [ $# -gt 0 ]; then "$@" "$port" "$first" "$last"; fi
  done_at="$(python3 "$work/api.py" "$port" wait "$products")"
  stop_server
  python3 -c "print(f'{$done_at - $queued_at:.1f}')" >"$work/$name.seconds"
}

read_with_wrk() {
  local port="$1" first="$2" last="$3"
  wrk -t1 -c4 -d"${wrk_seconds}s" --latency -s "$work/read.lua" \
    "http://127.0.0.1:$port" -- "$first" "$last" >"$work/wrk.txt" 2>&1
}

echo "== $products products, $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "== drain without readers"
drain calibrate
unloaded="$(cat "$work/calibrate.seconds")"
echo "drain time: ${unloaded} s"
wrk_seconds="$(python3 -c "print(max(1, int($unloaded * 0.9)))")"
echo "== drain while wrk reads GET /products/{id} for ${wrk_seconds} s (wrk -t1 -c4)"
drain measured read_with_wrk
loaded="$(cat "$work/measured.seconds")"
cat "$work/wrk.txt"
p50="$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")"
p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")"
requests="$(awk '/requests in/ {print $1}' "$work/wrk.txt")"
non2xx="$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")"
echo "== summary"
echo "products: $products; drain: ${unloaded} s without readers, ${loaded} s with wrk reading"
echo "GET /products/{id} during the drain: p50 ${p50}, p99 ${p99}, ${requests} requests, non-2xx: ${non2xx:-0}"
