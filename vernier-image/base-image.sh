#!/bin/sh
# Vernier's base image, made from the JDK that runs the build, for Jib (no registry, no Docker daemon):
# a Java runtime cut by jlink, the C libraries it links against, /tmp and a non-root user 65532, written
# as a docker-archive tar (what `docker save` writes), which Jib reads as a tar:// base image.
# Usage: base-image.sh JAVA_HOME OUTPUT.tar
set -eu
java_home=$1
out=$2
work=$(dirname "$out")/base-image
rm -rf "$work"
mkdir -p "$work/rootfs/opt" "$work/rootfs/etc" "$work/rootfs/tmp"
chmod 1777 "$work/rootfs/tmp"
"$java_home/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.management,jdk.net \
  --strip-debug --no-header-files --no-man-pages --output "$work/rootfs/opt/java"
# The shared libraries the runtime needs, and the dynamic loader, at their paths on this machine.
ldd "$work/rootfs/opt/java/bin/java" "$work/rootfs/opt/java/lib/server/libjvm.so" "$work/rootfs/opt/java/lib/"*.so \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | grep -v "^$work/" \
  | sort -u | while read -r lib; do
    mkdir -p "$work/rootfs$(dirname "$lib")"
    cp -L "$lib" "$work/rootfs$lib"
  done
printf 'root:x:0:0:root:/root:/sbin/nologin\nvernier:x:65532:65532:vernier:/tmp:/sbin/nologin\n' > "$work/rootfs/etc/passwd"
printf 'root:x:0:\nvernier:x:65532:\n' > "$work/rootfs/etc/group"
(cd "$work/rootfs" && tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf ../layer.tar .)
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"],"User":"65532"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}\n' \
  "$diff_id" > "$work/config.json"
printf '[{"Config":"config.json","RepoTags":["vernier-base:local"],"Layers":["layer.tar"]}]\n' > "$work/manifest.json"
(cd "$work" && tar -cf "$out" manifest.json config.json layer.tar)
echo "base image: $out ($(du -h "$out" | cut -f1))"
