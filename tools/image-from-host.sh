#!/usr/bin/env bash
# Builds a container image from this machine's own files, with no registry and no package index:
# a busybox root (Debian: busybox-static), optionally this machine's Python 3 (the interpreter, its
# standard library without tests and GUI modules, and the shared libraries they link) or a Java
# runtime made by jlink from JAVA_HOME, plus files of your own; then `<engine> import`.
# Takes seconds; does nothing when IMAGE exists already (put a content hash in its tag).
#
#   tools/image-from-host.sh [--python] [--java MODULES] [--copy SRC DEST]... [--entrypoint PATH]
#                            [--workdir DIR] ENGINE IMAGE
#
# ENGINE is podman or docker; PYTHON the interpreter to copy (default /usr/bin/python3, else python3).
# Example, an image that runs `python3 train.py`:
#   tools/image-from-host.sh --python --copy train.py /opt/ml/code/train.py podman localhost/my-python:1
set -euo pipefail

python=0 java_modules="" entrypoint="" workdir="" copies=()
while [ $# -gt 2 ]; do
  case "$1" in
    --python) python=1; shift ;;
    --java) java_modules=$2; shift 2 ;;
    --copy) copies+=("$2" "$3"); shift 3 ;;
    --entrypoint) entrypoint=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
[ $# -eq 2 ] || { echo "usage: $0 [options] ENGINE IMAGE (see the head of $0)" >&2; exit 2; }
engine=$1 image=$2

if [ "$engine" = podman ]; then
  podman image exists "$image" && exit 0
else
  "$engine" image inspect --format x "$image" >/dev/null 2>&1 && exit 0
fi

busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "busybox is not installed (Debian: busybox-static)" >&2; exit 3; }
ldd "$busybox" >/dev/null 2>&1 && { echo "$busybox is not a static binary (Debian: busybox-static)" >&2; exit 3; }

root=$(mktemp -d)
trap 'rm -rf "$root" "$root.tar" "$root.jlink"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/opt/ml" "$root/etc" "$root/usr/bin" "$root/usr/local/bin"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"

# Copies the shared libraries that ldd lists for $@ (files of the host) to the same paths in the root.
copy_libraries() {
  ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' | sort -u |
  while read -r lib; do
    [ -e "$root$lib" ] || { mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; }
  done
}

if [ $python = 1 ]; then
  # The interpreter PYTHON names (default: Debian's /usr/bin/python3 if there is one, else python3 on the PATH).
  host_python=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}
  exe=$("$host_python" -c 'import os, sys; print(os.path.realpath(sys.executable))')
  stdlib=$("$host_python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  mkdir -p "$root$(dirname "$exe")" "$root$stdlib"
  cp "$exe" "$root$exe"
  for name in python3 python; do ln -sf "$exe" "$root/usr/bin/$name"; ln -sf "$exe" "$root/usr/local/bin/$name"; done
  # The standard library, without what a training script never needs (tests, GUI, installers): ~30 MB.
  tar -C "$stdlib" --exclude=./test --exclude=./idlelib --exclude=./tkinter --exclude=./turtledemo \
      --exclude=./ensurepip --exclude=./lib2to3 --exclude=./pydoc_data --exclude=./site-packages \
      --exclude=./dist-packages --exclude=./config-\* -c . | tar -C "$root$stdlib" -x
  copy_libraries "$exe" "$stdlib"/lib-dynload/*.so
fi

if [ -n "$java_modules" ]; then
  java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
  if ! "$java_home/bin/jlink" --add-modules "$java_modules" --strip-debug --no-header-files --no-man-pages \
      --output "$root/opt/java" >"$root.jlink" 2>&1; then
    # A JDK without jmods that cannot link from its own run-time image (e.g. Debian's without openjdk-N-jmods):
    # the whole runtime then, a few hundred MB instead of ~50.
    echo "jlink could not link ($(head -1 "$root.jlink")): copying the whole Java runtime of $java_home instead" >&2
    rm -rf "$root/opt/java"; mkdir -p "$root/opt/java"
    cp -rL "$java_home/bin" "$java_home/lib" "$java_home/conf" "$root/opt/java/" 2>/dev/null || true   # dangling links (src.zip)
    rm -f "$root/opt/java/lib/src.zip" "$root/opt/java/lib/ct.sym"
    [ -x "$root/opt/java/bin/java" ] || { echo "could not copy the Java runtime of $java_home" >&2; exit 3; }
  fi
  ln -sf /opt/java/bin/java "$root/usr/bin/java"
  copy_libraries "$root/opt/java/bin/java" "$root"/opt/java/lib/*.so "$root"/opt/java/lib/server/*.so
fi

set -- "${copies[@]+"${copies[@]}"}"
while [ $# -gt 0 ]; do
  mkdir -p "$root$(dirname "$2")"
  cp -r "$1" "$root$2"
  shift 2
done

changes=(--change 'ENV PATH=/usr/local/bin:/usr/bin:/bin')
[ -n "$entrypoint" ] && changes+=(--change "ENTRYPOINT [\"$entrypoint\"]")
[ -n "$workdir" ] && changes+=(--change "WORKDIR $workdir")
tar -C "$root" -cf "$root.tar" .
quiet=(); [ "$engine" = podman ] && quiet=(--quiet)
"$engine" import "${quiet[@]+"${quiet[@]}"}" "${changes[@]}" - "$image" < "$root.tar" >/dev/null
