package dev.hookwire.dispatch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.testing.TestEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadTemplateTest {
  static final EventCodec CODEC = EventCodec.ofDefaults();
  static final long T0_MS = TestEvents.T0.toEpochMilli();

  static <T> WebhookEvent<T> event(String type, T data) {
    return new WebhookEvent<>(TestEvents.ID, type, TestEvents.T0, data);
  }

  static String render(String template, Object data) {
    return render(PayloadTemplate.parse(template), data);
  }

  static String render(PayloadTemplate template, Object data) {
    return new String(template.map(event("order.paid", data), CODEC), UTF_8);
  }

  static PayloadTemplateException failure(String source) {
    PayloadTemplateException e =
        catchThrowableOfType(PayloadTemplateException.class, () -> PayloadTemplate.parse(source));
    assertThat(e).as("parse(%s) fails", source).isNotNull();
    assertThat(e.getMessage()).startsWith("payload template: ");
    return e;
  }

  static JsonNode json(String text) throws JsonProcessingException {
    return new ObjectMapper().readTree(text);
  }

  /** A user's data class: the codec writes it, so its names and formats are what paths see. */
  record Order(String orderId, BigDecimal total, int items, boolean gift, Instant paidAt,
      Customer customer, List<Line> lines, String note) {}

  record Customer(String name, String email) {}

  record Line(String sku, int quantity) {}

  static Order order() {
    return new Order("o_17", new BigDecimal("59.90"), 2, false, Instant.parse("2024-05-01T11:59:00Z"),
        new Customer("Ana", "ana@example.com"),
        List.of(new Line("sku-1", 1), new Line("sku-2", 3)), null);
  }

  static Map<String, Object> map(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  // ------------------------------------------------------------------ parsing errors

  @Test
  void unknownRoot_isNamedWithItsPosition_andWhatMayBeUsed() {
    String source = "{\n  \"event\": {\n    \"id\": \"{{evnt.id}}\"\n  }\n}";

    PayloadTemplateException e = failure(source);

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(14);
    assertThat(e.getMessage())
        .isEqualTo("payload template: unknown placeholder root \"evnt\" in {{evnt.id}} at line 3,"
            + " column 14; use event.id, event.type, event.timestamp, event.timestamp_ms or data,"
            + " with a path such as data.items[0].name or data[\"a key\"]");
  }

  @Test
  void notJson_givesTheParsersProblemAndPosition() {
    PayloadTemplateException e = failure("{\n  \"a\": 1,\n  b: 2\n}");

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(3);
    assertThat(e.getMessage())
        .startsWith("payload template: not JSON: Unexpected character ('b' (code 98)): was"
            + " expecting double-quote to start field name")
        .endsWith(" at line 3, column 3");
    assertThat(e).hasCauseInstanceOf(JsonProcessingException.class);
  }

  @Test
  void notJson_unclosedObject_repeatedKey_andEmptySource() {
    PayloadTemplateException unclosed = failure("{\"a\": [1, 2]");
    assertThat(unclosed.getMessage()).contains("not JSON: Unexpected end-of-input");
    assertThat(unclosed.line()).isEqualTo(1);

    PayloadTemplateException repeated = failure("{\"a\": 1,\n \"a\": 2}");
    assertThat(repeated.getMessage()).contains("not JSON: Duplicate field 'a'");
    assertThat(repeated.line()).isEqualTo(2);

    PayloadTemplateException empty = failure("  \n ");
    assertThat(empty.getMessage())
        .isEqualTo("payload template: not JSON: the source is empty at line 2, column 2");
  }

  @Test
  void trailingContent_isPointedAt() {
    PayloadTemplateException e = failure("{\"a\": 1}\n\n  {\"b\": 2}");

    assertThat(e.getMessage())
        .isEqualTo("payload template: unexpected content after the JSON value at line 3, column 3");
    assertThat(failure("[1] x").column()).isEqualTo(5);
    assertThat(PayloadTemplate.parse("{\"a\": 1}\r\n \t").source()).isEqualTo("{\"a\": 1}\r\n \t");
  }

  @Test
  void sourceOver64KiB_isRefusedAtTheFirstByteTooMany() {
    String filler = "x".repeat(PayloadTemplate.MAX_SOURCE_BYTES - 8);
    String fits = "{\"a\":\"" + filler + "\"}"; // 6 + filler + 2 = 64 KiB exactly
    assertThat(fits.getBytes(UTF_8)).hasSize(PayloadTemplate.MAX_SOURCE_BYTES);
    assertThat(PayloadTemplate.parse(fits).source()).isEqualTo(fits);

    PayloadTemplateException e = failure("{\"a\":\"" + filler + "é\"}");

    assertThat(e.getMessage())
        .isEqualTo("payload template: longer than 65536 bytes (64 KiB) in UTF-8 at line 1, column "
            + (6 + filler.length() + 2));
  }

  @Test
  void nestingDeeperThanTheLimit_isRefused() {
    String deep = "[".repeat(65) + "]".repeat(65);
    assertThat(failure(deep).getMessage()).startsWith("payload template: nested deeper than 64 levels at line 1");
    String fits = "[".repeat(64) + "]".repeat(64);
    assertThat(PayloadTemplate.parse(fits).placeholders()).isEmpty();
  }

  @Test
  void unclosedPlaceholder_isPointedAtItsOpeningBraces() {
    PayloadTemplateException e = failure("{\"a\": \"total {{data.total\"}");

    assertThat(e.getMessage())
        .isEqualTo("payload template: unclosed {{: no }} closes it before the end of the string"
            + " at line 1, column 14");
    assertThat(failure("[\"{{data.a {{data.b}}\"]").getMessage())
        .isEqualTo("payload template: unclosed {{: no }} closes it before the next {{ at line 1,"
            + " column 3");
  }

  @Test
  void emptyPlaceholder() {
    assertThat(failure("{\"a\": \"x{{}}\"}").getMessage())
        .isEqualTo("payload template: empty placeholder {{}} at line 1, column 9");
    assertThat(failure("{\"a\": \"{{  }}\"}").getMessage())
        .isEqualTo("payload template: empty placeholder {{  }} at line 1, column 8");
  }

  @Test
  void malformedPaths_arePointedAtTheCharacterAtFault() {
    assertThat(failure("[\"{{data..x}}\"]").getMessage())
        .isEqualTo("payload template: malformed placeholder {{data..x}}: a name must follow \".\""
            + " (names with other characters go in brackets: data[\"a key\"]) at line 1, column 10");
    assertThat(failure("[\"{{data[x}}\"]").getMessage())
        .isEqualTo("payload template: malformed placeholder {{data[x}}: \"[\" must be followed by an"
            + " index (data.items[0]) or a quoted key (data[\"a key\"]) at line 1, column 10");
    assertThat(failure("[\"{{data[-1]}}\"]").getMessage())
        .isEqualTo("payload template: malformed placeholder {{data[-1]}}: an index must be a whole"
            + " number, 0 or more at line 1, column 10");
    assertThat(failure("[\"{{data[0}}\"]").getMessage())
        .isEqualTo("payload template: malformed placeholder {{data[0}}: \"]\" must follow the index"
            + " at line 1, column 11");
    assertThat(failure("[\"{{data['a}}\"]").getMessage())
        .isEqualTo("payload template: malformed placeholder {{data['a}}: the quoted key is not"
            + " closed at line 1, column 10");
    assertThat(failure("[\"{{data.a b}}\"]").getMessage())
        .isEqualTo("payload template: malformed placeholder {{data.a b}}: unexpected whitespace"
            + " (names with characters other than letters, digits, _ and - go in brackets:"
            + " data[\"a key\"]) at line 1, column 11");
    assertThat(failure("[\"{{data[99999999999]}}\"]").getMessage())
        .contains("index 99999999999 is too large at line 1, column 10");
  }

  @Test
  void eventFields_mustBeKnown() {
    assertThat(failure("[\"{{event.time}}\"]").getMessage())
        .startsWith("payload template: unknown event field \"time\" in {{event.time}} at line 1,"
            + " column 11; use event.id");
    assertThat(failure("[\"{{event}}\"]").getMessage())
        .startsWith("payload template: placeholder {{event}} needs a field of event at line 1, column 10;");
    assertThat(failure("[\"{{event.id.x}}\"]").getMessage())
        .isEqualTo("payload template: malformed placeholder {{event.id.x}}: event.id has no fields"
            + " at line 1, column 13");
    assertThat(failure("[\"{{.x}}\"]").getMessage())
        .startsWith("payload template: placeholder {{.x}} does not start with event or data at line"
            + " 1, column 5;");
  }

  @Test
  void positions_countTheSourceAsWritten_escapesAndLineEndingsIncluded() {
    // \u00e9 is six characters of source for one of the string; \r\n ends one line, \r another.
    PayloadTemplateException e = failure("{\r\n\"a\":\r\"\\u00e9\\n {{dta}}\"}");

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(13);
  }

  @Test
  void parse_refusesNull() {
    assertThatNullPointerException().isThrownBy(() -> PayloadTemplate.parse(null)).withMessage("source == null");
  }

  // ------------------------------------------------------------------ rendering

  @Test
  void aWholeStringPlaceholder_keepsTheValuesType() {
    Map<String, Object> data =
        map("price", new BigDecimal("10.50"), "count", 3, "ok", true, "tags", List.of("a", "b"),
            "address", map("city", "Lisbon"), "none", null, "name", "Ana");
    String template =
        "{\"price\":\"{{data.price}}\",\"count\":\"{{ data.count }}\",\"ok\":\"{{data.ok}}\","
            + "\"tags\":\"{{data.tags}}\",\"address\":\"{{data.address}}\",\"none\":\"{{data.none}}\","
            + "\"name\":\"{{data.name}}\",\"missing\":\"{{data.nope.deeper}}\"}";

    assertThat(render(template, data))
        .isEqualTo("{\"price\":10.50,\"count\":3,\"ok\":true,\"tags\":[\"a\",\"b\"],"
            + "\"address\":{\"city\":\"Lisbon\"},\"none\":null,\"name\":\"Ana\",\"missing\":null}");
  }

  @Test
  void placeholdersInText_areWrittenAsText() {
    Map<String, Object> data =
        map("price", new BigDecimal("10.50"), "count", 3, "ok", true, "tags", List.of("a", "b"),
            "address", map("city", "Lisbon"), "none", null, "name", "Ana");
    String template =
        "[\"{{data.name}} paid {{data.price}} for {{data.count}}\", \"ok={{data.ok}}\","
            + " \"tags={{data.tags}} at {{data.address}}\", \"[{{data.none}}][{{data.missing}}]\","
            + " \" {{data.name}}\"]";

    assertThat(render(template, data))
        .isEqualTo("[\"Ana paid 10.50 for 3\",\"ok=true\","
            + "\"tags=[\\\"a\\\",\\\"b\\\"] at {\\\"city\\\":\\\"Lisbon\\\"}\",\"[][]\",\" Ana\"]");
  }

  @Test
  void arraysIndexes_andBracketKeys() {
    Map<String, Object> data =
        map("items", List.of(map("name", "first"), map("name", "second")),
            "odd keys", map("a.b", 1, "it's", 2, "q\"uote", 3), "matrix", List.of(List.of(1, 2), List.of(3, 4)));
    String template =
        "{\"second\":\"{{data.items[1].name}}\",\"third\":\"{{data.items[2].name}}\","
            + "\"dotted\":\"{{data[\\\"odd keys\\\"][\\\"a.b\\\"]}}\","
            + "\"apostrophe\":\"{{data['odd keys'][\\\"it's\\\"]}}\","
            + "\"quote\":\"{{data['odd keys']['q\\\"uote']}}\","
            + "\"cell\":\"{{data.matrix[1][0]}}\",\"indexOnObject\":\"{{data.items.name}}\","
            + "\"keyOnArray\":\"{{data.items.first}}\",\"braces\":\"{{data['}}']}}\"}";

    assertThat(render(template, data))
        .isEqualTo("{\"second\":\"second\",\"third\":null,\"dotted\":1,\"apostrophe\":2,\"quote\":3,"
            + "\"cell\":3,\"indexOnObject\":null,\"keyOnArray\":null,\"braces\":null}");
  }

  @Test
  void escapes_writeLiteralBraces() {
    String template =
        "[\"\\\\{{data.name}}\", \"{{{data.name}}}\", \"a \\\\ b\", \"}} alone\", \"{ {{data.name}} }\"]";
    PayloadTemplate parsed = PayloadTemplate.parse(template);

    assertThat(render(parsed, map("name", "Ana")))
        .isEqualTo("[\"{{data.name}}\",\"{Ana}\",\"a \\\\ b\",\"}} alone\",\"{ Ana }\"]");
    assertThat(parsed.placeholders()).containsExactly("data.name");
  }

  @Test
  void objectKeysStayLiteral_andLiteralsKeepTheirForm() {
    String template =
        "{\"{{data.name}}\": \"{{data.name}}\", \"n\": 10.50, \"big\": 123456789012345678901234567890,"
            + " \"e\": 1e3, \"t\": true, \"z\": null, \"s\": \"\\u00e9\\n\", \"o\": {}, \"a\": []}";

    assertThat(render(template, map("name", "Ana")))
        .isEqualTo("{\"{{data.name}}\":\"Ana\",\"n\":10.50,\"big\":123456789012345678901234567890,"
            + "\"e\":1E+3,\"t\":true,\"z\":null,\"s\":\"é\\n\",\"o\":{},\"a\":[]}");
  }

  @Test
  void eventFields() {
    String template =
        "{\"id\":\"{{event.id}}\",\"type\":\"{{event.type}}\",\"at\":\"{{event.timestamp}}\","
            + "\"ms\":\"{{event.timestamp_ms}}\",\"text\":\"{{event.type}} at {{event.timestamp_ms}}\"}";
    WebhookEvent<Map<String, Object>> event =
        new WebhookEvent<>(TestEvents.ID, "order.paid", Instant.parse("2024-05-01T12:00:00.123456789Z"), map());

    assertThat(new String(PayloadTemplate.parse(template).map(event, CODEC), UTF_8))
        .isEqualTo("{\"id\":\"" + TestEvents.ID + "\",\"type\":\"order.paid\","
            + "\"at\":\"2024-05-01T12:00:00.123456789Z\",\"ms\":1714564800123,"
            + "\"text\":\"order.paid at 1714564800123\"}");
  }

  @Test
  void aRecordIsSeenAsTheCodecWritesIt() {
    String template =
        "{\"order\":\"{{data.orderId}}\",\"total\":\"{{data.total}}\",\"items\":\"{{data.items}}\","
            + "\"gift\":\"{{data.gift}}\",\"paidAt\":\"{{data.paidAt}}\",\"who\":\"{{data.customer}}\","
            + "\"second\":\"{{data.lines[1].sku}} x{{data.lines[1].quantity}}\",\"note\":\"{{data.note}}\"}";

    assertThat(render(template, order()))
        .isEqualTo("{\"order\":\"o_17\",\"total\":59.90,\"items\":2,\"gift\":false,"
            + "\"paidAt\":\"2024-05-01T11:59:00Z\",\"who\":{\"name\":\"Ana\",\"email\":\"ana@example.com\"},"
            + "\"second\":\"sku-2 x3\",\"note\":null}");
  }

  @Test
  void aJsonNodeIsUsedAsItIs() throws Exception {
    JsonNode data = json("{\"user\":{\"id\":42,\"score\":4.50},\"list\":[true,null]}");

    assertThat(render("{\"id\":\"{{data.user.id}}\",\"score\":\"{{data.user.score}}\",\"all\":\"{{data}}\","
        + "\"second\":\"{{data.list[1]}}\"}", data))
        .isEqualTo("{\"id\":42,\"score\":4.5,\"all\":{\"user\":{\"id\":42,\"score\":4.5},\"list\":[true,null]},"
            + "\"second\":null}");
  }

  @Test
  void anyJsonValueMayBeTheTemplate() {
    assertThat(render("\"{{data}}\"", "plain")).isEqualTo("\"plain\"");
    assertThat(render("\"{{data.missing}}\"", map())).isEqualTo("null");
    assertThat(render("42", map())).isEqualTo("42");
    assertThat(render("\"{{event.timestamp_ms}}\"", map())).isEqualTo(Long.toString(T0_MS));
  }

  // ------------------------------------------------------------------ the seed systems

  @Test
  void absmartlyGoalBody_fromAUsersFields() {
    // The collector body of ABsmartly's Intercom guide: times in epoch milliseconds, one unit and
    // one goal whose properties come from the user.
    String template = PayloadTemplateDeliveryTest.GOAL_TEMPLATE;
    Map<String, Object> user =
        map("user_id", "u_1842", "email", "ana@example.com", "name", "Ana Lima",
            "company", map("name", "Acme", "size", 40));

    PayloadTemplate parsed = PayloadTemplate.parse(template);

    assertThat(new String(parsed.map(event("conversation.started", user), CODEC), UTF_8))
        .isEqualTo("{\"publishedAt\":" + T0_MS + ",\"units\":[{\"type\":\"user_id\",\"uid\":\"u_1842\"}],"
            + "\"goals\":[{\"name\":\"intercom_conversation_started\",\"achievedAt\":" + T0_MS + ","
            + "\"properties\":{\"user_email\":\"ana@example.com\",\"user_name\":\"Ana Lima\","
            + "\"company\":\"Acme\"}}]}");
    assertThat(parsed.placeholders())
        .containsExactly("event.timestamp_ms", "data.user_id", "data.email", "data.name", "data.company.name");
  }

  @Test
  void intemptCustomPayload_contactAndEventPropertiesAsJson() {
    // Intempt's journey webhook: "add your own contact or event properties; these will be
    // included as JSON in the request body".
    String template =
        """
        {
          "event": {"id": "{{event.id}}", "name": "{{event.type}}", "at": "{{event.timestamp}}"},
          "contact": {
            "email": "{{data.contact.email}}",
            "name": "{{data.contact.first_name}} {{data.contact.last_name}}",
            "plan": "{{data.contact.attributes.plan}}",
            "tags": "{{data.contact.tags}}"
          },
          "properties": {
            "order": "{{data.properties}}",
            "first_item": "{{data.properties.items[0]}}",
            "source": "hookwire",
            "list": "newsletter"
          }
        }
        """;
    Map<String, Object> data =
        map(
            "contact",
            map("email", "ana@example.com", "first_name", "Ana", "last_name", "Lima",
                "attributes", map("plan", "pro", "seats", 5), "tags", List.of("vip", "eu")),
            "properties",
            map("order_id", "o_17", "total", new BigDecimal("59.90"),
                "items", List.of(map("sku", "sku-1", "qty", 1))));

    assertThat(new String(PayloadTemplate.parse(template).map(event("order.paid", data), CODEC), UTF_8))
        .isEqualTo("{\"event\":{\"id\":\"" + TestEvents.ID + "\",\"name\":\"order.paid\","
            + "\"at\":\"2024-05-01T12:00:00Z\"},"
            + "\"contact\":{\"email\":\"ana@example.com\",\"name\":\"Ana Lima\",\"plan\":\"pro\","
            + "\"tags\":[\"vip\",\"eu\"]},"
            + "\"properties\":{\"order\":{\"order_id\":\"o_17\",\"total\":59.90,"
            + "\"items\":[{\"sku\":\"sku-1\",\"qty\":1}]},\"first_item\":{\"sku\":\"sku-1\",\"qty\":1},"
            + "\"source\":\"hookwire\",\"list\":\"newsletter\"}}");
  }

  // ------------------------------------------------------------------ identity

  @Test
  void nameSourceEqualityAndToString() throws Exception {
    String source = "{\"secret-looking\": \"{{data.token}}\"}";
    PayloadTemplate a = PayloadTemplate.parse(source);
    PayloadTemplate b = PayloadTemplate.parse(new String(source.toCharArray()));
    PayloadTemplate spaced = PayloadTemplate.parse(source + " ");

    String digest =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(source.getBytes(UTF_8)));
    assertThat(a.name()).isEqualTo("template:" + digest);
    assertThat(a.source()).isSameAs(source);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(spaced);
    assertThat(spaced.name()).isNotEqualTo(a.name());
    assertThat(a.toString())
        .isEqualTo("PayloadTemplate[template:" + digest + ", " + source.length() + " chars]")
        .doesNotContain("token");
  }

  @Test
  void placeholders_areDistinct_inOrderOfFirstUse_asWritten() {
    PayloadTemplate t =
        PayloadTemplate.parse(
            "{\"a\":\"{{ data.b }}\",\"c\":[\"{{event.id}} {{data.b}}\",\"{{data['x y']}}\"],\"d\":\"{{event.id}}\"}");

    assertThat(t.placeholders()).containsExactly("data.b", "event.id", "data['x y']");
  }

  @Test
  void map_refusesNulls() {
    PayloadTemplate t = PayloadTemplate.parse("{}");
    assertThatNullPointerException().isThrownBy(() -> t.map(null, CODEC)).withMessage("event == null");
    assertThatNullPointerException()
        .isThrownBy(() -> t.map(event("a.b", map()), null))
        .withMessage("codec == null");
  }
}
