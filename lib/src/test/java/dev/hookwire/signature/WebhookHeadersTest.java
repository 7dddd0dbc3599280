package dev.hookwire.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookHeadersTest {

  @Test
  void singleValuedMap_anyCase() {
    WebhookHeaders headers = WebhookHeaders.of(Map.of("Webhook-ID", "a"));

    assertThat(headers.first("webhook-id")).contains("a");
    assertThat(headers.first("WEBHOOK-ID")).contains("a");
    assertThat(headers.all("webhook-id")).containsExactly("a");
    assertThat(headers.first("other")).isEmpty();
    assertThat(headers.all("other")).isEmpty();
  }

  @Test
  void multiValuedMap_keepsEveryValue_skippingNulls() {
    Map<String, List<String>> map = new HashMap<>();
    map.put("X-Sig", Arrays.asList(null, "one", "two"));
    map.put("Empty", List.of());
    WebhookHeaders headers = WebhookHeaders.ofMulti(map);

    assertThat(headers.first("x-sig")).contains("one");
    assertThat(headers.all("x-sig")).containsExactly("one", "two");
    assertThat(headers.first("empty")).isEmpty();
  }

  @Test
  void multiValuedMap_allValues_cannotBeChangedThroughTheView() {
    Map<String, List<String>> map = new HashMap<>();
    map.put("webhook-signature", new ArrayList<>(List.of("v1,a", "v1,b")));
    map.put("x-linked", new LinkedList<>(List.of("c", "d")));
    WebhookHeaders headers = WebhookHeaders.ofMulti(map);

    List<String> all = headers.all("Webhook-Signature");

    assertThat(all).containsExactly("v1,a", "v1,b");
    assertThat(headers.all("x-linked")).containsExactly("c", "d");
    assertThatThrownBy(() -> all.add("v1,forged")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(map.get("webhook-signature")).containsExactly("v1,a", "v1,b");
  }

  @Test
  void namesAndValues_groupsRepeatedNamesIgnoringCase() {
    WebhookHeaders headers = WebhookHeaders.of("A", "1", "a", "2", "B", "3");

    assertThat(headers.all("A")).containsExactly("1", "2");
    assertThat(headers.toString()).contains("A").contains("B").doesNotContain("1");
    assertThatThrownBy(() -> WebhookHeaders.of("A"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("odd");
  }

  @Test
  void toStringShowsNamesNotValues() {
    assertThat(WebhookHeaders.of(Map.of("Authorization", "Bearer secret-token")).toString())
        .contains("Authorization")
        .doesNotContain("secret-token");
  }
}
