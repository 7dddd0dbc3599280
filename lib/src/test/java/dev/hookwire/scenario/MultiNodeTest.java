package dev.hookwire.scenario;

import static org.assertj.core.api.Assertions.fail;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.jdbc.JdbcDeliveryStore;
import dev.hookwire.testing.CleanUp;
import dev.hookwire.testing.Databases;
import dev.hookwire.testing.Databases.Kind;
import dev.hookwire.testing.DispatcherNode;
import dev.hookwire.testing.EndpointSink;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.SharedStore;
import dev.hookwire.testing.Signal;
import dev.hookwire.testing.TestDataSource;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.testing.TestTransports;
import dev.hookwire.testing.WebhookSink;
import dev.hookwire.transport.OkHttpTransport;
import dev.hookwire.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dispatchers on several nodes that share one JDBC store act on one set of endpoints, the
 * store's: what one node registers, changes or deletes, every node acts on once the staleness
 * bound ({@value #BOUND_MILLIS} ms on the dispatchers' clock) has passed; an event is fanned out
 * to the endpoints enabled and subscribed when it is sent, whichever node sends it; a delivery
 * dies as "endpoint deleted" only once the endpoint is gone from the store.
 *
 * <p>The first test takes seeded random steps on two nodes in this JVM and checks them against a
 * model of the endpoints. After every change it moves the shared clock past the bound, so that
 * the model is exact: each event must reach exactly the endpoints the model says, each once. A
 * failure prints the seed, every violation and the steps; {@code
 * -Dhookwire.multinode.seeds=7,8} runs other seeds. The second test restarts one of two nodes
 * while events flow; the third puts the second node in a JVM of its own, on real time.
 */
class MultiNodeTest {
  private static final long BOUND_MILLIS = 1_000;
  private static final Duration BOUND = Duration.ofMillis(BOUND_MILLIS);
  /** How far the clock moves after each change: past the bound, so every node must see it. */
  private static final Duration STEP = BOUND.plusMillis(100);
  /**
   * How far from a request's signed time a key may have been added or have expired and still be
   * accepted: a node may sign with a view one bound old, read just before the clock moved on.
   */
  private static final Duration KEY_SLACK = BOUND.plus(STEP);
  private static final Duration POLL = Duration.ofMillis(20);
  /** Far beyond the clock's travel in a test: no lease runs out while its request is in flight. */
  private static final Duration LEASE = Duration.ofHours(1);
  private static final Duration DRAIN = Duration.ofSeconds(10);
  private static final Duration SETTLE = Duration.ofSeconds(30);
  /** How far the clock moves per look while waiting for deliveries to settle, for retries. */
  private static final Duration SETTLE_TICK = Duration.ofMillis(100);
  private static final RetryPolicy RETRIES =
      RetryPolicy.of(
              Duration.ofMillis(100),
              Duration.ofMillis(100),
              Duration.ofMillis(100),
              Duration.ofMillis(100),
              Duration.ofMillis(100))
          .withJitter(0);

  private static final int STEPS = 40;
  private static final int MAX_LIVE_ENDPOINTS = 5;
  private static final long[] SEEDS = {1, 2, 5, 6};
  private static final List<String> TYPES =
      List.of("experience.started", "experience.ended", "goal.achieved", "order.created");
  private static final List<Duration> GRACES =
      List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofHours(1));

  private final Signal signal = new Signal();
  private final MutableClock clock = MutableClock.atT0();
  @RegisterExtension final CleanUp cleanUp = new CleanUp();

  static Stream<Arguments> kindsAndSeeds() {
    String property = System.getProperty("hookwire.multinode.seeds", "").trim();
    long[] seeds =
        property.isEmpty()
            ? SEEDS
            : Arrays.stream(property.split(",")).mapToLong(s -> Long.parseLong(s.trim())).toArray();
    return Arrays.stream(Kind.values())
        .flatMap(kind -> Arrays.stream(seeds).mapToObj(seed -> Arguments.of(kind, seed)));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("kindsAndSeeds")
  void randomChangesOnEitherNode_matchTheModel(Kind kind, long seed) throws Exception {
    Run run = new Run(kind, "random steps on " + kind + ", seed " + seed
        + " (again: -Dhookwire.multinode.seeds=" + seed + ")");
    Random random = new Random(seed);
    Node a = run.start("A");
    Node b = run.start("B");
    List<Node> nodes = List.of(a, b);
    int registered = 0;
    for (int i = 0; i < STEPS; i++) {
      List<ModelEndpoint> live = run.model.live();
      Node node = nodes.get(random.nextInt(nodes.size()));
      int roll = random.nextInt(100);
      if (live.isEmpty() || (roll < 15 && live.size() < MAX_LIVE_ENDPOINTS)) {
        registered++;
        run.register(node, "ep" + registered, secret(random), subscriptions(random), true);
      } else if (roll < 45) {
        int events = 1 + random.nextInt(3);
        for (int e = 0; e < events; e++) {
          run.send(node, TYPES.get(random.nextInt(TYPES.size())), Set.of());
        }
      } else {
        ModelEndpoint endpoint = live.get(random.nextInt(live.size()));
        if (roll < 57) {
          run.update(node, endpoint, subscriptions(random));
        } else if (roll < 69) {
          run.rotate(node, endpoint, secret(random), GRACES.get(random.nextInt(GRACES.size())));
        } else if (roll < 90) {
          run.setEnabled(node, endpoint, !endpoint.enabled());
        } else {
          run.delete(node, endpoint);
        }
      }
    }
    run.settle();
    run.check();
    run.assertModelHeld();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void rollingRestart_theNewNodesEndpoint_reachesTheOthers_andNothingIsLost(Kind kind)
      throws Exception {
    Run run = new Run(kind, "rolling restart on " + kind);
    Node a = run.start("A");
    Node b = run.start("B");
    run.register(a, "first", Secrets.newStandardSecret(), Set.of(), true);
    for (int i = 0; i < 10; i++) {
      run.send(i % 2 == 0 ? a : b, TYPES.get(i % TYPES.size()), Set.of());
    }
    run.stop(b);
    for (int i = 0; i < 5; i++) {
      run.send(a, TYPES.get(i % TYPES.size()), Set.of());
    }
    Node c = run.start("C");
    // C registers and sends at once: the node that made a change sees it at once. A, within the
    // bound, may or may not.
    run.register(c, "second", Secrets.newStandardSecret(), Set.of(), false);
    for (int i = 0; i < 5; i++) {
      run.send(c, TYPES.get(i % TYPES.size()), Set.of());
      run.send(a, TYPES.get(i % TYPES.size()), Set.of("second"));
    }
    run.passBound();
    for (int i = 0; i < 10; i++) {
      run.send(a, TYPES.get(i % TYPES.size()), Set.of());
      run.send(c, TYPES.get(i % TYPES.size()), Set.of());
    }
    run.settle();
    run.check();
    run.assertModelHeld();
  }

  /**
   * Node B in a JVM of its own, started before node A (here) registers the endpoint: B must
   * deliver what it claims for it, never kill it as deleted. Real time on both sides.
   */
  @ParameterizedTest
  @EnumSource(
      value = Kind.class,
      names = {"POSTGRESQL", "MARIADB"})
  void endpointRegisteredAfterAnotherProcessStarted_isDeliveredOnce_neverKilled(Kind kind)
      throws Exception {
    int events = 200;
    int inFlight = 4;
    Duration lease = Duration.ofSeconds(10);
    Duration wait = Duration.ofSeconds(30);
    String path = "/late";
    SharedStore shared = cleanUp.add(SharedStore.create(kind));
    String secret = Secrets.newStandardSecret();
    // Answers that take a while leave a backlog, which the other process's polls find.
    WebhookSink sink = cleanUp.add(WebhookSink.start(secret, Duration.ofMillis(5), signal));
    String bId = shared.prefix() + "b";
    String aId = shared.prefix() + "a";
    DispatcherNode b =
        cleanUp.add(DispatcherNode.start(bId, kind, shared.prefix(), inFlight, lease, signal));
    b.awaitReady(wait);
    Transport http =
        cleanUp.add(
            OkHttpTransport.builder().networkPolicy(TestTransports.LOOPBACK_ALLOWED).build());
    Dispatcher a =
        cleanUp.add(
            Dispatcher.builder()
                .store(
                    JdbcDeliveryStore.builder(Databases.open(kind))
                        .tablePrefix(shared.prefix())
                        .createSchema(false)
                        .build())
                .transport(DispatcherNode.tagging(http, aId))
                .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
                .nodeId(aId)
                .lease(lease)
                .timeout(lease.dividedBy(2))
                .maxInFlight(inFlight)
                .maxInFlightPerEndpoint(inFlight)
                .pollInterval(Duration.ofMillis(100))
                .build()
                .start());

    a.register(
        Endpoint.builder(sink.url(path))
            .signing(SignatureScheme.standardWebhooks(), secret)
            .build());
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      sent.add(a.send(TestEvents.experienceStarted().toEvent()).eventId());
    }
    signal.await(
        () -> {
          b.requireAlive();
          return a.count(DeliveryState.PENDING) == 0 && a.inFlight() == 0;
        },
        wait,
        () -> a.count(DeliveryState.PENDING) + " of " + events + " deliveries still pending");
    b.stop();

    Map<String, List<WebhookSink.Request>> requests = sink.requests();
    int arrived = 0;
    int repeated = 0;
    int dead = 0;
    int deadUnattempted = 0;
    Map<String, Integer> byNode = new TreeMap<>();
    for (String eventId : sent) {
      List<WebhookSink.Request> seen =
          requests.getOrDefault(WebhookSink.delivery(path, eventId), List.of());
      if (!seen.isEmpty()) {
        arrived++;
        byNode.merge(seen.get(0).node(), 1, Integer::sum);
      }
      if (seen.size() > 1) {
        repeated++;
      }
      for (DeliveryRecord d : a.deliveries(eventId)) {
        if (d.state() == DeliveryState.DEAD) {
          dead++;
          if (d.attempts() == 0) {
            deadUnattempted++;
          }
        }
      }
    }
    List<String> violations = new ArrayList<>();
    if (arrived != events) {
      violations.add((events - arrived) + " of " + events + " events never arrived");
    }
    if (repeated != 0) {
      violations.add(repeated + " of " + events + " events arrived more than once");
    }
    if (dead != 0) {
      violations.add(dead + " of " + events + " deliveries dead, " + deadUnattempted
          + " of them without an attempt (\"endpoint deleted\"), though the endpoint exists");
    }
    if (sink.badSignatures() != 0) {
      violations.add(sink.badSignatures() + " requests with a bad signature");
    }
    if (!violations.isEmpty()) {
      fail("endpoint registered on " + aId + " after " + bId + " (own JVM) started, " + kind
          + ":\n  " + String.join("\n  ", violations) + "\n  first requests by node: " + byNode);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Choices

  /** A Standard Webhooks secret from the seeded random, so that a seed replays exactly. */
  private static String secret(Random random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "whsec_" + Base64.getEncoder().encodeToString(bytes);
  }

  /** Every type, one pattern, or one or two exact types. */
  private static Set<String> subscriptions(Random random) {
    int roll = random.nextInt(6);
    if (roll == 0) {
      return Set.of();
    }
    if (roll == 1) {
      return Set.of("experience.*");
    }
    Set<String> types = new TreeSet<>();
    int count = 1 + random.nextInt(2);
    while (types.size() < count) {
      types.add(TYPES.get(random.nextInt(TYPES.size())));
    }
    return types;
  }

  // ---------------------------------------------------------------------------------------------
  // The model

  /** A key an endpoint has had: when it was added, and when it stopped signing, if it did. */
  private record ModelKey(String secret, Instant addedAt, Optional<Instant> expiresAt) {
    boolean validAround(Instant signedSecond) {
      Instant earliest = signedSecond.minus(KEY_SLACK);
      Instant latest = signedSecond.plusSeconds(1).plus(KEY_SLACK);
      return !addedAt.isAfter(latest) && expiresAt.map(e -> e.isAfter(earliest)).orElse(true);
    }
  }

  /** A rotation as the host asked for it, replayed to build the endpoint from the model. */
  private record Rotation(String secret, Instant oldKeysExpireAt) {}

  /**
   * An endpoint as the store must hold it, and every key it has ever had. Immutable: a change
   * makes a new one.
   */
  private record ModelEndpoint(
      String id,
      String url,
      String firstSecret,
      List<Rotation> rotations,
      List<ModelKey> keys,
      Set<String> subscriptions,
      boolean enabled,
      Optional<Instant> deletedAt) {

    static ModelEndpoint registered(
        String id, String url, String secret, Set<String> subscriptions, Instant at) {
      return new ModelEndpoint(
          id, url, secret, List.of(), List.of(new ModelKey(secret, at, Optional.empty())),
          Set.copyOf(subscriptions), true, Optional.empty());
    }

    boolean alive() {
      return deletedAt.isEmpty();
    }

    boolean subscribes(String type) {
      if (subscriptions.isEmpty()) {
        return true;
      }
      for (String s : subscriptions) {
        boolean pattern = s.endsWith(".*");
        if (s.equals(type) || (pattern && type.startsWith(s.substring(0, s.length() - 1)))) {
          return true;
        }
      }
      return false;
    }

    ModelEndpoint withSubscriptions(Set<String> types) {
      return new ModelEndpoint(
          id, url, firstSecret, rotations, keys, Set.copyOf(types), enabled, deletedAt);
    }

    ModelEndpoint withEnabled(boolean on) {
      return new ModelEndpoint(id, url, firstSecret, rotations, keys, subscriptions, on, deletedAt);
    }

    ModelEndpoint deleted(Instant at) {
      return new ModelEndpoint(
          id, url, firstSecret, rotations, keys, subscriptions, enabled, Optional.of(at));
    }

    /** As {@link Endpoint.Builder#rotateSecret}: the old keys expire at the earlier time. */
    ModelEndpoint rotated(String secret, Instant at, Duration grace) {
      Instant expiry = at.plus(grace);
      List<ModelKey> next = new ArrayList<>();
      for (ModelKey k : keys) {
        Instant e = k.expiresAt().filter(t -> t.isBefore(expiry)).orElse(expiry);
        next.add(new ModelKey(k.secret(), k.addedAt(), Optional.of(e)));
      }
      next.add(new ModelKey(secret, at, Optional.empty()));
      List<Rotation> history = new ArrayList<>(rotations);
      history.add(new Rotation(secret, expiry));
      return new ModelEndpoint(
          id, url, firstSecret, List.copyOf(history), List.copyOf(next), subscriptions, enabled,
          deletedAt);
    }

    /** The endpoint as a host would write it from its own records: for register and update. */
    Endpoint toEndpoint() {
      Endpoint.Builder b =
          Endpoint.builder(url)
              .id(id)
              .verifyOnRegistration(false)
              .signing(SignatureScheme.standardWebhooks(), firstSecret);
      for (Rotation r : rotations) {
        b.rotateSecret(r.secret(), r.oldKeysExpireAt());
      }
      b.subscribe(subscriptions.toArray(String[]::new));
      return b.enabled(enabled).build();
    }

    String describe() {
      return id + (deletedAt.isPresent() ? " (deleted)" : enabled ? "" : " (disabled)")
          + " subscribed to "
          + (subscriptions.isEmpty() ? "everything" : new TreeSet<>(subscriptions));
    }
  }

  /** The endpoints as the store must hold them; read by the receiver's threads too. */
  private static final class Model {
    private final Map<String, ModelEndpoint> endpoints = new LinkedHashMap<>();

    synchronized Optional<ModelEndpoint> get(String id) {
      return Optional.ofNullable(endpoints.get(id));
    }

    synchronized void put(ModelEndpoint endpoint) {
      endpoints.put(endpoint.id(), endpoint);
    }

    synchronized void restore(String id, Optional<ModelEndpoint> before) {
      if (before.isPresent()) {
        endpoints.put(id, before.get());
      } else {
        endpoints.remove(id);
      }
    }

    synchronized List<ModelEndpoint> live() {
      return endpoints.values().stream().filter(ModelEndpoint::alive).toList();
    }

    /** The endpoints an event of a type must be fanned out to now. */
    synchronized Set<String> receiving(String type) {
      Set<String> ids = new TreeSet<>();
      for (ModelEndpoint e : endpoints.values()) {
        if (e.alive() && e.enabled() && e.subscribes(type)) {
          ids.add(e.id());
        }
      }
      return ids;
    }

    /** For the receiver: the keys a request signed at a time may carry a signature of. */
    synchronized List<String> validAt(String id, Instant signedSecond) {
      ModelEndpoint e = endpoints.get(id);
      if (e == null) {
        return List.of();
      }
      return e.keys().stream()
          .filter(k -> k.validAround(signedSecond))
          .map(ModelKey::secret)
          .toList();
    }
  }

  /**
   * An event as sent: the endpoints it must reach, those it may reach (a change within the bound
   * on another node), and those it was fanned out to.
   */
  private record Sent(
      int step,
      String eventId,
      String type,
      String node,
      Set<String> required,
      Set<String> optional,
      Set<String> fannedOut) {
    String describe() {
      return eventId + " (" + type + ", step " + step + ", via " + node + ")";
    }
  }

  private record Node(String name, Dispatcher dispatcher) {}

  /** A time on the shared clock, as the steps show it. */
  private static String time(Instant at) {
    return "t+" + Duration.between(TestEvents.T0, at).toMillis() + " ms";
  }

  // ---------------------------------------------------------------------------------------------
  // A run on nodes in this JVM

  private static final String REFUSED = "change refused by a node";
  private static final String SEND_FAILED = "send failed";
  private static final String FAN_OUT_MISSED =
      "fan-out missed an endpoint enabled and subscribed when the event was sent";
  private static final String FAN_OUT_EXTRA =
      "fan-out to an endpoint not registered, enabled and subscribed when the event was sent";
  private static final String DEAD_UNATTEMPTED =
      "dead without an attempt (\"endpoint deleted\") while the endpoint existed";
  private static final String DEAD_ATTEMPTED = "dead after attempts";
  private static final String NOT_DELIVERED = "still pending for an enabled endpoint";
  private static final String DUPLICATE = "received more than once";
  private static final String UNEXPECTED = "received though not expected";
  private static final String BAD_SIGNATURE = "signed by no key the model allows";
  private static final String INCONSISTENT = "store and receiver disagree";
  private static final String NOT_SETTLED = "deliveries did not settle";

  /** One scenario: its store, nodes, model, the steps taken and what went wrong. */
  private final class Run {
    final String title;
    final Model model = new Model();
    final EndpointSink sink;
    final TestDataSource database;
    final String prefix;
    final List<Node> nodes = new ArrayList<>();
    final List<String> steps = new ArrayList<>();
    final List<Sent> sent = new ArrayList<>();
    final Map<String, List<String>> violations = new LinkedHashMap<>();

    Run(Kind kind, String title) throws IOException {
      this.title = title;
      // Closed after the nodes, which drain their requests into it.
      this.sink = cleanUp.add(EndpointSink.start(model::validAt, clock, signal));
      // H2: one in-memory database that every node's store shares, through one data source.
      TestDataSource db = Databases.open(kind);
      String p = Databases.uniquePrefix();
      this.database = db;
      this.prefix = p;
      cleanUp.add(kind == Kind.H2 ? db::close : () -> Databases.drop(db, kind, p));
    }

    Node start(String name) {
      JdbcDeliveryStore store =
          JdbcDeliveryStore.builder(database).tablePrefix(prefix).build();
      Dispatcher dispatcher =
          cleanUp.add(
              Dispatcher.builder()
                  .store(store)
                  .clock(clock)
                  .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
                  .nodeId(name)
                  .pollInterval(POLL)
                  .lease(LEASE)
                  .retryPolicy(RETRIES)
                  // One request at a time per endpoint: a backlog forms, which every node polls.
                  .maxInFlightPerEndpoint(1)
                  .drainTimeout(DRAIN)
                  .build());
      dispatcher.start();
      Node node = new Node(name, dispatcher);
      nodes.add(node);
      note("start " + name);
      return node;
    }

    void stop(Node node) {
      node.dispatcher().close(DRAIN);
      note("stop " + node.name());
    }

    void passBound() {
      clock.advance(STEP);
      note("clock +" + STEP.toMillis() + " ms");
    }

    void register(
        Node node, String id, String secret, Set<String> subscriptions, boolean thenPassBound) {
      ModelEndpoint after =
          ModelEndpoint.registered(id, sink.url(id), secret, subscriptions, clock.instant());
      change(node, "register " + after.describe(), Optional.empty(), after,
          () -> node.dispatcher().register(after.toEndpoint()));
      if (thenPassBound) {
        clock.advance(STEP);
      }
    }

    void update(Node node, ModelEndpoint before, Set<String> subscriptions) {
      ModelEndpoint after = before.withSubscriptions(subscriptions);
      change(node, "update " + after.describe(), Optional.of(before), after,
          () -> node.dispatcher().update(after.toEndpoint()));
      clock.advance(STEP);
    }

    void rotate(Node node, ModelEndpoint before, String secret, Duration grace) {
      ModelEndpoint after = before.rotated(secret, clock.instant(), grace);
      change(node, "rotate the secret of " + before.id() + ", grace " + grace, Optional.of(before),
          after, () -> node.dispatcher().rotateSecret(before.id(), secret, grace));
      clock.advance(STEP);
    }

    void setEnabled(Node node, ModelEndpoint before, boolean enabled) {
      ModelEndpoint after = before.withEnabled(enabled);
      change(node, (enabled ? "enable " : "disable ") + before.id(), Optional.of(before), after,
          () -> {
            if (enabled) {
              node.dispatcher().enable(before.id());
            } else {
              node.dispatcher().disable(before.id());
            }
          });
      clock.advance(STEP);
    }

    void delete(Node node, ModelEndpoint before) {
      ModelEndpoint after = before.deleted(clock.instant());
      change(node, "delete " + before.id(), Optional.of(before), after,
          () -> {
            if (!node.dispatcher().delete(before.id())) {
              throw new IllegalStateException("delete answered that it did not exist");
            }
          });
      clock.advance(STEP);
    }

    /**
     * Makes a change on a node. The model takes it first, so that the receiver accepts a new key
     * as soon as a node could sign with it, and drops it again if the node refuses.
     */
    private void change(
        Node node,
        String description,
        Optional<ModelEndpoint> before,
        ModelEndpoint after,
        Runnable call) {
      String line = description + " on " + node.name();
      model.put(after);
      try {
        call.run();
        note(line);
      } catch (RuntimeException e) {
        model.restore(after.id(), before);
        note(line + "  REFUSED: " + e);
        violation(REFUSED, "step " + steps.size() + ": " + line + ": " + e);
      }
    }

    /**
     * Sends an event of a type through a node and checks its fan-out at once, in the store.
     *
     * @param optional endpoints it may reach or not (changed within the bound on another node)
     */
    void send(Node node, String type, Set<String> optional) {
      Set<String> required = new TreeSet<>(model.receiving(type));
      required.removeAll(optional);
      WebhookEvent<Map<String, Object>> event =
          WebhookEvent.create(type, Map.of("step", steps.size() + 1), clock);
      String line = "send " + event.id() + " (" + type + ") via " + node.name();
      Set<String> fannedOut = new TreeSet<>();
      try {
        node.dispatcher().send(event);
        node.dispatcher().deliveries(event.id()).forEach(d -> fannedOut.add(d.endpointId()));
      } catch (RuntimeException e) {
        note(line + "  FAILED: " + e);
        violation(SEND_FAILED, "step " + steps.size() + ": " + line + ": " + e);
        return;
      }
      note(line + ": must reach " + required + (optional.isEmpty() ? "" : ", may reach " + optional)
          + "; fanned out to " + fannedOut);
      Sent s = new Sent(steps.size(), event.id(), type, node.name(), required, optional, fannedOut);
      sent.add(s);
      for (String id : required) {
        if (!fannedOut.contains(id)) {
          violation(FAN_OUT_MISSED, s.describe() + " not to " + id);
        }
      }
      for (String id : fannedOut) {
        if (!required.contains(id) && !optional.contains(id)) {
          violation(FAN_OUT_EXTRA, s.describe() + " to "
              + model.get(id).map(ModelEndpoint::describe).orElse(id + " (never registered)"));
        }
      }
    }

    private void note(String line) {
      steps.add((steps.size() + 1) + ". " + time(clock.instant()) + ": " + line);
    }

    private void violation(String category, String detail) {
      violations.computeIfAbsent(category, k -> new ArrayList<>()).add(detail);
    }

    private Dispatcher reader() {
      return nodes.get(0).dispatcher();
    }

    /**
     * Waits until no node has a request in flight and nothing is pending for an endpoint that is
     * registered and enabled. Moves the clock on while it waits, for retries.
     */
    void settle() {
      try {
        signal.await(
            () -> {
              for (Node n : nodes) {
                if (n.dispatcher().inFlight() > 0) {
                  return false;
                }
              }
              if (reader().count(DeliveryState.PENDING) == 0 || pendingForEnabled().isEmpty()) {
                return true;
              }
              clock.advance(SETTLE_TICK);
              return false;
            },
            SETTLE,
            () -> "pending for enabled endpoints: " + pendingForEnabled());
      } catch (AssertionError e) {
        violation(NOT_SETTLED, e.getMessage());
      }
      note("settled");
    }

    private List<String> pendingForEnabled() {
      List<String> pending = new ArrayList<>();
      for (Sent s : sent) {
        for (DeliveryRecord d : reader().deliveries(s.eventId())) {
          boolean enabled =
              model.get(d.endpointId()).map(e -> e.alive() && e.enabled()).orElse(false);
          if (d.state() == DeliveryState.PENDING && enabled) {
            pending.add(s.eventId() + " to " + d.endpointId());
          }
        }
      }
      return pending;
    }

    /** Checks what the receiver saw and the store holds against the model. */
    void check() {
      Map<String, Integer> received = new HashMap<>();
      Map<String, Set<String>> receivedBy = new HashMap<>();
      for (EndpointSink.Receipt r : sink.receipts()) {
        received.merge(r.endpointId() + " " + r.webhookId(), 1, Integer::sum);
        receivedBy.computeIfAbsent(r.webhookId(), k -> new TreeSet<>()).add(r.endpointId());
        r.problem().ifPresent(p ->
            violation(BAD_SIGNATURE, r.webhookId() + " to " + r.endpointId() + " signed at "
                + time(r.signedAt()) + ": " + p));
      }
      for (Sent s : sent) {
        Map<String, DeliveryRecord> records = new HashMap<>();
        reader().deliveries(s.eventId()).forEach(d -> records.put(d.endpointId(), d));
        Set<String> endpoints = new TreeSet<>(s.required());
        endpoints.addAll(s.optional());
        endpoints.addAll(s.fannedOut());
        endpoints.addAll(records.keySet());
        endpoints.addAll(receivedBy.getOrDefault(s.eventId(), Set.of()));
        for (String id : endpoints) {
          check(s, id, received.getOrDefault(id + " " + s.eventId(), 0), records.get(id));
        }
      }
    }

    private void check(Sent s, String endpointId, int requests, DeliveryRecord record) {
      String what = s.describe() + " to " + endpointId;
      if (requests > 1) {
        violation(DUPLICATE, what + ": " + requests + " requests");
      }
      if (!s.required().contains(endpointId) && !s.optional().contains(endpointId)) {
        if (requests > 0) {
          violation(UNEXPECTED, what + ", "
              + model.get(endpointId).map(ModelEndpoint::describe).orElse("never registered"));
        }
        return; // a delivery record for it was reported as fanned out wrongly
      }
      ModelEndpoint endpoint = model.get(endpointId).orElseThrow();
      if (record == null) {
        if (s.fannedOut().contains(endpointId) && endpoint.alive()) {
          violation(INCONSISTENT, what + ": the delivery is gone from the store");
        }
        return; // not fanned out: reported at send
      }
      switch (record.state()) {
        case DEAD -> {
          boolean deletedFirst =
              endpoint.deletedAt().map(at -> !record.updatedAt().isBefore(at)).orElse(false);
          if (!deletedFirst) {
            violation(
                record.attempts() == 0 ? DEAD_UNATTEMPTED : DEAD_ATTEMPTED,
                what + ", died at " + time(record.updatedAt()) + " after " + record.attempts()
                    + " attempt(s); endpoint "
                    + endpoint.deletedAt()
                        .map(at -> "deleted later, at " + time(at))
                        .orElse("still registered"));
          }
        }
        case SUCCEEDED -> {
          if (requests == 0) {
            violation(INCONSISTENT, what + ": succeeded in the store, never received");
          }
        }
        case PENDING -> {
          if (endpoint.alive() && endpoint.enabled()) {
            violation(NOT_DELIVERED, what + ", after " + record.attempts() + " attempt(s)");
          }
        }
        default -> violation(INCONSISTENT, what + ": state " + record.state());
      }
    }

    void assertModelHeld() {
      if (violations.isEmpty()) {
        return;
      }
      int total = violations.values().stream().mapToInt(List::size).sum();
      int required = sent.stream().mapToInt(s -> s.required().size()).sum();
      StringBuilder report = new StringBuilder();
      report.append(title).append(": ").append(total).append(" violation(s); ")
          .append(sent.size()).append(" events sent, ").append(required)
          .append(" deliveries required by the model\n");
      violations.forEach((category, details) ->
          report.append("  ").append(details.size()).append(" x ").append(category).append('\n'));
      violations.forEach((category, details) -> {
        report.append(category).append(":\n");
        details.stream().limit(8).forEach(d -> report.append("    ").append(d).append('\n'));
        if (details.size() > 8) {
          report.append("    ... and ").append(details.size() - 8).append(" more\n");
        }
      });
      report.append("steps:\n");
      steps.forEach(line -> report.append("  ").append(line).append('\n'));
      fail(report.toString());
    }
  }
}
