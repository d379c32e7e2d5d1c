// Command chain is the local blockchain swarmtee's production-mode Bee tests run against: go-ethereum's
// in-memory dev chain (the simulated beacon that `geth --dev.period` uses) behind JSON-RPC over HTTP and
// WebSocket on a kernel-chosen loopback port, with Swarm's storage-incentive contracts deployed from the
// bytecode published in github.com/ethersphere/go-storage-incentives-abi.
//
//	chain serve --state DIR [--block-period 1] [--price 24000]
//	    starts the chain, deploys the contracts, writes DIR/chain.env (and prints it), then seals a
//	    block every period until SIGTERM/SIGINT.
//	chain fund  --state DIR --to 0xADDR [--eth 10] [--bzz 1000]
//	    sends ETH and test BZZ from the deployer to ADDR and waits until both are mined.
//	chain price --state DIR --price PLUR
//	    sets the postage price (PLUR per chunk per block) the way the price oracle does.
//
// No Bee code lives here; the contracts are constructed and wired as Bee's testnet deployment is.
package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
	sia "github.com/ethersphere/go-storage-incentives-abi/abi"
)

// deployerKey is a well-known throw-away key (the first key of many dev chains); it owns every
// contract and all the test BZZ. It is never used outside this in-memory chain.
const deployerKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

const (
	// networkID is Bee's private network id for this chain (Staking's constructor takes it too).
	networkID = 1633
	// bucketDepth is the minimum bucket depth PostageStamp is constructed with; Bee always uses 16.
	bucketDepth = 16
	// bzzDecimals: 1 BZZ is 1e16 PLUR.
	bzzDecimals = 16
	// txGas is the limit of every non-deploying transaction (role grants, price, transfers).
	txGas = 300_000
	// deployGas is the limit of each contract creation (Redistribution, the largest, needs ~5.5M).
	deployGas = 9_000_000
	// blockGas fits the whole deployment in one or two blocks.
	blockGas = 200_000_000
)

func main() {
	log.SetDefault(log.NewLogger(log.NewTerminalHandlerWithLevel(os.Stderr, log.LevelWarn, false)))
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "fund":
		err = fund(os.Args[2:])
	case "price":
		err = price(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "chain:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: chain serve|fund|price --state DIR [flags] (see the comment at the top of main.go)")
	os.Exit(2)
}

func key() *ecdsa.PrivateKey {
	k, err := crypto.HexToECDSA(deployerKey)
	if err != nil {
		panic(err)
	}
	return k
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	state := fs.String("state", "", "directory for chain.env")
	period := fs.Uint64("block-period", 1, "seconds between blocks")
	initialPrice := fs.Uint64("price", 24000, "initial postage price, PLUR per chunk per block (24000 is mainnet's floor)")
	_ = fs.Parse(args)
	if *state == "" {
		return errors.New("serve: --state is required")
	}
	deployer := crypto.PubkeyToAddress(key().PublicKey)

	nodeConf := node.DefaultConfig
	nodeConf.DataDir = ""
	nodeConf.P2P = p2p.Config{NoDiscovery: true, MaxPeers: 0, ListenAddr: ""}
	nodeConf.HTTPHost = "127.0.0.1"
	nodeConf.HTTPPort = 0
	nodeConf.WSHost = "127.0.0.1"
	nodeConf.WSPort = 0 // same port as HTTP: one kernel-chosen port serves both
	nodeConf.HTTPModules = []string{"eth", "net", "web3", "txpool"}
	nodeConf.WSModules = nodeConf.HTTPModules
	nodeConf.HTTPVirtualHosts = []string{"*"}
	nodeConf.WSOrigins = []string{"*"}
	stack, err := node.New(&nodeConf)
	if err != nil {
		return err
	}
	ethConf := ethconfig.Defaults
	ethConf.NetworkId = 1337
	ethConf.Genesis = &core.Genesis{
		Config:   params.AllDevChainProtocolChanges,
		GasLimit: blockGas,
		Alloc: types.GenesisAlloc{
			deployer: {Balance: new(big.Int).Mul(big.NewInt(1_000_000_000), big.NewInt(params.Ether))},
		},
	}
	ethConf.Miner.GasCeil = blockGas
	ethConf.SyncMode = ethconfig.FullSync
	ethConf.TxPool.NoLocals = true
	backend, err := eth.New(stack, &ethConf)
	if err != nil {
		return err
	}
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filters.NewFilterSystem(backend.APIBackend, filters.Config{}))}})
	beacon, err := catalyst.NewSimulatedBeacon(*period, deployer, backend)
	if err != nil {
		return err
	}
	stack.RegisterLifecycle(beacon)
	if err := stack.Start(); err != nil {
		return err
	}
	defer stack.Close()

	client, err := ethclient.Dial(stack.HTTPEndpoint())
	if err != nil {
		return err
	}
	env, err := deploy(client, deployer, *initialPrice)
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	env["RPC_URL"] = stack.HTTPEndpoint()
	env["WS_URL"] = stack.WSEndpoint()
	env["CHAIN_ID"] = ethConf.Genesis.Config.ChainID.String()
	env["NETWORK_ID"] = fmt.Sprint(networkID)
	env["BLOCK_PERIOD"] = fmt.Sprint(*period)
	env["DEPLOYER"] = deployer.Hex()
	if err := writeEnv(*state, env); err != nil {
		return err
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	return nil
}

// contract is one of the storage-incentive contracts as go-storage-incentives-abi publishes it.
type contract struct {
	abi abi.ABI
	bin []byte
}

func load(abiJSON, bin string) contract {
	parsed, err := abi.JSON(strings.NewReader(abiJSON))
	if err != nil {
		panic(err)
	}
	return contract{parsed, common.FromHex(bin)}
}

// sender signs and sends the deployer's transactions with explicit nonces and gas limits, so the
// whole deployment is sent at once (no estimate against a contract not mined yet) and lands in a
// block or two.
type sender struct {
	client *ethclient.Client
	key    *ecdsa.PrivateKey
	signer types.Signer
	nonce  uint64
	sent   []*types.Transaction
}

func newSender(client *ethclient.Client) (*sender, error) {
	ctx := context.Background()
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	k := key()
	nonce, err := client.PendingNonceAt(ctx, crypto.PubkeyToAddress(k.PublicKey))
	if err != nil {
		return nil, err
	}
	return &sender{client: client, key: k, signer: types.LatestSignerForChainID(chainID), nonce: nonce}, nil
}

func (s *sender) send(to *common.Address, value *big.Int, gas uint64, data []byte) (common.Address, error) {
	ctx := context.Background()
	tip, err := s.client.SuggestGasTipCap(ctx)
	if err != nil {
		return common.Address{}, err
	}
	head, err := s.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return common.Address{}, err
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx, err := types.SignNewTx(s.key, s.signer, &types.DynamicFeeTx{
		Nonce: s.nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: to, Value: value, Data: data,
	})
	if err != nil {
		return common.Address{}, err
	}
	if err := s.client.SendTransaction(ctx, tx); err != nil {
		return common.Address{}, err
	}
	created := crypto.CreateAddress(crypto.PubkeyToAddress(s.key.PublicKey), s.nonce)
	s.nonce++
	s.sent = append(s.sent, tx)
	return created, nil
}

func (s *sender) deploy(c contract, args ...any) (common.Address, error) {
	packed, err := c.abi.Pack("", args...)
	if err != nil {
		return common.Address{}, err
	}
	return s.send(nil, nil, deployGas, append(append([]byte{}, c.bin...), packed...))
}

func (s *sender) call(to common.Address, c contract, method string, args ...any) error {
	data, err := c.abi.Pack(method, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	_, err = s.send(&to, nil, txGas, data)
	return err
}

func (s *sender) role(at common.Address, c contract, name string) ([32]byte, error) {
	var role [32]byte
	data, err := c.abi.Pack(name)
	if err != nil {
		return role, err
	}
	res, err := s.client.CallContract(context.Background(), ethereum.CallMsg{To: &at, Data: data}, nil)
	if err != nil {
		return role, fmt.Errorf("%s: %w", name, err)
	}
	copy(role[:], res)
	return role, nil
}

// wait blocks until every sent transaction is mined and fails on the first that reverted.
func (s *sender) wait() (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var last uint64
	for _, tx := range s.sent {
		for {
			receipt, err := s.client.TransactionReceipt(ctx, tx.Hash())
			if err == nil {
				if receipt.Status != types.ReceiptStatusSuccessful {
					return 0, fmt.Errorf("transaction %s (nonce %d) reverted", tx.Hash(), tx.Nonce())
				}
				last = receipt.BlockNumber.Uint64()
				break
			}
			select {
			case <-ctx.Done():
				return 0, fmt.Errorf("transaction %s not mined: %w", tx.Hash(), ctx.Err())
			case <-time.After(100 * time.Millisecond): // polling the chain for a receipt
			}
		}
	}
	s.sent = nil
	return last, nil
}

func deploy(client *ethclient.Client, deployer common.Address, initialPrice uint64) (map[string]string, error) {
	token := load(sia.TestnetBzzTokenABI, sia.TestnetBzzTokenBin)
	postage := load(sia.TestnetPostageStampABI, sia.TestnetPostageStampBin)
	oracle := load(sia.TestnetPriceOracleABI, sia.TestnetPriceOracleBin)
	staking := load(sia.TestnetStakingABI, sia.TestnetStakingBin)
	redistribution := load(sia.TestnetRedistributionABI, sia.TestnetRedistributionBin)

	s, err := newSender(client)
	if err != nil {
		return nil, err
	}
	supply := bzz(1_000_000_000)
	tokenAddr, err := s.deploy(token, "Test Swarm Token", "sBZZ", supply)
	if err != nil {
		return nil, err
	}
	postageAddr, err := s.deploy(postage, tokenAddr, uint8(bucketDepth))
	if err != nil {
		return nil, err
	}
	oracleAddr, err := s.deploy(oracle, postageAddr)
	if err != nil {
		return nil, err
	}
	stakingAddr, err := s.deploy(staking, tokenAddr, uint64(networkID), oracleAddr)
	if err != nil {
		return nil, err
	}
	redistributionAddr, err := s.deploy(redistribution, stakingAddr, postageAddr, oracleAddr)
	if err != nil {
		return nil, err
	}
	deployedAt, err := s.wait()
	if err != nil {
		return nil, err
	}
	postageStart, err := blockOfContract(client, postageAddr, deployedAt)
	if err != nil {
		return nil, err
	}

	// Roles as the storage-incentives deployment grants them: the oracle sets the postage price,
	// redistribution withdraws the pot and updates the oracle's price and the stakes. The deployer
	// also gets the price role so `chain price` can move the price like the oracle would.
	grants := []struct {
		at   common.Address
		c    contract
		role string
		to   common.Address
	}{
		{postageAddr, postage, "PRICE_ORACLE_ROLE", oracleAddr},
		{postageAddr, postage, "PRICE_ORACLE_ROLE", deployer},
		{postageAddr, postage, "REDISTRIBUTOR_ROLE", redistributionAddr},
		{oracleAddr, oracle, "PRICE_UPDATER_ROLE", redistributionAddr},
		{stakingAddr, staking, "REDISTRIBUTOR_ROLE", redistributionAddr},
	}
	for _, g := range grants {
		role, err := s.role(g.at, g.c, g.role)
		if err != nil {
			return nil, err
		}
		if err := s.call(g.at, g.c, "grantRole", role, g.to); err != nil {
			return nil, err
		}
	}
	if err := s.call(postageAddr, postage, "setPrice", new(big.Int).SetUint64(initialPrice)); err != nil {
		return nil, err
	}
	if _, err := s.wait(); err != nil {
		return nil, err
	}
	return map[string]string{
		"BZZ_ADDRESS":            tokenAddr.Hex(),
		"POSTAGE_ADDRESS":        postageAddr.Hex(),
		"POSTAGE_START_BLOCK":    fmt.Sprint(postageStart),
		"PRICE_ORACLE_ADDRESS":   oracleAddr.Hex(),
		"STAKING_ADDRESS":        stakingAddr.Hex(),
		"REDISTRIBUTION_ADDRESS": redistributionAddr.Hex(),
	}, nil
}

// blockOfContract finds the first block at which code exists at addr (Bee's postage start block).
func blockOfContract(client *ethclient.Client, addr common.Address, latest uint64) (uint64, error) {
	for n := uint64(1); n <= latest; n++ {
		code, err := client.CodeAt(context.Background(), addr, new(big.Int).SetUint64(n))
		if err != nil {
			return 0, err
		}
		if len(code) > 0 {
			return n, nil
		}
	}
	return 0, fmt.Errorf("no code at %s up to block %d", addr, latest)
}

func bzz(n int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(n), new(big.Int).Exp(big.NewInt(10), big.NewInt(bzzDecimals), nil))
}

func fund(args []string) error {
	fs := flag.NewFlagSet("fund", flag.ExitOnError)
	state := fs.String("state", "", "directory holding chain.env")
	to := fs.String("to", "", "address to fund")
	ether := fs.Int64("eth", 10, "ETH to send")
	tokens := fs.Int64("bzz", 1000, "test BZZ to send")
	_ = fs.Parse(args)
	if !common.IsHexAddress(*to) {
		return fmt.Errorf("fund: --to %q is not an address", *to)
	}
	env, s, err := connect(*state)
	if err != nil {
		return err
	}
	recipient := common.HexToAddress(*to)
	if _, err := s.send(&recipient, new(big.Int).Mul(big.NewInt(*ether), big.NewInt(params.Ether)), txGas, nil); err != nil {
		return err
	}
	token := load(sia.TestnetBzzTokenABI, sia.TestnetBzzTokenBin)
	if err := s.call(common.HexToAddress(env["BZZ_ADDRESS"]), token, "transfer", recipient, bzz(*tokens)); err != nil {
		return err
	}
	block, err := s.wait()
	if err != nil {
		return err
	}
	fmt.Printf("funded %s with %d ETH and %d BZZ in block %d\n", recipient.Hex(), *ether, *tokens, block)
	return nil
}

func price(args []string) error {
	fs := flag.NewFlagSet("price", flag.ExitOnError)
	state := fs.String("state", "", "directory holding chain.env")
	plur := fs.Uint64("price", 0, "new price, PLUR per chunk per block")
	_ = fs.Parse(args)
	if *plur == 0 {
		return errors.New("price: --price must be > 0")
	}
	env, s, err := connect(*state)
	if err != nil {
		return err
	}
	postage := load(sia.TestnetPostageStampABI, sia.TestnetPostageStampBin)
	if err := s.call(common.HexToAddress(env["POSTAGE_ADDRESS"]), postage, "setPrice", new(big.Int).SetUint64(*plur)); err != nil {
		return err
	}
	block, err := s.wait()
	if err != nil {
		return err
	}
	fmt.Printf("price %d PLUR per chunk per block from block %d\n", *plur, block)
	return nil
}

// connect reads DIR/chain.env and readies the deployer to send transactions on that chain.
func connect(state string) (map[string]string, *sender, error) {
	if state == "" {
		return nil, nil, errors.New("--state is required")
	}
	env, err := readEnv(state)
	if err != nil {
		return nil, nil, err
	}
	client, err := ethclient.Dial(env["RPC_URL"])
	if err != nil {
		return nil, nil, err
	}
	s, err := newSender(client)
	return env, s, err
}

func writeEnv(state string, env map[string]string) error {
	if err := os.MkdirAll(state, 0o755); err != nil {
		return err
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", k, env[k])
	}
	tmp := filepath.Join(state, "chain.env.tmp")
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Print(b.String())
	return os.Rename(tmp, filepath.Join(state, "chain.env"))
}

func readEnv(state string) (map[string]string, error) {
	raw, err := os.ReadFile(filepath.Join(state, "chain.env"))
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			env[k] = v
		}
	}
	return env, nil
}
