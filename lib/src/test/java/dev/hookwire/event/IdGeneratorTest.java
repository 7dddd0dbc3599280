package dev.hookwire.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {
  private static final Instant T = Instant.parse("2024-05-01T12:00:00.042Z");

  @Test
  void encodesTimeThenRandomInCrockfordBase32() {
    // The time part of the example in the ULID specification.
    assertThat(IdGenerator.encode(1469918176385L, 0, 0))
        .isEqualTo("msg_01ARYZ6S41" + "0".repeat(16));
    assertThat(IdGenerator.encode((1L << 48) - 1, 0xFFFF, -1L)).isEqualTo("msg_7" + "Z".repeat(25));
    assertThat(IdGenerator.encode(0, 0, 1)).isEqualTo("msg_" + "0".repeat(25) + "1");
    // Bit 64 of the random part lands in the character that straddles high and low.
    assertThat(IdGenerator.encode(0, 1, 0))
        .isEqualTo("msg_" + "0".repeat(13) + "G" + "0".repeat(12));
  }

  @Test
  void timePartIsTheClocksMilliseconds() {
    IdGenerator generator = new IdGenerator(new Random(1));

    String id = generator.next(Clock.fixed(T, ZoneOffset.UTC));

    assertThat(id).hasSize(IdGenerator.LENGTH).startsWith("msg_");
    assertThat(IdGenerator.epochMillis(id)).isEqualTo(T.toEpochMilli());
  }

  @Test
  void sameMillisecondIncrementsTheRandomPart() {
    IdGenerator generator = new IdGenerator(new Random(1));

    String first = generator.next(T);
    String second = generator.next(T);

    assertThat(second).isGreaterThan(first);
    assertThat(IdGenerator.epochMillis(second)).isEqualTo(T.toEpochMilli());
    assertThat(second.substring(0, 20)).isEqualTo(first.substring(0, 20));
  }

  @Test
  void clockGoingBackwardsKeepsTheLatestTime() {
    IdGenerator generator = new IdGenerator(new Random(1));

    String first = generator.next(T);
    String second = generator.next(T.minusSeconds(3600));

    assertThat(second).isGreaterThan(first);
    assertThat(IdGenerator.epochMillis(second)).isEqualTo(T.toEpochMilli());
  }

  @Test
  void newMillisecondDrawsNewRandomBits() {
    IdGenerator generator = new IdGenerator(new Random(1));

    String first = generator.next(T);
    String second = generator.next(T.plusMillis(1));

    assertThat(second).isGreaterThan(first);
    assertThat(IdGenerator.epochMillis(second)).isEqualTo(T.toEpochMilli() + 1);
  }

  @Test
  void randomPartOverflowMovesToTheNextMillisecond() {
    Random allOnes =
        new Random() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 0xFF);
          }
        };
    IdGenerator generator = new IdGenerator(allOnes);

    String first = generator.next(T);
    String second = generator.next(T);

    assertThat(first).endsWith("Z".repeat(16));
    assertThat(second).isGreaterThan(first);
    assertThat(IdGenerator.epochMillis(second)).isEqualTo(T.toEpochMilli() + 1);
  }

  @Test
  void clampsTimesOutsideFortyEightBits() {
    IdGenerator generator = new IdGenerator(new Random(1));

    assertThat(IdGenerator.epochMillis(generator.next(Instant.parse("1960-01-01T00:00:00Z"))))
        .isZero();
    assertThat(IdGenerator.clampedMillis(Instant.MAX)).isEqualTo((1L << 48) - 1);
    assertThat(IdGenerator.clampedMillis(Instant.MIN)).isZero();
  }
}
