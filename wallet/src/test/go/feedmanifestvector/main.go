// Command feedmanifestvector prints the feed manifest Bee v2.7.0's POST /feeds/{owner}/{topic}
// builds (pkg/api/feed.go feedPostHandler), produced by Bee's own code: manifest.NewDefaultManifest
// over loadsave with the /bytes pipeline (no encryption, redundancy level 0), one entry at "/" with
// the zero reference and the metadata swarm-feed-owner, swarm-feed-topic, swarm-feed-type=Sequence,
// stored into an in-memory chunk store. It prints the reference and every chunk (address, span ‖
// payload in hex) as the JSON resource wallet's FeedManifestVectorTest reads:
//
//	cd wallet/src/test/go/feedmanifestvector && go run . > ../../resources/feed/bee-v2.7.0-feed-manifests.json
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/ethersphere/bee/v2/pkg/feeds"
	"github.com/ethersphere/bee/v2/pkg/file/loadsave"
	"github.com/ethersphere/bee/v2/pkg/file/pipeline"
	"github.com/ethersphere/bee/v2/pkg/file/pipeline/builder"
	"github.com/ethersphere/bee/v2/pkg/file/redundancy"
	"github.com/ethersphere/bee/v2/pkg/manifest"
	"github.com/ethersphere/bee/v2/pkg/storage/inmemchunkstore"
	"github.com/ethersphere/bee/v2/pkg/swarm"
)

type chunk struct {
	Address string `json:"address"`
	Data    string `json:"data"`
}

type vector struct {
	Owner     string  `json:"owner"`
	Topic     string  `json:"topic"`
	Reference string  `json:"reference"`
	Chunks    []chunk `json:"chunks"`
}

type output struct {
	Generator string   `json:"generator"`
	Vectors   []vector `json:"vectors"`
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "feedmanifestvector:", err)
		os.Exit(1)
	}
	return v
}

func build(ownerHex, topicHex string) vector {
	ctx := context.Background()
	store := inmemchunkstore.New()
	pipe := func() pipeline.Interface { return builder.NewPipelineBuilder(ctx, store, false, 0) }
	ls := loadsave.New(store, store, pipe, redundancy.DefaultLevel)
	m := must(manifest.NewDefaultManifest(ls, false))
	owner := must(hex.DecodeString(ownerHex))
	topic := must(hex.DecodeString(topicHex))
	meta := map[string]string{
		"swarm-feed-owner": hex.EncodeToString(owner),
		"swarm-feed-topic": hex.EncodeToString(topic),
		"swarm-feed-type":  feeds.Sequence.String(),
	}
	if err := m.Add(ctx, "/", manifest.NewEntry(swarm.NewAddress(make([]byte, 32)), meta)); err != nil {
		must(0, err)
	}
	ref := must(m.Store(ctx))
	v := vector{Owner: ownerHex, Topic: topicHex, Reference: ref.String()}
	must(0, store.Iterate(ctx, func(c swarm.Chunk) (bool, error) {
		v.Chunks = append(v.Chunks, chunk{Address: c.Address().String(), Data: hex.EncodeToString(c.Data())})
		return false, nil
	}))
	sort.Slice(v.Chunks, func(i, j int) bool { return v.Chunks[i].Address < v.Chunks[j].Address })
	return v
}

func main() {
	out := output{Generator: "wallet/src/test/go/feedmanifestvector (github.com/ethersphere/bee/v2 v2.7.0)"}
	for _, c := range [][2]string{
		{"2c7536e3605d9c16a7a3d7b1898e529396a65c23", "0000000000000000000000000000000000000000000000000000000000000000"},
		{"2c7536e3605d9c16a7a3d7b1898e529396a65c23", "6b2e9b0c7d1f3a5e4c8b9d0a1e2f3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"},
		{"ffffffffffffffffffffffffffffffffffffffff", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
	} {
		out.Vectors = append(out.Vectors, build(c[0], c[1]))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	must(0, enc.Encode(out))
}
