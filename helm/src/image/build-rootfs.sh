#!/usr/bin/env bash
# Builds the root filesystem of swarmtee's container image, without a Docker daemon or a registry:
#   /opt/java        a jlink'ed Java runtime from the build JDK (>= 21)
#   /lib, /lib64 …   exactly the shared libraries that runtime links against, copied from this machine
#   /app/swarmtee.jar
#   /etc/passwd, /etc/group with the non-root user swarmtee (65532)
#   /data, /tmp      writable by the non-root user
# Jib then layers this directory onto an empty (scratch) base: no base image has to be pulled.
# Usage: build-rootfs.sh OUT_DIR SWARMTEE_JAR
set -euo pipefail
out=$1
jar=$2
: "${JAVA_HOME:?JAVA_HOME must point at the build JDK}"
[[ -f "$jar" ]] || { echo "build-rootfs: $jar not found (build the proxy module first)" >&2; exit 1; }

# The modules swarmtee needs (jdeps over the fat jar, plus those loaded reflectively: jdk.crypto.ec for
# TLS/secp256k1 providers, jdk.management for process/CPU metrics, jdk.incubator.vector for the SIMD
# Swarm hashing path, which the entrypoint enables with --add-modules),
# kept explicit so the image does not change with what jdeps happens to see.
modules=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.localedata,jdk.zipfs,jdk.incubator.vector

rm -rf "$out"
mkdir -p "$out/opt" "$out/app" "$out/etc" "$out/data" "$out/tmp"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --include-locales=en \
  --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$out/opt/java"

# Shared libraries: follow ldd from every ELF file of the runtime, copying each library (and the
# dynamic loader) at the same path it has here, so the runtime finds them as on this machine.
mapfile -t elves < <(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \))
declare -A seen=()
for f in "${elves[@]}"; do
  while read -r lib; do
    [[ -n "$lib" && -z "${seen[$lib]:-}" ]] || continue
    seen[$lib]=1
    mkdir -p "$out$(dirname "$lib")"
    cp -L "$lib" "$out$lib"
  done < <(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' | grep -v "^$out" || true)
done
# The runtime's own libraries resolve through $ORIGIN; the loader must exist at its absolute path.
[[ -n "$(find "$out" -name 'ld-linux*' -print -quit)" ]] || { echo "build-rootfs: no dynamic loader found" >&2; exit 1; }

cp "$jar" "$out/app/swarmtee.jar"
cat > "$out/etc/passwd" <<'PW'
root:x:0:0:root:/root:/sbin/nologin
swarmtee:x:65532:65532:swarmtee:/data:/sbin/nologin
PW
cat > "$out/etc/group" <<'GR'
root:x:0:
swarmtee:x:65532:
GR
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
touch "$out/data/.keep" "$out/tmp/.keep"
echo "build-rootfs: $(du -sh "$out" | cut -f1) in $out"
