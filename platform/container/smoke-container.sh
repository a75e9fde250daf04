#!/bin/sh
# Start the service image on 127.0.0.1, report its size and start-to-ready time (from `run` to the
# first 200 on /health/ready), smoke-test it (smoke.sh), then stop it. Usage: smoke-container.sh
# IMAGE; ENGINE=podman|docker (default podman); PORT=host port (default: a free one).
set -eu
image=${1:?usage: smoke-container.sh IMAGE}
engine=${ENGINE:-podman}
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
port=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

now_ms() { date +%s%3N; }

size=$("$engine" image inspect --format '{{.Size}}' "$image")
started=$(now_ms)
container=$("$engine" run --detach --rm --publish "127.0.0.1:$port:8080" "$image")
trap '"$engine" stop --time 10 "$container" >/dev/null' EXIT

ready=""
for _ in $(seq 1500); do  # every 20 ms (plus curl's own start), for 30 s
  if curl --silent --fail --output /dev/null --max-time 1 "http://127.0.0.1:$port/health/ready"; then
    ready=$(now_ms)
    break
  fi
  sleep 0.02
done
if [ -z "$ready" ]; then
  echo "not ready within 30 s; container log:" >&2
  "$engine" logs "$container" >&2
  exit 1
fi

"$here/smoke.sh" "http://127.0.0.1:$port"
echo "image $image: $((size / 1000000)) MB ($size bytes); start-to-ready $((ready - started)) ms"
