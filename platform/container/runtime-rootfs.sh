#!/bin/sh
# Assemble the root file system of the service image inside its build stage: the venv; the
# CPython it was made with, its standard library compiled and without what a server never
# imports (tests, IDLE, tkinter, ensurepip...); the shared libraries that CPython and every
# extension module load (as ldd lists them); the CA bundle; a user; /tmp. The image copies it
# onto an empty base: no shell, no package manager, nothing else to patch.
# Usage: runtime-rootfs.sh VENV ROOTFS
set -eu
venv=${1:?usage: runtime-rootfs.sh VENV ROOTFS}
rootfs=${2:?usage: runtime-rootfs.sh VENV ROOTFS}
python=$(readlink -f "$venv/bin/python")
stdlib=$("$python" -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')
# Never imported by a server: tests, tools, terminals, local databases, and what links big libraries.
unused='test|tests|idle_test|idlelib|tkinter|turtledemo|ensurepip|lib2to3|pydoc_data|distutils|curses|dbm|sqlite3'
unused="$unused|site-packages|dist-packages|config-3[^/]*"
unused_extensions='_dbm|_gdbm|_curses|_curses_panel|readline|_crypt|nis|_sqlite3|_test[a-z]*|_ctypes_test|_xxtestfuzz|xxlimited[_0-9]*'

copy() {  # copy a path under $rootfs at the same place; links are copied as links
  cp -a --parents "$1" "$rootfs"
}

mkdir -p "$rootfs/tmp" "$rootfs/etc/ssl/certs"
chmod 1777 "$rootfs/tmp"
copy "$venv"

# The interpreter and the links that lead to it from the venv (bin/python -> python3 -> python3.11).
link="$venv/bin/python"
while [ -L "$link" ]; do
  target=$(readlink "$link")
  case $target in /*) ;; *) target="$(dirname "$link")/$target" ;; esac
  case $target in "$venv"/*) ;; *) copy "$target" ;; esac
  link=$target
done

"$python" -m compileall -q -j 0 -x "/($unused)/" "$stdlib"
copy "$stdlib"
find "$rootfs$stdlib" -regextype posix-extended -type d -regex ".*/($unused)" -prune -exec rm -rf {} +
find "$rootfs$stdlib/lib-dynload" -regextype posix-extended -regex ".*/($unused_extensions)\.cpython-[^/]*\.so" -delete

# Shared libraries under the name the loader looks for, and the loader itself. glibc opens
# libgcc_s at run time (pthread_exit), so ldd does not list it.
{
  ldd "$python"
  find "$rootfs$stdlib/lib-dynload" "$rootfs$venv" -type f -name '*.so*' -exec ldd {} +
  echo "libgcc_s.so.1 => $(ldconfig -p | awk '$1 == "libgcc_s.so.1" { print $NF; exit }')"
} | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' | sort -u \
  | while read -r library; do cp -L --parents "$library" "$rootfs"; done

cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
echo "predictor:x:10001:10001::/nonexistent:/usr/sbin/nologin" > "$rootfs/etc/passwd"
echo "predictor:x:10001:" > "$rootfs/etc/group"
