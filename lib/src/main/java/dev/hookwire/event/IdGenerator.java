package dev.hookwire.event;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;

/**
 * Makes event ids: {@code msg_} and a 26-character ULID (Crockford base32 of 48 bits of epoch
 * milliseconds, then 80 random bits).
 *
 * <p>Ids from one generator strictly increase, compared as strings: when the clock has not moved on
 * since the previous id (or has moved back), the previous random part is incremented instead of
 * drawing a new one, as the ULID specification's monotonic mode does. So an id's time part is the
 * latest time this generator has seen, which may be later than the clock passed in. Thread-safe:
 * one lock guards the state; drawing random bits happens at most once per millisecond.
 */
final class IdGenerator {
  /** The generator behind {@link WebhookEvent#newId()}: one per class loader, hence per JVM. */
  static final IdGenerator SHARED = new IdGenerator(new SecureRandom());

  static final String PREFIX = "msg_";
  static final int LENGTH = PREFIX.length() + 26;

  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final long MAX_TIME = (1L << 48) - 1;
  private static final int RANDOM_HIGH_MASK = 0xFFFF;

  private final Random random;
  private final Object lock = new Object();

  // Guarded by lock. The 80-bit random part is high (16 bits) followed by low (64 bits).
  private long lastMillis = -1;
  private int randomHigh;
  private long randomLow;

  IdGenerator(Random random) {
    this.random = random;
  }

  String next(Clock clock) {
    return next(clock.instant());
  }

  String next(Instant now) {
    long millis = clampedMillis(now);
    long time;
    int high;
    long low;
    synchronized (lock) {
      if (millis > lastMillis) {
        lastMillis = millis;
        drawRandom();
      } else {
        randomLow++;
        if (randomLow == 0) {
          randomHigh = (randomHigh + 1) & RANDOM_HIGH_MASK;
          if (randomHigh == 0) {
            // 2^80 ids in one millisecond cannot happen in practice; stay correct anyway by
            // moving on to the next millisecond, where any random part sorts after every id so far.
            if (lastMillis == MAX_TIME) {
              throw new IllegalStateException("event id space exhausted");
            }
            lastMillis++;
            drawRandom();
          }
        }
      }
      time = lastMillis;
      high = randomHigh;
      low = randomLow;
    }
    return encode(time, high, low);
  }

  private void drawRandom() {
    byte[] bytes = new byte[10];
    random.nextBytes(bytes);
    randomHigh = (bytes[0] & 0xFF) << 8 | (bytes[1] & 0xFF);
    long low = 0;
    for (int i = 2; i < 10; i++) {
      low = low << 8 | (bytes[i] & 0xFF);
    }
    randomLow = low;
  }

  /** Epoch milliseconds of {@code now}, clamped to what 48 bits can hold (1970 to year 10889). */
  static long clampedMillis(Instant now) {
    if (now.getEpochSecond() < 0) {
      return 0;
    }
    if (now.getEpochSecond() >= MAX_TIME / 1000) {
      return MAX_TIME;
    }
    return Math.min(now.toEpochMilli(), MAX_TIME);
  }

  static String encode(long time, int high, long low) {
    char[] out = new char[LENGTH];
    PREFIX.getChars(0, PREFIX.length(), out, 0);
    int base = PREFIX.length();
    for (int i = 9; i >= 0; i--) {
      out[base + i] = CROCKFORD[(int) (time & 31)];
      time >>>= 5;
    }
    base += 10;
    // 16 characters of 5 bits each, most significant first; character j holds bits
    // [shift, shift + 5) of the 80-bit number high:low, where shift = 5 * (15 - j).
    for (int j = 0; j < 16; j++) {
      int shift = 5 * (15 - j);
      long bits;
      if (shift >= 64) {
        bits = high >>> (shift - 64);
      } else if (shift + 5 <= 64) {
        bits = low >>> shift;
      } else {
        bits = (low >>> shift) | ((long) high << (64 - shift));
      }
      out[base + j] = CROCKFORD[(int) (bits & 31)];
    }
    return new String(out);
  }

  /** The epoch milliseconds in an id this class made; for tests and diagnostics. */
  static long epochMillis(String id) {
    if (id.length() != LENGTH || !id.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a generated event id: " + Checks.quote(id));
    }
    long time = 0;
    for (int i = PREFIX.length(); i < PREFIX.length() + 10; i++) {
      int digit = indexOf(id.charAt(i));
      if (digit < 0) {
        throw new IllegalArgumentException("not a generated event id: " + Checks.quote(id));
      }
      time = time << 5 | digit;
    }
    return time;
  }

  private static int indexOf(char c) {
    for (int i = 0; i < CROCKFORD.length; i++) {
      if (CROCKFORD[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
