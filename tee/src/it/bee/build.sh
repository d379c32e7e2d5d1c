#!/usr/bin/env bash
# Builds the Go programs swarmtee's conformance suite (*BeeIT) runs, into a cache OUTSIDE the
# repository, so later runs reuse them:
#   bee    Bee (Swarm's reference node) from the tiny Go module beside this script, keyed by Bee's version;
#   chain  the local chain with Swarm's contracts from tee/src/it/chain, keyed by a hash of its sources.
#
#   tee/src/it/bee/build.sh [bee|chain|all]  # default bee; prints the (last) binary's path on its last line
#   tee/src/it/bee/build.sh path bee|chain    # only prints where that binary is (or would be) cached
#   SWARMTEE_CACHE=/somewhere build.sh       # cache root (default ~/.cache/swarmtee)
#
# Needs Go >= 1.25 on PATH or in /usr/local/go/bin, and the Go module proxy. CGO is off.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chain_src="$(cd "$here/../chain" && pwd)"
cache="${SWARMTEE_CACHE:-$HOME/.cache/swarmtee}"
what="${1:-bee}"
only_path=false
if [[ "$what" == path ]]; then
  only_path=true
  what="${2:-bee}"
fi

go_on_path() {
  command -v go >/dev/null 2>&1 && return 0
  if [[ -x /usr/local/go/bin/go ]]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    echo "build.sh: no Go toolchain (looked on PATH and in /usr/local/go/bin); it needs Go >= 1.25" >&2
    exit 1
  fi
}

# build NAME OUT DIR LDFLAGS: go build of the module in DIR into OUT unless OUT exists.
build() {
  local name="$1" out="$2" dir="$3" ldflags="$4"
  if $only_path; then
    echo "$out"
    return 0
  fi
  if [[ -x "$out" ]]; then
    echo "$name already built"
    echo "$out"
    return 0
  fi
  go_on_path
  echo "building $name with $(go version) into $out"
  mkdir -p "$(dirname "$out")"
  local tmp="$out.tmp.$$" start=$SECONDS
  trap 'rm -f "$tmp"' EXIT
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$tmp" .)
  mv "$tmp" "$out"
  trap - EXIT
  echo "built $name in $((SECONDS - start)) s"
  echo "$out"
}

bee() {
  local version
  version="$(awk '$1 == "require" && $2 == "github.com/ethersphere/bee/v2" { print $3 }' "$here/go.mod")"
  if [[ -z "$version" ]]; then
    echo "build.sh: cannot read bee's version from $here/go.mod" >&2
    exit 1
  fi
  build "bee $version" "$cache/bee-$version/bee" "$here" \
    "-s -w -X github.com/ethersphere/bee/v2.version=${version#v} -X github.com/ethersphere/bee/v2.commitHash=swarmtee"
}

chain() {
  # Keyed by the chain's own sources: a change to main.go or its pinned modules rebuilds it.
  local key
  key="$(cat "$chain_src/go.mod" "$chain_src/go.sum" "$chain_src/main.go" | sha256sum | cut -c1-12)"
  build "chain $key" "$cache/chain-$key/chain" "$chain_src" "-s -w"
}

case "$what" in
  bee) bee ;;
  chain) chain ;;
  all) bee; chain ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
