package dev.hookwire.signature;

import dev.hookwire.internal.Encoding;
import dev.hookwire.signature.SignatureVerificationException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/** Checks shared by the verifiers and signers of every scheme. Immutable and thread-safe. */
final class Checks {
  /** Unix seconds above this are surely milliseconds sent by mistake (the year 5138). */
  private static final long SECONDS_LIMIT = 99_999_999_999L;

  private final SignatureScheme scheme;
  private final Clock clock;
  private final long toleranceMillis;
  private final int maxBodyBytes;

  Checks(Verifier.Builder builder) {
    this.scheme = builder.scheme();
    this.clock = builder.clock();
    this.toleranceMillis = saturatedMillis(builder);
    this.maxBodyBytes = builder.maxBodyBytes();
  }

  private static long saturatedMillis(Verifier.Builder builder) {
    try {
      return builder.tolerance().toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  void body(byte[] body) {
    Objects.requireNonNull(body, "body == null");
    if (body.length > maxBodyBytes) {
      throw new SignatureVerificationException(
          Reason.BODY_TOO_LARGE,
          "body of "
              + body.length
              + " bytes is larger than the verifier's limit of "
              + maxBodyBytes
              + " bytes; raise Verifier.Builder.maxBodyBytes if such bodies are expected");
    }
  }

  String header(WebhookHeaders headers, String name) {
    Objects.requireNonNull(headers, "headers == null");
    String value = headers.firstOrNull(name);
    if (value == null || value.isEmpty()) {
      throw new SignatureVerificationException(
          Reason.MISSING_HEADER,
          (value == null ? "missing header " : "empty header ")
              + name
              + ": this is not a "
              + scheme.name()
              + " webhook, or a proxy removed the header");
    }
    return value;
  }

  /**
   * Parses a Unix-seconds timestamp and checks it against the tolerance.
   *
   * @return the timestamp in seconds
   */
  long timestamp(String value, String headerName) {
    long seconds = Encoding.parseNonNegativeLong(value.trim());
    if (seconds < 0) {
      throw new SignatureVerificationException(
          Reason.MALFORMED_HEADER,
          headerName + " is not a Unix time in whole seconds: \"" + printable(value) + "\"");
    }
    // Signed timestamps have one-second precision, so the clock is compared at that precision
    // too: a request signed late in second s is as fresh as the clock's own second s.
    long nowSeconds = Math.floorDiv(clock.millis(), 1000L);
    long age = nowSeconds - seconds;
    long toleranceSeconds = toleranceMillis / 1000L;
    if (age > toleranceSeconds) {
      throw new SignatureVerificationException(
          Reason.TIMESTAMP_TOO_OLD,
          headerName
              + " "
              + seconds
              + " is "
              + age
              + " s before the verifier's clock ("
              + Instant.ofEpochSecond(nowSeconds)
              + "), beyond the tolerance of "
              + toleranceSeconds
              + " s: a replayed request, a sender queue that held it too long, or a wrong clock");
    }
    if (-age > toleranceSeconds) {
      String hint =
          seconds > SECONDS_LIMIT ? " (it looks like milliseconds; the scheme uses seconds)" : "";
      throw new SignatureVerificationException(
          Reason.TIMESTAMP_TOO_NEW,
          headerName
              + " "
              + seconds
              + " is "
              + -age
              + " s after the verifier's clock ("
              + Instant.ofEpochSecond(nowSeconds)
              + "), beyond the tolerance of "
              + toleranceSeconds
              + " s"
              + hint
              + ": is a clock wrong?");
    }
    return seconds;
  }

  SignatureVerificationException noMatch(String where, int candidates, int keys, String hint) {
    return new SignatureVerificationException(
        Reason.NO_MATCHING_SIGNATURE,
        "none of the "
            + candidates
            + " signature(s) in "
            + where
            + " matches any of the "
            + keys
            + " configured key(s). Check that sender and receiver share the key, and that the body"
            + " verified is the raw request body, byte for byte, not a parsed and re-serialised"
            + " copy"
            + hint);
  }

  static SignatureVerificationException malformed(String message) {
    return new SignatureVerificationException(Reason.MALFORMED_HEADER, message);
  }

  /** Shows untrusted header text in a message: bounded, control characters escaped. */
  static String printable(String value) {
    StringBuilder out = new StringBuilder();
    int limit = Math.min(value.length(), 64);
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > limit) {
      out.append("...(").append(value.length()).append(" chars)");
    }
    return out.toString();
  }

  /** Validates a webhook id for signing: it goes into a header and into the signed content. */
  static void webhookId(String webhookId) {
    Objects.requireNonNull(webhookId, "webhookId == null");
    if (webhookId.isEmpty()) {
      throw new IllegalArgumentException("webhookId is empty");
    }
    for (int i = 0; i < webhookId.length(); i++) {
      char c = webhookId.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "webhookId may hold only visible ASCII characters, but has U+"
                + String.format("%04X", (int) c)
                + " at index "
                + i);
      }
    }
  }

  /** Validates a signing timestamp and returns it in Unix seconds. */
  static long signingSeconds(Instant timestamp) {
    Objects.requireNonNull(timestamp, "timestamp == null");
    long seconds = timestamp.getEpochSecond();
    if (seconds < 0 || seconds > SECONDS_LIMIT) {
      throw new IllegalArgumentException(
          "timestamp " + timestamp + " is outside 1970-01-01 .. 5138-11-16");
    }
    return seconds;
  }

  /**
   * Compares a candidate signature with every key's expected MAC, computing each MAC once per
   * request ({@code expected} caches them). Every key is compared, so timing does not tell which
   * one matched.
   *
   * @return the index of the first matching key, or -1
   */
  static int matchingKey(
      byte[][] expected, java.util.function.IntFunction<byte[]> macOfKey, byte[] signature) {
    int match = -1;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] == null) {
        expected[i] = macOfKey.apply(i);
      }
      if (java.security.MessageDigest.isEqual(expected[i], signature) && match < 0) {
        match = i;
      }
    }
    return match;
  }
}
