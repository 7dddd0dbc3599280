package dev.hookwire.receive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.ExperienceAction;
import dev.hookwire.event.ExperienceEvent;
import dev.hookwire.event.GoalEvent;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.receive.IdempotencyStore.Claim;
import dev.hookwire.receive.ReceiveResult.Outcome;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.SignatureVerificationException.Reason;
import dev.hookwire.signature.Signer;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every kind of request a receiver meets, signed for real (by our {@link Signer} and by the
 * Standard Webhooks reference library), gets the right status, and no webhook is processed twice.
 */
class WebhookReceiverTest {
  private static final Instant T0 = TestEvents.T0;
  private static final EventCodec CODEC = EventCodec.ofDefaults();

  private final String secret = Secrets.newStandardSecret();
  private final Signer signer = SignatureScheme.standardWebhooks().signer(secret);
  private final MutableClock clock = MutableClock.at(T0);
  private final List<WebhookEvent<?>> handled = new ArrayList<>();

  /** A receiver of Standard Webhooks signed with {@link #secret}, on the test clock. */
  private WebhookReceiver.Builder standard() {
    return WebhookReceiver.builder()
        .verifier(SignatureScheme.standardWebhooks(), secret)
        .clock(clock);
  }

  /** A receiver of experience events that records what its handler got. */
  private WebhookReceiver.Builder receiver() {
    return standard()
        .onExperience(
            event -> {
              synchronized (handled) {
                handled.add(event);
              }
            });
  }

  private static byte[] body(WebhookEvent<?> event) {
    return CODEC.encode(event);
  }

  private static WebhookEvent<ExperienceEvent> experience(String id) {
    return new WebhookEvent<>(
        id, ExperienceEvent.STARTED, T0, TestEvents.experienceStarted());
  }

  /** Headers signed now by the test clock, as a sender's attempt would be. */
  private Map<String, List<String>> signed(String id, byte[] body) {
    return multi(signer.sign(id, clock.instant(), body));
  }

  private static Map<String, List<String>> multi(Map<String, String> headers) {
    Map<String, List<String>> multi = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return multi;
  }

  // ---------------------------------------------------------------- listeners

  @Test
  void aListener_hearsEveryRequestsOutcome_andOneThatThrowsChangesNothing() {
    List<String> heard = new ArrayList<>();
    WebhookReceiver receiver = receiver()
        .listener(new ReceiveListener() {
          @Override
          public void received(ReceiveResult result, java.time.Duration elapsed) {
            throw new IllegalStateException("a broken listener");
          }
        })
        .listener(new ReceiveListener() {
          @Override
          public void received(ReceiveResult result, java.time.Duration elapsed) {
            assertThat(elapsed.isNegative()).isFalse();
            heard.add(result.outcome() + " " + result.status());
          }
        })
        .build();
    byte[] body = body(experience("msg_1"));
    byte[] notAnEvent = "[]".getBytes(UTF_8);

    ReceiveResult processed = receiver.receive(signed("msg_1", body), body);
    receiver.receive(signed("msg_1", body), body);
    receiver.receive(signed("msg_2", body), "tampered".getBytes(UTF_8));
    receiver.receive(signed("msg_3", notAnEvent), notAnEvent);

    assertThat(processed.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(heard).containsExactly(
        "PROCESSED 200", "DUPLICATE 200", "INVALID_SIGNATURE 401", "MALFORMED 400");
    assertThat(handled).hasSize(1);
  }

  @Test
  void interceptors_wrapTheHandler_firstOutermost_andSeeTheResult() {
    List<String> trail = new ArrayList<>();
    ThreadLocal<String> span = new ThreadLocal<>();
    WebhookReceiver receiver = standard()
        .interceptor((headers, proceed) -> {
          trail.add("outer in, id " + headers.first("webhook-id").orElse("?"));
          ReceiveResult result = proceed.get();
          trail.add("outer out, " + result.outcome());
          return result;
        })
        .interceptor((headers, proceed) -> {
          span.set("span-1");
          try {
            return proceed.get();
          } finally {
            span.remove();
          }
        })
        .onExperience(event -> trail.add("handler in " + span.get()))
        .build();
    byte[] body = body(experience("msg_1"));

    ReceiveResult result = receiver.receive(signed("msg_1", body), body);

    assertThat(result.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(trail).containsExactly("outer in, id msg_1", "handler in span-1", "outer out, PROCESSED");
  }

  // ---------------------------------------------------------------- processed and duplicates

  @Test
  void aValidWebhook_isProcessedOnce_withItsDataTyped() {
    WebhookReceiver receiver = receiver().build();
    byte[] body = body(experience("msg_1"));

    ReceiveResult result = receiver.receive(signed("msg_1", body), body);

    assertThat(result.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body()).isEqualTo("processed");
    assertThat(result.headers()).containsExactly(Map.entry("Content-Type", "text/plain; charset=utf-8"));
    assertThat(result.webhookId()).contains("msg_1");
    assertThat(result.failure()).isEmpty();
    assertThat(handled).hasSize(1);
    assertThat(handled.get(0).data()).isEqualTo(TestEvents.experienceStarted());
    assertThat(result.event()).contains(handled.get(0));
  }

  @Test
  void aPayloadReader_readsBodiesOfItsOwn_theSignedHeaderIdStillDeDuplicates() {
    WebhookEvent<ExperienceEvent> inner = experience("msg_inner");
    PayloadReader reader =
        (raw, codec) -> {
          String text = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
          if (text.equals("broken")) {
            throw new IllegalStateException("cannot read it");
          }
          if (text.equals("nothing")) {
            return null;
          }
          // Data as a plain map: the receiver reads it as the handler's class.
          return new WebhookEvent<>("ignored_id", inner.type(), T0, Map.of(
              "experienceId", inner.data().experienceId(),
              "name", inner.data().name(),
              "experienceType", inner.data().experienceType().value(),
              "action", "started",
              "timestamp", inner.data().timestamp().toString(),
              "triggeredBy", inner.data().triggeredBy()));
        };
    WebhookReceiver receiver = receiver().payloadReader(reader).build();
    byte[] body = "a body of the sender's own".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    ReceiveResult first = receiver.receive(signed("msg_r1", body), body);
    ReceiveResult again = receiver.receive(signed("msg_r1", body), body);
    byte[] broken = "broken".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] nothing = "nothing".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThat(first.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(first.webhookId()).contains("msg_r1");
    assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(receiver.receive(signed("msg_r2", broken), broken).status()).isEqualTo(400);
    assertThat(receiver.receive(signed("msg_r3", nothing), nothing).status()).isEqualTo(400);
    assertThat(handled).hasSize(1);
    assertThat(handled.get(0).data()).isEqualTo(inner.data());
  }

  /** An in-memory store that counts prunes, and can be made to fail them. */
  private static final class PruneWatcher implements IdempotencyStore {
    final InMemoryIdempotencyStore ids = InMemoryIdempotencyStore.create();
    final List<Instant> prunes = new ArrayList<>();
    boolean failPrunes;

    @Override
    public Claim claim(String key, String owner, Instant now, Instant leaseUntil) {
      return ids.claim(key, owner, now, leaseUntil);
    }

    @Override
    public void complete(String key, Instant expiresAt) {
      ids.complete(key, expiresAt);
    }

    @Override
    public void release(String key, String owner) {
      ids.release(key, owner);
    }

    @Override
    public int prune(Instant now) {
      prunes.add(now);
      if (failPrunes) {
        throw new IllegalStateException("the database is down");
      }
      return ids.prune(now);
    }
  }

  @Test
  void expiredIds_arePrunedOncePerInterval_byTheRequestThatFindsItDue() {
    PruneWatcher store = new PruneWatcher();
    WebhookReceiver receiver =
        receiver()
            .idempotencyStore(store)
            .idempotencyTtl(Duration.ofMinutes(30))
            .pruneInterval(Duration.ofHours(1))
            .build();
    for (int minute = 0; minute < 150; minute += 10) {
      byte[] body = body(experience("msg_" + minute));
      receiver.receive(signed("msg_" + minute, body), body);
      clock.advance(Duration.ofMinutes(10));
    }

    // Requests at minutes 0..140: the ones at 60 and 120 found the hour passed.
    assertThat(store.prunes).containsExactly(T0.plusSeconds(3600), T0.plusSeconds(7200));
    byte[] recent = body(experience("msg_140"));
    assertThat(receiver.receive(signed("msg_140", recent), recent).outcome())
        .isEqualTo(Outcome.DUPLICATE);
  }

  @Test
  void aFailingPrune_changesNothingAboutTheRequest() {
    PruneWatcher store = new PruneWatcher();
    store.failPrunes = true;
    WebhookReceiver receiver =
        receiver().idempotencyStore(store).pruneInterval(Duration.ofMinutes(1)).build();
    clock.advance(Duration.ofMinutes(2));
    byte[] body = body(experience("msg_p"));

    ReceiveResult result = receiver.receive(signed("msg_p", body), body);

    assertThat(result.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(store.prunes).hasSize(1);
    assertThat(handled).hasSize(1);
  }

  @Test
  void aRetryOfAProcessedWebhook_isADuplicate_andDoesNotRunTheHandler() {
    WebhookReceiver receiver = receiver().build();
    byte[] body = body(experience("msg_1"));
    receiver.receive(signed("msg_1", body), body);
    clock.advance(Duration.ofMinutes(30)); // the sender's retry, signed afresh

    ReceiveResult retry = receiver.receive(signed("msg_1", body), body);

    assertThat(retry.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo("duplicate: already processed");
    assertThat(handled).hasSize(1);
  }

  @Test
  void aProcessedId_isRememberedForTheTtl_thenForgotten() {
    WebhookReceiver receiver = receiver().idempotencyTtl(Duration.ofDays(1)).build();
    byte[] body = body(experience("msg_1"));
    receiver.receive(signed("msg_1", body), body);

    clock.advance(Duration.ofDays(1).minusSeconds(1));
    assertThat(receiver.receive(signed("msg_1", body), body).outcome())
        .isEqualTo(Outcome.DUPLICATE);
    clock.advance(Duration.ofSeconds(1));
    assertThat(receiver.receive(signed("msg_1", body), body).outcome())
        .isEqualTo(Outcome.PROCESSED);
    assertThat(handled).hasSize(2);
  }

  @Test
  void aWebhookSignedByTheReferenceLibrary_isProcessed_thenADuplicate() throws Exception {
    WebhookReceiver receiver = receiver().build();
    byte[] body = body(experience("msg_ref"));
    long now = clock.instant().getEpochSecond();
    String signature = new Webhook(secret).sign("msg_ref", now, new String(body, UTF_8));
    Map<String, List<String>> headers =
        Map.of(
            "webhook-id", List.of("msg_ref"),
            "webhook-timestamp", List.of(Long.toString(now)),
            "webhook-signature", List.of(signature));

    assertThat(receiver.receive(headers, body).outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(receiver.receive(headers, body).outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(handled).hasSize(1);
  }

  @Test
  void theSignedWebhookId_winsOverTheBodysId() {
    WebhookReceiver receiver = receiver().build();
    byte[] body = body(experience("msg_body"));

    ReceiveResult first = receiver.receive(signed("msg_header_1", body), body);
    ReceiveResult second = receiver.receive(signed("msg_header_2", body), body);

    assertThat(first.webhookId()).contains("msg_header_1");
    assertThat(second.outcome()).isEqualTo(Outcome.PROCESSED);
  }

  @Test
  void schemesWithoutAnIdHeader_deDuplicateByTheSignedBodysId_notByUnsignedDeliveryHeaders() {
    WebhookReceiver receiver =
        WebhookReceiver.builder()
            .verifier(SignatureScheme.github(), "gh-secret-for-tests")
            .onExperience(handled::add)
            .build();
    byte[] body = body(experience("msg_gh"));
    Map<String, String> headers = new HashMap<>(SignatureScheme.github().signer("gh-secret-for-tests").sign("x", T0, body));
    headers.put("X-GitHub-Delivery", "delivery-1");
    ReceiveResult first = receiver.receive(WebhookHeaders.of(headers), body);
    headers.put("X-GitHub-Delivery", "delivery-2"); // a replay with the unsigned header changed

    ReceiveResult replay = receiver.receive(WebhookHeaders.of(headers), body);

    assertThat(first.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(first.webhookId()).contains("msg_gh");
    assertThat(replay.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(handled).hasSize(1);
  }

  // ---------------------------------------------------------------- bad signatures

  @Test
  void missingSignatureHeaders_are401_andReachNothing() {
    IdempotencyStore store = InMemoryIdempotencyStore.create();
    WebhookReceiver receiver = receiver().idempotencyStore(store).build();
    byte[] body = body(experience("msg_1"));
    Map<String, List<String>> headers = new HashMap<>(signed("msg_1", body));
    headers.remove("webhook-signature");

    ReceiveResult noSignature = receiver.receive(headers, body);
    ReceiveResult noHeaders = receiver.receive(Map.of(), body);

    assertThat(noSignature.outcome()).isEqualTo(Outcome.INVALID_SIGNATURE);
    assertThat(noSignature.status()).isEqualTo(401);
    assertThat(noSignature.body()).isEqualTo("invalid signature: missing header");
    assertThat(noSignature.failure()).containsInstanceOf(SignatureVerificationException.class);
    assertThat(noHeaders.status()).isEqualTo(401);
    assertThat(noSignature.event()).isEmpty();
    assertThat(handled).isEmpty();
    assertThat(((InMemoryIdempotencyStore) store).size()).isZero();
  }

  @Test
  void aWrongSecret_aTamperedBody_andAMalformedSignature_are401() {
    WebhookReceiver receiver = receiver().build();
    byte[] body = body(experience("msg_1"));
    Map<String, List<String>> wrongKey =
        multi(
            SignatureScheme.standardWebhooks()
                .signer(Secrets.newStandardSecret())
                .sign("msg_1", T0, body));
    byte[] tampered = new String(body, UTF_8).replace("Free", "Fre3").getBytes(UTF_8);
    Map<String, List<String>> garbled = new HashMap<>(signed("msg_1", body));
    garbled.put("webhook-timestamp", List.of("soon"));

    ReceiveResult wrong = receiver.receive(wrongKey, body);
    ReceiveResult changed = receiver.receive(signed("msg_1", body), tampered);
    ReceiveResult malformed = receiver.receive(garbled, body);

    assertThat(List.of(wrong, changed, malformed))
        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.INVALID_SIGNATURE));
    assertThat(wrong.body()).isEqualTo("invalid signature: no matching signature");
    assertThat(malformed.body()).isEqualTo("invalid signature: malformed header");
    assertThat(handled).isEmpty();
    // The real one still goes through: nothing was recorded for the forgeries.
    assertThat(receiver.receive(signed("msg_1", body), body).outcome())
        .isEqualTo(Outcome.PROCESSED);
  }

  @Test
  void aReplayOutsideTheTolerance_is401_onEitherSide() {
    WebhookReceiver receiver = receiver().tolerance(Duration.ofMinutes(5)).build();
    byte[] body = body(experience("msg_1"));
    Map<String, List<String>> headers = signed("msg_1", body);

    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    ReceiveResult late = receiver.receive(headers, body);
    clock.set(T0.minus(Duration.ofMinutes(5)).minusSeconds(1));
    ReceiveResult early = receiver.receive(headers, body);
    clock.set(T0.plus(Duration.ofMinutes(5)));
    ReceiveResult justInTime = receiver.receive(headers, body);

    assertThat(late.status()).isEqualTo(401);
    assertThat(late.body()).isEqualTo("invalid signature: timestamp too old");
    assertThat(early.body()).isEqualTo("invalid signature: timestamp too new");
    assertThat(justInTime.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(handled).hasSize(1);
  }

  @Test
  void theResponseBody_neverEchoesHeaderValuesOrSecrets() {
    WebhookReceiver receiver = receiver().build();
    byte[] body = body(experience("msg_1"));
    Map<String, List<String>> headers = new HashMap<>(signed("msg_1", body));
    headers.put("webhook-timestamp", List.of("<script>alert(1)</script>"));

    ReceiveResult result = receiver.receive(headers, body);

    assertThat(result.status()).isEqualTo(401);
    assertThat(result.body()).isEqualTo("invalid signature: malformed header");
    // The detail, for the host's logs, says what was wrong; the sender sees none of it.
    assertThat(result.failure().orElseThrow()).hasMessageContaining("<script>");
    assertThat(receiver.toString()).doesNotContain(secret.substring(6));
  }

  // ---------------------------------------------------------------- bad bodies

  @Test
  void anOversizedBody_is413_beforeAnyVerification() {
    WebhookReceiver receiver = receiver().maxBodyBytes(1024).build();
    byte[] big = new byte[1025];

    ReceiveResult result = receiver.receive(Map.of(), big);

    assertThat(result.outcome()).isEqualTo(Outcome.TOO_LARGE);
    assertThat(result.status()).isEqualTo(413);
    assertThat(result.body()).isEqualTo("body too large");
    assertThat(result.failure()).isEmpty();
    assertThat(receiver.maxBodyBytes()).isEqualTo(1024);
  }

  @Test
  void aVerifierWithASmallerLimit_alsoAnswers413() {
    WebhookReceiver receiver =
        WebhookReceiver.builder()
            .verifier(
                Verifier.builder(SignatureScheme.standardWebhooks())
                    .key(secret)
                    .clock(clock)
                    .maxBodyBytes(100)
                    .build())
            .onAny(handled::add)
            .build();
    byte[] body = body(experience("msg_1"));

    ReceiveResult result = receiver.receive(signed("msg_1", body), body);

    assertThat(result.status()).isEqualTo(413);
    assertThat(result.failure().orElseThrow())
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BODY_TOO_LARGE));
  }

  @Test
  void signedBodiesThatAreNotEvents_are400() {
    WebhookReceiver receiver = receiver().build();
    List<String> bodies =
        List.of(
            "{\"id\":\"msg_1\",\"type\":\"experience.started\",",
            "not json",
            "[1,2,3]",
            "{\"type\":\"experience.started\",\"timestamp\":\"2024-05-01T12:00:00Z\",\"data\":{}}",
            "{\"id\":\"msg_1\",\"id\":\"msg_2\",\"type\":\"a\",\"timestamp\":0,\"data\":{}}",
            "");

    for (String text : bodies) {
      byte[] body = text.getBytes(UTF_8);
      ReceiveResult result = receiver.receive(signed("msg_1", body), body);

      assertThat(result.outcome()).as(text).isEqualTo(Outcome.MALFORMED);
      assertThat(result.status()).isEqualTo(400);
      assertThat(result.body()).startsWith("malformed event: cannot decode event: ").matches("\\p{ASCII}{1,520}");
      assertThat(result.failure()).containsInstanceOf(EventFormatException.class);
    }
    assertThat(handled).isEmpty();
  }

  @Test
  void aMalformedEvent_isAnsweredWithWhatIsWrong_soTheSenderCanFixIt() {
    WebhookReceiver receiver = receiver().build();
    byte[] body = ("{\"id\":\"msg_1\",\"type\":\"experience.started\",\"timestamp\":\"2024-05-01T12:00:00Z\","
        + "\"data\":{\"experienceId\":\"exp_1\",\"name\":\"Free shipping\"}}").getBytes(UTF_8);

    ReceiveResult result = receiver.receive(signed("msg_1", body), body);

    assertThat(result.outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(result.body())
        .matches("malformed event: cannot decode event: at data: not a valid ExperienceEvent:"
            + " experienceType, action and timestamp are null \\(line 1, column \\d+\\)");
    assertThat(handled).isEmpty();
  }

  /** Data for a handler of {@code order.paid}. */
  record Order(String orderId, long cents) {}

  @Test
  void dataThatDoesNotFitTheHandlersClass_is400_andIsNotRecorded() {
    List<Order> orders = new ArrayList<>();
    WebhookReceiver receiver =
        standard()
            .on("order.paid", Order.class, event -> orders.add(event.data()))
            .onExperience(handled::add)
            .build();
    byte[] wrongOrder =
        "{\"id\":\"msg_o\",\"type\":\"order.paid\",\"timestamp\":0,\"data\":{\"cents\":\"many\"}}"
            .getBytes(UTF_8);
    byte[] wrongExperience =
        "{\"id\":\"msg_e\",\"type\":\"experience.started\",\"timestamp\":0,\"data\":[1]}"
            .getBytes(UTF_8);
    byte[] rightOrder =
        "{\"id\":\"msg_o\",\"type\":\"order.paid\",\"timestamp\":0,\"data\":{\"orderId\":\"o1\",\"cents\":995}}"
            .getBytes(UTF_8);

    ReceiveResult order = receiver.receive(signed("msg_o", wrongOrder), wrongOrder);
    ReceiveResult experience = receiver.receive(signed("msg_e", wrongExperience), wrongExperience);
    ReceiveResult corrected = receiver.receive(signed("msg_o", rightOrder), rightOrder);

    assertThat(order.status()).isEqualTo(400);
    assertThat(order.failure().orElseThrow()).hasMessageContaining("cents");
    assertThat(order.event()).hasValueSatisfying(e -> assertThat(e.type()).isEqualTo("order.paid"));
    assertThat(experience.status()).isEqualTo(400);
    assertThat(corrected.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(orders).containsExactly(new Order("o1", 995));
    assertThat(handled).isEmpty();
  }

  @Test
  void aWebhookIdLongerThan255Characters_is400() {
    WebhookReceiver receiver = receiver().build();
    byte[] body = body(experience("msg_1"));
    String id = "msg_" + "x".repeat(252);

    ReceiveResult result = receiver.receive(signed(id, body), body);

    assertThat(result.status()).isEqualTo(400);
    assertThat(handled).isEmpty();
  }

  // ---------------------------------------------------------------- routing

  @Test
  void anEventTypeNobodyHandles_is200AndIgnored_andNotRecorded() {
    IdempotencyStore store = InMemoryIdempotencyStore.create();
    WebhookReceiver receiver = receiver().idempotencyStore(store).build();
    byte[] body = body(new WebhookEvent<>("msg_g", GoalEvent.TYPE, T0, TestEvents.goal()));

    ReceiveResult result = receiver.receive(signed("msg_g", body), body);

    assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body()).isEqualTo("ignored: no handler for this event type");
    assertThat(result.event().orElseThrow().data()).isEqualTo(TestEvents.goal());
    assertThat(((InMemoryIdempotencyStore) store).size()).isZero();
    assertThat(handled).isEmpty();
  }

  @Test
  void handlers_areChosenExactTypeFirst_thenLongestPattern_thenTheFallback() {
    List<String> calls = new ArrayList<>();
    WebhookReceiver receiver =
        standard()
            .onExperience(e -> calls.add("experience.* " + e.data().action()))
            .onExperience(ExperienceAction.STARTED, e -> calls.add("started " + e.data().name()))
            .on("shop.order.*", JsonNode.class, e -> calls.add("shop.order.* " + e.type()))
            .on("shop.*", Order.class, e -> calls.add("shop.* " + e.data().orderId()))
            .onGoal(e -> calls.add("goal " + e.data().units().get(0).uid()))
            .onAny(e -> calls.add("any " + e.type() + " " + e.data().getClass().getSimpleName()))
            .build();
    List<WebhookEvent<?>> events =
        List.of(
            experience("m1"),
            new WebhookEvent<>("m2", ExperienceEvent.ENDED, T0, TestEvents.experienceEndedBySystem()),
            new WebhookEvent<>("m3", "shop.order.paid", T0, Map.of("a", 1)),
            new WebhookEvent<>("m4", "shop.refund", T0, new Order("o2", 5)),
            new WebhookEvent<>("m5", GoalEvent.TYPE, T0, TestEvents.goal()),
            new WebhookEvent<>("m6", "billing.invoice", T0, List.of(1)));

    for (WebhookEvent<?> event : events) {
      byte[] body = body(event);
      assertThat(receiver.receive(signed(event.id(), body), body).outcome())
          .isEqualTo(Outcome.PROCESSED);
    }

    assertThat(calls)
        .containsExactly(
            "started Free shipping over $50",
            "experience.* ENDED",
            "shop.order.* shop.order.paid",
            "shop.* o2",
            "goal u_1842",
            "any billing.invoice ArrayNode");
  }

  @Test
  void dataBeforeTheType_isReadAsTheHandlersClass_andTheFallbackGetsTheCodecsClass() {
    List<Object> got = new ArrayList<>();
    WebhookReceiver receiver =
        standard()
            .on("order.paid", Order.class, event -> got.add(event.data()))
            .onAny(event -> got.add(event.data()))
            .build();
    byte[] order =
        "{\"data\":{\"orderId\":\"o1\",\"cents\":995},\"timestamp\":0,\"type\":\"order.paid\",\"id\":\"m1\"}"
            .getBytes(UTF_8);
    byte[] other =
        "{\"data\":{\"n\":1},\"id\":\"m2\",\"type\":\"order.shipped\",\"timestamp\":0}"
            .getBytes(UTF_8);
    byte[] experience = body(experience("m3"));
    // The codec's class for the type cannot read this: the fallback gets the data as it reads
    // into Object, as it always has.
    byte[] oddExperience =
        "{\"id\":\"m4\",\"type\":\"experience.started\",\"timestamp\":0,\"data\":{\"legacy\":true}}"
            .getBytes(UTF_8);

    for (byte[] body : List.of(order, other, experience, oddExperience)) {
      assertThat(receiver.receive(signed("x" + got.size(), body), body).outcome())
          .isEqualTo(Outcome.PROCESSED);
    }

    assertThat(got.get(0)).isEqualTo(new Order("o1", 995));
    assertThat(got.get(1)).isInstanceOfSatisfying(JsonNode.class, n -> assertThat(n.get("n").asInt()).isEqualTo(1));
    assertThat(got.get(2)).isEqualTo(TestEvents.experienceStarted());
    assertThat(got.get(3)).isEqualTo(Map.of("legacy", true));
  }

  @Test
  void aHandlerOfJsonNode_getsDataTheCodecsOwnClassCannotRead() {
    List<JsonNode> got = new ArrayList<>();
    WebhookReceiver receiver =
        standard()
            .on(ExperienceEvent.STARTED, JsonNode.class, e -> got.add(e.data()))
            .build();
    byte[] body =
        "{\"id\":\"m1\",\"type\":\"experience.started\",\"timestamp\":0,\"data\":{\"legacy\":true}}"
            .getBytes(UTF_8);

    assertThat(receiver.receive(signed("m1", body), body).outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).get("legacy").asBoolean()).isTrue();
  }

  // ---------------------------------------------------------------- handler failures

  /**
   * A receiver whose experience handler throws each of {@code failures} in turn, one a call, and
   * then returns normally; {@code calls} counts its calls.
   */
  private WebhookReceiver throwing(AtomicInteger calls, Throwable... failures) {
    List<Throwable> left = new ArrayList<>(List.of(failures));
    return standard()
        .onExperience(
            e -> {
              calls.incrementAndGet();
              if (left.isEmpty()) {
                return;
              }
              Throwable t = left.remove(0);
              if (t instanceof Error error) {
                throw error;
              }
              throw (Exception) t;
            })
        .build();
  }

  @Test
  void aHandlerThatThrows_is500_withNothingOfItsMessage_andTheRetryIsProcessed() {
    AtomicInteger calls = new AtomicInteger();
    WebhookReceiver receiver =
        throwing(calls, new IllegalStateException("database password is hunter2"));
    byte[] body = body(experience("msg_1"));

    ReceiveResult failed = receiver.receive(signed("msg_1", body), body);
    clock.advance(Duration.ofSeconds(5));
    ReceiveResult retried = receiver.receive(signed("msg_1", body), body);
    ReceiveResult again = receiver.receive(signed("msg_1", body), body);

    assertThat(failed.outcome()).isEqualTo(Outcome.HANDLER_FAILED);
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.body()).isEqualTo("handler failed");
    assertThat(failed.failure().orElseThrow()).hasMessage("database password is hunter2");
    assertThat(retried.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(calls).hasValue(2);
  }

  @Test
  void aHandlerThatThrowsAnError_orIsInterrupted_isAlso500() {
    AtomicInteger calls = new AtomicInteger();
    WebhookReceiver receiver =
        throwing(calls, new AssertionError("bug"), new InterruptedException());
    byte[] body = body(experience("msg_1"));

    ReceiveResult error = receiver.receive(signed("msg_1", body), body);
    ReceiveResult interrupted = receiver.receive(signed("msg_1", body), body);

    assertThat(error.status()).isEqualTo(500);
    assertThat(error.failure().orElseThrow()).isInstanceOf(AssertionError.class);
    assertThat(interrupted.status()).isEqualTo(500);
    assertThat(Thread.interrupted()).as("interrupt status restored").isTrue();
    assertThat(receiver.receive(signed("msg_1", body), body).outcome())
        .isEqualTo(Outcome.PROCESSED);
  }

  @Test
  void aVirtualMachineError_isRethrown_afterTheIdIsReleased() {
    AtomicInteger calls = new AtomicInteger();
    WebhookReceiver receiver = throwing(calls, new OutOfMemoryError("simulated"));
    byte[] body = body(experience("msg_1"));

    assertThatThrownBy(() -> receiver.receive(signed("msg_1", body), body))
        .isInstanceOf(OutOfMemoryError.class);
    assertThat(receiver.receive(signed("msg_1", body), body).outcome())
        .isEqualTo(Outcome.PROCESSED);
    assertThat(calls).hasValue(2);
  }

  // ---------------------------------------------------------------- concurrent deliveries

  @Test
  void aDeliveryWhileTheSameIdIsBeingHandled_is503InProgress_andTheFirstDecides()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    WebhookReceiver receiver =
        standard()
            .onExperience(
                e -> {
                  calls.incrementAndGet();
                  entered.countDown();
                  assertThat(proceed.await(10, TimeUnit.SECONDS)).isTrue();
                })
            .build();
    byte[] body = body(experience("msg_1"));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<ReceiveResult> first = pool.submit(() -> receiver.receive(signed("msg_1", body), body));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      ReceiveResult concurrent = receiver.receive(signed("msg_1", body), body);
      proceed.countDown();

      assertThat(concurrent.outcome()).isEqualTo(Outcome.IN_PROGRESS);
      assertThat(concurrent.status()).isEqualTo(503);
      assertThat(concurrent.headers()).containsEntry("Retry-After", "5");
      assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.PROCESSED);
      assertThat(receiver.receive(signed("msg_1", body), body).outcome())
          .isEqualTo(Outcome.DUPLICATE);
      assertThat(calls).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void manyConcurrentDeliveriesOfOneId_runTheHandlerOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    WebhookReceiver receiver =
        standard()
            .onExperience(e -> calls.incrementAndGet())
            .build();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 50; round++) {
        String id = "msg_" + round;
        byte[] body = body(experience(id));
        Map<String, List<String>> headers = signed(id, body);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ReceiveResult>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    return receiver.receive(headers, body);
                  }));
        }
        go.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<ReceiveResult> r : results) {
          outcomes.add(r.get(10, TimeUnit.SECONDS).outcome());
        }
        assertThat(outcomes).containsOnlyOnce(Outcome.PROCESSED);
        assertThat(outcomes)
            .filteredOn(o -> o != Outcome.PROCESSED)
            .containsAnyOf(Outcome.DUPLICATE, Outcome.IN_PROGRESS)
            .doesNotContain(Outcome.HANDLER_FAILED, Outcome.STORE_UNAVAILABLE);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls).hasValue(50);
  }

  // ---------------------------------------------------------------- store failures

  /** A store whose chosen operation fails. */
  private static final class FailingStore implements IdempotencyStore {
    final InMemoryIdempotencyStore delegate = InMemoryIdempotencyStore.create();
    final String failing;

    FailingStore(String failing) {
      this.failing = failing;
    }

    private void maybeFail(String operation) {
      if (operation.equals(failing)) {
        throw new IllegalStateException(operation + " failed: database down");
      }
    }

    @Override
    public Claim claim(String key, String owner, Instant now, Instant leaseUntil) {
      maybeFail("claim");
      return delegate.claim(key, owner, now, leaseUntil);
    }

    @Override
    public void complete(String key, Instant expiresAt) {
      maybeFail("complete");
      delegate.complete(key, expiresAt);
    }

    @Override
    public void release(String key, String owner) {
      maybeFail("release");
      delegate.release(key, owner);
    }

    @Override
    public int prune(Instant now) {
      maybeFail("prune");
      return delegate.prune(now);
    }
  }

  @Test
  void aStoreThatCannotClaim_is503_andTheHandlerDoesNotRun() {
    WebhookReceiver receiver = receiver().idempotencyStore(new FailingStore("claim")).build();
    byte[] body = body(experience("msg_1"));

    ReceiveResult result = receiver.receive(signed("msg_1", body), body);

    assertThat(result.outcome()).isEqualTo(Outcome.STORE_UNAVAILABLE);
    assertThat(result.status()).isEqualTo(503);
    assertThat(result.headers()).containsEntry("Retry-After", "5");
    assertThat(result.body()).isEqualTo("temporarily unavailable");
    assertThat(handled).isEmpty();
  }

  @Test
  void aStoreThatCannotRecordTheCompletion_stillAnswers200_becauseTheHandlerRan() {
    WebhookReceiver receiver = receiver().idempotencyStore(new FailingStore("complete")).build();
    byte[] body = body(experience("msg_1"));

    ReceiveResult result = receiver.receive(signed("msg_1", body), body);

    assertThat(result.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThat(result.failure().orElseThrow()).hasMessageContaining("complete failed");
    assertThat(handled).hasSize(1);
  }

  @Test
  void aStoreThatCannotRelease_keepsTheHandlersFailure_withTheStoresSuppressed() {
    WebhookReceiver receiver =
        standard()
            .idempotencyStore(new FailingStore("release"))
            .onExperience(
                e -> {
                  throw new IllegalStateException("handler broke");
                })
            .build();
    byte[] body = body(experience("msg_1"));

    ReceiveResult result = receiver.receive(signed("msg_1", body), body);

    assertThat(result.status()).isEqualTo(500);
    assertThat(result.failure().orElseThrow()).hasMessage("handler broke");
    assertThat(result.failure().orElseThrow().getSuppressed()).hasSize(1);
  }

  @Test
  void pruneExpired_prunesByTheReceiversClock() {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
    WebhookReceiver receiver =
        receiver().idempotencyStore(store).idempotencyTtl(Duration.ofHours(1)).build();
    byte[] body = body(experience("msg_1"));
    receiver.receive(signed("msg_1", body), body);

    assertThat(receiver.pruneExpired()).isZero();
    clock.advance(Duration.ofHours(1));
    assertThat(receiver.pruneExpired()).isEqualTo(1);
    assertThat(receiver.idempotencyStore()).isSameAs(store);
  }

  // ---------------------------------------------------------------- several schemes, URLs

  @Test
  void severalVerifiers_acceptAnyOfTheirSchemes() {
    WebhookReceiver receiver =
        receiver()
            .verifier(SignatureScheme.shopify(), "shop-secret-for-tests")
            .verifier(
                SignatureScheme.standardWebhooksEd25519().verifier(
                    Secrets.newEd25519KeyPair().publicKey()))
            .build();
    byte[] standard = body(experience("msg_s"));
    byte[] shopify = body(experience("msg_shop"));

    assertThat(receiver.receive(signed("msg_s", standard), standard).outcome())
        .isEqualTo(Outcome.PROCESSED);
    assertThat(
            receiver
                .receive(
                    WebhookHeaders.of(
                        SignatureScheme.shopify().signer("shop-secret-for-tests").sign("x", T0, shopify)),
                    shopify)
                .outcome())
        .isEqualTo(Outcome.PROCESSED);
    assertThat(handled).hasSize(2);
  }

  @Test
  void aSchemeThatSignsTheUrl_isVerifiedAgainstTheUrlOfTheRequest() {
    String url = "https://hooks.example.com/insightarc?tenant=7";
    WebhookReceiver receiver =
        WebhookReceiver.builder()
            .verifier(SignatureScheme.insightarc(), "ia-secret-for-tests")
            .onExperience(handled::add)
            .build();
    byte[] body = body(experience("msg_ia"));
    WebhookHeaders headers =
        WebhookHeaders.of(
            Signer.builder(SignatureScheme.insightarc())
                .key("ia-secret-for-tests")
                .url(url)
                .build()
                .sign("x", T0, body));

    ReceiveResult otherUrl = receiver.receive(url + "&x=1", headers, body);
    ReceiveResult rightUrl = receiver.receive(url, headers, body);

    assertThat(otherUrl.status()).isEqualTo(401);
    assertThat(rightUrl.outcome()).isEqualTo(Outcome.PROCESSED);
    assertThatThrownBy(() -> receiver.receive(headers, body))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("receive(requestUrl, headers, body)");
  }

  // ---------------------------------------------------------------- builder

  @Test
  void builder_refusesIncompleteAndWrongSettings_namingThem() {
    assertThatThrownBy(() -> WebhookReceiver.builder().onAny(e -> {}).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no verifier");
    assertThatThrownBy(
            () -> WebhookReceiver.builder().verifier(SignatureScheme.github(), "s").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no handler");
    assertThatThrownBy(() -> WebhookReceiver.builder().verifier(SignatureScheme.github()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no key for scheme github");
    assertThatThrownBy(
            () ->
                WebhookReceiver.builder()
                    .verifier(SignatureScheme.standardWebhooks(), "whsec_!!!notbase64")
                    .onAny(e -> {})
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("notbase64");
    assertThatThrownBy(() -> WebhookReceiver.builder().on("experience.", Order.class, e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"experience.\"");
    assertThatThrownBy(() -> WebhookReceiver.builder().onGoal(e -> {}).onGoal(e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type \"goal.achieved\" already has a handler");
    assertThatThrownBy(() -> WebhookReceiver.builder().idempotencyTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("idempotencyTtl must be positive");
    assertThatThrownBy(() -> WebhookReceiver.builder().processingTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("processingTimeout must be positive");
    assertThatThrownBy(() -> WebhookReceiver.builder().maxBodyBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookReceiver.builder().tolerance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClaimExpiresAfterTheProcessingTimeout_soAStuckHandlerDoesNotBlockRetriesForEver()
      throws Exception {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
    WebhookReceiver receiver =
        receiver().idempotencyStore(store).processingTimeout(Duration.ofMinutes(1)).build();
    byte[] body = body(experience("msg_1"));
    // As if another node claimed it and died in its handler.
    store.claim("msg_1", "dead-node", T0, T0.plus(Duration.ofMinutes(1)));

    ReceiveResult blocked = receiver.receive(signed("msg_1", body), body);
    clock.advance(Duration.ofMinutes(1));
    ReceiveResult taken = receiver.receive(signed("msg_1", body), body);

    assertThat(blocked.outcome()).isEqualTo(Outcome.IN_PROGRESS);
    assertThat(taken.outcome()).isEqualTo(Outcome.PROCESSED);
  }

  @Test
  void outcomes_mapToTheStatusesSendersUnderstand() {
    assertThat(Outcome.values())
        .extracting(Outcome::status)
        .containsExactly(200, 200, 200, 400, 401, 413, 500, 503, 503);
    assertThat(Outcome.IGNORED.isSuccess()).isTrue();
    assertThat(Outcome.IN_PROGRESS.isSuccess()).isFalse();
  }
}
