package dev.hookwire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportResponseTest {

  @Test
  void headersAreMatchedWithoutRegardToCaseAndMerged() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Retry-After", List.of("30"));
    headers.put("set-cookie", List.of("a=1"));
    headers.put("Set-Cookie", List.of("b=2"));
    TransportResponse response = new TransportResponse(429, headers, "slow down");

    assertThat(response.header("retry-after")).hasValue("30");
    assertThat(response.header("RETRY-AFTER")).hasValue("30");
    assertThat(response.headers().get("SET-COOKIE")).containsExactly("a=1", "b=2");
    assertThat(response.header("Location")).isEmpty();
    assertThatThrownBy(() -> response.headers().put("x", List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void refusesStatusesOutOfRange() {
    assertThatThrownBy(() -> new TransportResponse(99, Map.of(), ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransportResponse(600, Map.of(), ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new TransportResponse(100, Map.of(), "").status()).isEqualTo(100);
    assertThat(new TransportResponse(599, Map.of(), "").status()).isEqualTo(599);
  }
}
