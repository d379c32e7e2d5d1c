/**
 * The wallet wired into the server: flags ({@link io.swarmtee.proxy.wallet.WalletConfig}), the
 * services built from them ({@link io.swarmtee.proxy.wallet.Wallet}: identity, postage manager,
 * feed writer, chain reader), the routes {@code /api/identity}, {@code /api/postage}, {@code
 * /api/postage/estimate} ({@link io.swarmtee.proxy.wallet.WalletModule}) and the subcommands {@code
 * wallet new} and {@code postage estimate} ({@link io.swarmtee.proxy.wallet.WalletCommands}).
 */
package io.swarmtee.proxy.wallet;
