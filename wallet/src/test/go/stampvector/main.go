// Command stampvector prints postage-stamp test vectors produced by Bee v2.7.0's own code
// (pkg/postage, pkg/crypto, pkg/cac), as the JSON resource wallet's StamperVectorTest reads:
//
//	cd wallet/src/test/go/stampvector && go run . > ../../resources/stamp/bee-v2.7.0-stamps.json
//
// Two kinds of vectors, both signed by Bee's defaultSigner over postage.ToSignDigest:
//   - "fixed": chosen chunk address, index and timestamp, stamp built with postage.NewStamp;
//   - "issued": Bee's own Stamper (StampIssuer + in-memory store) stamps the content-addressed chunks
//     of chosen payloads, so Bee picks bucket and in-bucket index; its timestamp is recorded.
//
// Every stamp is checked with Stamp.Valid against the owner; the program exits non-zero if one fails.
package main

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"

	"github.com/ethersphere/bee/v2/pkg/cac"
	"github.com/ethersphere/bee/v2/pkg/crypto"
	"github.com/ethersphere/bee/v2/pkg/postage"
	"github.com/ethersphere/bee/v2/pkg/storage/inmemstore"
	"github.com/ethersphere/bee/v2/pkg/swarm"
)

type vector struct {
	Kind         string `json:"kind"`
	ChunkAddress string `json:"chunkAddress"`
	Payload      string `json:"payload,omitempty"`
	Bucket       uint32 `json:"bucket"`
	Position     uint32 `json:"position"`
	Timestamp    uint64 `json:"timestamp"`
	Digest       string `json:"digest"`
	Stamp        string `json:"stamp"`
}

type output struct {
	Generator  string   `json:"generator"`
	PrivateKey string   `json:"privateKey"`
	Owner      string   `json:"owner"`
	BatchID    string   `json:"batchId"`
	Depth      uint8    `json:"depth"`
	BucketDep  uint8    `json:"bucketDepth"`
	Vectors    []vector `json:"vectors"`
}

const (
	privateKeyHex = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	batchIDHex    = "a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00"
	depth         = 20
)

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "stampvector:", err)
		os.Exit(1)
	}
	return v
}

func main() {
	key := must(crypto.DecodeSecp256k1PrivateKey(must(hex.DecodeString(privateKeyHex))))
	signer := crypto.NewDefaultSigner(key)
	owner := must(crypto.NewEthereumAddress(key.PublicKey))
	batchID := must(hex.DecodeString(batchIDHex))
	out := output{
		Generator:  "wallet/src/test/go/stampvector (github.com/ethersphere/bee/v2 v2.7.0)",
		PrivateKey: privateKeyHex,
		Owner:      hex.EncodeToString(owner),
		BatchID:    batchIDHex,
		Depth:      depth,
		BucketDep:  postage.BucketDepth,
	}

	fixed := []struct {
		addr      string
		bucket    uint32
		position  uint32
		timestamp uint64
	}{
		{"0000000000000000000000000000000000000000000000000000000000000000", 0, 0, 0},
		{"ffff000000000000000000000000000000000000000000000000000000000001", 0xffff, 15, 1764800000123456789},
		{"1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 0x1234, 7, 1700000000000000000},
	}
	for _, f := range fixed {
		addr := must(hex.DecodeString(f.addr))
		index := make([]byte, 8)
		binary.BigEndian.PutUint32(index, f.bucket)
		binary.BigEndian.PutUint32(index[4:], f.position)
		ts := make([]byte, 8)
		binary.BigEndian.PutUint64(ts, f.timestamp)
		digest := must(postage.ToSignDigest(addr, batchID, index, ts))
		sig := must(signer.Sign(digest))
		stamp := postage.NewStamp(batchID, index, ts, sig)
		out.Vectors = append(out.Vectors, check("fixed", swarm.NewAddress(addr), nil, stamp, owner, digest))
	}

	issuer := postage.NewStampIssuer("vectors", "", batchID, big.NewInt(1), depth, postage.BucketDepth, 0, true)
	stamper := postage.NewStamper(inmemstore.New(), issuer, signer)
	payloads := [][]byte{[]byte("swarmtee"), []byte(""), make([]byte, 4096), []byte("segment 0 of a live stream")}
	for _, p := range payloads {
		ch := must(cac.New(p))
		stamp := must(stamper.Stamp(ch.Address(), ch.Address()))
		digest := must(postage.ToSignDigest(ch.Address().Bytes(), batchID, stamp.Index(), stamp.Timestamp()))
		out.Vectors = append(out.Vectors, check("issued", ch.Address(), p, stamp, owner, digest))
	}

	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	must(0, enc.Encode(out))
}

func check(kind string, addr swarm.Address, payload []byte, stamp *postage.Stamp, owner, digest []byte) vector {
	bucket, position := postage.BucketIndexFromBytes(stamp.Index())
	if err := stamp.Valid(addr, owner, depth, postage.BucketDepth, true); err != nil {
		fmt.Fprintln(os.Stderr, "stampvector: Bee refuses its own stamp:", err)
		os.Exit(1)
	}
	signer := must(postage.RecoverBatchOwner(addr, stamp))
	if hex.EncodeToString(signer) != hex.EncodeToString(owner) {
		fmt.Fprintln(os.Stderr, "stampvector: recovered owner differs")
		os.Exit(1)
	}
	raw := must(stamp.MarshalBinary())
	v := vector{
		Kind:         kind,
		ChunkAddress: addr.String(),
		Bucket:       bucket,
		Position:     position,
		Timestamp:    postage.TimestampFromBytes(stamp.Timestamp()),
		Digest:       hex.EncodeToString(digest),
		Stamp:        hex.EncodeToString(raw),
	}
	if payload != nil {
		v.Payload = hex.EncodeToString(payload)
	}
	return v
}
