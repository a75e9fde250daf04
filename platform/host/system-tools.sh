#!/bin/sh
# Make sure the system tools a task runs are installed, before it runs anything.
# Usage: system-tools.sh TOOL...   (a command, or python3-venv for python3's venv module)
#
# Missing Debian packages are installed with apt-get when we are root or have passwordless sudo.
# Otherwise the script stops with one line naming what is missing and the exact command to run.
# terraform is not in Debian's packages: when it is missing the same line says so. Under CI
# (CI=true) that is an error; elsewhere a warning, and the tests that need terraform skip.
set -eu

present() {
  case $1 in
    python3-venv) python3 -c 'import ensurepip, venv' >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

package_of() {  # the Debian package that provides a tool; nothing when Debian has none
  case $1 in
    promtool) echo prometheus ;;
    terraform) ;;
    *) echo "$1" ;;
  esac
}

tools=""       # missing tools that Debian packages
packages=""    # their packages, each once
unpackaged=""  # missing tools that Debian does not package
for tool in "$@"; do
  present "$tool" && continue
  package=$(package_of "$tool")
  if [ -z "$package" ]; then
    unpackaged="${unpackaged:+$unpackaged }$tool"
    continue
  fi
  tools="$tools $tool"
  case " $packages " in *" $package "*) ;; *) packages="${packages:+$packages }$package" ;; esac
done
missing="${tools# }${unpackaged:+ $unpackaged}"
note=""
[ -z "$unpackaged" ] || note="; $unpackaged is not in Debian's packages (see README, Prerequisites)"

if [ -n "$packages" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root="sudo"
  else
    echo "missing system tools: $missing. Install with: sudo apt-get update && sudo apt-get install -y --no-install-recommends $packages$note" >&2
    exit 1
  fi
  echo "system-tools: installing $packages with apt-get" >&2
  # shellcheck disable=SC2086 # word splitting: $as_root is empty or "sudo", $packages a list
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  # shellcheck disable=SC2086
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
  for tool in $tools; do
    present "$tool" || { echo "system-tools: $tool is still missing after apt-get" >&2; exit 1; }
  done
fi

if [ -n "$unpackaged" ]; then
  if [ -n "${CI:-}" ]; then
    echo "missing system tools: $missing$note" >&2
    exit 1
  fi
  echo "system-tools: warning: tests that need $unpackaged will be skipped${note}" >&2
fi
