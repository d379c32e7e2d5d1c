#!/usr/bin/env bash
# Builds the Bee node used by swarmtee's conformance suite (*BeeIT) from the tiny Go module beside
# this script, into a cache OUTSIDE the repository keyed by Bee's version, so later runs reuse it.
#
#   tee/src/it/bee/build.sh            # prints the binary's path on its last line
#   SWARMTEE_CACHE=/somewhere build.sh # cache root (default ~/.cache/swarmtee)
#
# Needs Go >= 1.25 on PATH or in /usr/local/go/bin, and the Go module proxy. CGO is off.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(awk '$1 == "require" && $2 == "github.com/ethersphere/bee/v2" { print $3 }' "$here/go.mod")"
if [[ -z "$version" ]]; then
  echo "build.sh: cannot read bee's version from $here/go.mod" >&2
  exit 1
fi
cache="${SWARMTEE_CACHE:-$HOME/.cache/swarmtee}"
out="$cache/bee-$version/bee"

if [[ -x "$out" ]]; then
  echo "bee $version already built"
  echo "$out"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  if [[ -x /usr/local/go/bin/go ]]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    echo "build.sh: no Go toolchain (looked on PATH and in /usr/local/go/bin); Bee $version needs Go >= 1.25" >&2
    exit 1
  fi
fi

echo "building bee $version with $(go version) into $out"
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
start=$SECONDS
(
  cd "$here"
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-s -w -X github.com/ethersphere/bee/v2.version=${version#v} -X github.com/ethersphere/bee/v2.commitHash=swarmtee" \
    -o "$tmp" .
)
mv "$tmp" "$out"
echo "built bee $version in $((SECONDS - start)) s"
echo "$out"
