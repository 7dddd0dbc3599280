package dev.hookwire.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookwire.event.EventCodec;
import dev.hookwire.preset.Insightarc;
import dev.hookwire.preset.Intelligems;
import dev.hookwire.signature.Ed25519KeyPair;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.Signer;
import dev.hookwire.signature.Verifier;
import dev.hookwire.testing.TestEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hookwire against Node's {@code crypto}: for every format, a script of our own ({@code
 * node-crypto.js}, which uses nothing but {@code node:crypto}) computes signatures the way the
 * format's documentation describes them. Node signs and Hookwire's verifier must accept, and
 * refuse the body once changed; Hookwire signs and Node, comparing in constant time, must accept,
 * and refuse the changed body.
 *
 * <p>Every case runs in one node process, started once for the class by whichever test comes
 * first; without Node.js each test is skipped (failed where {@code CI=true}) with a message saying
 * to install it.
 */
class NodeCryptoInteropTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String INSIGHTARC_URL =
      "https://crm.example.com/hooks/insightarc?project=42&name=caf%C3%A9";
  static final long NOW = TestEvents.T0.getEpochSecond();

  @TempDir static Path dir;

  static final List<Case> cases = new ArrayList<>();
  static JsonNode answer;

  /** One format: how Hookwire signs and verifies it, and what Node is told of the keys. */
  record Format(
      String scheme,
      String variant,
      String nodeSignKey,
      String nodeVerifyKey,
      Supplier<Signer> signer,
      Supplier<Verifier> verifier,
      boolean compactJsonOnly) {
    String label() {
      return variant.isEmpty() ? scheme : scheme + " (" + variant + ")";
    }
  }

  /** A body, and whether it is compact JSON that {@code JSON.stringify(JSON.parse(...))} keeps. */
  record Body(String name, byte[] bytes, boolean compactJson) {}

  record Case(Format format, Body body, int signIndex, int verifyIndex, int tamperedVerifyIndex) {
    String label() {
      return format.label() + ", " + body.name();
    }
  }

  static List<Format> formats() {
    String intelligems = "ig_whsec_node_interop";
    String insightarc = "insightarc-project-secret";
    String standard = Secrets.newStandardSecret();
    Ed25519KeyPair pair = Secrets.newEd25519KeyPair();
    String github = "gh-webhook-secret";
    String shopify = "shpss_0c1f9a7e5b3d2468";
    String stripe = "whsec_stripe_text_secret";
    return List.of(
        new Format("intelligems", "", intelligems, intelligems,
            () -> SignatureScheme.intelligems().signer(intelligems),
            () -> Intelligems.verifier(intelligems), false),
        new Format("insightarc", "", insightarc, insightarc,
            () -> Signer.builder(SignatureScheme.insightarc()).key(insightarc).url(INSIGHTARC_URL).build(),
            () -> Insightarc.verifier(INSIGHTARC_URL, insightarc), false),
        new Format("insightarc", "seed-snippet", insightarc, insightarc,
            () -> Signer.builder(SignatureScheme.insightarc()).key(insightarc).url(INSIGHTARC_URL).build(),
            () -> Insightarc.verifier(INSIGHTARC_URL, insightarc), true),
        new Format("standard", "", standard, standard,
            () -> SignatureScheme.standardWebhooks().signer(standard),
            () -> Verifier.builder(SignatureScheme.standardWebhooks()).key(standard).clock(TestEvents.CLOCK).build(),
            false),
        new Format("standard-ed25519", "", pair.secretKey(), pair.publicKey(),
            () -> SignatureScheme.standardWebhooksEd25519().signer(pair.secretKey()),
            () -> Verifier.builder(SignatureScheme.standardWebhooksEd25519()).key(pair.publicKey())
                .clock(TestEvents.CLOCK).build(),
            false),
        new Format("github", "", github, github,
            () -> SignatureScheme.github().signer(github),
            () -> SignatureScheme.github().verifier(github), false),
        new Format("shopify", "", shopify, shopify,
            () -> SignatureScheme.shopify().signer(shopify),
            () -> SignatureScheme.shopify().verifier(shopify), false),
        new Format("stripe", "", stripe, stripe,
            () -> SignatureScheme.stripe().signer(stripe),
            () -> Verifier.builder(SignatureScheme.stripe()).key(stripe).clock(TestEvents.CLOCK).build(),
            false));
  }

  static List<Body> bodies() {
    EventCodec codec = EventCodec.ofDefaults();
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) (255 - i);
    }
    StringBuilder large = new StringBuilder("[");
    for (int i = 0; large.length() < 64 * 1024; i++) {
      large.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append(",\"s\":\"Grüße ").append(i).append("\"}");
    }
    large.append(']');
    return List.of(
        new Body("event envelope", codec.encode(TestEvents.experienceEvent()), true),
        new Body("Intelligems payload", Intelligems.payload().map(TestEvents.experienceEvent(), codec), true),
        new Body("compact JSON beyond ASCII",
            "{\"name\":\"Café ☕ – 漢字\",\"emoji\":\"😀\",\"quote\":\"a\\\"b\"}".getBytes(UTF_8), true),
        new Body("pretty JSON with a trailing newline", "{\n  \"name\" : \"Café\",\n  \"n\" : 1.50\n}\n".getBytes(UTF_8), false),
        new Body("bytes that are not UTF-8", binary, false),
        new Body("empty body", new byte[0], false),
        new Body("64 KiB JSON", large.toString().getBytes(UTF_8), true));
  }

  /** Runs every case through node on the first call; skips the caller if node is missing. */
  static synchronized JsonNode answer() throws Exception {
    if (answer == null) {
      answer = runNode();
    }
    return answer;
  }

  static JsonNode runNode() throws Exception {
    Node node = Node.withScript("/dev/hookwire/interop/node-crypto.js", dir);
    ObjectNode request = JSON.createObjectNode();
    ArrayNode sign = request.putArray("sign");
    ArrayNode verify = request.putArray("verify");
    for (Format format : formats()) {
      for (Body body : bodies()) {
        if (format.compactJsonOnly() && !body.compactJson()) {
          continue;
        }
        ObjectNode s = sign.addObject();
        common(s, format, format.nodeSignKey(), body.bytes());
        s.put("id", TestEvents.ID);
        s.put("timestamp", NOW);

        Map<String, String> ours = format.signer().get().sign(TestEvents.ID, TestEvents.T0, body.bytes());
        common(verify.addObject(), format, format.nodeVerifyKey(), body.bytes()).set("headers", JSON.valueToTree(ours));
        common(verify.addObject(), format, format.nodeVerifyKey(), tampered(body.bytes()))
            .set("headers", JSON.valueToTree(ours));
        cases.add(new Case(format, body, sign.size() - 1, verify.size() - 2, verify.size() - 1));
      }
    }
    JsonNode result = node.run(request);
    assertThat(result.get("signed")).hasSize(sign.size());
    assertThat(result.get("verified")).hasSize(verify.size());
    return result;
  }

  static ObjectNode common(ObjectNode c, Format format, String key, byte[] body) {
    c.put("scheme", format.scheme());
    c.put("variant", format.variant());
    c.put("key", key);
    c.put("url", INSIGHTARC_URL);
    c.put("now", NOW);
    c.put("body", Base64.getEncoder().encodeToString(body));
    return c;
  }

  /** The body with one bit changed, or one byte added if it is empty. */
  static byte[] tampered(byte[] body) {
    if (body.length == 0) {
      return new byte[] {'x'};
    }
    byte[] copy = Arrays.copyOf(body, body.length);
    copy[copy.length / 2] ^= 0x01;
    return copy;
  }

  /**
   * Runs node: a plain test, so that a run without Node.js reports it as skipped, with the
   * message, where the dynamic tests below would silently make none.
   */
  @Test
  void nodeAnswersEveryCase() throws Exception {
    assertThat(answer().get("signed")).hasSize(cases.size());
    assertThat(answer().get("verified")).hasSize(2 * cases.size());
  }

  @TestFactory
  Stream<DynamicTest> nodeSigns_hookwireVerifies_andRefusesTheChangedBody() throws Exception {
    JsonNode answer = answer();
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.label(), () -> {
          JsonNode signed = answer.get("signed").get(c.signIndex());
          assertThat(signed.has("error")).as("node failed: %s", signed.path("error").asText()).isFalse();
          Map<String, String> headers = new LinkedHashMap<>();
          signed.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
          Verifier verifier = c.format().verifier().get();

          assertThat(verifier.verify(headers, c.body().bytes()).scheme().name()).isEqualTo(c.format().scheme());
          assertThatThrownBy(() -> verifier.verify(headers, tampered(c.body().bytes())))
              .isInstanceOfSatisfying(
                  SignatureVerificationException.class,
                  e -> assertThat(e.reason()).isEqualTo(SignatureVerificationException.Reason.NO_MATCHING_SIGNATURE));
        }));
  }

  @TestFactory
  Stream<DynamicTest> hookwireSigns_nodeVerifiesInConstantTime_andRefusesTheChangedBody()
      throws Exception {
    JsonNode answer = answer();
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.label(), () -> {
          JsonNode ours = answer.get("verified").get(c.verifyIndex());
          JsonNode changed = answer.get("verified").get(c.tamperedVerifyIndex());
          assertThat(ours.isBoolean()).as("node answered %s", ours).isTrue();
          assertThat(changed.isBoolean()).as("node answered %s", changed).isTrue();

          assertThat(ours.booleanValue()).as("node accepts Hookwire's signature").isTrue();
          assertThat(changed.booleanValue()).as("node accepts a changed body").isFalse();
        }));
  }
}
