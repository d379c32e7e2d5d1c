// Command manifestvector prints manifests Bee v2.7.0 builds, produced by Bee's own code:
// manifest.NewDefaultManifest over loadsave with the /bytes pipeline (no encryption, redundancy
// level 0), stored into an in-memory chunk store; for each, the reference and every chunk (address,
// span ‖ payload in hex), as the JSON resources wallet's LocalManifestVectorTest reads.
//
//   - feed: what POST /feeds/{owner}/{topic} builds (pkg/api/feed.go feedPostHandler): one entry at
//     "/" with a zero reference and the metadata swarm-feed-owner, swarm-feed-topic,
//     swarm-feed-type=Sequence;
//
//   - file: what POST /bzz?name=… builds for one file (pkg/api/bzz.go fileUploadHandler): an entry at
//     "/" with swarm.ZeroAddress and website-index-document=<name>, and an entry at <name> with the
//     file's reference, Content-Type and Filename.
//
//     cd wallet/src/test/go/manifestvector
//     go run . feed > ../../resources/feed/bee-v2.7.0-feed-manifests.json
//     go run . file > ../../resources/feed/bee-v2.7.0-file-manifests.json
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
	Owner       string  `json:"owner,omitempty"`
	Topic       string  `json:"topic,omitempty"`
	Name        string  `json:"name,omitempty"`
	ContentType string  `json:"contentType,omitempty"`
	File        string  `json:"file,omitempty"`
	Reference   string  `json:"reference"`
	Chunks      []chunk `json:"chunks"`
}

type output struct {
	Generator string   `json:"generator"`
	Vectors   []vector `json:"vectors"`
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "manifestvector:", err)
		os.Exit(1)
	}
	return v
}

// stored returns the manifest's vector: its reference and every chunk, by address.
func stored(ctx context.Context, m manifest.Interface, store *inmemchunkstore.ChunkStore, v vector) vector {
	v.Reference = must(m.Store(ctx)).String()
	must(0, store.Iterate(ctx, func(c swarm.Chunk) (bool, error) {
		v.Chunks = append(v.Chunks, chunk{Address: c.Address().String(), Data: hex.EncodeToString(c.Data())})
		return false, nil
	}))
	sort.Slice(v.Chunks, func(i, j int) bool { return v.Chunks[i].Address < v.Chunks[j].Address })
	return v
}

func newManifest(ctx context.Context) (manifest.Interface, *inmemchunkstore.ChunkStore) {
	store := inmemchunkstore.New()
	pipe := func() pipeline.Interface { return builder.NewPipelineBuilder(ctx, store, false, 0) }
	ls := loadsave.New(store, store, pipe, redundancy.DefaultLevel)
	return must(manifest.NewDefaultManifest(ls, false)), store
}

func feed(ownerHex, topicHex string) vector {
	ctx := context.Background()
	m, store := newManifest(ctx)
	owner := must(hex.DecodeString(ownerHex))
	topic := must(hex.DecodeString(topicHex))
	meta := map[string]string{
		"swarm-feed-owner": hex.EncodeToString(owner),
		"swarm-feed-topic": hex.EncodeToString(topic),
		"swarm-feed-type":  feeds.Sequence.String(),
	}
	must(0, m.Add(ctx, "/", manifest.NewEntry(swarm.NewAddress(make([]byte, 32)), meta)))
	return stored(ctx, m, store, vector{Owner: ownerHex, Topic: topicHex})
}

func file(name, contentType, fileHex string) vector {
	ctx := context.Background()
	m, store := newManifest(ctx)
	root := map[string]string{manifest.WebsiteIndexDocumentSuffixKey: name}
	must(0, m.Add(ctx, manifest.RootPath, manifest.NewEntry(swarm.ZeroAddress, root)))
	meta := map[string]string{
		manifest.EntryMetadataContentTypeKey: contentType,
		manifest.EntryMetadataFilenameKey:    name,
	}
	must(0, m.Add(ctx, name, manifest.NewEntry(swarm.MustParseHexAddress(fileHex), meta)))
	return stored(ctx, m, store, vector{Name: name, ContentType: contentType, File: fileHex})
}

func main() {
	if len(os.Args) != 2 || (os.Args[1] != "feed" && os.Args[1] != "file") {
		must(0, fmt.Errorf("usage: go run . feed|file"))
	}
	out := output{Generator: "wallet/src/test/go/manifestvector " + os.Args[1] + " (github.com/ethersphere/bee/v2 v2.7.0)"}
	if os.Args[1] == "feed" {
		for _, c := range [][2]string{
			{"2c7536e3605d9c16a7a3d7b1898e529396a65c23", "0000000000000000000000000000000000000000000000000000000000000000"},
			{"2c7536e3605d9c16a7a3d7b1898e529396a65c23", "6b2e9b0c7d1f3a5e4c8b9d0a1e2f3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"},
			{"ffffffffffffffffffffffffffffffffffffffff", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
		} {
			out.Vectors = append(out.Vectors, feed(c[0], c[1]))
		}
	} else {
		const mpegurl = "application/vnd.apple.mpegurl"
		for _, c := range [][3]string{
			{"index.m3u8", mpegurl, "3c2b6f2d4e1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"},
			{"source.m3u8", mpegurl, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
			{"P144p30fps16x9.m3u8", mpegurl, "0000000000000000000000000000000000000000000000000000000000000001"},
			{"a-rendition-name-of-more-than-thirty-bytes.m3u8", mpegurl, "1111111111111111111111111111111111111111111111111111111111111111"},
			{"rendition/with/slashes-and-a-long-name-too.m3u8", "text/plain; charset=utf-8", "2222222222222222222222222222222222222222222222222222222222222222"},
		} {
			out.Vectors = append(out.Vectors, file(c[0], c[1], c[2]))
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	must(0, enc.Encode(out))
}
