#!/bin/sh
# Start the service image on 127.0.0.1, report its size and start-to-ready time (from `run` to the
# first 200 on /health/ready), smoke-test it (smoke.sh), then stop it. Check from inside the image
# what it must not hold (scikit-learn, pip, setuptools, a shell, a package manager, a compiler)
# and that it runs as uid 10001. Then prove that a team pickle (the challenge's, scikit-learn
# 1.1.2) is served through the import: MODEL_PATH + MODEL_SHA256 on a mounted copy.
# Usage: smoke-container.sh IMAGE [JSON]; JSON, when given, receives the figures (for
# bench:publish). ENGINE=podman|docker (default podman).
set -eu
image=${1:?usage: smoke-container.sh IMAGE [JSON]}
json=${2:-}
engine=${ENGINE:-podman}
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
pickle="$here/../../services/predictor/data/scl/pickle_model.pkl"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
containers=""
stop_all() {
  for container in $containers; do "$engine" stop --time 10 "$container" >/dev/null; done
}
trap stop_all EXIT

now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_ready PORT [engine run options...]: run the image, wait (30 s at most) until it is ready.
start_ready() {
  port=$1
  shift
  container=$("$engine" run --detach --rm --publish "127.0.0.1:$port:8080" "$@" "$image")
  containers="$containers $container"
  for _ in $(seq 1500); do  # every 20 ms (plus curl's own start), for 30 s
    if curl --silent --fail --output /dev/null --max-time 1 "http://127.0.0.1:$port/health/ready"; then
      return 0
    fi
    sleep 0.02
  done
  echo "not ready within 30 s; container log:" >&2
  "$engine" logs "$container" >&2
  exit 1
}

size=$("$engine" image inspect --format '{{.Size}}' "$image")
port=$(free_port)
started=$(now_ms)
start_ready "$port"
ready=$(now_ms)
"$here/smoke.sh" "http://127.0.0.1:$port"
echo "image $image: $((size / 1000000)) MB ($size bytes); start-to-ready $((ready - started)) ms"

found=$("$engine" run --rm --entrypoint /opt/venv/bin/python "$image" -c '
import importlib.util, os
print(" ".join([m for m in ("sklearn", "pip", "setuptools") if importlib.util.find_spec(m)]
  + [p for p in ("/bin/sh", "/usr/bin/apt-get", "/usr/bin/dpkg", "/usr/bin/gcc", "/usr/bin/cc") if os.path.exists(p)]
  + ([] if os.getuid() == 10001 else [f"uid {os.getuid()}"])))')
if [ -n "$found" ]; then
  echo "the image should have no scikit-learn, pip, setuptools, shell, package manager or compiler, and run as uid 10001; found: $found" >&2
  exit 1
fi
echo "the image has no scikit-learn, pip, setuptools, shell, package manager or compiler, and runs as uid 10001"
port=$(free_port)
sha=$(sha256sum "$pickle" | cut -c1-64)
start_ready "$port" --volume "$pickle:/models/pickle_model.pkl:ro" \
  --env MODEL_PATH=/models/pickle_model.pkl --env MODEL_SHA256="$sha"
model=$(curl --silent --fail --max-time 5 "http://127.0.0.1:$port/model")
case "$model" in
  *'"sklearn_version":"1.1.2"'*) ;;
  *) echo "MODEL_PATH: /model does not name the 1.1.2 pickle: $model" >&2; exit 1 ;;
esac
"$here/smoke.sh" "http://127.0.0.1:$port"
echo "the challenge's scikit-learn 1.1.2 pickle is served through the import, without scikit-learn in the image"
if [ -n "$json" ]; then
  printf '{"size_bytes": %s, "start_to_ready_ms": %s, "absent_checked": true, "pickle_import": "served"}\n' \
    "$size" "$((ready - started))" > "$json"
fi
