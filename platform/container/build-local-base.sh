#!/bin/sh
# Build a stand-in for python:3.11-slim when no container registry is reachable (our CI machine):
# Debian bookworm minbase plus python3 (3.11), venv and CA certificates, from the machine's own apt mirror,
# imported as an image. Usage: build-local-base.sh [IMAGE]; ENGINE=podman|docker (default podman).
set -eu
image=${1:-localhost/python:3.11-bookworm-local}
engine=${ENGINE:-podman}
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

# The first Debian mirror apt already uses; no registry address is written into this repository.
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
[ -n "$mirror" ] || { echo "build-local-base: no apt mirror configured" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$work/rootfs" "$mirror"
rm -rf "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/cache/apt/*.bin
tar -C "$work/rootfs" -c . | "$engine" import - "$image"
echo "built $image"
