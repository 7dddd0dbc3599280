package dev.hookwire.bench;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.hookwire.signature.Ed25519KeyPair;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Signer;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Standard Webhooks v1 verification of one 1 KiB body: Hookwire against the reference library
 * ({@code com.standardwebhooks:standardwebhooks}) and against the least work a correct verifier
 * must do (one HMAC-SHA256 with a ready {@link Mac}, one constant-time comparison).
 *
 * <p>Every verifier sees the same id, secret and body; each input is checked once at setup, so a
 * benchmark that silently measured a rejection fails instead.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar VerifyBenchmark -f 5 -wi 4 -w 2s -i 5 -r 2s -t 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VerifyBenchmark {
  static final int BODY_BYTES = 1024;
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwbGHC9y2aCLY=";
  static final String WEBHOOK_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

  /** The signing time for Hookwire and the raw HMAC; Hookwire's clock is fixed here. */
  static final Instant FIXED_TIME = Instant.ofEpochSecond(1_700_000_000L);

  private byte[] body;

  private Verifier verifier;
  private WebhookHeaders headers;
  private WebhookHeaders multiHeaders;
  private Signer signer;

  private Webhook reference;
  private String referenceBody;
  private Map<String, List<String>> referenceHeaders;

  private Mac mac;
  private byte[] rawId;
  private byte[] rawTimestamp;
  private byte[] rawExpected;

  private Verifier ed25519Verifier;
  private WebhookHeaders ed25519Headers;

  @Setup
  public void setUp() throws Exception {
    body = jsonBody(BODY_BYTES);
    Clock clock = Clock.fixed(FIXED_TIME, ZoneOffset.UTC);

    signer = SignatureScheme.standardWebhooks().signer(SECRET);
    verifier =
        Verifier.builder(SignatureScheme.standardWebhooks()).key(SECRET).clock(clock).build();
    Map<String, String> signed = signer.sign(WEBHOOK_ID, FIXED_TIME, body);
    headers = WebhookHeaders.of(signed);
    verifier.verify(headers, body);
    multiHeaders = WebhookHeaders.ofMulti(multiValued(signed));
    verifier.verify(multiHeaders, body);

    // The reference library reads the system clock with a 5-minute tolerance: sign now, so the
    // timestamp stays fresh for the few minutes a fork runs.
    reference = new Webhook(SECRET);
    referenceBody = new String(body, StandardCharsets.UTF_8);
    referenceHeaders = multiValued(signer.sign(WEBHOOK_ID, Instant.now(), body));
    reference.verify(referenceBody, referenceHeaders);

    byte[] key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
    mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    rawId = WEBHOOK_ID.getBytes(StandardCharsets.US_ASCII);
    rawTimestamp = signed.get("webhook-timestamp").getBytes(StandardCharsets.US_ASCII);
    rawExpected = Base64.getDecoder().decode(signed.get("webhook-signature").substring(3));
    if (!rawHmac()) {
      throw new IllegalStateException("raw HMAC baseline does not match the signed headers");
    }

    Ed25519KeyPair pair = Secrets.newEd25519KeyPair();
    ed25519Verifier =
        Verifier.builder(SignatureScheme.standardWebhooksEd25519())
            .key(pair.publicKey())
            .clock(clock)
            .build();
    ed25519Headers =
        WebhookHeaders.of(
            SignatureScheme.standardWebhooksEd25519()
                .signer(pair.secretKey())
                .sign(WEBHOOK_ID, FIXED_TIME, body));
    ed25519Verifier.verify(ed25519Headers, body);
  }

  /** The headers as {@code HttpServer} and Spring hand them over: one list of values per name. */
  static Map<String, List<String>> multiValued(Map<String, String> headers) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return multi;
  }

  /** A JSON event of exactly {@code size} ASCII bytes, padded inside a string field. */
  static byte[] jsonBody(int size) {
    String head =
        "{\"type\":\"invoice.paid\",\"timestamp\":\"2023-11-14T22:13:20Z\","
            + "\"data\":{\"id\":\"inv_123\",\"amount\":4200,\"currency\":\"EUR\",\"note\":\"";
    String tail = "\"}}";
    StringBuilder json = new StringBuilder(head);
    while (json.length() < size - tail.length()) {
      json.append((char) ('a' + json.length() % 26));
    }
    return json.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Hookwire's Standard Webhooks v1 verifier. */
  @Benchmark
  public VerifiedWebhook hookwire() {
    return verifier.verify(headers, body);
  }

  /** Hookwire's verifier given the reference library's header shape. */
  @Benchmark
  public VerifiedWebhook hookwireMultiHeaders() {
    return verifier.verify(multiHeaders, body);
  }

  /** The reference library's {@code Webhook.verify}. */
  @Benchmark
  public Webhook referenceLibrary() throws WebhookVerificationException {
    reference.verify(referenceBody, referenceHeaders);
    return reference;
  }

  /** The floor: HMAC-SHA256 of {@code id.timestamp.body}, reused Mac, constant-time compare. */
  @Benchmark
  public boolean rawHmac() {
    mac.update(rawId);
    mac.update((byte) '.');
    mac.update(rawTimestamp);
    mac.update((byte) '.');
    mac.update(body);
    return MessageDigest.isEqual(mac.doFinal(), rawExpected);
  }

  /** Hookwire signing the same request, for scale. */
  @Benchmark
  public Map<String, String> hookwireSign() {
    return signer.sign(WEBHOOK_ID, FIXED_TIME, body);
  }

  /** Hookwire's Standard Webhooks v1a (Ed25519) verifier, for scale. */
  @Benchmark
  public VerifiedWebhook hookwireEd25519() {
    return ed25519Verifier.verify(ed25519Headers, body);
  }
}
