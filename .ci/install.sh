#!/usr/bin/env bash
# Installs the real tools the test suite starts (tests fail loudly without them, they never skip).
# Idempotent: a second run on the same machine installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium (+ chromium-driver): the web page's browser test drives Debian's headless Chromium.
# nginx, wrk (+ curl): bench's ShieldBenchIT runs the origin-shield and coalescing benchmarks CI-sized.
APT_PACKAGES=(ffmpeg prometheus chromium chromium-driver nginx wrk curl)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "ci: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages used by cross-check tests (pinned in tools/js/package-lock.json).
if [[ -f tools/js/package.json ]]; then
  # node runs tools/js/bmt-hash.js (tee's BmtJsCrossCheckTest); install Debian's only if none is present,
  # so a NodeSource node (which bundles npm) is left alone.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "ci: installing nodejs npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  (cd tools/js && npm ci --no-audit --no-fund --loglevel=error)
fi

# Real Bee node and the local chain it runs on for the *BeeIT conformance suite: built from
# tee/src/it/bee and tee/src/it/chain (Go from PATH or /usr/local/go/bin) into ~/.cache/swarmtee,
# reused when already there. A failed build fails CI here.
bash tee/src/it/bee/build.sh all || { echo "ci: building Bee and the chain for the *BeeIT suite failed (see above)" >&2; exit 1; }
