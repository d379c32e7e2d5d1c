package io.swarmtee.bench;

import io.swarmtee.wallet.Identity;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.ECKeyPair;

/** Prints the Ethereum address of a private key given in hex ({@code bench/stamps.sh}). */
public final class KeyAddress {

  private KeyAddress() {}

  public static void main(String[] args) {
    new PrintStream(System.out, true, StandardCharsets.UTF_8)
        .println(Identity.fromKeyPair(ECKeyPair.create(new BigInteger(args[0], 16))).address());
  }
}
