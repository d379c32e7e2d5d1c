package io.swarmtee.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/** The fast signer against web3j's trial-recovery signer, on random keys and hashes. */
class Secp256k1SignerTest {

  private static final BigInteger N =
      org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256k1").getN();

  private static byte[] web3j(byte[] hash, ECKeyPair key) {
    Sign.SignatureData sig = Sign.signMessage(hash, key, false);
    byte[] out = new byte[65];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return out;
  }

  @Test
  void sameBytesAsWeb3jOnRandomKeysAndHashes() {
    SplittableRandom random = new SplittableRandom(0x5eed);
    int[] v = new int[2];
    for (int i = 0; i < 2000; i++) {
      byte[] keyBytes = new byte[32];
      random.nextBytes(keyBytes);
      BigInteger d =
          new BigInteger(1, keyBytes).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      ECKeyPair key = ECKeyPair.create(d);
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      byte[] expected = web3j(hash, key);
      byte[] actual = new Secp256k1Signer(d).sign(hash);
      assertArrayEquals(expected, actual, "signature " + i);
      v[actual[64] - 27]++;
    }
    // both recovery ids occur, so the parity (and its flip on low-s) is really exercised
    assertEquals(2000, v[0] + v[1]);
    assertEquals(true, v[0] > 800 && v[1] > 800, "recovery ids " + v[0] + "/" + v[1]);
  }

  @Test
  void shortRAndSAreLeftPadded() {
    // hashes whose r or s have leading zero bytes appear about once in 256; search a few
    SplittableRandom random = new SplittableRandom(7);
    ECKeyPair key = ECKeyPair.create(BigInteger.valueOf(0x1234567));
    int padded = 0;
    for (int i = 0; i < 3000 && padded < 3; i++) {
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      byte[] actual = new Secp256k1Signer(key.getPrivateKey()).sign(hash);
      if (actual[0] == 0 || actual[32] == 0) {
        padded++;
        assertArrayEquals(web3j(hash, key), actual, "padded signature " + i);
      }
    }
    assertEquals(3, padded, "found signatures with a leading zero byte");
  }

  @Test
  void refusesHashesOfOtherLengths() {
    Secp256k1Signer signer = new Secp256k1Signer(BigInteger.TWO);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> signer.sign(new byte[31]));
    assertEquals("hash must be 32 bytes, not 31", e.getMessage());
  }
}
