package io.swarmtee.wallet;

import java.math.BigInteger;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * secp256k1 ECDSA that returns the recovery id with the signature, as Bee's btcec {@code
 * SignCompact} does: the id comes from the parity of R's y coordinate (flipped when s is normalised
 * to the lower half), so signing costs one fixed-base multiplication. web3j's {@code
 * Sign.signMessage} instead finds it by trial recovery, up to four more EC multiplications per
 * signature — most of the local stamper's time.
 *
 * <p>The signature is the same as web3j's: deterministic k (RFC 6979, HMAC-SHA256), {@code e} the
 * 32-byte hash, low-s. Pinned by {@code Secp256k1SignerTest} against web3j on random hashes and by
 * {@code StamperVectorTest} against Bee. Thread-safe.
 */
final class Secp256k1Signer {

  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();
  private static final BigInteger HALF_N = N.shiftRight(1);
  private static final ECMultiplier BASE = new FixedPointCombMultiplier();

  private final BigInteger privateKey;

  Secp256k1Signer(BigInteger privateKey) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
  }

  /**
   * @param hash 32 bytes
   * @return {@code r ‖ s ‖ v}, 65 bytes, {@code v} = 27 + recovery id
   */
  byte[] sign(byte[] hash) {
    if (hash.length != 32) {
      throw new IllegalArgumentException("hash must be 32 bytes, not " + hash.length);
    }
    BigInteger e = new BigInteger(1, hash);
    HMacDSAKCalculator kCalculator = new HMacDSAKCalculator(new SHA256Digest());
    kCalculator.init(N, privateKey, hash);
    while (true) {
      BigInteger k = kCalculator.nextK();
      ECPoint p = BASE.multiply(CURVE.getG(), k).normalize();
      BigInteger x = p.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(N);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = k.modInverse(N).multiply(e.add(privateKey.multiply(r))).mod(N);
      if (s.signum() == 0) {
        continue;
      }
      int recoveryId = p.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0;
      if (x.compareTo(N) >= 0) {
        recoveryId |= 2;
      }
      if (s.compareTo(HALF_N) > 0) {
        s = N.subtract(s);
        recoveryId ^= 1;
      }
      byte[] out = new byte[Identity.SIGNATURE_LENGTH];
      copy32(r, out, 0);
      copy32(s, out, 32);
      out[64] = (byte) (27 + recoveryId);
      return out;
    }
  }

  private static void copy32(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
  }
}
