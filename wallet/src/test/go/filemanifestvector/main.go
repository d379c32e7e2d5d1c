// Command filemanifestvector prints the manifest Bee v2.7.0's POST /bzz?name=… builds for a single
// file (pkg/api/bzz.go fileUploadHandler), produced by Bee's own code: manifest.NewDefaultManifest
// over loadsave with the /bytes pipeline (no encryption, redundancy level 0), an entry at "/" with
// the zero reference and the metadata website-index-document=<name>, and an entry at <name> with
// the file's reference and the metadata Content-Type and Filename, stored into an in-memory chunk
// store. It prints the reference and every chunk (address, span ‖ payload in hex) as the JSON
// resource wallet's LocalManifestVectorTest reads:
//
//	cd wallet/src/test/go/filemanifestvector && go run . > ../../resources/feed/bee-v2.7.0-file-manifests.json
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"

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
	Name        string  `json:"name"`
	ContentType string  `json:"contentType"`
	File        string  `json:"file"`
	Reference   string  `json:"reference"`
	Chunks      []chunk `json:"chunks"`
}

type output struct {
	Generator string   `json:"generator"`
	Vectors   []vector `json:"vectors"`
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "filemanifestvector:", err)
		os.Exit(1)
	}
	return v
}

func build(name, contentType, fileHex string) vector {
	ctx := context.Background()
	store := inmemchunkstore.New()
	pipe := func() pipeline.Interface { return builder.NewPipelineBuilder(ctx, store, false, 0) }
	ls := loadsave.New(store, store, pipe, redundancy.DefaultLevel)
	m := must(manifest.NewDefaultManifest(ls, false))
	root := map[string]string{manifest.WebsiteIndexDocumentSuffixKey: name}
	must(0, m.Add(ctx, manifest.RootPath, manifest.NewEntry(swarm.ZeroAddress, root)))
	file := map[string]string{
		manifest.EntryMetadataContentTypeKey: contentType,
		manifest.EntryMetadataFilenameKey:    name,
	}
	must(0, m.Add(ctx, name, manifest.NewEntry(swarm.MustParseHexAddress(fileHex), file)))
	ref := must(m.Store(ctx))
	v := vector{Name: name, ContentType: contentType, File: fileHex, Reference: ref.String()}
	must(0, store.Iterate(ctx, func(c swarm.Chunk) (bool, error) {
		v.Chunks = append(v.Chunks, chunk{Address: c.Address().String(), Data: hex.EncodeToString(c.Data())})
		return false, nil
	}))
	sort.Slice(v.Chunks, func(i, j int) bool { return v.Chunks[i].Address < v.Chunks[j].Address })
	return v
}

func main() {
	out := output{Generator: "wallet/src/test/go/filemanifestvector (github.com/ethersphere/bee/v2 v2.7.0)"}
	const mpegurl = "application/vnd.apple.mpegurl"
	for _, c := range [][3]string{
		{"index.m3u8", mpegurl, "3c2b6f2d4e1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"},
		{"source.m3u8", mpegurl, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
		{"P144p30fps16x9.m3u8", mpegurl, "0000000000000000000000000000000000000000000000000000000000000001"},
		{"a-rendition-name-of-more-than-thirty-bytes.m3u8", mpegurl, "1111111111111111111111111111111111111111111111111111111111111111"},
		{"rendition/with/slashes-and-a-long-name-too.m3u8", "text/plain; charset=utf-8", "2222222222222222222222222222222222222222222222222222222222222222"},
	} {
		out.Vectors = append(out.Vectors, build(c[0], c[1], c[2]))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	must(0, enc.Encode(out))
}
