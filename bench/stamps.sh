#!/usr/bin/env bash
# Ingest into a production-mode Bee (tee/src/it/bee/bee-chain.sh: Bee v2.7.0 on a local chain) with
# Bee-side stamps (POST /bytes, direct, the node's batch) versus swarmtee's local stamps (chunks
# stamped by a fresh broadcaster key that bought its own batch on chain, POST /chunks with
# swarm-postage-stamp, 16 in flight), one segment at a time, interleaved in every repeat.
# Prints segments/s and MB/s per repeat and mode, with signing-alone rows (web3j's trial-recovery
# signer, the stamper's signer on one thread and on every core: the ingest rate signing would allow).
# Builds Bee and the chain if needed. The signing rows alone, without Bee:
#   ./dev java -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.StampsBench --sign-only
#   bash bench/stamps.sh [--noisy] [--segments N] [--segment-bytes N] [--repeats N]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start stamps "$@"
set -- "${BENCH_ARGS[@]}"
./dev mvn -q -o -DskipTests -pl bench -am package
state="bench/target/bee-chain-stamps"
bench_at_exit 'tee/src/it/bee/bee-chain.sh stop "$state" >/dev/null 2>&1'
eval "$(tee/src/it/bee/bee-chain.sh start "$state" | grep -E '^(BEE_|RPC_URL)')"
chain_bin="$(tee/src/it/bee/build.sh path chain)"
# A fresh key (what `swarmtee wallet new` makes), funded with test ETH and BZZ.
key="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
address="$(./dev java -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.KeyAddress "$key")"
"$chain_bin" fund --state "$state" --to "$address" >/dev/null
bzz="$(grep '^BZZ_ADDRESS=' "$state/chain.env" | cut -d= -f2)"
postage="$(grep '^POSTAGE_ADDRESS=' "$state/chain.env" | cut -d= -f2)"
./dev java -cp bench/target/swarmtee-bench.jar io.swarmtee.bench.StampsBench \
  --bee "$BEE_URL" --batch "$BEE_BATCH" --rpc "$RPC_URL" --bzz "$bzz" --postage "$postage" \
  --key "$key" "$@"
