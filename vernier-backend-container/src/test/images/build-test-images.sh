#!/usr/bin/env bash
# Builds the container backend's test images without a registry: a root file system of Debian's
# busybox-static, bash and its libraries, and the testkit's programs in /opt/programs, imported with
# `<engine> import`. Makes localhost/vernier-test-base:TAG (no entry point) and, for each program
# x_y.sh, localhost/vernier-test-x-y:TAG whose entry point is that program (so `image train` runs
# `program train`, as SageMaker runs an image). Idempotent: images of this TAG that exist are kept.
#
#   build-test-images.sh ENGINE TAG PROGRAMS_DIR...
set -euo pipefail
engine=$1 tag=$2
shift 2
programs=("$@")

if "$engine" image inspect "localhost/vernier-test-base:$tag" >/dev/null 2>&1; then
  missing=0
  for p in $(for d in "${programs[@]}"; do ls -d "$d"/*; done); do
    n=$(basename "$p"); n=${n%.sh}; n=${n//_/-}
    "$engine" image inspect "localhost/vernier-test-$n:$tag" >/dev/null 2>&1 || missing=1
  done
  [ $missing = 0 ] && exit 0
fi

busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "busybox is not installed (Debian: busybox-static)" >&2; exit 3; }
ldd "$busybox" >/dev/null 2>&1 && { echo "$busybox is not a static binary (Debian: busybox-static)" >&2; exit 3; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/opt/ml" "$root/opt/programs" "$root/etc"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
# bash, for the programs that need it, with the libraries it links
rm -f "$root/bin/bash"
cp /bin/bash "$root/bin/bash"
for lib in $(ldd /bin/bash | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
for d in "${programs[@]}"; do cp "$d"/* "$root/opt/programs/"; done
chmod 755 "$root/opt/programs/"*
(cd "$root/usr" 2>/dev/null && ln -s ../bin bin) || (mkdir -p "$root/usr" && ln -s ../bin "$root/usr/bin")

quiet=(); [ "$(basename "$engine")" = podman ] && quiet=(--quiet)   # docker import has no --quiet
tarball="$root.tar"
tar -C "$root" -cf "$tarball" .
trap 'rm -rf "$root" "$tarball"' EXIT
"$engine" import "${quiet[@]+"${quiet[@]}"}" --change 'ENV PATH=/bin:/usr/bin' - "localhost/vernier-test-base:$tag" < "$tarball" >/dev/null
for p in $(for d in "${programs[@]}"; do ls -d "$d"/*; done); do
  file=$(basename "$p"); n=${file%.sh}; n=${n//_/-}
  "$engine" import "${quiet[@]+"${quiet[@]}"}" --change 'ENV PATH=/bin:/usr/bin' --change "ENTRYPOINT [\"/opt/programs/$file\"]" \
    - "localhost/vernier-test-$n:$tag" < "$tarball" >/dev/null
done
