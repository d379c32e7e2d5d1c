package io.swarmtee.proxy.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignatureTest {

  @Test
  void signsWithHmacSha256AsRfc4231Says() {
    // RFC 4231, test case 2
    byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
    byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
    assertEquals(
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        Signature.sign(key, data));
  }

  @Test
  void verifiesOnlyTheExactBodyUnderTheSameSecret() {
    byte[] secret = "a-webhook-secret-of-some-length".getBytes(StandardCharsets.UTF_8);
    byte[] body = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    String header = Signature.sign(secret, body);
    assertTrue(Signature.verify(secret, body, header));
    assertFalse(
        Signature.verify(secret, "{\"id\":\"x\" }".getBytes(StandardCharsets.UTF_8), header));
    assertFalse(Signature.verify("another-secret".getBytes(StandardCharsets.UTF_8), body, header));
    assertFalse(Signature.verify(secret, body, null));
    assertFalse(Signature.verify(secret, body, header.toUpperCase(java.util.Locale.ROOT)));
  }
}
