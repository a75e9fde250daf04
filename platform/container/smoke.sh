#!/bin/sh
# Smoke-test a running predictor: readiness, then the challenge's example prediction.
# Usage: smoke.sh BASE_URL. With SMOKE_ID_TOKEN set, every request carries it as a bearer token
# (a private Cloud Run service or revision). Used by CI on a local container and by the deploy
# workflow on each new revision, so both check the same thing.
set -eu
base=${1:?usage: smoke.sh BASE_URL}
example='{"array":[0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,1,0,0,1,0,0,1,0,0,1,0,0,0,0]}'

request() {
  if [ -n "${SMOKE_ID_TOKEN:-}" ]; then
    curl --silent --show-error --fail-with-body --max-time 10 \
      --header "Authorization: Bearer $SMOKE_ID_TOKEN" "$@"
  else
    curl --silent --show-error --fail-with-body --max-time 10 "$@"
  fi
}

request --output /dev/null "$base/health/ready"
answer=$(request --header 'Content-Type: application/json' --data "$example" "$base/api")
case "$answer" in
  '{"predicciones":[0]}' | '{"predicciones":[1]}') echo "smoke ok: $base -> $answer" ;;
  *) echo "smoke FAILED: $base/api answered: $answer" >&2; exit 1 ;;
esac
