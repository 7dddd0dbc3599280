package dev.hookwire.dispatch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreFullException;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.LogCapture;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import dev.hookwire.transport.Transport;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's delivery contracts, over real HTTP to MockWebServer, with a test clock and a
 * scheduler that runs only when the test says: retries are checked by moving the clock, never by
 * waiting.
 */
class DispatcherTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @StartStop final MockWebServer server = new MockWebServer();

  final MutableClock clock = MutableClock.at(TestEvents.T0);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final InMemoryDeliveryStore store = InMemoryDeliveryStore.create();
  final OkHttpTransport transport =
      OkHttpTransport.builder()
          .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
          .build();
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final List<String> recorded = Collections.synchronizedList(new ArrayList<>());
  final String secret = Secrets.newStandardSecret();
  Dispatcher dispatcher;

  final DeliveryListener recorder =
      new DeliveryListener() {
        @Override
        public void attemptSucceeded(AttemptRecord attempt) {
          events.add("succeeded " + attempt.attemptNumber());
        }

        @Override
        public void attemptRecorded(AttemptRecord attempt) {
          recorded.add(attempt.attemptNumber() + " " + attempt.outcome() + " " + attempt.status());
        }

        @Override
        public void attemptFailed(AttemptRecord attempt, Instant nextAttemptAt) {
          events.add("failed " + attempt.attemptNumber() + " " + attempt.outcome() + " next +"
              + Duration.between(clock.instant(), nextAttemptAt).toSeconds() + "s");
        }

        @Override
        public void deliveryDead(String deliveryId, String endpointId, String reason) {
          events.add("dead: " + reason);
        }

        @Override
        public void endpointDisabled(Endpoint endpoint, String reason) {
          events.add("disabled: " + reason);
        }
      };

  @BeforeEach
  void setUp() {
    dispatcher = newDispatcher(RetryPolicy.of(Duration.ofSeconds(5), Duration.ofMinutes(5)).withJitter(0));
  }

  Dispatcher newDispatcher(RetryPolicy policy) {
    return builder(transport).retryPolicy(policy).listener(recorder).build();
  }

  /** A dispatcher on this test's store, clock and scheduler, sending through {@code transport} to loopback. */
  Dispatcher.Builder builder(Transport transport) {
    return Dispatcher.builder()
        .store(store)
        .transport(transport)
        .clock(clock)
        .scheduler(scheduler)
        .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build());
  }

  @AfterEach
  void tearDown() {
    dispatcher.close(Duration.ZERO);
    transport.close();
  }

  Endpoint.Builder endpoint(String path) {
    return Endpoint.builder(server.url(path).toString())
        .signing(SignatureScheme.standardWebhooks(), secret);
  }

  DeliveryRecord only(SendReceipt receipt) {
    assertThat(receipt.deliveryIds()).hasSize(1);
    return store.delivery(receipt.deliveryIds().get(0)).orElseThrow();
  }

  void runUntilState(SendReceipt receipt, DeliveryState state) {
    scheduler.runUntil(() -> only(receipt).state() == state && dispatcher.inFlight() == 0, WAIT);
  }

  void runUntilAttempts(SendReceipt receipt, int attempts) {
    scheduler.runUntil(() -> dispatcher.attempts(receipt.eventId()).size() >= attempts && dispatcher.inFlight() == 0, WAIT);
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).as("request received").isNotNull();
    return request;
  }

  static Map<String, String> single(Headers headers) {
    Map<String, String> map = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : headers.names()) {
      map.put(name, headers.get(name));
    }
    return map;
  }

  @Test
  void delivers_signedWithTheEventIdAndFreshTimestamp_bodyExactlyTheEncodedEvent() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    dispatcher.register(endpoint("/hook").build());
    dispatcher.start();
    WebhookEvent<?> event = TestEvents.experienceStarted().toEvent(clock);

    SendReceipt receipt = dispatcher.send(event);
    runUntilState(receipt, DeliveryState.SUCCEEDED);

    RecordedRequest request = take();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getBody().toByteArray()).isEqualTo(EventCodec.ofDefaults().encode(event));
    assertThat(request.getHeaders().get("User-Agent")).startsWith("Hookwire/");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    Verifier verifier =
        Verifier.builder(SignatureScheme.standardWebhooks()).key(secret).clock(clock).build();
    VerifiedWebhook verified = verifier.verify(single(request.getHeaders()), request.getBody().toByteArray());
    assertThat(verified.webhookId()).contains(event.id());
    assertThat(verified.timestamp()).contains(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

    List<AttemptRecord> attempts = dispatcher.attempts(event.id());
    assertThat(attempts).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.responseSnippet()).isEqualTo("ok");
    });
    assertThat(events).containsExactly("succeeded 1");
  }

  @Test
  void failedAttempt_isRetriedOnSchedule_withSameIdAndNewTimestamp() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.register(endpoint("/hook").build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilAttempts(receipt, 1);
    assertThat(events).containsExactly("failed 1 HTTP_ERROR next +5s");
    RecordedRequest first = take();

    clock.advance(Duration.ofSeconds(4));
    scheduler.runDue();
    assertThat(dispatcher.attempts(receipt.eventId())).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    runUntilState(receipt, DeliveryState.SUCCEEDED);
    RecordedRequest second = take();
    assertThat(second.getHeaders().get("webhook-id")).isEqualTo(first.getHeaders().get("webhook-id"));
    assertThat(Long.parseLong(second.getHeaders().get("webhook-timestamp")))
        .isEqualTo(Long.parseLong(first.getHeaders().get("webhook-timestamp")) + 5);
    assertThat(only(receipt).attempts()).isEqualTo(2);
  }

  @Test
  void statusCodeRules_3xxAnd4xxRetry_lastAttemptDies_replayDeliversAgain() throws Exception {
    server.enqueue(new MockResponse.Builder().code(301).addHeader("Location", server.url("/other")).build());
    server.enqueue(new MockResponse.Builder().code(400).build());
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(204).build());
    dispatcher.register(endpoint("/hook").build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilAttempts(receipt, 1);
    clock.advance(Duration.ofSeconds(5));
    runUntilAttempts(receipt, 2);
    clock.advance(Duration.ofMinutes(5));
    runUntilState(receipt, DeliveryState.DEAD);

    assertThat(dispatcher.attempts(receipt.eventId()))
        .extracting(AttemptRecord::status)
        .containsExactly(301, 400, 503);
    assertThat(take().getUrl().encodedPath()).isEqualTo("/hook");
    assertThat(take().getUrl().encodedPath()).isEqualTo("/hook");
    assertThat(events).last().asString().startsWith("dead: all 3 attempts failed");
    assertThat(recorded).containsExactly("1 HTTP_ERROR 301", "2 HTTP_ERROR 400", "3 HTTP_ERROR 503");
    assertThat(dispatcher.deadDeliveries(only(receipt).endpointId(), Instant.EPOCH, 10)).hasSize(1);

    assertThat(dispatcher.replay(receipt.deliveryIds().get(0))).isTrue();
    runUntilState(receipt, DeliveryState.SUCCEEDED);
    assertThat(dispatcher.attempts(receipt.eventId())).extracting(AttemptRecord::status).endsWith(204);
  }

  @Test
  void attemptStarted_tellsEachAttemptsLag_fromSendForTheFirst_fromTheRetryTimeAfter() {
    List<AttemptStart> starts = Collections.synchronizedList(new ArrayList<>());
    dispatcher.close(Duration.ZERO);
    dispatcher = builder(transport)
        .retryPolicy(RetryPolicy.of(Duration.ofSeconds(5)).withJitter(0))
        .listener(new DeliveryListener() {
          @Override
          public void attemptStarted(AttemptStart attempt) {
            starts.add(attempt);
          }
        })
        .build();
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.register(endpoint("/hook").build());
    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    Instant sentAt = clock.instant();

    clock.advance(Duration.ofMillis(1500));
    dispatcher.start();
    runUntilAttempts(receipt, 1);
    clock.advance(Duration.ofSeconds(8));
    runUntilState(receipt, DeliveryState.SUCCEEDED);

    assertThat(starts).hasSize(2);
    AttemptStart first = starts.get(0);
    assertThat(first.attemptNumber()).isEqualTo(1);
    assertThat(first.dueAt()).isEqualTo(sentAt);
    assertThat(first.lag()).isEqualTo(Duration.ofMillis(1500));
    assertThat(first.eventType()).isEqualTo("experience.started");
    AttemptStart retry = starts.get(1);
    assertThat(retry.attemptNumber()).isEqualTo(2);
    assertThat(retry.dueAt()).isEqualTo(sentAt.plus(Duration.ofMillis(1500)).plusSeconds(5));
    assertThat(retry.lag()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aDestinationTheTransportRefuses_isAnAttemptOutcomeOfItsOwn_withNoRequestMade() {
    OkHttpTransport strict = OkHttpTransport.builder().build();   // refuses loopback
    dispatcher.close(Duration.ZERO);
    dispatcher = builder(strict)
        .retryPolicy(RetryPolicy.of(Duration.ofSeconds(5)).withJitter(0))
        .build();
    try {
      dispatcher.register(endpoint("/hook").build());
      dispatcher.start();

      SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
      runUntilAttempts(receipt, 1);

      assertThat(dispatcher.attempts(receipt.eventId())).singleElement()
          .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.REFUSED))
          .satisfies(a -> assertThat(a.status()).isZero());
      assertThat(server.getRequestCount()).isZero();
    } finally {
      dispatcher.close(Duration.ZERO);
      strict.close();
    }
  }

  @Test
  void gone410_killsTheDelivery_andDisablesTheEndpoint() {
    server.enqueue(new MockResponse.Builder().code(410).build());
    Endpoint endpoint = dispatcher.register(endpoint("/hook").build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilState(receipt, DeliveryState.DEAD);

    assertThat(events).containsExactly("dead: endpoint answered 410 Gone", "disabled: answered 410 Gone");
    assertThat(recorded).as("the last attempt of a dead delivery is recorded too").containsExactly("1 HTTP_ERROR 410");
    assertThat(dispatcher.endpoint(endpoint.id()).orElseThrow().enabled()).isFalse();
    assertThat(dispatcher.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds()).isEmpty();
  }

  @Test
  void retryAfter_inSecondsAndAsHttpDate_replacesTheSchedule_clampedToThePolicyLimit() {
    // The second attempt happens 42 s in; its Retry-After names a moment 120 s after that.
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(42 + 120).atZone(ZoneOffset.UTC));
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "42").build());
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", date).build());
    server.enqueue(new MockResponse.Builder().code(502).addHeader("Retry-After", "999999").build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.close(Duration.ZERO);
    dispatcher =
        newDispatcher(
            RetryPolicy.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withJitter(0)
                .withMaxRetryAfter(Duration.ofMinutes(10)));
    dispatcher.register(endpoint("/hook").build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilAttempts(receipt, 1);
    clock.advance(Duration.ofSeconds(42));
    runUntilAttempts(receipt, 2);
    clock.advance(Duration.ofSeconds(120));
    runUntilAttempts(receipt, 3);
    clock.advance(Duration.ofMinutes(10));
    runUntilState(receipt, DeliveryState.SUCCEEDED);

    assertThat(events)
        .containsExactly(
            "failed 1 HTTP_ERROR next +42s",
            "failed 2 HTTP_ERROR next +120s",
            "failed 3 HTTP_ERROR next +600s",
            "succeeded 4");
  }

  @Test
  void timeout_andConnectionRefused_areFailedAttempts() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(5, TimeUnit.SECONDS).build());
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    dispatcher.register(endpoint("/slow").timeout(Duration.ofMillis(200)).build());
    dispatcher.register(
        Endpoint.builder("http://127.0.0.1:" + closedPort + "/refused")
            .signing(SignatureScheme.standardWebhooks(), secret)
            .build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilAttempts(receipt, 2);

    assertThat(dispatcher.attempts(receipt.eventId()))
        .extracting(AttemptRecord::outcome)
        .containsExactlyInAnyOrder(AttemptOutcome.TIMEOUT, AttemptOutcome.NETWORK_ERROR);
    assertThat(dispatcher.attempts(receipt.eventId())).allSatisfy(a -> {
      assertThat(a.status()).isZero();
      assertThat(a.error()).isPresent();
    });
  }

  @Test
  void rotation_signsWithBothSecretsDuringGrace_thenOnlyTheNewOne() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    Endpoint endpoint = dispatcher.register(endpoint("/hook").build());
    dispatcher.start();
    String newSecret = Secrets.newStandardSecret();
    dispatcher.rotateSecret(endpoint.id(), newSecret, Duration.ofHours(1));

    runUntilState(dispatcher.send(TestEvents.experienceStarted().toEvent(clock)), DeliveryState.SUCCEEDED);
    RecordedRequest during = take();
    assertThat(during.getHeaders().get("webhook-signature").split(" ")).hasSize(2);
    for (String key : List.of(secret, newSecret)) {
      Verifier.builder(SignatureScheme.standardWebhooks()).key(key).clock(clock).build()
          .verify(single(during.getHeaders()), during.getBody().toByteArray());
    }

    clock.advance(Duration.ofHours(1));
    runUntilState(dispatcher.send(TestEvents.experienceStarted().toEvent(clock)), DeliveryState.SUCCEEDED);
    RecordedRequest after = take();
    assertThat(after.getHeaders().get("webhook-signature").split(" ")).hasSize(1);
    Verifier.builder(SignatureScheme.standardWebhooks()).key(newSecret).clock(clock).build()
        .verify(single(after.getHeaders()), after.getBody().toByteArray());
  }

  @Test
  void authentication_extraHeaders_andPutAndDeleteMethods() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    dispatcher.register(endpoint("/basic").method("PUT").authentication(Authentication.basic("ana", "pa:ss")).header("X-Team", "growth").build());
    dispatcher.register(endpoint("/bearer").method("delete").authentication(Authentication.bearer("tok123")).build());
    dispatcher.register(Endpoint.builder(server.url("/key").toString()).authentication(Authentication.apiKey("X-API-Key", "k-1")).build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    scheduler.runUntil(() -> server.getRequestCount() == 3 && dispatcher.inFlight() == 0, WAIT);

    Map<String, RecordedRequest> byPath = new java.util.HashMap<>();
    for (int i = 0; i < 3; i++) {
      RecordedRequest r = take();
      byPath.put(r.getUrl().encodedPath(), r);
    }
    assertThat(byPath.get("/basic").getMethod()).isEqualTo("PUT");
    assertThat(byPath.get("/basic").getHeaders().get("Authorization"))
        .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("ana:pa:ss".getBytes(UTF_8)));
    assertThat(byPath.get("/basic").getHeaders().get("X-Team")).isEqualTo("growth");
    assertThat(byPath.get("/bearer").getMethod()).isEqualTo("DELETE");
    assertThat(byPath.get("/bearer").getHeaders().get("Authorization")).isEqualTo("Bearer tok123");
    assertThat(byPath.get("/key").getHeaders().get("X-API-Key")).isEqualTo("k-1");
    assertThat(byPath.get("/key").getHeaders().get("webhook-signature")).isNull();
    assertThat(receipt.deliveryIds()).hasSize(3);
  }

  @Test
  void payloadMapper_runsOncePerEvent_andItsBodyIsSentToEveryEndpointUsingIt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    PayloadMapper mapper =
        new PayloadMapper() {
          @Override
          public String name() {
            return "summary";
          }

          @Override
          public byte[] map(WebhookEvent<?> event, EventCodec codec) {
            calls.incrementAndGet();
            return ("{\"summary\":\"" + event.type() + "\"}").getBytes(UTF_8);
          }
        };
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    dispatcher.register(endpoint("/a").payloadMapper(mapper).build());
    dispatcher.register(endpoint("/b").payloadMapper(mapper).build());
    dispatcher.register(endpoint("/c").build());
    dispatcher.start();

    dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    scheduler.runUntil(() -> server.getRequestCount() == 3 && dispatcher.inFlight() == 0, WAIT);

    assertThat(calls).hasValue(1);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      bodies.add(take().getBody().utf8());
    }
    assertThat(bodies).filteredOn(b -> b.equals("{\"summary\":\"experience.started\"}")).hasSize(2);
    assertThat(bodies).filteredOn(b -> b.startsWith("{\"id\":\"msg_")).hasSize(1);
  }

  @Test
  void subscriptions_fanOutOnlyToMatchingEnabledEndpoints() {
    dispatcher.register(endpoint("/all").build());
    dispatcher.register(endpoint("/exp").subscribe("experience.*").build());
    dispatcher.register(endpoint("/goal").subscribe("goal.achieved").build());
    dispatcher.register(endpoint("/off").enabled(false).build());

    assertThat(dispatcher.send(TestEvents.experienceStarted().toEvent(clock)).deliveryIds()).hasSize(2);
    assertThat(dispatcher.send(WebhookEvent.create("goal.achieved", TestEvents.goal(), clock)).deliveryIds()).hasSize(2);
    assertThat(dispatcher.send(WebhookEvent.create("other.thing", Map.of("a", 1), clock)).deliveryIds()).hasSize(1);
  }

  @Test
  void sendingWhileTheStoreHoldsNoEndpoint_warnsOnce_namingTheFirstEvent() {
    WebhookEvent<?> first = TestEvents.experienceStarted().toEvent(clock);
    WebhookEvent<?> second = TestEvents.experienceStarted().toEvent(clock);

    List<String> lines = LogCapture.lines(() -> {
      assertThat(dispatcher.send(first).deliveryIds()).isEmpty();
      assertThat(dispatcher.send(second).deliveryIds()).isEmpty();
    });

    assertThat(lines).filteredOn(line -> line.contains("went to no endpoint")).singleElement().asString()
        .contains("WARN", first.id(), "the store holds none", "Register endpoints before sending");
    dispatcher.register(endpoint("/a").build());
    assertThat(LogCapture.lines(() -> dispatcher.send(first))).noneMatch(line -> line.contains("WARN"));
  }

  @Test
  void closingWithoutStart_afterSends_warnsThatTheInMemoryDeliveriesAreLost() {
    dispatcher.register(endpoint("/a").build());
    dispatcher.send(TestEvents.experienceStarted().toEvent(clock));

    List<String> lines = LogCapture.lines(() -> dispatcher.close(Duration.ZERO));

    assertThat(lines).filteredOn(line -> line.contains("closed without start()")).singleElement().asString()
        .contains("WARN", "the 1 delivery(ies) sent through it were never attempted and are lost");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void closingWithoutStart_onADurableStore_saysTheDeliveriesStayPending_atInfo() {
    TestDataSource database = Databases.h2();
    try (JdbcDeliveryStore durable = JdbcDeliveryStore.builder(database).build()) {
      Dispatcher enqueueOnly = Dispatcher.builder().store(durable).transport(transport).clock(clock).scheduler(scheduler)
          .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build()).build();
      enqueueOnly.register(endpoint("/a").build());
      enqueueOnly.send(TestEvents.experienceStarted().toEvent(clock));

      List<String> lines = LogCapture.lines(() -> enqueueOnly.close(Duration.ZERO));

      assertThat(lines).filteredOn(line -> line.contains("closed without start()")).singleElement().asString()
          .contains("INFO", "stay pending in the store");
      assertThat(durable.count(DeliveryState.PENDING)).isEqualTo(1);
    }
  }

  @Test
  void closingAStartedDispatcher_saysNothingOfDeliveriesSentBeforeStart() {
    dispatcher.register(endpoint("/a").build());
    dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    dispatcher.start();

    assertThat(LogCapture.lines(() -> dispatcher.close(Duration.ZERO))).noneMatch(line -> line.contains("without start()"));
  }

  @Test
  void ssrf_privateAndLoopbackDestinations_refusedByDefault() {
    Dispatcher strict = Dispatcher.builder().store(InMemoryDeliveryStore.create()).transport(transport).scheduler(scheduler).build();
    try {
      for (String url : List.of(server.url("/hook").toString(), "http://localhost:8080/x", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/", "http://[::1]:9/")) {
        assertThatThrownBy(() -> strict.register(Endpoint.builder(url).build()))
            .as(url)
            .isInstanceOfSatisfying(
                EndpointValidationException.class,
                e -> assertThat(e.check()).isEqualTo(EndpointValidationException.Check.DESTINATION));
      }
      assertThat(server.getRequestCount()).isZero();
    } finally {
      strict.close(Duration.ZERO);
    }
  }

  @Test
  void headValidation_refuses5xx_andNamesTheCheck() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build());
    assertThatThrownBy(() -> dispatcher.register(endpoint("/down").verifyOnRegistration(true).build()))
        .isInstanceOfSatisfying(
            EndpointValidationException.class,
            e -> assertThat(e.check()).isEqualTo(EndpointValidationException.Check.STATUS))
        .hasMessageContaining("503")
        .hasMessageContaining("below 500");
    assertThat(take().getMethod()).isEqualTo("HEAD");
    assertThat(dispatcher.endpoints()).isEmpty();

    // A receiver that takes only POST answers HEAD with 404 (Express) or 405 (Spring, Servlets):
    // the server is there, so the endpoint is registered.
    for (int status : new int[] {404, 405}) {
      server.enqueue(new MockResponse.Builder().code(status).build());
      Endpoint postOnly = dispatcher.register(endpoint("/post-only-" + status).verifyOnRegistration(true).build());
      assertThat(take().getMethod()).isEqualTo("HEAD");
      assertThat(dispatcher.endpoint(postOnly.id())).as("HEAD answered %d", status).isPresent();
    }

    server.enqueue(new MockResponse.Builder().code(200).build());
    Endpoint ok = dispatcher.register(endpoint("/present").verifyOnRegistration(true).build());
    assertThat(take().getMethod()).isEqualTo("HEAD");
    assertThat(dispatcher.endpoint(ok.id())).isPresent();

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    assertThatThrownBy(() -> dispatcher.register(Endpoint.builder("http://127.0.0.1:" + closedPort + "/").verifyOnRegistration(true).build()))
        .isInstanceOfSatisfying(
            EndpointValidationException.class,
            e -> assertThat(e.check()).isEqualTo(EndpointValidationException.Check.REACHABILITY));
  }

  @Test
  void testEvent_answersWithTheAttempt_andStoresNothing() throws Exception {
    server.enqueue(new MockResponse.Builder().code(202).body("accepted").build());
    Endpoint endpoint = dispatcher.register(endpoint("/hook").build());

    AttemptRecord attempt = dispatcher.sendTestEvent(endpoint.id()).get(10, TimeUnit.SECONDS);

    assertThat(attempt.succeeded()).isTrue();
    assertThat(attempt.status()).isEqualTo(202);
    assertThat(attempt.responseSnippet()).isEqualTo("accepted");
    RecordedRequest request = take();
    assertThat(request.getBody().utf8()).contains("\"type\":\"hookwire.test\"");
    Verifier.builder(SignatureScheme.standardWebhooks()).key(secret).clock(clock).build()
        .verify(single(request.getHeaders()), request.getBody().toByteArray());
    assertThat(store.count(DeliveryState.PENDING) + store.count(DeliveryState.SUCCEEDED)).isZero();
  }

  @Test
  void autoDisable_afterContinuousFailure_aSuccessResetsTheClock() {
    dispatcher.close(Duration.ZERO);
    dispatcher =
        builder(transport)
            .retryPolicy(RetryPolicy.of(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1)).withJitter(0))
            .circuitBreaker(0, Duration.ZERO)
            .autoDisableAfter(Duration.ofHours(2))
            .listener(recorder)
            .build();
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    for (int i = 0; i < 4; i++) {
      server.enqueue(new MockResponse.Builder().code(500).build());
    }
    Endpoint endpoint = dispatcher.register(endpoint("/hook").build());
    dispatcher.start();

    SendReceipt first = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilAttempts(first, 1);
    clock.advance(Duration.ofHours(1));
    runUntilState(first, DeliveryState.SUCCEEDED); // failing for 1 h, then a success

    SendReceipt second = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilAttempts(second, 1);
    clock.advance(Duration.ofHours(1));
    runUntilAttempts(second, 2);
    assertThat(dispatcher.endpoint(endpoint.id()).orElseThrow().enabled()).isTrue();
    clock.advance(Duration.ofHours(1));
    runUntilAttempts(second, 3);

    assertThat(dispatcher.endpoint(endpoint.id()).orElseThrow().enabled()).isFalse();
    assertThat(events).filteredOn(e -> e.startsWith("disabled")).singleElement().asString().contains("PT2H");
    // Its pending work waits while it is disabled; enabling resumes it.
    clock.advance(Duration.ofHours(1));
    scheduler.runDue();
    assertThat(only(second).state()).isEqualTo(DeliveryState.PENDING);
    assertThat(dispatcher.attempts(second.eventId())).hasSize(3);
    dispatcher.enable(endpoint.id());
    runUntilState(second, DeliveryState.DEAD);
    assertThat(dispatcher.attempts(second.eventId())).hasSize(4);
  }

  @Test
  void orderingKey_nextDeliveryWaitsForThePreviousToFinish() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.register(endpoint("/hook").build());
    dispatcher.start();

    SendReceipt first = dispatcher.send(WebhookEvent.create("experience.updated", Map.of("n", 1), clock), "exp_1");
    SendReceipt second = dispatcher.send(WebhookEvent.create("experience.updated", Map.of("n", 2), clock), "exp_1");
    runUntilAttempts(first, 1);
    scheduler.runDue();
    assertThat(dispatcher.attempts(second.eventId())).isEmpty();

    clock.advance(Duration.ofSeconds(5));
    runUntilState(second, DeliveryState.SUCCEEDED);
    assertThat(take().getBody().utf8()).contains("\"n\":1");
    assertThat(take().getBody().utf8()).contains("\"n\":1");
    assertThat(take().getBody().utf8()).contains("\"n\":2");
  }

  @Test
  void sendAfterClose_failsClearly() {
    dispatcher.start();
    dispatcher.close();

    assertThatThrownBy(() -> dispatcher.send(TestEvents.experienceStarted().toEvent(clock)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void endpointsPersistInTheStore_aNewDispatcherOnItLoadsThemAndFinishesTheWork() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Endpoint endpoint =
        dispatcher.register(endpoint("/hook").subscribe("experience.*").header("X-Team", "growth").build());
    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    dispatcher.close(Duration.ZERO); // never started: the delivery is still pending

    Dispatcher second = newDispatcher(RetryPolicy.standardWebhooks());
    try {
      second.start();
      assertThat(second.endpoint(endpoint.id())).contains(endpoint);
      scheduler.runUntil(() -> only(receipt).state() == DeliveryState.SUCCEEDED && second.inFlight() == 0, WAIT);
      assertThat(take().getHeaders().get("X-Team")).isEqualTo("growth");
    } finally {
      second.close(Duration.ZERO);
    }
  }

  @Test
  void update_movesDeliveriesToTheNewUrl_delete_killsWhatIsPending() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Endpoint endpoint = dispatcher.register(endpoint("/old").build());
    dispatcher.update(endpoint.toBuilder().build());
    Endpoint moved =
        dispatcher.update(
            Endpoint.builder(server.url("/new").toString()).id(endpoint.id())
                .signing(SignatureScheme.standardWebhooks(), secret).build());
    assertThat(moved.url()).endsWith("/new");
    assertThatThrownBy(() -> dispatcher.update(Endpoint.builder(server.url("/x").toString()).id("ep_unknown").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ep_unknown");
    assertThat(dispatcher.register(moved)).isEqualTo(moved);
    assertThatThrownBy(() -> dispatcher.register(moved.toBuilder().subscribe("goal.*").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered with other settings");
    dispatcher.start();

    runUntilState(dispatcher.send(TestEvents.experienceStarted().toEvent(clock)), DeliveryState.SUCCEEDED);
    assertThat(take().getUrl().encodedPath()).isEqualTo("/new");

    dispatcher.disable(moved.id());
    SendReceipt none = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    assertThat(none.deliveryIds()).isEmpty();
    dispatcher.enable(moved.id());
    server.enqueue(new MockResponse.Builder().code(500).build());
    SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilAttempts(receipt, 1);
    assertThat(dispatcher.delete(moved.id())).isTrue();
    assertThat(dispatcher.endpoints()).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    runUntilState(receipt, DeliveryState.DEAD);
    assertThat(events).last().isEqualTo("dead: endpoint deleted");
  }

  @Test
  void jdkHttpTransport_deliversAndRetriesTheSameWay() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    dispatcher.close(Duration.ZERO);
    dev.hookwire.transport.JdkHttpTransport jdk =
        dev.hookwire.transport.JdkHttpTransport.builder()
            .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
            .build();
    dispatcher =
        builder(jdk)
            .retryPolicy(RetryPolicy.of(Duration.ofSeconds(5)).withJitter(0))
            .listener(recorder)
            .build();
    try {
      dispatcher.register(endpoint("/hook").build());
      dispatcher.start();
      SendReceipt receipt = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
      runUntilAttempts(receipt, 1);
      clock.advance(Duration.ofSeconds(5));
      runUntilState(receipt, DeliveryState.SUCCEEDED);

      RecordedRequest first = take();
      RecordedRequest second = take();
      assertThat(second.getHeaders().get("webhook-id")).isEqualTo(first.getHeaders().get("webhook-id"));
      assertThat(second.getHeaders().get("User-Agent")).startsWith("Hookwire/");
      Verifier.builder(SignatureScheme.standardWebhooks()).key(secret).clock(clock).build()
          .verify(single(second.getHeaders()), second.getBody().toByteArray());
      assertThat(events).containsExactly("failed 1 HTTP_ERROR next +5s", "succeeded 2");
    } finally {
      jdk.close();
    }
  }

  @Test
  void circuitBreaker_opensAfterFailuresInARow_thenLetsOneProbeThrough() {
    dispatcher.close(Duration.ZERO);
    dispatcher =
        builder(transport)
            .retryPolicy(RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(1)).withJitter(0))
            .circuitBreaker(3, Duration.ofSeconds(30))
            .maxInFlightPerEndpoint(1)
            .listener(recorder)
            .build();
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(500).build());
    }
    for (int i = 0; i < 10; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    dispatcher.register(endpoint("/hook").build());
    dispatcher.start();
    List<SendReceipt> receipts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      receipts.add(dispatcher.send(TestEvents.experienceStarted().toEvent(clock)));
    }
    scheduler.runUntil(() -> server.getRequestCount() == 3 && dispatcher.inFlight() == 0, WAIT);

    // Open: retries fall due after 1 s, but nothing is sent for 30 s.
    clock.advance(Duration.ofSeconds(29));
    scheduler.runDue();
    assertThat(server.getRequestCount()).isEqualTo(3);

    // Half-open: one probe; its success closes the breaker and the rest follow.
    clock.advance(Duration.ofSeconds(1));
    scheduler.runUntil(
        () -> receipts.stream().allMatch(r -> only(r).state() == DeliveryState.SUCCEEDED) && dispatcher.inFlight() == 0,
        WAIT);
    assertThat(server.getRequestCount()).isEqualTo(6);
  }

  @Test
  void rateLimit_spacesRequestsByTheClock() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    dispatcher.register(endpoint("/hook").rateLimitPerNode(2).build());
    dispatcher.start();
    for (int i = 0; i < 4; i++) {
      dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    }

    scheduler.runUntil(() -> server.getRequestCount() == 2 && dispatcher.inFlight() == 0, WAIT);
    scheduler.runDue();
    assertThat(server.getRequestCount()).isEqualTo(2);
    clock.advance(Duration.ofMillis(500));
    scheduler.runUntil(() -> server.getRequestCount() == 3 && dispatcher.inFlight() == 0, WAIT);
    clock.advance(Duration.ofMillis(500));
    scheduler.runUntil(() -> server.getRequestCount() == 4 && dispatcher.inFlight() == 0, WAIT);
  }

  @Test
  void replayDead_revivesEveryDeadDeliveryOfAnEndpointSinceATime() {
    dispatcher.close(Duration.ZERO);
    dispatcher = newDispatcher(RetryPolicy.of());
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(500).build());
    }
    for (int i = 0; i < 2; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    Endpoint endpoint = dispatcher.register(endpoint("/hook").build());
    dispatcher.start();
    SendReceipt early = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilState(early, DeliveryState.DEAD);
    clock.advance(Duration.ofMinutes(1));
    Instant since = clock.instant();
    SendReceipt late1 = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    SendReceipt late2 = dispatcher.send(TestEvents.experienceStarted().toEvent(clock));
    runUntilState(late1, DeliveryState.DEAD);
    runUntilState(late2, DeliveryState.DEAD);

    assertThat(dispatcher.replayDead(endpoint.id(), since)).isEqualTo(2);
    runUntilState(late1, DeliveryState.SUCCEEDED);
    runUntilState(late2, DeliveryState.SUCCEEDED);
    assertThat(only(early).state()).isEqualTo(DeliveryState.DEAD);
  }

  @Test
  void send_toAFullStore_throwsItsStoreFullExceptionUnchanged_andStoresNothing() {
    InMemoryDeliveryStore small = InMemoryDeliveryStore.builder().maxPending(1).build();
    try (Dispatcher d =
        Dispatcher.builder()
            .store(small)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(true).build())
            .build()) {
      d.register(endpoint("/a").build());
      d.register(endpoint("/b").build());
      WebhookEvent<?> event = TestEvents.experienceStarted().toEvent();

      assertThatThrownBy(() -> d.send(event))
          .isExactlyInstanceOf(StoreFullException.class)
          .hasMessageContaining("may hold 1 (maxPending)")
          .hasMessageContaining("refused 2 more; nothing was stored");

      assertThat(d.deliveries(event.id())).isEmpty();
      assertThat(d.count(DeliveryState.PENDING)).isZero();
    }
  }

  @Test
  void sendTo_reachesOnlyThatEndpoint_evenOneNotSubscribedToTheType() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Endpoint goals = dispatcher.register(endpoint("/goals").subscribe("goal.achieved").build());
    dispatcher.register(endpoint("/everything").build());
    dispatcher.register(endpoint("/experiences").subscribe("experience.*").build());
    dispatcher.start();
    WebhookEvent<?> event = TestEvents.experienceStarted().toEvent(clock);

    SendReceipt receipt = dispatcher.sendTo(goals.id(), event);
    runUntilState(receipt, DeliveryState.SUCCEEDED);

    assertThat(receipt.eventId()).isEqualTo(event.id());
    assertThat(only(receipt).endpointId()).isEqualTo(goals.id());
    RecordedRequest request = take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/goals");
    assertThat(request.getHeaders().get("webhook-id")).isEqualTo(event.id());
    assertThat(request.getBody().toByteArray()).isEqualTo(EventCodec.ofDefaults().encode(event));
    scheduler.runDue();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(dispatcher.deliveries(event.id())).singleElement()
        .satisfies(d -> assertThat(d.endpointId()).isEqualTo(goals.id()));
  }

  @Test
  void sendTo_isRetriedAfterA503_onTheSchedule_andLoggedLikeAnyDelivery() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    Endpoint target = dispatcher.register(endpoint("/hook").subscribe("goal.achieved").build());
    dispatcher.start();
    WebhookEvent<?> event = WebhookEvent.create("hookwire.test", Map.of("message", "hello"), clock);

    SendReceipt receipt = dispatcher.sendTo(target.id(), event);
    runUntilAttempts(receipt, 1);
    assertThat(events).containsExactly("failed 1 HTTP_ERROR next +5s");
    clock.advance(Duration.ofSeconds(5));
    runUntilState(receipt, DeliveryState.SUCCEEDED);

    assertThat(take().getHeaders().get("webhook-id")).isEqualTo(event.id());
    assertThat(take().getHeaders().get("webhook-id")).isEqualTo(event.id());
    assertThat(dispatcher.attempts(event.id()))
        .extracting(AttemptRecord::attemptNumber, AttemptRecord::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 503), org.assertj.core.groups.Tuple.tuple(2, 200));
    assertThat(recorded).containsExactly("1 HTTP_ERROR 503", "2 SUCCEEDED 200");
    DeliveryQuery log =
        DeliveryQuery.builder().endpointId(target.id()).eventType("hookwire.test").limit(10).build();
    assertThat(dispatcher.deliveries(log)).singleElement().satisfies(d -> {
      assertThat(d.deliveryId()).isEqualTo(receipt.deliveryIds().get(0));
      assertThat(d.state()).isEqualTo(DeliveryState.SUCCEEDED);
      assertThat(d.attempts()).isEqualTo(2);
      assertThat(d.lastAttempt().orElseThrow().status()).isEqualTo(200);
    });
    assertThat(dispatcher.deliveries(log.toBuilder().state(DeliveryState.DEAD).build())).isEmpty();
  }

  @Test
  void sendTo_sendsTheBodyOfTheEndpointsPayloadMapper() throws Exception {
    PayloadMapper mapper =
        new PayloadMapper() {
          @Override
          public String name() {
            return "summary";
          }

          @Override
          public byte[] map(WebhookEvent<?> event, EventCodec codec) {
            return ("{\"summary\":\"" + event.type() + "\"}").getBytes(UTF_8);
          }
        };
    server.enqueue(new MockResponse.Builder().code(200).build());
    Endpoint mapped = dispatcher.register(endpoint("/mapped").payloadMapper(mapper).build());
    dispatcher.start();

    SendReceipt receipt = dispatcher.sendTo(mapped.id(), TestEvents.experienceStarted().toEvent(clock));
    runUntilState(receipt, DeliveryState.SUCCEEDED);

    assertThat(take().getBody().utf8()).isEqualTo("{\"summary\":\"experience.started\"}");
  }

  @Test
  void sendTo_anUnknownOrDisabledEndpoint_isRefused_namingIt_andStoresNothing() {
    Endpoint off = dispatcher.register(endpoint("/off").build());
    dispatcher.disable(off.id());
    WebhookEvent<?> event = TestEvents.experienceStarted().toEvent(clock);

    assertThatThrownBy(() -> dispatcher.sendTo("ep_nobody", event))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ep_nobody");
    assertThatThrownBy(() -> dispatcher.sendTo(off.id(), event))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageContaining("endpoint " + off.id() + " is disabled (disabled by the host)")
        .hasMessageContaining("nothing was stored");
    assertThat(dispatcher.deliveries(event.id())).isEmpty();
    assertThat(store.count(DeliveryState.PENDING)).isZero();

    dispatcher.enable(off.id());
    assertThat(dispatcher.sendTo(off.id(), event).deliveryIds()).hasSize(1);
  }

  @Test
  void sendTo_afterClose_failsClearly() {
    Endpoint endpoint = dispatcher.register(endpoint("/a").build());
    dispatcher.start();
    dispatcher.close();

    assertThatThrownBy(() -> dispatcher.sendTo(endpoint.id(), TestEvents.experienceStarted().toEvent(clock)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("dispatcher is closed");
  }

  @Test
  void sendTo_aFullStore_throwsItsStoreFullExceptionUnchanged_andStoresNothing() {
    InMemoryDeliveryStore small = InMemoryDeliveryStore.builder().maxPending(1).build();
    try (Dispatcher d = builder(transport).store(small).build()) {
      Endpoint endpoint = d.register(endpoint("/a").build());
      d.sendTo(endpoint.id(), TestEvents.experienceStarted().toEvent(clock));
      WebhookEvent<?> event = TestEvents.experienceStarted().toEvent(clock);

      assertThatThrownBy(() -> d.sendTo(endpoint.id(), event))
          .isExactlyInstanceOf(StoreFullException.class)
          .hasMessageContaining("may hold 1 (maxPending)");
      assertThat(d.deliveries(event.id())).isEmpty();
      assertThat(d.count(DeliveryState.PENDING)).isEqualTo(1);
    }
  }
}
