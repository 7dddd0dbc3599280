package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hookwire.internal.HeaderRules;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.transport.TransportRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzz test of the rules for what a user types into an endpoint: any URL and any headers are
 * either refused where they are set, with an {@link IllegalArgumentException} (or, for a clash
 * between settings, an {@link IllegalStateException} at {@code build()}) that never repeats the
 * URL's credentials, or accepted; and what is accepted always makes a request the transports
 * take. Nothing accepted can fail every attempt later.
 *
 * <p>Without {@code JAZZER_FUZZ} the target runs once per file in {@code
 * HttpRulesFuzzTestInputs/anySettings}. To fuzz:
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m mvn -pl lib test -Dtest='HttpRulesFuzzTest'
 * </pre>
 */
class HttpRulesFuzzTest {
  private static final Pattern USER_INFO = Pattern.compile("//([^/?#@]*)@");
  private static final String KEY = "whsec_6wNWXD/yGPOskc8FgsSZ4+zQyxhLLa+6EYxRfGPXx/M=";
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String MARKER = "s3cr3t-v4lue";

  @FuzzTest
  void anySettings(FuzzedDataProvider data) {
    String url = data.consumeString(200);
    Endpoint.Builder builder;
    try {
      builder = Endpoint.builder(url);
    } catch (IllegalArgumentException e) {
      assertNoCredentials(url, e);
      return;
    }
    if (data.consumeBoolean()) {
      builder.signing(SignatureScheme.standardWebhooks(), KEY);
    }
    if (data.consumeBoolean()) {
      builder.authentication(Authentication.bearer("token-" + data.consumeInt(0, 999)));
    }
    int headers = data.consumeInt(0, 4);
    for (int i = 0; i < headers; i++) {
      String name = data.consumeString(40);
      // A value may be a credential: one with a marker inside must never show in a message.
      String value = data.consumeString(40) + MARKER + data.consumeString(40);
      try {
        builder.header(name, value);
      } catch (IllegalArgumentException e) {
        if (!name.contains(MARKER)) {
          assertThat(e.getMessage()).doesNotContain(MARKER);
        }
      }
    }
    Endpoint endpoint;
    try {
      endpoint = builder.build();
    } catch (IllegalStateException e) {
      assertThat(e.getMessage()).contains("header");
      return;
    }
    // Accepted: every attempt's request must be one the transports take.
    TransportRequest request =
        new Engine.RequestTemplate(endpoint, Duration.ofSeconds(10))
            .request(endpoint.signerAt(NOW), "msg_fuzz", new byte[] {'{', '}'}, NOW, Map.of());
    assertThat(request.url()).isEqualTo(endpoint.uri());
    assertThat(request.hasHeader(HeaderRules.CONTENT_TYPE)).isTrue();
  }

  private static void assertNoCredentials(String url, IllegalArgumentException e) {
    Matcher m = USER_INFO.matcher(url);
    // Checked where the credentials are unambiguous: the same text once in the URL (otherwise
    // the rest of the URL may rightly show it again once the credentials are cut out).
    if (m.find() && !m.group(1).isEmpty() && url.indexOf(m.group(1) + "@") == url.lastIndexOf(m.group(1) + "@")) {
      assertThat(e.getMessage()).doesNotContain("//" + m.group(1) + "@"); // credentials cut out
    }
  }
}
