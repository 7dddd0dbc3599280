package dev.hookwire.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookwire.testing.TestEvents;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {
  private final EventCodec codec = EventCodec.ofDefaults();

  /** A user's own data type: nested records, a list, an instant, exact decimals, a nullable. */
  record OrderPaid(
      String orderId,
      BigDecimal total,
      double weightKg,
      List<Line> lines,
      Instant paidAt,
      String note) {}

  record Line(String sku, int quantity, BigDecimal price) {}

  private static OrderPaid order(String note) {
    return new OrderPaid(
        "ord_1001",
        new BigDecimal("129.50"),
        1.0E7,
        List.of(
            new Line("SKU-1", 2, new BigDecimal("19.90")),
            new Line("SKU-2", 1, new BigDecimal("89.70"))),
        Instant.parse("2024-05-01T11:59:59.999999Z"),
        note);
  }

  private static byte[] json(String text) {
    return text.getBytes(UTF_8);
  }

  /** An envelope around {@code data}, with field values that decode. */
  private static byte[] envelope(String type, String data) {
    return json(
        "{\"id\":\"msg_1\",\"type\":\""
            + type
            + "\",\"timestamp\":\"2024-05-01T12:00:00Z\",\"data\":"
            + data
            + "}");
  }

  // Writing

  @Test
  void writesFieldsInOrderWithInstantsAsIsoStrings() {
    assertThat(codec.encodeToString(TestEvents.experienceEvent()))
        .isEqualTo(
            "{\"id\":\"msg_01HWRCQ5N0BMG2X7D5ZQ3TE1KV\",\"type\":\"experience.started\","
                + "\"timestamp\":\"2024-05-01T12:00:00Z\",\"data\":{\"experienceId\":\"exp_8f2c41\",\"name\":\"Free"
                + " shipping over $50\",\"experienceType\":\"shipping\","
                + "\"action\":\"started\",\"timestamp\":\"2024-05-01T11:59:58.500Z\","
                + "\"triggeredBy\":\"ana@example.com\"}}");
  }

  @Test
  void encodeAndEncodeToStringAgree() {
    WebhookEvent<GoalEvent> event = TestEvents.goalEvent();

    assertThat(new String(codec.encode(event), UTF_8)).isEqualTo(codec.encodeToString(event));
  }

  @Test
  void leavesOutTriggeredByWhenTheSystemTriggered() {
    WebhookEvent<ExperienceEvent> event =
        TestEvents.experienceEvent().withData(TestEvents.experienceEndedBySystem());

    assertThat(codec.encodeToString(event))
        .endsWith("\"action\":\"ended\",\"timestamp\":\"2024-05-15T00:00:00.123456789Z\"}}")
        .doesNotContain("triggeredBy");
  }

  @Test
  void writesGoalEventsWithNullPropertiesKept() {
    assertThat(new String(codec.encodeData(TestEvents.goal()), UTF_8))
        .isEqualTo(
            "{\"publishedAt\":\"2024-05-01T12:00:00Z\",\"units\":[{\"type\":\"user_id\",\"uid\":\"u_1842\"}],"
                + "\"goals\":[{\"name\":\"intercom_conversation_started\",\"achievedAt\":\"2024-05-01T11:59:58Z\","
                + "\"properties\":{\"user_email\":\"ana@example.com\",\"company\":null,\"messages\":3,"
                + "\"score\":4.5,\"tags\":[\"vip\",\"eu\"],\"first\":true}},"
                + "{\"name\":\"intercom_user_messaged\",\"achievedAt\":\"2024-05-01T11:59:59Z\",\"properties\":{}}]}");
  }

  @Test
  void decodeData_readsWhatEncodeDataWrote() {
    byte[] json = codec.encodeData(TestEvents.goal());

    assertThat(codec.decodeData(json, GoalEvent.class)).isEqualTo(TestEvents.goal());
    assertThat(codec.decodeData(json, JsonNode.class).get("units").get(0).get("uid").asText())
        .isEqualTo("u_1842");
  }

  @Test
  void decodeData_isAsStrictAsDecode() {
    String[][] cases = {
      {"", "cannot decode data: the input is empty"},
      {"null", "cannot decode data: the value is null"},
      {"{\"a\":1,\"a\":2}", "Duplicate field 'a'"},
      {"{\"a\":1} {}", "cannot decode data: unexpected content after the value"},
      {"{\"a\":", "cannot decode data: invalid JSON"},
    };
    for (String[] c : cases) {
      assertThatExceptionOfType(EventFormatException.class)
          .as(c[0])
          .isThrownBy(() -> codec.decodeData(c[0].getBytes(UTF_8), JsonNode.class))
          .withMessageContaining(c[1]);
    }
    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decodeData("{\"units\":7}".getBytes(UTF_8), GoalEvent.class))
        .withMessageStartingWith("cannot decode data: ");
    assertThatNullPointerException().isThrownBy(() -> codec.decodeData(null, JsonNode.class));
    assertThatNullPointerException().isThrownBy(() -> codec.decodeData(new byte[0], null));
  }

  @Test
  void writesMapsInIterationOrderAndRecordsInDeclarationOrder() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("zeta", 1);
    data.put("alpha", null);
    data.put("order", order(null));

    assertThat(new String(codec.encodeData(data), UTF_8))
        .isEqualTo(
            "{\"zeta\":1,\"alpha\":null,\"order\":{\"orderId\":\"ord_1001\",\"total\":129.50,"
                + "\"weightKg\":1.0E+7,\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"price\":19.90},"
                + "{\"sku\":\"SKU-2\",\"quantity\":1,\"price\":89.70}],"
                + "\"paidAt\":\"2024-05-01T11:59:59.999999Z\"}}");
  }

  // Round trips

  static Stream<Arguments> typedEvents() {
    return Stream.of(
        Arguments.of(TestEvents.experienceEvent(), ExperienceEvent.class),
        Arguments.of(
            TestEvents.experienceEvent().withData(TestEvents.experienceEndedBySystem()),
            ExperienceEvent.class),
        Arguments.of(TestEvents.goalEvent(), GoalEvent.class),
        Arguments.of(
            WebhookEvent.create("order.paid", order("gift wrap"), TestEvents.CLOCK),
            OrderPaid.class),
        Arguments.of(
            WebhookEvent.create("order.paid", order(null), TestEvents.CLOCK), OrderPaid.class),
        Arguments.of(
            WebhookEvent.create(
                "goal.properties", TestEvents.goal().goals().get(0).properties(), TestEvents.CLOCK),
            Map.class),
        Arguments.of(
            WebhookEvent.create("a.b", List.of("x", 1, 2.5, true), TestEvents.CLOCK), Object.class),
        Arguments.of(WebhookEvent.create("text", "just a string", TestEvents.CLOCK), String.class),
        Arguments.of(
            new WebhookEvent<>(
                "msg_1", "a", Instant.parse("-1000000000-01-01T00:00:00Z"), Map.of("k", "v")),
            Map.class),
        Arguments.of(new WebhookEvent<>("msg_1", "a", Instant.MAX, Map.of("k", "v")), Map.class));
  }

  @ParameterizedTest
  @MethodSource("typedEvents")
  void typedRoundTripIsExact(WebhookEvent<?> event, Class<?> dataType) {
    byte[] encoded = codec.encode(event);

    assertThat(codec.decode(encoded, dataType)).isEqualTo(event);
  }

  @ParameterizedTest
  @MethodSource("typedEvents")
  void reEncodingADecodedTreeGivesTheSameBytes(WebhookEvent<?> event, Class<?> dataType) {
    byte[] encoded = codec.encode(event);

    assertThat(codec.encode(codec.decode(encoded))).isEqualTo(encoded);
    assertThat(codec.encode(codec.decodeTyped(encoded))).isEqualTo(encoded);
  }

  @Test
  void jsonNodeDataRoundTrips() {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("b", 1)
        .put("a", "x")
        .putNull("n")
        .put("d", 0.1)
        .put("big", 1.5e300)
        .put("tiny", 1.5e-7);
    data.putArray("list").add(1).add(new BigDecimal("10.50")).addObject().put("deep", true);
    data.put("huge", new BigInteger("123456789012345678901234567890"));
    WebhookEvent<JsonNode> event = new WebhookEvent<>("msg_1", "x.y", TestEvents.T0, data);

    byte[] encoded = codec.encode(event);
    WebhookEvent<JsonNode> decoded = codec.decode(encoded);

    assertThat(codec.encode(decoded)).isEqualTo(encoded);
    assertThat(decoded.data().get("d").doubleValue()).isEqualTo(0.1);
    assertThat(decoded.data().get("list").get(1).decimalValue()).isEqualTo(new BigDecimal("10.50"));
    assertThat(decoded.data().get("huge").bigIntegerValue())
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void floatingPointNumbersReEncodeExactlyWhateverTheirJavaType() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(
        "doubles",
        List.of(0.1, 1.0, 1.0E7, 1.5E-7, 123456.789, Double.MAX_VALUE, Double.MIN_VALUE, -2.5));
    data.put("floats", List.of(0.1f, 1.0E10f, 3.4028235E38f));
    data.put(
        "decimals",
        List.of(new BigDecimal("10.50"), new BigDecimal("1E+3"), new BigDecimal("0.000010")));
    // Not negative zero: it is written as -0.0, but BigDecimal (hence a tree) has no sign for zero.
    data.put("special", List.of(Double.NaN, Double.POSITIVE_INFINITY));
    WebhookEvent<Map<String, Object>> event = new WebhookEvent<>("msg_1", "n", TestEvents.T0, data);

    byte[] encoded = codec.encode(event);

    assertThat(codec.encode(codec.decode(encoded))).isEqualTo(encoded);
    @SuppressWarnings("unchecked")
    List<Object> doubles = (List<Object>) codec.decode(encoded, Map.class).data().get("doubles");
    assertThat(doubles).isEqualTo(data.get("doubles"));
  }

  @Test
  void decodeTypedPicksTheClassByType() {
    assertThat(codec.decodeTyped(codec.encode(TestEvents.experienceEvent())).data())
        .isEqualTo(TestEvents.experienceStarted());
    assertThat(codec.decodeTyped(codec.encode(TestEvents.goalEvent())).data())
        .isEqualTo(TestEvents.goal());
    assertThat(codec.decodeTyped(envelope("order.paid", "{\"orderId\":\"o\"}")).data())
        .isInstanceOf(JsonNode.class);
  }

  @Test
  void decodeTypedHandlesDataBeforeType() {
    byte[] body =
        json(
            "{\"data\":{\"experienceId\":\"e\",\"name\":\"n\",\"experienceType\":\"price\",\"action\":\"paused\","
                + "\"timestamp\":1714564800000},\"timestamp\":\"2024-05-01T12:00:00Z\","
                + "\"type\":\"experience.paused\",\"id\":\"msg_1\"}");

    WebhookEvent<?> event = codec.decodeTyped(body);

    assertThat(event.data())
        .isEqualTo(
            new ExperienceEvent(
                "e", "n", ExperienceType.PRICE, ExperienceAction.PAUSED, TestEvents.T0, null));
  }

  @Test
  void builderMappingsWinExactThenLongestPrefix() {
    EventCodec custom =
        EventCodec.builder()
            .dataType("order.paid", OrderPaid.class)
            .dataTypePrefix("order.", Map.class)
            .dataTypePrefix("order.line.", Line.class)
            .dataType(GoalEvent.TYPE, JsonNode.class)
            .build();
    String line = "{\"sku\":\"s\",\"quantity\":1,\"price\":2.5}";
    String order = new String(codec.encodeData(order(null)), UTF_8);

    assertThat(custom.decodeTyped(codec.encode(TestEvents.goalEvent())).data())
        .isInstanceOf(JsonNode.class);
    assertThat(custom.decodeTyped(envelope("order.paid", order)).data()).isEqualTo(order(null));
    assertThat(custom.decodeTyped(envelope("order.refunded", line)).data()).isInstanceOf(Map.class);
    assertThat(custom.decodeTyped(envelope("order.line.added", line)).data())
        .isEqualTo(new Line("s", 1, new BigDecimal("2.5")));
    assertThat(custom.decodeTyped(envelope("orders.x", line)).data()).isInstanceOf(JsonNode.class);
    assertThat(custom.decodeTyped(codec.encode(TestEvents.experienceEvent())).data())
        .isInstanceOf(ExperienceEvent.class);
  }

  @Test
  void builderRejectsBadMappings() {
    EventCodec.Builder builder = EventCodec.builder();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.dataType("order..paid", Map.class))
        .withMessageContaining("\"order..paid\"");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.dataTypePrefix("order", Map.class))
        .withMessage(
            "prefix \"order\" is not dot-separated [a-zA-Z0-9_] segments followed by a dot, such as"
                + " \"experience.\"");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.dataTypePrefix(".", Map.class));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.dataTypePrefix("a.*", Map.class));
    assertThatNullPointerException()
        .isThrownBy(() -> builder.dataType("a", null))
        .withMessage("dataClass == null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder.dataTypePrefix(null, Map.class))
        .withMessage("prefix == null");
  }

  @Test
  void ofDefaultsIsShared() {
    assertThat(EventCodec.ofDefaults()).isSameAs(EventCodec.ofDefaults());
  }

  // Tolerant reading

  @Test
  void ignoresUnknownFieldsInEnvelopeAndData() {
    byte[] body =
        json(
            "{\"version\":2,\"id\":\"msg_1\",\"extra\":{\"nested\":[1,{\"a\":null}]},\"type\":\"experience.created\","
                + "\"timestamp\":\"2024-05-01T12:00:00Z\",\"data\":{\"experienceId\":\"e\",\"variants\":[\"a\",\"b\"],"
                + "\"name\":\"n\",\"experienceType\":\"Price\",\"action\":\"CREATED\",\"timestamp\":\"2024-05-01T12:00:00Z\","
                + "\"triggeredBy\":\"bo@example.com\",\"store\":\"x.myshopify.com\"}}");

    WebhookEvent<ExperienceEvent> event = codec.decode(body, ExperienceEvent.class);

    assertThat(event.data())
        .isEqualTo(
            new ExperienceEvent(
                "e",
                "n",
                ExperienceType.PRICE,
                ExperienceAction.CREATED,
                TestEvents.T0,
                "bo@example.com"));
  }

  @Test
  void readsInstantsAsEpochMillisOrIsoWithOffset() {
    byte[] body =
        json(
            "{\"id\":\"msg_1\",\"type\":\"goal.achieved\",\"timestamp\":1714564800000,\"data\":{"
                + "\"publishedAt\":\"1714564800000\",\"units\":[{\"type\":\"user_id\",\"uid\":\"42\"}],"
                + "\"goals\":[{\"name\":\"signup\",\"achievedAt\":\"2024-05-01T14:00:00.250+02:00\"}]}}");

    WebhookEvent<GoalEvent> event = codec.decode(body, GoalEvent.class);

    assertThat(event.timestamp()).isEqualTo(TestEvents.T0);
    assertThat(event.data().publishedAt()).isEqualTo(TestEvents.T0);
    assertThat(event.data().goals().get(0).achievedAt()).isEqualTo(TestEvents.T0.plusMillis(250));
    assertThat(event.data().goals().get(0).properties()).isEmpty();
  }

  @Test
  void readsAnAbsmartlyStyleCollectorBody() {
    String collectorBody =
        "{\"publishedAt\":1714564800000,\"units\":[{\"type\":\"user_id\",\"uid\":\"u_77\"}],"
            + "\"goals\":[{\"name\":\"intercom_ticket_created\",\"achievedAt\":1714564799000,"
            + "\"properties\":{\"user_email\":\"cy@example.com\",\"user_name\":null,\"company\":\"Acme\"}}]}";

    WebhookEvent<?> event = codec.decodeTyped(envelope(GoalEvent.TYPE, collectorBody));

    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("user_email", "cy@example.com");
    properties.put("user_name", null);
    properties.put("company", "Acme");
    assertThat(event.data())
        .isEqualTo(
            new GoalEvent(
                TestEvents.T0,
                List.of(new GoalEvent.Unit("user_id", "u_77")),
                List.of(
                    new GoalEvent.Goal(
                        "intercom_ticket_created", TestEvents.T0.minusSeconds(1), properties))));
  }

  @Test
  void nullPropertiesReadAsEmpty() {
    byte[] body =
        envelope(
            GoalEvent.TYPE,
            "{\"publishedAt\":0,\"units\":[],\"goals\":[{\"name\":\"g\",\"achievedAt\":0,\"properties\":null}]}");

    assertThat(codec.decode(body, GoalEvent.class).data().goals().get(0).properties()).isEmpty();
  }

  @Test
  void keepsNanosecondsExactly() {
    Instant instant = Instant.parse("2024-05-01T12:00:00.000000001Z");
    WebhookEvent<Map<String, Instant>> event =
        new WebhookEvent<>("msg_1", "t", instant, Map.of("at", instant));

    byte[] encoded = codec.encode(event);

    assertThat(new String(encoded, UTF_8)).contains("\"2024-05-01T12:00:00.000000001Z\"");
    assertThat(codec.decode(encoded).timestamp()).isEqualTo(instant);
  }

  @Test
  void isSafeToShareBetweenThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    WebhookEvent<GoalEvent> event =
                        WebhookEvent.create(GoalEvent.TYPE, TestEvents.goal());
                    if (!codec.decodeTyped(codec.encode(event)).equals(event)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // Failures

  static Stream<Arguments> badEnvelopes() {
    String ok = "\"id\":\"msg_1\",\"type\":\"a.b\",\"timestamp\":\"2024-05-01T12:00:00Z\"";
    return Stream.of(
        Arguments.of("", "the input is empty"),
        Arguments.of("  \n ", "the input is empty"),
        Arguments.of("null", "expected a JSON object, found null (line 1, column 1)"),
        Arguments.of("[]", "expected a JSON object, found an array"),
        Arguments.of("42", "expected a JSON object, found a number"),
        Arguments.of("\"event\"", "expected a JSON object, found a string"),
        Arguments.of("{", "invalid JSON: Unexpected end-of-input"),
        Arguments.of("{" + ok + ",\"data\":{\"a\":", "invalid JSON: Unexpected end-of-input"),
        Arguments.of("{" + ok + ",\"data\":{}", "invalid JSON: Unexpected end-of-input"),
        Arguments.of("{'id':'msg_1'}", "invalid JSON: Unexpected character ('''"),
        Arguments.of("{" + ok + ",\"data\":{},}", "invalid JSON"),
        Arguments.of("{" + ok + ",\"data\":NaN}", "invalid JSON"),
        Arguments.of("{" + ok + "}", "missing field \"data\""),
        Arguments.of("{\"type\":\"a\",\"timestamp\":0,\"data\":{}}", "missing field \"id\""),
        Arguments.of("{\"id\":\"m\",\"timestamp\":0,\"data\":{}}", "missing field \"type\""),
        Arguments.of("{\"id\":\"m\",\"type\":\"a\",\"data\":{}}", "missing field \"timestamp\""),
        Arguments.of("{" + ok + ",\"data\":null}", "field \"data\" is null"),
        Arguments.of(
            "{\"id\":17}", "field \"id\" must be a string, found a number (line 1, column 7)"),
        Arguments.of("{\"id\":null}", "field \"id\" must be a string, found null"),
        Arguments.of(
            "{\"id\":\"m\",\"type\":[\"a\"]}", "field \"type\" must be a string, found an array"),
        Arguments.of(
            "{\"id\":\"msg 1\"}",
            "id \"msg 1\" has a whitespace, control or non-ASCII character at index 3"),
        Arguments.of("{\"id\":\"\"}", "id is empty"),
        Arguments.of(
            "{\"id\":\"m\",\"type\":\"experience..started\"}",
            "type \"experience..started\" is not dot-separated [a-zA-Z0-9_] segments (line 1,"
                + " column 18)"),
        Arguments.of(
            "{\"id\":\"m\",\"timestamp\":\"yesterday\"}",
            "field \"timestamp\": expected an ISO-8601 instant"),
        Arguments.of(
            "{\"id\":\"m\",\"timestamp\":\"2024-05-01T12:00:00\"}",
            "found \"2024-05-01T12:00:00\""),
        Arguments.of(
            "{\"id\":\"m\",\"timestamp\":1.5}",
            "field \"timestamp\": expected an ISO-8601 instant"),
        Arguments.of("{\"id\":\"m\",\"timestamp\":true}", "found a boolean"),
        Arguments.of(
            "{\"id\":\"m\",\"timestamp\":99999999999999999999999}",
            "field \"timestamp\": epoch milliseconds out of range"),
        Arguments.of(
            "{\"id\":\"m\",\"timestamp\":\"99999999999999999999999\"}", "field \"timestamp\""),
        Arguments.of("{\"id\":\"m\",\"id\":\"n\"}", "invalid JSON: Duplicate field 'id'"),
        Arguments.of("{" + ok + ",\"data\":{\"a\":1,\"a\":2}}", "Duplicate field 'a'"),
        Arguments.of("{" + ok + ",\"data\":{}} {}", "unexpected content after the event object"),
        Arguments.of("{" + ok + ",\"data\":{}}]", "invalid JSON"),
        Arguments.of(
            "{" + ok + ",\"data\":" + "[".repeat(200) + "]".repeat(200) + "}", "nesting depth"),
        Arguments.of(
            "{\"x\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "}", "nesting depth"),
        Arguments.of("{" + ok + ",\"data\":" + "9".repeat(2000) + "}", "input exceeds a limit"));
  }

  @ParameterizedTest
  @MethodSource("badEnvelopes")
  void rejectsBadEnvelopesWithAHelpfulMessage(String input, String expected) {
    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decode(json(input)))
        .withMessageStartingWith("cannot decode event: ")
        .withMessageContaining(expected);
  }

  @Test
  void aRepeatedKey_isRefusedWherever_itIs() {
    String many = manyKeys(40);
    String[] repeated = {
      // in data skipped as unknown by a record
      "{\"orderId\":\"o\",\"extra\":{\"x\":[{\"k\":1,\"k\":2}]}}",
      // in an envelope field nothing reads
      null,
      // past the keys compared one by one, in a big object
      "{" + many + ",\"k7\":0}",
      // the first key again, after a nested object with its own keys closed
      "{\"a\":{\"b\":1,\"c\":2,\"d\":3},\"e\":1,\"a\":2}",
    };
    for (String data : repeated) {
      byte[] body =
          data == null
              ? json("{\"id\":\"m\",\"type\":\"t\",\"x\":{\"y\":1,\"y\":1},\"timestamp\":1,\"data\":{}}")
              : envelope("order.paid", data);
      for (Class<?> dataClass : List.of(JsonNode.class, Map.class, OrderPaid.class)) {
        assertThatExceptionOfType(EventFormatException.class)
            .as("%s as %s", data, dataClass)
            .isThrownBy(() -> codec.decode(body, dataClass))
            .withMessageContaining("Duplicate field '");
      }
    }
  }

  @Test
  void theSameKeyInSiblingAndNestedObjects_isNoRepeat() {
    String data =
        "{\"a\":{\"a\":{\"a\":1}},\"list\":[{\"a\":1,\"b\":2,\"c\":3},{\"a\":1,\"b\":2,\"c\":3}],"
            + "\"big\":{"
            + manyKeys(40)
            + "},\"after\":{"
            + manyKeys(20)
            + "},"
            + manyKeys(30)
            + "}";

    JsonNode tree = codec.decode(envelope("order.paid", data)).data();

    assertThat(tree.get("big").size()).isEqualTo(40);
    assertThat(tree.get("after").size()).isEqualTo(20);
    assertThat(tree.get("k29").asInt()).isEqualTo(29);
    assertThat(codec.decodeData(json(data), Map.class)).hasSize(34);
  }

  private static String manyKeys(int n) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < n; i++) {
      keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    return keys.toString();
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] body = envelope("a", "{\"name\":\"xx\"}");
    int at = new String(body, UTF_8).indexOf("xx");
    body[at] = (byte) 0xC3;
    body[at + 1] = (byte) 0x28;

    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decode(body))
        .withMessageContaining("invalid JSON: Invalid UTF-8");
  }

  @Test
  void typedDataMissingSeveralFields_namesThemAll_notJacksonsInternals() {
    byte[] body = envelope("experience.started", "{\"experienceId\":\"exp_8c1f\",\"name\":\"Free shipping\"}");

    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decodeTyped(body))
        .withMessageStartingWith(
            "cannot decode event: at data: not a valid ExperienceEvent: experienceType, action and timestamp are null")
        .withMessageNotContaining("Cannot construct instance");
  }

  @Test
  void keepsTheParserExceptionAsCause() {
    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decode(json("{")))
        .withCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
  }

  static Stream<Arguments> badData() {
    String experience =
        "\"experienceId\":\"e\",\"name\":\"n\",\"experienceType\":\"price\",\"timestamp\":0";
    return Stream.of(
        Arguments.of(
            "experience.started",
            "{\"name\":\"n\",\"experienceType\":\"price\",\"action\":\"started\",\"timestamp\":0}",
            "at data: ",
            "experienceId == null"),
        Arguments.of(
            "experience.started",
            "{" + experience + ",\"action\":\"archived\"}",
            "at data.action: ",
            "archived"),
        Arguments.of(
            "experience.started", "{" + experience + ",\"action\":7}", "at data.action: ", ""),
        Arguments.of(
            "experience.started",
            "{\"experienceId\":\"e\",\"name\":\"n\",\"experienceType\":\"\",\"action\":\"started\",\"timestamp\":0}",
            "at data.experienceType: ",
            "experienceType \"\" is blank"),
        Arguments.of(
            "experience.started",
            "{"
                + experience.replace("\"timestamp\":0", "\"timestamp\":\"noon\"")
                + ",\"action\":\"started\"}",
            "at data.timestamp: ",
            "noon"),
        Arguments.of("experience.started", "\"started\"", "at data: ", ""),
        Arguments.of("experience.started", "[]", "at data: ", ""),
        Arguments.of(
            "goal.achieved",
            "{\"publishedAt\":0,\"units\":[],\"goals\":[{\"name\":\"g\",\"achievedAt\":{}}]}",
            "at data.goals[0].achievedAt: ",
            "expected an ISO-8601 instant"),
        Arguments.of(
            "goal.achieved",
            "{\"publishedAt\":0,\"units\":[{\"type\":\"user_id\"}],\"goals\":[]}",
            "at data.units[0]: ",
            "uid == null"),
        Arguments.of(
            "goal.achieved", "{\"publishedAt\":0,\"goals\":[]}", "at data: ", "units == null"),
        Arguments.of(
            "goal.achieved",
            "{\"publishedAt\":0,\"units\":[null],\"goals\":[]}",
            "at data: ",
            "units[0] == null"),
        Arguments.of(
            "goal.achieved",
            "{\"publishedAt\":1e3,\"units\":[],\"goals\":[]}",
            "at data.publishedAt: ",
            "not a number"));
  }

  @ParameterizedTest
  @MethodSource("badData")
  void rejectsDataThatDoesNotFitItsClass(String type, String data, String path, String detail) {
    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decodeTyped(envelope(type, data)))
        .withMessageStartingWith("cannot decode event: " + path)
        .withMessageContaining(detail)
        .withMessageContaining("(line 1, column ");
  }

  @Test
  void rejectsDataThatDoesNotFitAUserRecord() {
    byte[] body =
        envelope(
            "order.paid", "{\"orderId\":\"o\",\"lines\":[{\"sku\":\"s\",\"quantity\":\"many\"}]}");

    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decode(body, OrderPaid.class))
        .withMessageStartingWith("cannot decode event: at data.lines[0].quantity: ")
        .withMessageContaining("many");
  }

  @Test
  void reportsBufferedDataFailuresWithTheirPath() {
    byte[] body =
        json(
            "{\"data\":{\"publishedAt\":0,\"units\":[],\"goals\":[{\"name\":\"\",\"achievedAt\":0}]},"
                + "\"id\":\"m\",\"type\":\"goal.achieved\",\"timestamp\":0}");

    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decodeTyped(body))
        .withMessageStartingWith("cannot decode event: at data.goals[0]: ")
        .withMessageContaining("name \"\" is blank");
  }

  @Test
  void neverThrowsAnythingElseForArbitraryBytes() {
    Random random = new Random(20240501);
    byte[] valid = codec.encode(TestEvents.goalEvent());
    byte[] alphabet = json("{}[]\",:0123456789.eE+-truefalsn \\u\n\t\u00e9");
    for (int i = 0; i < 5_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = valid.clone();
        for (int m = 0, n = 1 + random.nextInt(4); m < n; m++) {
          int at = random.nextInt(input.length);
          input[at] =
              random.nextBoolean()
                  ? (byte) random.nextInt(256)
                  : alphabet[random.nextInt(alphabet.length)];
        }
        if (random.nextInt(8) == 0) {
          input = java.util.Arrays.copyOf(input, random.nextInt(input.length));
        }
      } else {
        input = new byte[random.nextInt(64)];
        for (int b = 0; b < input.length; b++) {
          input[b] =
              random.nextInt(4) == 0
                  ? (byte) random.nextInt(256)
                  : alphabet[random.nextInt(alphabet.length)];
        }
      }
      byte[] attempt = input;
      for (Class<?> type :
          List.of(JsonNode.class, GoalEvent.class, ExperienceEvent.class, Map.class)) {
        try {
          codec.decode(attempt, type);
        } catch (EventFormatException expected) {
          assertThat(expected.getMessage()).startsWith("cannot decode event: ");
        }
      }
      try {
        codec.decodeTyped(attempt);
      } catch (EventFormatException expected) {
        assertThat(expected.getMessage()).startsWith("cannot decode event: ");
      }
    }
  }

  @Test
  void rejectsDataClassesJacksonCannotRead() {
    byte[] body = codec.encode(TestEvents.goalEvent());

    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decode(body, Runnable.class))
        .withMessageStartingWith("cannot decode event: at data: ")
        .withMessageContaining("java.lang.Runnable");
    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.decode(body, Optional.class))
        .withMessageContaining("Optional");
  }

  @Test
  void rejectsNullArguments() {
    assertThatNullPointerException()
        .isThrownBy(() -> codec.decode(null))
        .withMessage("json == null");
    assertThatNullPointerException()
        .isThrownBy(() -> codec.decode(new byte[0], null))
        .withMessage("dataType == null");
    assertThatNullPointerException()
        .isThrownBy(() -> codec.encode(null))
        .withMessage("event == null");
    assertThatNullPointerException()
        .isThrownBy(() -> codec.encodeData(null))
        .withMessage("data == null");
  }

  // Write failures

  record Unwritable(String name) {
    @Override
    public String name() {
      throw new IllegalStateException("boom");
    }
  }

  static Stream<Arguments> unwritableData() {
    Map<String, Object> cyclic = new LinkedHashMap<>();
    cyclic.put("self", cyclic);
    return Stream.of(
        Arguments.of(new Object(), "java.lang.Object"),
        Arguments.of(Optional.of("x"), "java.util.Optional"),
        Arguments.of(Map.of("when", java.time.LocalDate.of(2024, 5, 1)), "LocalDate"),
        Arguments.of(new Unwritable("x"), "at data.name: boom"),
        Arguments.of(cyclic, "nesting depth"));
  }

  @ParameterizedTest
  @MethodSource("unwritableData")
  void rejectsDataThatCannotBeWritten(Object data, String expected) {
    WebhookEvent<Object> event = new WebhookEvent<>("msg_1", "a", TestEvents.T0, data);

    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.encode(event))
        .withMessageStartingWith("cannot encode data of type " + data.getClass().getName())
        .withMessageContaining(expected)
        .withCauseInstanceOf(Exception.class);
    assertThatExceptionOfType(EventFormatException.class).isThrownBy(() -> codec.encodeData(data));
  }

  @Test
  void rejectsJsonNullData() {
    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(
            () ->
                codec.encode(
                    new WebhookEvent<>("msg_1", "a", TestEvents.T0, NullNode.getInstance())))
        .withMessageContaining("data must not be null");
    assertThatExceptionOfType(EventFormatException.class)
        .isThrownBy(() -> codec.encodeData(JsonNodeFactory.instance.missingNode()));
  }

  @Test
  void writesNoDeeperThanItReads() {
    Object deep = "leaf";
    for (int i = 0; i < EventCodec.MAX_NESTING_DEPTH - 1; i++) {
      deep = List.of(deep);
    }
    byte[] ok = codec.encode(new WebhookEvent<>("msg_1", "a", TestEvents.T0, deep));
    assertThat(codec.decode(ok).data()).isNotNull();

    WebhookEvent<Object> tooDeep = new WebhookEvent<>("msg_1", "a", TestEvents.T0, List.of(deep));
    assertThatExceptionOfType(EventFormatException.class).isThrownBy(() -> codec.encode(tooDeep));
  }
}
