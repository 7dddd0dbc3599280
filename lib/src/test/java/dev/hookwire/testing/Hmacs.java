package dev.hookwire.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMACs computed straight from the JDK, so that tests check signatures against a computation
 * that shares no code with the signers under test.
 */
public final class Hmacs {
  private Hmacs() {}

  /**
   * The HMAC of the concatenated parts.
   *
   * @param algorithm a JCA name, such as {@code HmacSHA256}
   * @param key the key's text, used as its UTF-8 bytes
   * @param parts what is signed, in order
   */
  public static byte[] hmac(String algorithm, String key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** Lower-case hexadecimal. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** Standard, padded base64. */
  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
