package io.swarmtee.proxy.webhook;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Swarmtee-Signature} header: {@code sha256=} and the hex HMAC-SHA256 of the raw body
 * under the shared secret. Receivers compute the same over the bytes they received and compare in
 * constant time.
 */
public final class Signature {

  /** The header carrying the signature. */
  public static final String HEADER = "X-Swarmtee-Signature";

  private Signature() {}

  /**
   * @return {@code sha256=<hex HMAC-SHA256(secret, body)>}
   */
  public static String sign(byte[] secret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(hmac(secret, body));
  }

  /**
   * @return whether {@code header} is the signature of {@code body} under {@code secret}
   *     (constant-time comparison)
   */
  public static boolean verify(byte[] secret, byte[] body, String header) {
    if (header == null) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(secret, body).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static byte[] hmac(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK has it
    }
  }
}
