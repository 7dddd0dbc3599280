package dev.hookwire.bench;

import dev.hookwire.receive.IdempotencyStore;
import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One 1 KiB Standard Webhooks request through {@link WebhookReceiver#receive}: verified, parsed,
 * de-duplicated (by a store that always grants, so that the store's own cost is not measured)
 * and handed to a handler that only consumes the event. The baseline is bare {@link
 * Verifier#verify} of the same request, the least a receiver must do.
 *
 * <p>Two bodies of 1024 bytes each: a flat event (a few scalar fields and a long string in
 * {@code data}) and a nested one (objects and arrays inside {@code data}). Each is received by a
 * handler on {@code *} (data as the codec's tree) and by a handler on its type that takes a
 * record. Every case is checked at setup to be processed, so a benchmark that silently measured
 * a rejection fails instead.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ReceiveBenchmark -f 2 -wi 3 -w 2s -i 5 -r 1s -t 1 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReceiveBenchmark {
  static final String TYPE = "invoice.paid";

  /** The data of the flat event. */
  public record Invoice(String id, long amount, String currency, String note) {}

  /** The data of the nested event. */
  public record Order(
      String id, Customer customer, List<Line> lines, List<String> tags, Map<String, Object> meta) {}

  /** A customer inside {@link Order}. */
  public record Customer(String id, String email, Address address) {}

  /** An address inside {@link Customer}. */
  public record Address(String street, String city, String country) {}

  /** An order line inside {@link Order}. */
  public record Line(String sku, int quantity, long price, List<String> options) {}

  private Verifier verifier;
  private byte[] flatBody;
  private byte[] nestedBody;
  private WebhookHeaders flatHeaders;
  private WebhookHeaders nestedHeaders;
  private WebhookReceiver anyReceiver;
  private WebhookReceiver flatTypedReceiver;
  private WebhookReceiver nestedTypedReceiver;
  /** Where handlers put the event, so that nothing they get can be optimised away. */
  private Object sink;

  @Setup
  public void setUp() {
    Clock clock = Clock.fixed(VerifyBenchmark.FIXED_TIME, ZoneOffset.UTC);
    verifier =
        Verifier.builder(SignatureScheme.standardWebhooks())
            .key(VerifyBenchmark.SECRET)
            .clock(clock)
            .build();
    flatBody = flatEvent(1024);
    nestedBody = nestedEvent(1024);
    Map<String, String> flatSigned =
        SignatureScheme.standardWebhooks()
            .signer(VerifyBenchmark.SECRET)
            .sign(VerifyBenchmark.WEBHOOK_ID, VerifyBenchmark.FIXED_TIME, flatBody);
    flatHeaders = WebhookHeaders.of(flatSigned);
    nestedHeaders =
        WebhookHeaders.of(
            SignatureScheme.standardWebhooks()
                .signer(VerifyBenchmark.SECRET)
                .sign(VerifyBenchmark.WEBHOOK_ID, VerifyBenchmark.FIXED_TIME, nestedBody));

    anyReceiver = receiver(clock).onAny(event -> sink = event).build();
    flatTypedReceiver =
        receiver(clock).on(TYPE, Invoice.class, event -> sink = event).build();
    nestedTypedReceiver =
        receiver(clock).on(TYPE, Order.class, event -> sink = event).build();

    verifier.verify(flatHeaders, flatBody);
    check(receiveAnyFlat(), Object.class);
    check(receiveTypedFlat(), Invoice.class);
    check(receiveAnyNested(), Object.class);
    check(receiveTypedNested(), Order.class);
  }

  private WebhookReceiver.Builder receiver(Clock clock) {
    return WebhookReceiver.builder().verifier(verifier).idempotencyStore(new AlwaysGrants()).clock(clock);
  }

  private static void check(ReceiveResult result, Class<?> dataClass) {
    if (result.outcome() != ReceiveResult.Outcome.PROCESSED) {
      throw new IllegalStateException("not processed: " + result + " " + result.failure());
    }
    Object data = result.event().orElseThrow().data();
    if (!dataClass.isInstance(data)) {
      throw new IllegalStateException("data is " + data.getClass() + ", not " + dataClass);
    }
  }

  /** A flat event of exactly {@code size} ASCII bytes, padded inside {@code data.note}. */
  static byte[] flatEvent(int size) {
    String head =
        "{\"id\":\"" + VerifyBenchmark.WEBHOOK_ID + "\",\"type\":\"" + TYPE + "\","
            + "\"timestamp\":\"2023-11-14T22:13:20Z\","
            + "\"data\":{\"id\":\"inv_123\",\"amount\":4200,\"currency\":\"EUR\",\"note\":\"";
    return pad(head, "\"}}", size);
  }

  /**
   * A nested event of exactly {@code size} ASCII bytes: a customer with an address, order lines
   * with option arrays, tags and a free-form map, padded inside {@code data.meta.note}.
   */
  static byte[] nestedEvent(int size) {
    StringBuilder head =
        new StringBuilder("{\"id\":\"" + VerifyBenchmark.WEBHOOK_ID + "\",\"type\":\"" + TYPE + "\",")
            .append("\"timestamp\":\"2023-11-14T22:13:20Z\",\"data\":{\"id\":\"ord_42\",")
            .append("\"customer\":{\"id\":\"cus_7\",\"email\":\"ana@example.com\",")
            .append("\"address\":{\"street\":\"1 Main St\",\"city\":\"Lisbon\",\"country\":\"PT\"}},")
            .append("\"lines\":[");
    for (int i = 0; i < 6; i++) {
      head.append(i == 0 ? "" : ",")
          .append("{\"sku\":\"sku-").append(1000 + i).append("\",\"quantity\":").append(i + 1)
          .append(",\"price\":").append(1999 + i * 100)
          .append(",\"options\":[\"size-m\",\"colour-").append(i).append("\"]}");
    }
    head.append("],\"tags\":[\"new\",\"gift\",\"priority\",\"eu\"],")
        .append("\"meta\":{\"channel\":\"web\",\"attempt\":1,\"flags\":[true,false],")
        .append("\"ab\":{\"test\":\"checkout-v2\",\"arm\":\"b\"},\"note\":\"");
    return pad(head.toString(), "\"}}}", size);
  }

  private static byte[] pad(String head, String tail, int size) {
    StringBuilder json = new StringBuilder(head);
    if (json.length() + tail.length() > size) {
      throw new IllegalArgumentException("the event is longer than " + size + " bytes");
    }
    while (json.length() < size - tail.length()) {
      json.append((char) ('a' + json.length() % 26));
    }
    return json.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The baseline: bare verification of the flat request. */
  @Benchmark
  public VerifiedWebhook verify() {
    return verifier.verify(flatHeaders, flatBody);
  }

  /** The flat request to a handler on {@code *}. */
  @Benchmark
  public ReceiveResult receiveAnyFlat() {
    return anyReceiver.receive(flatHeaders, flatBody);
  }

  /** The flat request to a handler on its type, its data read as a record. */
  @Benchmark
  public ReceiveResult receiveTypedFlat() {
    return flatTypedReceiver.receive(flatHeaders, flatBody);
  }

  /** The nested request to a handler on {@code *}. */
  @Benchmark
  public ReceiveResult receiveAnyNested() {
    return anyReceiver.receive(nestedHeaders, nestedBody);
  }

  /** The nested request to a handler on its type, its data read as nested records. */
  @Benchmark
  public ReceiveResult receiveTypedNested() {
    return nestedTypedReceiver.receive(nestedHeaders, nestedBody);
  }

  /** A store that grants every claim and keeps nothing. */
  static final class AlwaysGrants implements IdempotencyStore {
    @Override
    public Claim claim(String key, String owner, Instant now, Instant leaseUntil) {
      return Claim.ACQUIRED;
    }

    @Override
    public void complete(String key, Instant expiresAt) {}

    @Override
    public void release(String key, String owner) {}

    @Override
    public int prune(Instant now) {
      return 0;
    }
  }
}
