package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookwire.HookwireException;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored form of endpoints whose bodies come from a payload template. */
class EndpointCodecTest {
  static final String TEMPLATE =
      "{\n  \"uid\": \"{{data.user_id}}\",\n  \"at\": \"{{event.timestamp_ms}}\"\n}";

  /** A dispatcher's codec that knows no payload mapper at all. */
  final EndpointCodec codec = new EndpointCodec(Map.of(), Map.of());

  Endpoint endpoint(String template) {
    return Endpoint.builder("https://x.example/hook").id("ep_t").payloadTemplate(template).build();
  }

  @Test
  void aTemplateIsStoredAsItsSource_andReadBackWithoutRegistration() throws Exception {
    Endpoint endpoint = endpoint(TEMPLATE);

    String stored = codec.write(endpoint);
    JsonNode document = new ObjectMapper().readTree(stored);
    Endpoint restored = codec.read(stored);

    assertThat(document.get("payloadTemplate").asText()).isEqualTo(TEMPLATE);
    assertThat(document.has("payloadMapper")).isFalse();
    assertThat(restored).isEqualTo(endpoint);
    assertThat(restored.payloadTemplate()).contains(PayloadTemplate.parse(TEMPLATE));
    assertThat(restored.payloadTemplate().orElseThrow().source()).isEqualTo(TEMPLATE);
    assertThat(codec.sameSettings(restored, endpoint)).isTrue();
  }

  @Test
  void endpointsWithEqualTemplates_haveTheSameSettings_andOthersDoNot() {
    Endpoint a = endpoint(TEMPLATE);
    Endpoint b = endpoint(new String(TEMPLATE.toCharArray()));
    Endpoint other = endpoint(TEMPLATE.replace("user_id", "uid"));

    assertThat(a).isEqualTo(b);
    assertThat(codec.sameSettings(a, b)).isTrue();
    assertThat(a).isNotEqualTo(other);
    assertThat(codec.sameSettings(a, other)).isFalse();
    assertThat(codec.sameSettings(a, a.toBuilder().payloadMapper(envelope()).build())).isFalse();
  }

  @Test
  void aStoredTemplateThatNoLongerParses_namesTheEndpointAndTheProblem() throws Exception {
    ObjectNode document = (ObjectNode) new ObjectMapper().readTree(codec.write(endpoint(TEMPLATE)));
    document.put("payloadTemplate", "{\"uid\": \"{{user_id}}\"}");

    assertThatThrownBy(() -> codec.read(document.toString()))
        .isInstanceOf(HookwireException.class)
        .hasCauseInstanceOf(PayloadTemplateException.class)
        .hasMessage("stored endpoint ep_t has a payload template that does not parse (payload"
            + " template: unknown placeholder root \"user_id\" in {{user_id}} at line 1, column 12;"
            + " use event.id, event.type, event.timestamp, event.timestamp_ms or data, with a path"
            + " such as data.items[0].name or data[\"a key\"]); Dispatcher.update cannot read it"
            + " either: delete the endpoint and register it again with a corrected template");
  }

  @Test
  void otherMappers_areStillStoredByName() throws Exception {
    Endpoint endpoint =
        Endpoint.builder("https://x.example/hook").id("ep_m").payloadMapper(envelope()).build();
    EndpointCodec knowing = new EndpointCodec(Map.of("envelope-copy", envelope()), Map.of());

    String stored = knowing.write(endpoint);

    assertThat(new ObjectMapper().readTree(stored).get("payloadMapper").asText()).isEqualTo("envelope-copy");
    assertThat(knowing.read(stored).payloadTemplate()).isEmpty();
    assertThatThrownBy(() -> codec.read(stored)).hasMessageContaining("does not know");
  }

  static PayloadMapper envelope() {
    return new PayloadMapper() {
      @Override
      public String name() {
        return "envelope-copy";
      }

      @Override
      public byte[] map(WebhookEvent<?> event, EventCodec codec) {
        return codec.encode(event);
      }
    };
  }
}
