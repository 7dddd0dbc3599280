package dev.hookwire.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.hookwire.testing.TestEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookEventTest {
  private static final Pattern ID = Pattern.compile("msg_[0-7][0-9A-HJKMNP-TV-Z]{25}");

  @Test
  void createStampsTimeAndIdFromTheClock() {
    WebhookEvent<String> event = WebhookEvent.create("order.paid", "payload", TestEvents.CLOCK);

    assertThat(event.type()).isEqualTo("order.paid");
    assertThat(event.data()).isEqualTo("payload");
    assertThat(event.timestamp()).isEqualTo(TestEvents.T0);
    assertThat(event.id()).matches(ID);
    assertThat(IdGenerator.epochMillis(event.id()))
        .isGreaterThanOrEqualTo(TestEvents.T0.toEpochMilli());
  }

  @Test
  void createUsesTheSystemClockByDefault() {
    Instant before = Instant.now();
    WebhookEvent<Map<String, Integer>> event = WebhookEvent.create("a", Map.of("n", 1));

    assertThat(event.timestamp()).isBetween(before, Instant.now());
    assertThat(event.id()).matches(ID);
  }

  @Test
  void idsAreUniqueAndIncreaseInOneThread() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(WebhookEvent.newId());
    }

    assertThat(ids).allMatch(id -> ID.matcher(id).matches()).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void idsFromAStoppedOrBackwardsClockStillIncrease() {
    Clock later = Clock.fixed(Instant.parse("2024-05-01T12:00:00.005Z"), ZoneOffset.UTC);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(WebhookEvent.newId(later));
    }
    for (int i = 0; i < 100; i++) {
      ids.add(WebhookEvent.newId(TestEvents.CLOCK)); // 5 ms earlier
    }

    assertThat(ids).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void idsAreUniqueAcrossThreadsAndIncreaseWithinEach() throws Exception {
    int threads = 8;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<String> ids = new ArrayList<>(perThread);
                  for (int i = 0; i < perThread; i++) {
                    ids.add(WebhookEvent.newId());
                  }
                  return ids;
                }));
      }
      start.countDown();

      Set<String> all = new HashSet<>();
      for (Future<List<String>> result : results) {
        List<String> ids = result.get(30, TimeUnit.SECONDS);
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        all.addAll(ids);
      }
      assertThat(all).hasSize(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "experience.started",
        "goal.achieved",
        "A_b.c1.D_2",
        "_",
        "2024.v1",
        "a.b.c.d.e.f"
      })
  void acceptsWellFormedTypes(String type) {
    assertThat(new WebhookEvent<>("msg_1", type, TestEvents.T0, "x").type()).isEqualTo(type);
  }

  @Test
  void acceptsTypeOf255Characters() {
    String type = "a".repeat(127) + "." + "b".repeat(127);
    assertThat(new WebhookEvent<>("msg_1", type, TestEvents.T0, "x").type()).hasSize(255);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", ".", "a.", ".a", "a..b", "a-b", "a b", "a/b", "é", "a.b ", " a", "a.*", "a\nb"
      })
  void rejectsMalformedTypes(String type) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebhookEvent<>("msg_1", type, TestEvents.T0, "x"))
        .withMessageStartingWith("type \"")
        .withMessageEndingWith("is not dot-separated [a-zA-Z0-9_] segments");
  }

  @Test
  void typeMessageQuotesTheValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebhookEvent.create("experience..started", "x"))
        .withMessage("type \"experience..started\" is not dot-separated [a-zA-Z0-9_] segments");
  }

  @Test
  void rejectsTypeLongerThan255Characters() {
    String type = "a".repeat(256);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebhookEvent<>("msg_1", type, TestEvents.T0, "x"))
        .withMessageContaining("type \"aaaa")
        .withMessageContaining("(256 characters)")
        .withMessageEndingWith("is longer than 255 characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "msg_01HWRCQ5N0BMG2X7D5ZQ3TE1KV",
        "evt_123",
        "a",
        "9f1c6c2e-6a4b-4bb4-9d2e-0f5b1e2c7a11",
        "~!@#$%^&*()_+{}|:<>?"
      })
  void acceptsPrintableAsciiIds(String id) {
    assertThat(new WebhookEvent<>(id, "a", TestEvents.T0, "x").id()).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " ",
        "msg 1",
        "msg_1 ",
        "a\tb",
        "a\nb",
        "a\u0000b",
        "a\u007fb",
        "müll",
        "a\u00a0b"
      })
  void rejectsIdsWithWhitespaceControlOrNonAsciiCharacters(String id) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebhookEvent<>(id, "a", TestEvents.T0, "x"))
        .withMessageStartingWith("id \"")
        .withMessageContaining("whitespace, control or non-ASCII character at index");
  }

  @Test
  void controlCharactersAreEscapedInMessages() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebhookEvent<>("a\nb", "a", TestEvents.T0, "x"))
        .withMessageStartingWith("id \"a\\u000ab\" ");
  }

  @Test
  void rejectsEmptyAndOverlongIds() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebhookEvent<>("", "a", TestEvents.T0, "x"))
        .withMessage("id is empty");
    assertThat(new WebhookEvent<>("x".repeat(255), "a", TestEvents.T0, "x").id()).hasSize(255);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebhookEvent<>("x".repeat(256), "a", TestEvents.T0, "x"))
        .withMessageStartingWith("id \"xxx")
        .withMessageEndingWith("is longer than 255 characters");
  }

  @Test
  void rejectsNullsNamingTheComponent() {
    assertThatNullPointerException()
        .isThrownBy(() -> new WebhookEvent<>(null, "a", TestEvents.T0, "x"))
        .withMessage("id == null");
    assertThatNullPointerException()
        .isThrownBy(() -> new WebhookEvent<>("msg_1", null, TestEvents.T0, "x"))
        .withMessage("type == null");
    assertThatNullPointerException()
        .isThrownBy(() -> new WebhookEvent<>("msg_1", "a", null, "x"))
        .withMessage("timestamp == null");
    assertThatNullPointerException()
        .isThrownBy(() -> new WebhookEvent<>("msg_1", "a", TestEvents.T0, null))
        .withMessage("data == null");
    assertThatNullPointerException()
        .isThrownBy(() -> WebhookEvent.create("a", "x", null))
        .withMessage("clock == null");
    assertThatNullPointerException().isThrownBy(() -> WebhookEvent.newId(null));
  }

  @Test
  void withDataKeepsIdTypeAndTimestamp() {
    WebhookEvent<ExperienceEvent> event = TestEvents.experienceEvent();

    WebhookEvent<String> copy = event.withData("other");

    assertThat(copy.id()).isEqualTo(event.id());
    assertThat(copy.type()).isEqualTo(event.type());
    assertThat(copy.timestamp()).isEqualTo(event.timestamp());
    assertThat(copy.data()).isEqualTo("other");
  }

  @Test
  void withTimestampKeepsTheRest() {
    WebhookEvent<ExperienceEvent> event = TestEvents.experienceEvent();
    Instant later = TestEvents.T0.plusSeconds(60);

    WebhookEvent<ExperienceEvent> copy = event.withTimestamp(later);

    assertThat(copy).isEqualTo(new WebhookEvent<>(event.id(), event.type(), later, event.data()));
  }
}
