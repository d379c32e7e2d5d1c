// Command bee builds Bee (Swarm's reference node) from the published module so that swarmtee's
// conformance suite (*BeeIT) can run against the real thing: `bee start` on the local chain of
// ../chain (bee-chain.sh), and `bee dev`. It mirrors bee's own cmd/bee/main.go; no Bee code lives in
// this repository.
package main

import (
	"fmt"
	"os"

	"github.com/ethersphere/bee/v2/cmd/bee/cmd"
)

func main() {
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}
