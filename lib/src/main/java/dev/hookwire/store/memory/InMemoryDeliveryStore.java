package dev.hookwire.store.memory;

import dev.hookwire.internal.RetentionRules;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.store.DeliveryQuery;
import dev.hookwire.store.DeliveryRecord;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.StoreFullException;
import dev.hookwire.store.spi.ClaimRequest;
import dev.hookwire.store.spi.ClaimedDelivery;
import dev.hookwire.store.spi.Completion;
import dev.hookwire.store.spi.DeliveryStore;
import dev.hookwire.store.spi.NewDelivery;
import dev.hookwire.store.spi.NewMessage;
import dev.hookwire.store.spi.StoredEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link DeliveryStore} that keeps everything in the heap of this JVM: the dispatcher's
 * default store, for tests, development, and hosts that accept losing pending work when the
 * process ends. Anything else wants a database: {@link dev.hookwire.store.jdbc.JdbcDeliveryStore}.
 *
 * <pre>{@code
 * DeliveryStore store = InMemoryDeliveryStore.create();          // the defaults below
 * DeliveryStore store = InMemoryDeliveryStore.builder()
 *     .maxSucceeded(50_000)
 *     .retainSucceeded(Duration.ofHours(6))
 *     .maxPending(500_000)
 *     .build();
 * }</pre>
 *
 * <p><b>Bounds.</b> The store holds a bounded amount, so that a long-running process does not
 * run out of heap:
 *
 * <ul>
 *   <li>Succeeded deliveries are history. The store keeps at most {@link Builder#maxSucceeded}
 *       of them (default 10,000), each for at most {@link Builder#retainSucceeded} after it
 *       succeeded (default 1 hour), whichever bound comes first; the oldest (by completion time)
 *       are forgotten first, with their attempts and the messages no other delivery needs. The
 *       count bound is applied by {@link #complete}, as deliveries succeed; the age bound by
 *       {@link #complete} and {@link #claim} (which the dispatcher calls at least once per poll
 *       interval), against the {@code now} they are given, up to 1,000 deliveries per call.
 *       {@link #prune} still deletes what it is asked to, so a {@code Dispatcher}'s {@code
 *       retainSucceeded} applies too: a succeeded delivery goes at the first of the three.
 *   <li>Pending and dead deliveries are work and its record, never forgotten. The store holds
 *       at most {@link Builder#maxPending} of them together (default 100,000): an {@link
 *       #enqueue} that would go beyond throws {@link StoreFullException} and stores nothing.
 *       Pending deliveries make room as they succeed; dead ones stay until they are replayed
 *       and succeed, or the process ends.
 * </ul>
 *
 * <p>At the defaults, with small bodies, the succeeded history takes about 10 MB of heap (about
 * 1 KB each with one attempt and a 256-byte body), and a full queue of pending deliveries
 * about 60 MB plus their bodies (about 600 bytes each, less when one event goes to several
 * endpoints and they share its message).
 *
 * <p><b>Durability.</b> Whatever {@link #enqueue} accepted is visible to every thread once it
 * returns, and lost when the JVM exits: use a database-backed store where deliveries must
 * survive a restart.
 *
 * <p><b>Claiming.</b> Each endpoint has its own queue of claimable deliveries, ordered by due
 * time and then enqueue order, and the endpoints are indexed by their earliest claimable
 * delivery. A claim walks that index, skipping excluded endpoints without disturbing them, so
 * it costs {@code O(k log e)} for {@code k} deliveries claimed from {@code e} endpoints plus one
 * step per excluded endpoint whose earliest delivery is due before the last one claimed;
 * deliveries that are not due, leased, or waiting behind an ordering key are never scanned.
 * Deliveries that arrive in order (fresh ones, due at once) wait on a first-in first-out list,
 * taken in {@code O(1)}; only those that arrive out of order (retries, releases) go to a heap. Leases are kept in a queue
 * by expiry: a claim first makes every expired lease claimable again.
 *
 * <p><b>Leases.</b> Each claim gets a new token from one counter, so tokens only grow. A
 * completion or release applies if the delivery is still pending and its owner and token are
 * those of the claim. A lease that expired, but whose delivery nobody has claimed again yet, is
 * still current: its owner may complete it, which saves a needless second attempt. Once another
 * claim takes the delivery over, the old claim is refused.
 *
 * <p><b>Ordering keys.</b> Of the pending deliveries with one ordering key to one endpoint, only
 * the earliest enqueued is claimable, and only while no other of them is leased; a retry or a
 * release keeps it first, so the later ones wait until it succeeds or dies. A replayed delivery
 * takes its original place in that order.
 *
 * <p><b>Memory.</b> A message's body is kept as given, not copied, and shared by the message's
 * deliveries and every claim of them. Each delivery costs one small object plus its entries in
 * the id map and the attempt log. Forgetting a succeeded delivery costs {@code O(1)} when
 * deliveries succeed in time order, {@code O(log n)} otherwise.
 *
 * <p><b>Time.</b> The store reads no clock. {@code updatedAt} is the {@code now} given to {@link
 * #complete}, {@link #release} or {@link #replay}, whichever last changed the delivery; {@link
 * #prune} and the bounds drop succeeded deliveries in order of that time.
 *
 * <p>Thread-safe: one lock guards all state. It is held for short, in-memory steps only; queries
 * over an endpoint's or an event's history ({@link #deliveries}, the attempt log) hold it for
 * time proportional to that history.
 */
public final class InMemoryDeliveryStore implements DeliveryStore {

  /** Where a delivery sits among the store's queues. */
  private enum Place {
    /** Pending, but behind another delivery with its ordering key. */
    WAITING,
    /** Pending and in its endpoint's queue of claimable deliveries. */
    READY,
    /** Pending and held under a lease that has not been seen to expire. */
    LEASED,
    /** Succeeded or dead. */
    DONE,
    /** Pruned: no longer in the store. */
    GONE
  }

  private static final Comparator<Delivery> BY_DUE =
      (a, b) -> {
        int c = a.dueAt.compareTo(b.dueAt);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
      };

  private static final Comparator<Delivery> BY_LEASE_END =
      (a, b) -> {
        int c = a.leaseUntil.compareTo(b.leaseUntil);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
      };

  private static final Comparator<Delivery> BY_UPDATE =
      (a, b) -> {
        int c = a.updatedAt.compareTo(b.updatedAt);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
      };

  /** Oldest first; the reverse of the order {@link #deliveries} answers in. */
  private static final Comparator<Delivery> BY_CREATION =
      (a, b) -> {
        int c = a.message.value.createdAt().compareTo(b.message.value.createdAt());
        return c != 0 ? c : a.id.compareTo(b.id);
      };

  private static final Comparator<Lane> BY_HEAD =
      (a, b) -> {
        int c = a.headDue.compareTo(b.headDue);
        return c != 0 ? c : Long.compare(a.headSeq, b.headSeq);
      };

  /** The most succeeded deliveries one call forgets for their age; the rest go on later calls. */
  static final int AGE_STEP = 1_000;

  private final int maxSucceeded;
  private final Duration retainSucceeded;
  private final int maxPending;

  private final ReentrantLock lock = new ReentrantLock();

  // Everything below is guarded by lock.
  private final Map<String, StoredEndpoint> endpoints = new LinkedHashMap<>();
  private long endpointRevision; // guarded by lock
  private final Map<String, Message> messages = new HashMap<>();
  private final Map<String, Message> messagesByEvent = new HashMap<>();
  private final Set<Message> messagesWithoutDeliveries = new LinkedHashSet<>();
  private final Map<String, Delivery> deliveries = new HashMap<>();
  private final Map<String, Lane> lanes = new HashMap<>();
  private final TreeSet<Lane> lanesByHead = new TreeSet<>(BY_HEAD);
  private final DeliveryQueue leases = new DeliveryQueue(BY_LEASE_END);
  private final DeliveryQueue succeeded = new DeliveryQueue(BY_UPDATE);
  /** Deliveries that succeeded during the current call to {@link #complete}, not filed yet. */
  private final List<Delivery> justSucceeded = new ArrayList<>();
  private long nextSeq = 1;
  private long nextToken = 1;
  private long pendingCount;
  private long succeededCount;
  private long deadCount;

  private InMemoryDeliveryStore(Builder b) {
    this.maxSucceeded = b.maxSucceeded;
    this.retainSucceeded = b.retainSucceeded;
    this.maxPending = b.maxPending;
  }

  /**
   * Returns an empty store with the default bounds: at most 10,000 succeeded deliveries, each
   * kept at most 1 hour, and at most 100,000 pending and dead ones.
   *
   * @return the store
   */
  public static InMemoryDeliveryStore create() {
    return builder().build();
  }

  /**
   * Starts building a store with other bounds than {@link #create()}'s.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the most succeeded deliveries this store keeps.
   *
   * @return the bound set by {@link Builder#maxSucceeded}
   */
  public int maxSucceeded() {
    return maxSucceeded;
  }

  /**
   * Returns the longest this store keeps a succeeded delivery, counted from its completion.
   *
   * @return the age set by {@link Builder#retainSucceeded}
   */
  public Duration retainSucceeded() {
    return retainSucceeded;
  }

  /**
   * Returns the most pending and dead deliveries this store holds together.
   *
   * @return the bound set by {@link Builder#maxPending}
   */
  public int maxPending() {
    return maxPending;
  }

  // ---------------------------------------------------------------- endpoints

  @Override
  public boolean insertEndpoint(StoredEndpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    lock.lock();
    try {
      if (endpoints.containsKey(endpoint.endpointId())) {
        return false;
      }
      endpoints.put(endpoint.endpointId(), versioned(endpoint, ++endpointRevision));
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean updateEndpoint(StoredEndpoint endpoint, long expectedVersion) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    lock.lock();
    try {
      StoredEndpoint current = endpoints.get(endpoint.endpointId());
      if (current == null || current.version() != expectedVersion) {
        return false;
      }
      endpoints.put(endpoint.endpointId(), versioned(endpoint, ++endpointRevision));
      return true;
    } finally {
      lock.unlock();
    }
  }

  private static StoredEndpoint versioned(StoredEndpoint e, long version) {
    return new StoredEndpoint(e.endpointId(), e.config(), e.failingSince(), version, e.updatedAt());
  }

  @Override
  public boolean deleteEndpoint(String endpointId) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    lock.lock();
    try {
      if (endpoints.remove(endpointId) == null) {
        return false;
      }
      endpointRevision++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<StoredEndpoint> endpoint(String endpointId) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    lock.lock();
    try {
      return Optional.ofNullable(endpoints.get(endpointId));
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @return the endpoints, an immutable list
   */
  @Override
  public List<StoredEndpoint> endpoints() {
    lock.lock();
    try {
      return List.copyOf(endpoints.values());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long endpointRevision() {
    lock.lock();
    try {
      return endpointRevision;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- enqueue

  /**
   * {@inheritDoc}
   *
   * <p>Here a delivery may also name a message stored by an earlier call and not yet pruned.
   * Every argument is checked before anything is stored. A message enqueued without deliveries
   * is kept until {@link #prune} passes its {@code createdAt}.
   *
   * @param messages the messages; each body is kept, not copied
   * @param deliveries the deliveries, each naming a message of this call or a stored one
   * @throws IllegalArgumentException if a delivery names an unknown message, or a message or
   *     delivery id is used twice in the call or is already stored; the message names the id
   * @throws StoreFullException if the pending and dead deliveries would then be more than
   *     {@link Builder#maxPending}; nothing is stored
   */
  @Override
  public void enqueue(List<NewMessage> messages, List<NewDelivery> deliveries) {
    Objects.requireNonNull(messages, "messages == null");
    Objects.requireNonNull(deliveries, "deliveries == null");
    // A send makes one message and a delivery per endpoint: small lists, checked for repeated
    // ids by scanning rather than through temporary hash maps.
    int messageCount = messages.size();
    Message[] fresh = new Message[messageCount];
    Map<String, Message> freshById = messageCount > SMALL ? new HashMap<>(capacityFor(messageCount)) : null;
    for (int i = 0; i < messageCount; i++) {
      NewMessage m = Objects.requireNonNull(messages.get(i), "messages contains null");
      fresh[i] = new Message(m);
      if (freshById != null
          ? freshById.putIfAbsent(m.messageId(), fresh[i]) != null
          : find(fresh, i, m.messageId()) != null) {
        throw new IllegalArgumentException("message id used twice: " + m.messageId());
      }
    }
    int deliveryCount = deliveries.size();
    Set<String> deliveryIds = deliveryCount > SMALL ? new HashSet<>(capacityFor(deliveryCount)) : null;
    for (int i = 0; i < deliveryCount; i++) {
      NewDelivery d = Objects.requireNonNull(deliveries.get(i), "deliveries contains null");
      boolean repeated;
      if (deliveryIds != null) {
        repeated = !deliveryIds.add(d.deliveryId());
      } else {
        repeated = false;
        for (int j = 0; j < i && !repeated; j++) {
          repeated = deliveries.get(j).deliveryId().equals(d.deliveryId());
        }
      }
      if (repeated) {
        throw new IllegalArgumentException("delivery id used twice: " + d.deliveryId());
      }
    }
    Message[] target = new Message[deliveryCount];
    lock.lock();
    try {
      for (NewMessage m : messages) {
        if (this.messages.containsKey(m.messageId())) {
          throw new IllegalArgumentException("message id already stored: " + m.messageId());
        }
      }
      for (int i = 0; i < deliveryCount; i++) {
        NewDelivery d = deliveries.get(i);
        if (this.deliveries.containsKey(d.deliveryId())) {
          throw new IllegalArgumentException("delivery id already stored: " + d.deliveryId());
        }
        Message message = freshById != null
            ? freshById.get(d.messageId())
            : find(fresh, messageCount, d.messageId());
        if (message == null) {
          message = this.messages.get(d.messageId());
        }
        if (message == null) {
          throw new IllegalArgumentException(
              "delivery " + d.deliveryId() + " names an unknown message: " + d.messageId());
        }
        target[i] = message;
      }
      long held = pendingCount + deadCount;
      if (held + deliveryCount > maxPending) {
        throw full(held, deliveryCount);
      }
      // Checked: from here on nothing throws.
      for (Message m : fresh) {
        addMessage(m);
      }
      for (int i = 0; i < deliveryCount; i++) {
        addDelivery(deliveries.get(i), target[i]);
      }
      for (Message m : fresh) {
        if (m.deliveryCount == 0) {
          messagesWithoutDeliveries.add(m);
          m.withoutDeliveries = true;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Lists up to this long are checked for repeated ids by scanning. */
  private static final int SMALL = 8;

  /** The message with an id among the first {@code n}, or null. */
  private static Message find(Message[] messages, int n, String messageId) {
    for (int i = 0; i < n; i++) {
      if (messages[i].value.messageId().equals(messageId)) {
        return messages[i];
      }
    }
    return null;
  }

  private StoreFullException full(long held, int more) {
    return new StoreFullException(
        "the in-memory delivery store is full: it holds "
            + held
            + " pending and dead deliveries ("
            + pendingCount
            + " pending, "
            + deadCount
            + " dead) and may hold "
            + maxPending
            + " (maxPending), so it refused "
            + more
            + " more; nothing was stored. Pending deliveries make room as they succeed; dead"
            + " ones stay until replayed. Send more slowly, raise the bound with"
            + " InMemoryDeliveryStore.builder().maxPending(n) (about 600 bytes of heap per"
            + " delivery plus its body), or keep pending work in a database with JdbcDeliveryStore",
        maxPending);
  }

  private static int capacityFor(int size) {
    return Math.max(4, (int) (size / 0.75f) + 1);
  }

  /** Stores a message; the caller files it among those without deliveries if it gets none. */
  private void addMessage(Message m) {
    messages.put(m.value.messageId(), m);
    m.nextOfEvent = messagesByEvent.put(m.value.eventId(), m);
  }

  private void addDelivery(NewDelivery nd, Message m) {
    Lane lane = lanes.computeIfAbsent(nd.endpointId(), Lane::new);
    Delivery d = new Delivery(nd.deliveryId(), m, lane, nextSeq++);
    deliveries.put(d.id, d);
    lane.append(d);
    if (m.withoutDeliveries) {
      messagesWithoutDeliveries.remove(m);
      m.withoutDeliveries = false;
    }
    m.link(d);
    pendingCount++;
    Optional<String> key = m.value.orderingKey();
    if (key.isPresent()) {
      Group g = lane.groups.computeIfAbsent(key.get(), Group::new);
      d.group = g;
      g.pending.addLast(d);
      d.place = Place.WAITING;
      settle(g, d.dueAt);
    } else {
      readyAdd(d, d.dueAt);
    }
  }

  // ---------------------------------------------------------------- claim and complete

  /**
   * {@inheritDoc}
   *
   * <p>Leases that expired at or before {@code request.now()} are made claimable first. Among
   * deliveries due at the same time, the earlier enqueued comes first. Succeeded deliveries that
   * succeeded more than {@link Builder#retainSucceeded} before {@code request.now()} are
   * forgotten.
   *
   * @param request who claims, when, for how long, how many, and which endpoints to skip
   * @return the claimed deliveries, at most {@code request.limit()}
   * @throws java.time.DateTimeException if {@code now} plus the lease is beyond {@link
   *     Instant#MAX}
   */
  @Override
  public List<ClaimedDelivery> claim(ClaimRequest request) {
    Objects.requireNonNull(request, "request == null");
    Instant now = request.now();
    Instant until = now.plus(request.lease());
    String owner = request.owner();
    Set<String> excluded = request.excludedEndpoints();
    int limit = request.limit();
    List<ClaimedDelivery> claimed = new ArrayList<>(Math.min(limit, 256));
    lock.lock();
    try {
      forgetOldSucceeded(now);
      expireLeases(now);
      Lane skipped = null;
      while (claimed.size() < limit) {
        Lane lane;
        if (skipped != null) {
          lane = lanesByHead.higher(skipped);
        } else {
          lane = lanesByHead.isEmpty() ? null : lanesByHead.first();
        }
        if (lane == null || lane.headDue.isAfter(now)) {
          break;
        }
        if (excluded.contains(lane.endpointId)) {
          // Its position depends on its own head only, which this loop leaves alone.
          skipped = lane;
          continue;
        }
        Delivery d = lane.ready.poll();
        reindex(lane);
        d.place = Place.LEASED;
        d.leaseOwner = owner;
        d.leaseUntil = until;
        d.token = nextToken++;
        leases.add(d, true);
        if (d.group != null) {
          d.group.leased++;
        }
        NewMessage m = d.message.value;
        claimed.add(
            new ClaimedDelivery(
                d.id,
                lane.endpointId,
                m.eventId(),
                m.eventType(),
                m.body(),
                m.orderingKey(),
                m.traceContext(),
                d.attempts,
                m.createdAt(),
                d.dueAt,
                owner,
                until,
                d.token));
      }
    } finally {
      lock.unlock();
    }
    return Collections.unmodifiableList(claimed);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A claim is current while its delivery is pending with the claim's owner and token: until
   * it is completed or released, or claimed again after its lease expired. A completion with an
   * attempt adds one to the delivery's attempt count. The delivery's {@code updatedAt} becomes
   * {@code now}. Then the oldest succeeded deliveries beyond {@link Builder#maxSucceeded}, and
   * those that succeeded more than {@link Builder#retainSucceeded} before {@code now}, are
   * forgotten (see the class comment).
   *
   * @param completions the results, in any order
   * @param now the time of the completions
   * @return for each completion, in order, whether it was applied; an immutable list
   * @throws IllegalArgumentException if an attempt names another delivery than its claim; then
   *     none is applied
   */
  @Override
  public List<Boolean> complete(List<Completion> completions, Instant now) {
    Objects.requireNonNull(completions, "completions == null");
    Objects.requireNonNull(now, "now == null");
    for (Completion c : completions) {
      Objects.requireNonNull(c, "completions contains null");
    }
    Boolean[] applied = new Boolean[completions.size()];
    lock.lock();
    try {
      try {
        for (int i = 0; i < applied.length; i++) {
          applied[i] = applyCompletion(completions.get(i), now);
        }
      } finally {
        fileSucceeded();
      }
      forgetOldSucceeded(now);
    } finally {
      lock.unlock();
    }
    return List.of(applied);
  }

  private boolean applyCompletion(Completion c, Instant at) {
    Delivery d = current(c.claim());
    if (d == null) {
      return false;
    }
    detachClaimed(d);
    d.updatedAt = at;
    d.dueAt = c.nextAttemptAt();
    if (c.attempt().isPresent()) {
      d.lastAttempt = new AttemptNode(c.attempt().get(), d.lastAttempt);
      d.attempts++;
    }
    if (c.state() == DeliveryState.PENDING) {
      requeue(d, at);
    } else {
      finish(d, c.state(), at);
    }
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A claim is current as for {@link #complete}. The delivery's attempt count is unchanged;
   * its {@code updatedAt} becomes {@code now}.
   *
   * @param claims the claims to give back
   * @param dueAt when they are due again
   * @param now the time of the release
   * @return for each claim, in order, whether it was released; an immutable list
   */
  @Override
  public List<Boolean> release(List<ClaimedDelivery> claims, Instant dueAt, Instant now) {
    Objects.requireNonNull(claims, "claims == null");
    Objects.requireNonNull(dueAt, "dueAt == null");
    Objects.requireNonNull(now, "now == null");
    for (ClaimedDelivery c : claims) {
      Objects.requireNonNull(c, "claims contains null");
    }
    Boolean[] released = new Boolean[claims.size()];
    lock.lock();
    try {
      for (int i = 0; i < released.length; i++) {
        Delivery d = current(claims.get(i));
        if (d == null) {
          released[i] = false;
          continue;
        }
        detachClaimed(d);
        d.updatedAt = now;
        d.dueAt = dueAt;
        requeue(d, now);
        released[i] = true;
      }
    } finally {
      lock.unlock();
    }
    return List.of(released);
  }

  /** Returns the claim's delivery if the claim is current, else null. */
  private Delivery current(ClaimedDelivery claim) {
    Delivery d = deliveries.get(claim.deliveryId());
    if (d == null
        || d.state != DeliveryState.PENDING
        || d.token == 0
        || d.token != claim.claimToken()
        || !claim.leaseOwner().equals(d.leaseOwner)) {
      return null;
    }
    return d;
  }

  /** Takes a delivery with a current claim out of whatever queue holds it, and ends the lease. */
  private void detachClaimed(Delivery d) {
    switch (d.place) {
      case LEASED:
        leases.remove(d);
        if (d.group != null) {
          d.group.leased--;
        }
        break;
      case READY:
        // The lease expired and the delivery became claimable again, but nobody claimed it.
        readyRemove(d);
        break;
      default:
        break;
    }
    d.place = Place.WAITING;
    d.leaseOwner = null;
    d.leaseUntil = null;
    d.token = 0;
  }

  /** Makes a pending, detached delivery claimable, or waiting if an ordering key holds it back. */
  private void requeue(Delivery d, Instant now) {
    if (d.group == null) {
      readyAdd(d, now);
    } else {
      d.place = Place.WAITING;
      settle(d.group, now);
    }
  }

  /** Makes the head of a group claimable if nothing of the group is leased. */
  private void settle(Group g, Instant now) {
    Delivery head = g.pending.peekFirst();
    if (head != null && g.leased == 0 && head.place == Place.WAITING) {
      readyAdd(head, now);
    }
  }

  private void finish(Delivery d, DeliveryState state, Instant now) {
    d.state = state;
    d.place = Place.DONE;
    pendingCount--;
    Group g = d.group;
    if (g != null) {
      d.group = null;
      if (g.pending.peekFirst() == d) {
        g.pending.pollFirst();
      } else {
        g.pending.remove(d);
      }
      if (g.pending.isEmpty()) {
        d.lane.groups.remove(g.key);
      } else {
        settle(g, now);
      }
    }
    if (state == DeliveryState.SUCCEEDED) {
      succeededCount++;
      justSucceeded.add(d); // filed by fileSucceeded at the end of the call
    } else {
      deadCount++;
    }
  }

  /**
   * Files the deliveries that succeeded in this call in the succeeded history, then forgets the
   * oldest beyond {@link Builder#maxSucceeded}. They share one update time and are filed in
   * enqueue order, which is their order in the history, so they usually join its list rather
   * than its heap. Forgetting the oldest after filing them all leaves the same history as
   * forgetting one after each success would: the newest {@code maxSucceeded}.
   */
  private void fileSucceeded() {
    if (justSucceeded.isEmpty()) {
      return;
    }
    if (justSucceeded.size() > 1) {
      justSucceeded.sort(BY_UPDATE);
    }
    for (Delivery d : justSucceeded) {
      succeeded.add(d, true);
    }
    justSucceeded.clear();
    while (succeededCount > maxSucceeded) {
      forget(succeeded.poll());
    }
  }

  private void expireLeases(Instant now) {
    Delivery d;
    while ((d = leases.peek()) != null && !d.leaseUntil.isAfter(now)) {
      leases.poll();
      // Owner and token stay: until someone claims it again, the old claim may still complete.
      if (d.group != null) {
        d.group.leased--;
      }
      d.place = Place.WAITING;
      requeue(d, now);
    }
  }

  /**
   * Makes a delivery claimable. One due by {@code now} may go on its lane's first-in first-out
   * list, which is what keeps a backlog of fresh deliveries cheap to claim.
   */
  private void readyAdd(Delivery d, Instant now) {
    Lane lane = d.lane;
    Delivery head = lane.ready.peek();
    lane.ready.add(d, !d.dueAt.isAfter(now));
    d.place = Place.READY;
    if (lane.ready.peek() != head) {
      reindex(lane);
    }
  }

  private void readyRemove(Delivery d) {
    Lane lane = d.lane;
    boolean wasHead = lane.ready.peek() == d;
    lane.ready.remove(d);
    d.place = Place.WAITING;
    if (wasHead) {
      reindex(lane);
    }
  }

  /** Puts a lane back in the index under its current head; call whenever the head changes. */
  private void reindex(Lane lane) {
    if (lane.indexed) {
      lanesByHead.remove(lane); // found by the key it was filed under
    }
    Delivery head = lane.ready.peek();
    lane.indexed = head != null;
    if (head != null) {
      lane.headDue = head.dueAt;
      lane.headSeq = head.seq;
      lanesByHead.add(lane);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here that is the earlier of the earliest due time of a claimable delivery and the
   * earliest expiry of a lease, so that a dead node's deliveries are picked up when its leases
   * run out. Leases that expired at or before {@code now} are ended first, as a claim would.
   *
   * @param now the time against which leases are expired
   * @return the earliest due time, or empty if nothing is pending
   */
  @Override
  public Optional<Instant> nextDueAt(Instant now) {
    Objects.requireNonNull(now, "now == null");
    lock.lock();
    try {
      expireLeases(now);
      Instant due = lanesByHead.isEmpty() ? null : lanesByHead.first().headDue;
      Delivery leased = leases.peek();
      if (leased != null && (due == null || leased.leaseUntil.isBefore(due))) {
        due = leased.leaseUntil;
      }
      return Optional.ofNullable(due);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- queries

  /**
   * {@inheritDoc}
   *
   * @param deliveryId the delivery's id
   * @return the delivery, or empty if unknown
   */
  @Override
  public Optional<DeliveryRecord> delivery(String deliveryId) {
    Objects.requireNonNull(deliveryId, "deliveryId == null");
    lock.lock();
    try {
      Delivery d = deliveries.get(deliveryId);
      return d == null ? Optional.empty() : Optional.of(d.toRecord());
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Newest by {@code createdAt}; among deliveries created at the same time, by {@code
   * deliveryId} descending, as {@link String#compareTo} orders them. Holds the lock while it
   * visits the event's deliveries, or else the endpoint's, or else every delivery.
   *
   * @param query the selection
   * @return the deliveries, an immutable list
   */
  @Override
  public List<DeliveryRecord> deliveries(DeliveryQuery query) {
    Objects.requireNonNull(query, "query == null");
    String endpointId = query.endpointId().orElse(null);
    String eventId = query.eventId().orElse(null);
    DeliveryState state = query.state().orElse(null);
    String eventType = query.eventType().orElse(null);
    Instant since = query.createdSince();
    Instant before = query.createdBefore().orElse(null);
    DeliveryQuery.Cursor after = query.after().orElse(null);
    int limit = query.limit();
    PriorityQueue<Delivery> newest = new PriorityQueue<>(Math.min(limit, 64) + 1, BY_CREATION);
    DeliveryRecord[] records;
    lock.lock();
    try {
      forEachCandidate(
          query,
          d -> {
            NewMessage m = d.message.value;
            Instant created = m.createdAt();
            if ((endpointId == null || endpointId.equals(d.lane.endpointId))
                && (eventId == null || eventId.equals(m.eventId()))
                && (state == null || state == d.state)
                && (eventType == null || eventType.equals(m.eventType()))
                && !created.isBefore(since)
                && (before == null || created.isBefore(before))
                && (after == null || isAfter(created, d.id, after))) {
              newest.add(d);
              if (newest.size() > limit) {
                newest.poll();
              }
            }
          });
      records = new DeliveryRecord[newest.size()];
      for (int i = records.length - 1; i >= 0; i--) {
        records[i] = newest.poll().toRecord();
      }
    } finally {
      lock.unlock();
    }
    return List.of(records);
  }

  /** Whether a delivery comes after a cursor, newest first: older, or as old with a smaller id. */
  private static boolean isAfter(Instant created, String id, DeliveryQuery.Cursor cursor) {
    int c = created.compareTo(cursor.createdAt());
    return c < 0 || (c == 0 && id.compareTo(cursor.deliveryId()) < 0);
  }

  private void forEachCandidate(DeliveryQuery query, Consumer<Delivery> action) {
    if (query.eventId().isPresent()) {
      for (Message m = messagesByEvent.get(query.eventId().get()); m != null; m = m.nextOfEvent) {
        for (Delivery d = m.firstDelivery; d != null; d = d.nextOfMessage) {
          action.accept(d);
        }
      }
    } else if (query.endpointId().isPresent()) {
      Lane lane = lanes.get(query.endpointId().get());
      for (Delivery d = lane == null ? null : lane.first; d != null; d = d.laneNext) {
        action.accept(d);
      }
    } else {
      deliveries.values().forEach(action);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Attempts that started at the same time are listed by delivery, in enqueue order.
   *
   * @param eventId the event's id
   * @return the attempts, an immutable list
   */
  @Override
  public List<AttemptRecord> attemptsForEvent(String eventId) {
    Objects.requireNonNull(eventId, "eventId == null");
    List<AttemptRecord> attempts = new ArrayList<>();
    lock.lock();
    try {
      List<Delivery> matched = new ArrayList<>();
      for (Message m = messagesByEvent.get(eventId); m != null; m = m.nextOfEvent) {
        for (Delivery d = m.firstDelivery; d != null; d = d.nextOfMessage) {
          matched.add(d);
        }
      }
      matched.sort(Comparator.comparingLong(d -> d.seq));
      for (Delivery d : matched) {
        addAttempts(d, Instant.MIN, attempts);
      }
    } finally {
      lock.unlock();
    }
    attempts.sort(Comparator.comparing(AttemptRecord::startedAt));
    return Collections.unmodifiableList(attempts);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Attempts that started at the same time are listed by delivery, in enqueue order.
   *
   * @param endpointId the endpoint
   * @param since the earliest start time
   * @param limit the most to return
   * @return the attempts, an immutable list
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  @Override
  public List<AttemptRecord> attemptsForEndpoint(String endpointId, Instant since, int limit) {
    Objects.requireNonNull(endpointId, "endpointId == null");
    Objects.requireNonNull(since, "since == null");
    if (limit < 0) {
      throw new IllegalArgumentException("limit < 0: " + limit);
    }
    List<AttemptRecord> attempts = new ArrayList<>();
    lock.lock();
    try {
      Lane lane = lanes.get(endpointId);
      for (Delivery d = lane == null ? null : lane.first; d != null; d = d.laneNext) {
        addAttempts(d, since, attempts);
      }
    } finally {
      lock.unlock();
    }
    attempts.sort(Comparator.comparing(AttemptRecord::startedAt));
    return List.copyOf(attempts.subList(0, Math.min(limit, attempts.size())));
  }

  /** Appends a delivery's attempts that started at or after {@code since}, oldest first. */
  private static void addAttempts(Delivery d, Instant since, List<AttemptRecord> to) {
    int start = to.size();
    for (AttemptNode a = d.lastAttempt; a != null; a = a.previous) {
      if (!a.record.startedAt().isBefore(since)) {
        to.add(a.record);
      }
    }
    Collections.reverse(to.subList(start, to.size()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The revived deliveries keep their last attempt in {@link DeliveryRecord#lastAttempt()};
   * their {@code updatedAt} becomes {@code now}. One with an ordering key takes its original
   * place among the pending deliveries with its key, and is not claimed while another of them
   * is leased.
   *
   * @param deliveryIds the deliveries; those not dead (or unknown) are left alone
   * @param now when they are due
   * @return how many were revived
   */
  @Override
  public int replay(List<String> deliveryIds, Instant now) {
    Objects.requireNonNull(deliveryIds, "deliveryIds == null");
    Objects.requireNonNull(now, "now == null");
    for (String id : deliveryIds) {
      Objects.requireNonNull(id, "deliveryIds contains null");
    }
    lock.lock();
    try {
      int revived = 0;
      for (String id : deliveryIds) {
        Delivery d = deliveries.get(id);
        if (d == null || d.state != DeliveryState.DEAD) {
          continue;
        }
        d.state = DeliveryState.PENDING;
        deadCount--;
        pendingCount++;
        d.attempts = 0;
        d.dueAt = now;
        d.updatedAt = now;
        d.place = Place.WAITING;
        Optional<String> key = d.message.value.orderingKey();
        if (key.isPresent()) {
          Group g = d.lane.groups.computeIfAbsent(key.get(), Group::new);
          d.group = g;
          Delivery oldHead = g.pending.peekFirst();
          g.insertInOrder(d);
          if (oldHead != null && g.pending.peekFirst() == d && oldHead.place == Place.READY) {
            readyRemove(oldHead);
          }
          settle(g, now);
        } else {
          readyAdd(d, now);
        }
        revived++;
      }
      return revived;
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @param state the state
   * @return the count
   */
  @Override
  public long count(DeliveryState state) {
    Objects.requireNonNull(state, "state == null");
    lock.lock();
    try {
      switch (state) {
        case PENDING:
          return pendingCount;
        case SUCCEEDED:
          return succeededCount;
        default:
          return deadCount;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>"Last updated" is the {@code now} of the call that last changed the delivery, its
   * completion for a succeeded one. Messages enqueued without
   * deliveries are deleted once their {@code createdAt} is before the cut-off.
   *
   * @param updatedBefore the cut-off
   * @return how many deliveries were deleted
   */
  @Override
  public int prune(Instant updatedBefore, int limit) {
    Objects.requireNonNull(updatedBefore, "updatedBefore == null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    lock.lock();
    try {
      int pruned = 0;
      Delivery d;
      while (pruned < limit
          && (d = succeeded.peek()) != null
          && d.updatedAt.isBefore(updatedBefore)) {
        forget(succeeded.poll());
        pruned++;
      }
      for (Iterator<Message> it = messagesWithoutDeliveries.iterator(); it.hasNext(); ) {
        Message m = it.next();
        if (m.value.createdAt().isBefore(updatedBefore)) {
          it.remove();
          m.withoutDeliveries = false;
          removeMessage(m);
        }
      }
      return pruned;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forgets up to {@link #AGE_STEP} succeeded deliveries that succeeded more than {@link
   * #retainSucceeded} before {@code now}, oldest first.
   */
  private void forgetOldSucceeded(Instant now) {
    if (RetentionRules.forGood(retainSucceeded)
        || now.isBefore(Instant.MIN.plus(retainSucceeded))) {
      return;
    }
    Instant cutOff = now.minus(retainSucceeded);
    Delivery d;
    for (int n = 0;
        n < AGE_STEP && (d = succeeded.peek()) != null && d.updatedAt.isBefore(cutOff);
        n++) {
      forget(succeeded.poll());
    }
  }

  /**
   * Deletes a succeeded delivery already taken off {@link #succeeded}, its attempts, and its
   * message if no other delivery needs it; {@code O(1)} but for the id maps.
   */
  private void forget(Delivery d) {
    deliveries.remove(d.id);
    Lane lane = d.lane;
    lane.unlink(d);
    if (lane.first == null) {
      lanes.remove(lane.endpointId); // nothing pending there, so not indexed
    }
    d.place = Place.GONE;
    d.lastAttempt = null;
    Message m = d.message;
    m.unlink(d);
    if (m.deliveryCount == 0) {
      removeMessage(m);
    }
    succeededCount--;
  }

  private void removeMessage(Message m) {
    messages.remove(m.value.messageId());
    String eventId = m.value.eventId();
    Message first = messagesByEvent.get(eventId);
    if (first == m) {
      if (m.nextOfEvent == null) {
        messagesByEvent.remove(eventId);
      } else {
        messagesByEvent.put(eventId, m.nextOfEvent);
      }
    } else {
      Message before = first;
      while (before.nextOfEvent != m) {
        before = before.nextOfEvent;
      }
      before.nextOfEvent = m.nextOfEvent;
    }
    m.nextOfEvent = null;
    m.firstDelivery = null;
  }

  /**
   * Describes the store by its counts of deliveries.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    lock.lock();
    try {
      return "InMemoryDeliveryStore[pending="
          + pendingCount
          + ", succeeded="
          + succeededCount
          + ", dead="
          + deadCount
          + ", endpoints="
          + endpoints.size()
          + "]";
    } finally {
      lock.unlock();
    }
  }

  /**
   * Builds an {@link InMemoryDeliveryStore} with chosen bounds. Not thread-safe; the store it
   * builds is.
   */
  public static final class Builder {
    int maxSucceeded = 10_000;
    Duration retainSucceeded = Duration.ofHours(1);
    int maxPending = 100_000;

    private Builder() {}

    /**
     * Sets the most succeeded deliveries the store keeps; as more succeed, the oldest are
     * forgotten with their attempts. Default 10,000.
     *
     * @param count at least 0; 0 forgets each delivery as it succeeds
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maxSucceeded(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("maxSucceeded must not be negative: " + count);
      }
      this.maxSucceeded = count;
      return this;
    }

    /**
     * Sets the longest the store keeps a succeeded delivery, counted from its success. Default
     * 1 hour. A {@code Dispatcher} given this store prunes by its own {@code retainSucceeded}
     * as well, and refuses to be built with one longer than this.
     *
     * @param age positive; a century or more keeps succeeded deliveries until {@link
     *     #maxSucceeded} or a prune drops them
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder retainSucceeded(Duration age) {
      this.retainSucceeded = RetentionRules.checkAge("retainSucceeded", age);
      return this;
    }

    /**
     * Sets the most pending and dead deliveries the store holds together; an {@link
     * InMemoryDeliveryStore#enqueue} that would go beyond throws {@link StoreFullException} and
     * stores nothing. Default 100,000. Each takes about 600 bytes of heap plus its message's
     * body, which the deliveries of one event share.
     *
     * @param count at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxPending(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("maxPending must be at least 1: " + count);
      }
      this.maxPending = count;
      return this;
    }

    /**
     * Builds an empty store with these bounds.
     *
     * @return the store
     */
    public InMemoryDeliveryStore build() {
      return new InMemoryDeliveryStore(this);
    }
  }

  // ---------------------------------------------------------------- internals

  /** A stored message: one body, shared by its deliveries. */
  private static final class Message {
    final NewMessage value;
    /** The deliveries of this message, chained through {@link Delivery#nextOfMessage}. */
    Delivery firstDelivery;
    /** The next message of the same event, if the event has more than one body. */
    Message nextOfEvent;
    int deliveryCount;
    /** Whether it is in {@link #messagesWithoutDeliveries}. */
    boolean withoutDeliveries;

    Message(NewMessage value) {
      this.value = value;
    }

    /** Adds a delivery to this message's chain and count. */
    void link(Delivery d) {
      d.nextOfMessage = firstDelivery;
      if (firstDelivery != null) {
        firstDelivery.previousOfMessage = d;
      }
      firstDelivery = d;
      deliveryCount++;
    }

    /** Takes a delivery out of this message's chain and count. */
    void unlink(Delivery d) {
      if (d.previousOfMessage == null) {
        firstDelivery = d.nextOfMessage;
      } else {
        d.previousOfMessage.nextOfMessage = d.nextOfMessage;
      }
      if (d.nextOfMessage != null) {
        d.nextOfMessage.previousOfMessage = d.previousOfMessage;
      }
      d.previousOfMessage = null;
      d.nextOfMessage = null;
      deliveryCount--;
    }
  }

  /** One delivery; mutable, guarded by the store's lock. Kept small: there may be millions. */
  private static final class Delivery {
    final String id;
    final Message message;
    final Lane lane;
    /** Enqueue order, unique in the store. */
    final long seq;
    /** Its ordering key's group while pending with a key; otherwise null. */
    Group group;
    DeliveryState state = DeliveryState.PENDING;
    Place place = Place.WAITING;
    /**
     * Position in the heap that holds it (part of its lane's ready queue, the lease queue or the
     * succeeded queue), or {@link DeliveryQueue#IN_LIST} if it is on the list part of one.
     */
    int heapIndex = -1;
    /** Neighbours on the list part of the queue that holds it. */
    Delivery listPrevious;
    Delivery listNext;
    int attempts;
    Instant dueAt;
    Instant updatedAt;
    String leaseOwner;
    Instant leaseUntil;
    /** The current claim's token; 0 when none. */
    long token;
    AttemptNode lastAttempt;
    Delivery lanePrevious;
    Delivery laneNext;
    Delivery nextOfMessage;
    Delivery previousOfMessage;

    Delivery(String id, Message message, Lane lane, long seq) {
      this.id = id;
      this.message = message;
      this.lane = lane;
      this.seq = seq;
      this.dueAt = message.value.createdAt();
      this.updatedAt = dueAt;
    }

    DeliveryRecord toRecord() {
      NewMessage m = message.value;
      return new DeliveryRecord(
          id,
          lane.endpointId,
          m.eventId(),
          m.eventType(),
          state,
          attempts,
          m.createdAt(),
          dueAt,
          updatedAt,
          lastAttempt == null ? Optional.empty() : Optional.of(lastAttempt.record));
    }
  }

  /** An entry of a delivery's attempt log, linked to the one before. */
  private static final class AttemptNode {
    final AttemptRecord record;
    final AttemptNode previous;

    AttemptNode(AttemptRecord record, AttemptNode previous) {
      this.record = record;
      this.previous = previous;
    }
  }

  /** Everything stored for one endpoint id. */
  private static final class Lane {
    final String endpointId;
    /** Claimable deliveries, by due time and then enqueue order. */
    final DeliveryQueue ready = new DeliveryQueue(BY_DUE);
    /** Pending deliveries with an ordering key, by key. */
    final Map<String, Group> groups = new HashMap<>(4);
    /** Every delivery of the endpoint in enqueue order, for queries. */
    Delivery first;
    Delivery last;
    /** The key this lane is filed under in the index: its ready head's when it was filed. */
    Instant headDue;
    long headSeq;
    boolean indexed;

    Lane(String endpointId) {
      this.endpointId = endpointId;
    }

    void append(Delivery d) {
      d.lanePrevious = last;
      if (last == null) {
        first = d;
      } else {
        last.laneNext = d;
      }
      last = d;
    }

    void unlink(Delivery d) {
      if (d.lanePrevious == null) {
        first = d.laneNext;
      } else {
        d.lanePrevious.laneNext = d.laneNext;
      }
      if (d.laneNext == null) {
        last = d.lanePrevious;
      } else {
        d.laneNext.lanePrevious = d.lanePrevious;
      }
      d.lanePrevious = null;
      d.laneNext = null;
    }
  }

  /** The pending deliveries with one ordering key to one endpoint, in enqueue order. */
  private static final class Group {
    final String key;
    final ArrayDeque<Delivery> pending = new ArrayDeque<>(4);
    /** How many of them are leased (and not seen to expire). */
    int leased;

    Group(String key) {
      this.key = key;
    }

    void insertInOrder(Delivery d) {
      if (pending.isEmpty() || pending.peekLast().seq < d.seq) {
        pending.addLast(d);
      } else if (pending.peekFirst().seq > d.seq) {
        pending.addFirst(d);
      } else {
        Delivery[] all = pending.toArray(new Delivery[0]);
        pending.clear();
        boolean added = false;
        for (Delivery each : all) {
          if (!added && each.seq > d.seq) {
            pending.addLast(d);
            added = true;
          }
          pending.addLast(each);
        }
      }
    }
  }

  /**
   * A priority queue of deliveries in two parts: a first-in first-out list, kept in order by
   * taking only a delivery that sorts after its tail, and a heap for the rest. Deliveries mostly
   * arrive in order (fresh ones by due time and enqueue order, leases by expiry, successes by
   * time), so most take the list, where adding, taking the head and removing any one cost
   * {@code O(1)} and touch no other delivery; a heap of 50,000 costs some 16 cache misses per
   * poll. A delivery is in at most one queue at a time.
   */
  private static final class DeliveryQueue {
    static final int IN_LIST = -2;

    private final Comparator<Delivery> order;
    private final DeliveryHeap heap;
    private Delivery first;
    private Delivery last;

    DeliveryQueue(Comparator<Delivery> order) {
      this.order = order;
      this.heap = new DeliveryHeap(order);
    }

    Delivery peek() {
      Delivery h = heap.peek();
      if (first == null) {
        return h;
      }
      return h == null || order.compare(first, h) < 0 ? first : h;
    }

    Delivery poll() {
      Delivery top = peek();
      if (top != null) {
        remove(top);
      }
      return top;
    }

    /** Adds a delivery; on the list only if {@code listed} and it sorts after the tail. */
    void add(Delivery d, boolean listed) {
      if (listed && (last == null || order.compare(last, d) < 0)) {
        d.listPrevious = last;
        d.listNext = null;
        if (last == null) {
          first = d;
        } else {
          last.listNext = d;
        }
        last = d;
        d.heapIndex = IN_LIST;
      } else {
        heap.add(d);
      }
    }

    void remove(Delivery d) {
      if (d.heapIndex != IN_LIST) {
        heap.remove(d);
        return;
      }
      if (d.listPrevious == null) {
        first = d.listNext;
      } else {
        d.listPrevious.listNext = d.listNext;
      }
      if (d.listNext == null) {
        last = d.listPrevious;
      } else {
        d.listNext.listPrevious = d.listPrevious;
      }
      d.listPrevious = null;
      d.listNext = null;
      d.heapIndex = -1;
    }
  }

  /**
   * A binary min-heap of deliveries that records each one's index, so that any of them can be
   * removed in {@code O(log n)}. A delivery is in at most one heap at a time.
   */
  private static final class DeliveryHeap {
    private static final Delivery[] EMPTY = new Delivery[0];

    private final Comparator<Delivery> order;
    private Delivery[] items = EMPTY;
    private int size;

    DeliveryHeap(Comparator<Delivery> order) {
      this.order = order;
    }

    Delivery peek() {
      return size == 0 ? null : items[0];
    }

    void add(Delivery d) {
      if (size == items.length) {
        items = Arrays.copyOf(items, Math.max(4, size * 2));
      }
      siftUp(size++, d);
    }

    Delivery poll() {
      if (size == 0) {
        return null;
      }
      Delivery top = items[0];
      removeAt(0);
      return top;
    }

    void remove(Delivery d) {
      removeAt(d.heapIndex);
    }

    private void removeAt(int i) {
      Delivery removed = items[i];
      Delivery last = items[--size];
      items[size] = null;
      if (i < size) {
        siftDown(i, last);
        if (items[i] == last) {
          siftUp(i, last);
        }
      }
      removed.heapIndex = -1;
      if (items.length > 64 && size < items.length / 4) {
        items = Arrays.copyOf(items, items.length / 2);
      }
    }

    private void siftUp(int i, Delivery d) {
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        Delivery p = items[parent];
        if (order.compare(d, p) >= 0) {
          break;
        }
        items[i] = p;
        p.heapIndex = i;
        i = parent;
      }
      items[i] = d;
      d.heapIndex = i;
    }

    private void siftDown(int i, Delivery d) {
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        Delivery c = items[child];
        int right = child + 1;
        if (right < size && order.compare(items[right], c) < 0) {
          child = right;
          c = items[right];
        }
        if (order.compare(d, c) <= 0) {
          break;
        }
        items[i] = c;
        c.heapIndex = i;
        i = child;
      }
      items[i] = d;
      d.heapIndex = i;
    }
  }
}
