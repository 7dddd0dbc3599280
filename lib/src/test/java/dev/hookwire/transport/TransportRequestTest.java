package dev.hookwire.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransportRequestTest {
  private static final URI URL = URI.create("https://hooks.example.com/in");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void keepsHeaderOrderAndSharesTheBody() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", "msg_1");
    headers.put("webhook-timestamp", "1714564800");
    headers.put("webhook-signature", "v1,abc");
    byte[] body = "{}".getBytes(UTF_8);

    TransportRequest request = new TransportRequest("POST", URL, headers, body, TIMEOUT);
    headers.put("X-Later", "ignored");

    assertThat(request.headers().keySet())
        .containsExactly("webhook-id", "webhook-timestamp", "webhook-signature");
    assertThat(request.body()).isSameAs(body);
    assertThatThrownBy(() -> request.headers().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void hasHeaderIgnoresCase() {
    TransportRequest request =
        new TransportRequest("POST", URL, Map.of("Content-Type", "text/plain"), new byte[0], TIMEOUT);
    assertThat(request.hasHeader("content-type")).isTrue();
    assertThat(request.hasHeader("CONTENT-TYPE")).isTrue();
    assertThat(request.hasHeader("User-Agent")).isFalse();
  }

  @Test
  void toStringShowsNeitherHeadersNorBody() {
    TransportRequest request =
        new TransportRequest(
            "POST", URL, Map.of("Authorization", "Bearer s3cret"), "{\"email\":\"a@b\"}".getBytes(UTF_8), TIMEOUT);
    assertThat(request.toString())
        .contains("POST", "https://hooks.example.com/in", "15 bytes")
        .doesNotContain("s3cret", "email");
  }

  @ParameterizedTest
  @ValueSource(strings = {"OPTIONS", "TRACE", "CONNECT", "post", ""})
  void refusesOtherMethods(String method) {
    assertThatThrownBy(() -> new TransportRequest(method, URL, Map.of(), new byte[0], TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("method");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/relative", "ftp://example.com/", "mailto:a@example.com", "http:///nohost", "http://under_score.example/", "http://example.com:0/", "http://example.com:65536/"})
  void refusesUrlsThatAreNotAbsoluteHttpWithAHost(String url) {
    assertThatThrownBy(() -> new TransportRequest("POST", URI.create(url), Map.of(), new byte[0], TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("url");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "HEAD"})
  void refusesABodyOnGetAndHead(String method) {
    assertThatThrownBy(() -> new TransportRequest(method, URL, Map.of(), new byte[] {1}, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no body");
    assertThat(new TransportRequest(method, URL, Map.of(), new byte[0], TIMEOUT).method()).isEqualTo(method);
  }

  @Test
  void refusesATimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> new TransportRequest("POST", URL, Map.of(), new byte[0], Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransportRequest("POST", URL, Map.of(), new byte[0], Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNulls() {
    assertThatThrownBy(() -> new TransportRequest(null, URL, Map.of(), new byte[0], TIMEOUT))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new TransportRequest("POST", null, Map.of(), new byte[0], TIMEOUT))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new TransportRequest("POST", URL, null, new byte[0], TIMEOUT))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new TransportRequest("POST", URL, Map.of(), null, TIMEOUT))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new TransportRequest("POST", URL, Map.of(), new byte[0], null))
        .isInstanceOf(NullPointerException.class);
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("X-A", null);
    assertThatThrownBy(() -> new TransportRequest("POST", URL, nullValue, new byte[0], TIMEOUT))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("X-A");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Host", "host", "Connection", "Content-Length", "Expect", "Upgrade", "Transfer-Encoding",
        "TE", "Trailer", "Keep-Alive", "Proxy-Connection"
      })
  void refusesHeadersTheHttpClientManages(String name) {
    assertThatThrownBy(() -> new TransportRequest("POST", URL, Map.of(name, "x"), new byte[0], TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("managed by the HTTP client");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "X A", "X:A", "Ä", "X\nA", "(X)"})
  void refusesHeaderNamesThatAreNotTokens(String name) {
    assertThatThrownBy(() -> new TransportRequest("POST", URL, Map.of(name, "x"), new byte[0], TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\r\nX-Injected: 1", "caf\u00e9", "a\u0000b", "a\u007fb", " v4lue", "v4lue\t"})
  void refusesHeaderValuesThatCannotGoOutAsTheyAre(String value) {
    assertThatThrownBy(
            () -> new TransportRequest("POST", URL, Map.of("X-Secret", value), new byte[0], TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("X-Secret")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value.strip()));
  }

  @Test
  void acceptsOrdinaryHeaderValues() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1a,abc");
    headers.put("X-Tabbed", "a\tb");
    headers.put("X-Empty", "");
    headers.put("X-Symbols", "!#$%&'*+-.^_`|~\"(),/:;<=>?@[\\]{}");
    assertThat(new TransportRequest("POST", URL, headers, new byte[0], TIMEOUT).headers()).hasSize(4);
  }

  @Test
  void refusesTheSameHeaderTwiceInDifferentCase() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Signature", "a");
    headers.put("x-signature", "b");
    assertThatThrownBy(() -> new TransportRequest("POST", URL, headers, new byte[0], TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void headersCheckedBefore_areTakenAsTheyAre_othersAreCopied() {
    dev.hookwire.internal.CheckedHeaders checked =
        dev.hookwire.internal.CheckedHeaders.copyOf(Map.of("webhook-id", "msg_1"));
    Map<String, String> plain = new LinkedHashMap<>(Map.of("webhook-id", "msg_1"));

    TransportRequest fromChecked = new TransportRequest("POST", URL, checked, new byte[0], TIMEOUT);
    TransportRequest fromPlain = new TransportRequest("POST", URL, plain, new byte[0], TIMEOUT);
    plain.put("X-Later", "1");

    assertThat(fromChecked.headers()).isSameAs(checked);
    assertThat(fromPlain.headers()).isEqualTo(checked).doesNotContainKey("X-Later");
    assertThatThrownBy(() -> fromPlain.headers().put("X-More", "1"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
