#!/usr/bin/env bash
# Builds this example as a SageMaker-style container image, with no registry: Train.java compiled
# here, a Java runtime made by jlink from this machine's JDK, and busybox (tools/image-from-host.sh).
# `<image> train` runs the training program, as SageMaker runs an image. Prints the image's name,
# localhost/vernier-<directory>:<hash of the sources> (vernier-wine here); builds only when that image is missing (seconds).
#
#   examples/wine/build-image.sh [podman|docker]     (default: podman if it works here, else docker)
#
# With your own Dockerfile, `podman build -t localhost/my-model:1 .` does the same job.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
engine=${1:-}
if [ -z "$engine" ]; then
  if podman version >/dev/null 2>&1; then engine=podman
  elif docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then engine=docker
  else echo "neither podman nor docker works here" >&2; exit 3; fi
fi
# tools/image-from-host.sh of the Vernier checkout this example is in (or a copy of it, e.g. my-model/, is next to)
tools=""
for d in "$here" "$here/.." "$here/../.." "$PWD"; do
  [ -x "$d/tools/image-from-host.sh" ] && { tools="$(cd "$d/tools" && pwd)"; break; }
done
[ -n "$tools" ] || { echo "cannot find Vernier's tools/image-from-host.sh above $here or in $PWD" >&2; exit 3; }
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
image="localhost/vernier-$(basename "$here" | tr A-Z_ a-z-):$(cat "$here/Train.java" "$0" "$tools/image-from-host.sh" | cksum | cut -d' ' -f1)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$java_home/bin/javac" --release 11 -Xlint:-options -d "$work/classes" "$here/Train.java"
cat > "$work/train" <<'SH'
#!/bin/sh
# The image's entry point: `image train` runs the training program (small and short: start fast).
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m -cp /opt/program Train
SH
chmod 755 "$work/train"
JAVA_HOME=$java_home "$tools/image-from-host.sh" --java java.base --copy "$work/classes" /opt/program \
    --copy "$work/train" /opt/program/train --entrypoint /opt/program/train "$engine" "$image" >&2
echo "$image"
