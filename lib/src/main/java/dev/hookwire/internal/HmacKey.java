package dev.hookwire.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An HMAC key with a per-thread, ready-to-use {@link Mac}.
 *
 * <p>{@code Mac.getInstance} and {@code init} cost more than hashing a small webhook body, so each
 * thread keeps one initialised instance, made by cloning a prototype. The key bytes are copied in
 * and never handed out; {@link #toString()} shows the algorithm and length only. Thread-safe.
 */
public final class HmacKey {
  private final String algorithm;
  private final int length;
  private final Mac prototype;
  private final ThreadLocal<Mac> macs;

  private HmacKey(String algorithm, byte[] key) {
    this.algorithm = algorithm;
    this.length = key.length;
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      this.prototype = mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot compute " + algorithm, e);
    }
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /**
   * Creates a key.
   *
   * @param algorithm a JCA MAC algorithm name such as {@code HmacSHA256}
   * @param key the key bytes; copied
   * @return the key
   * @throws IllegalArgumentException if the key is empty
   */
  public static HmacKey of(String algorithm, byte[] key) {
    Objects.requireNonNull(algorithm, "algorithm == null");
    Objects.requireNonNull(key, "key == null");
    if (key.length == 0) {
      throw new IllegalArgumentException("an HMAC key must not be empty");
    }
    byte[] copy = key.clone();
    try {
      return new HmacKey(algorithm, copy);
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  /**
   * Returns this thread's {@link Mac} for the key, reset and ready for {@code update}. The
   * caller must finish with {@code doFinal} before asking again on the same thread.
   *
   * @return a thread-confined, initialised MAC
   */
  public Mac mac() {
    Mac mac = macs.get();
    mac.reset();
    return mac;
  }

  /**
   * Computes the MAC of one byte array.
   *
   * @param data the bytes to authenticate
   * @return the MAC
   */
  public byte[] compute(byte[] data) {
    return mac().doFinal(data);
  }

  /**
   * Returns the key's length in bytes.
   *
   * @return the key length
   */
  public int keyLength() {
    return length;
  }

  /**
   * Returns the MAC length in bytes.
   *
   * @return the MAC length
   */
  public int macLength() {
    return prototype.getMacLength();
  }

  private Mac newMac() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      // Providers whose MACs cannot be cloned still work, at the price of a lookup per thread.
      throw new IllegalStateException("the " + algorithm + " provider cannot clone a MAC", e);
    }
  }

  @Override
  public String toString() {
    return "HmacKey[" + algorithm + ", " + length + " bytes]";
  }
}
