#!/bin/sh
# Loads the image Jib built into podman and runs it as Kubernetes would: the server's entrypoint (its
# --help, which lists the kubernetes backend's settings) and the training pods' tasks with the
# command JobSpecs.POD_TASKS gives them (without arguments they print their usage and exit 64).
# Usage: check-image.sh IMAGE.tar NAME:TAG
set -eu
tar=$1
image=localhost/$2
podman load -q -i "$tar" >/dev/null
trap 'podman rmi -f "$image" >/dev/null 2>&1 || true' EXIT
podman run --rm --network none "$image" server --help | grep -q -- '--kubernetes-image'
set +e
podman run --rm --network none --entrypoint java "$image" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -cp @/opt/vernier/jib-classpath-file dev.vernier.backend.kubernetes.pod.PodTasks 2>/dev/null
status=$?
set -e
[ "$status" -eq 64 ] || { echo "the pod tasks exited $status, not 64 (usage)" >&2; exit 1; }
echo "image $image: the server and the pod tasks run"
