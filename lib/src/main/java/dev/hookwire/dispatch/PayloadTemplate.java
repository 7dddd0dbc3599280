package dev.hookwire.dispatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.WebhookEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A payload mapper that is data: a JSON document with placeholders, stored with the endpoint, so
 * that every dispatcher that loads the endpoint renders it without registering anything.
 *
 * <pre>{@code
 * PayloadTemplate template = PayloadTemplate.parse("""
 *     {"publishedAt": "{{event.timestamp_ms}}",
 *      "units": [{"type": "user_id", "uid": "{{data.user_id}}"}],
 *      "note": "{{data.name}} of {{data.company.name}}"}""");
 * dispatcher.register(Endpoint.builder(url).payloadMapper(template).build());
 * }</pre>
 *
 * <h2>Syntax</h2>
 *
 * <p>The source is one JSON value, usually an object. Placeholders {@code {{expression}}} may
 * appear in any string value; object keys are always literal. Whitespace inside the braces is
 * allowed.
 *
 * <ul>
 *   <li>A string that is exactly one placeholder, such as {@code "{{data.price}}"}, is replaced
 *       by the JSON value the expression finds, of whatever type: number, boolean, string,
 *       object, array or null. A path that finds nothing gives {@code null}.
 *   <li>In any other string each placeholder is replaced by text: a string as it is, a number or
 *       boolean as its JSON text, an object or array as compact JSON, and nothing at all for null
 *       or a path that finds nothing.
 *   <li><code>\{{</code> writes a literal <code>{{</code> (in JSON source: <code>"\\{{"</code>). In
 *       a run of three or more opening braces the placeholder opens at the last two, so {@code
 *       "{{{data.x}}}"} writes the value between literal braces. No other backslash is special.
 * </ul>
 *
 * <p>Expressions:
 *
 * <ul>
 *   <li>{@code event.id}, {@code event.type}: the envelope's id and type, as strings;
 *   <li>{@code event.timestamp}: the event's time as an ISO-8601 string ({@link
 *       java.time.Instant#toString()}); {@code event.timestamp_ms}: the same time in epoch
 *       milliseconds, a JSON number;
 *   <li>{@code data}: the whole event data; {@code data.a.b} a field of it, {@code
 *       data.items[0].name} an element of an array (indexes from 0), and {@code data["a key"]} or
 *       {@code data['a key']} a field whose name has characters other than letters, digits,
 *       {@code _} and {@code -} (inside the quotes a backslash escapes the quote or itself).
 * </ul>
 *
 * <p>The data is looked at as the codec writes it: a {@link JsonNode} as it is, anything else
 * written by {@link EventCodec#encodeData} and read back as a tree, so that the codec's naming
 * and formats apply (a record's component {@code userId} is {@code data.userId}, an {@code
 * Instant} a string).
 *
 * <h2>Output and identity</h2>
 *
 * <p>The body is compact UTF-8 JSON, written by the dispatcher's {@link EventCodec}, with object
 * keys in the template's order. The template is checked and compiled once, by {@link #parse};
 * rendering reads no template text. {@link #name()} is {@code template:} and a digest of the
 * source, so endpoints with the same template share one body per event. Two templates are equal
 * if their sources are, character for character.
 *
 * <p>Limits: a source of at most {@value #MAX_SOURCE_BYTES} bytes in UTF-8, nested at most
 * {@value #MAX_NESTING_DEPTH} levels deep; repeated keys in one object are refused.
 *
 * <p>Immutable and thread-safe.
 */
public final class PayloadTemplate implements PayloadMapper {
  /** The longest source {@link #parse} accepts, in UTF-8 bytes (64 KiB). */
  public static final int MAX_SOURCE_BYTES = 64 * 1024;

  /** The deepest nesting of arrays and objects {@link #parse} accepts. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** What a placeholder may say, for messages. */
  private static final String EXPRESSIONS =
      "use event.id, event.type, event.timestamp, event.timestamp_ms or data, with a path such as"
          + " data.items[0].name or data[\"a key\"]";

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private final String source;
  private final String name;
  private final Part root;
  private final List<String> placeholders;
  private final boolean usesData;

  private PayloadTemplate(String source, Part root, List<String> placeholders, boolean usesData) {
    this.source = source;
    this.name = "template:" + digest(source);
    this.root = root;
    this.placeholders = placeholders;
    this.usesData = usesData;
  }

  /**
   * Checks a template's source and compiles it.
   *
   * @param source a JSON value with placeholders in its string values (see the class
   *     documentation)
   * @return the template
   * @throws NullPointerException if {@code source} is null
   * @throws PayloadTemplateException if the source is not one JSON value, is longer than {@value
   *     #MAX_SOURCE_BYTES} bytes or nested deeper than {@value #MAX_NESTING_DEPTH} levels, or has
   *     a placeholder that is not closed, is empty, or is not an expression; the exception gives
   *     the line and column
   */
  public static PayloadTemplate parse(String source) {
    Objects.requireNonNull(source, "source == null");
    return new Compiler(source).compile();
  }

  /**
   * Returns the source exactly as given to {@link #parse}.
   *
   * @return the source
   */
  public String source() {
    return source;
  }

  /**
   * Returns the distinct expressions the placeholders use, as written without surrounding
   * whitespace, in the order they first appear: {@code [event.timestamp_ms, data.user_id]}.
   *
   * @return the expressions
   */
  public List<String> placeholders() {
    return placeholders;
  }

  /**
   * Returns {@code template:} followed by the SHA-256 of the source in UTF-8, in hexadecimal: the
   * same for equal sources and, in practice, different for any others, so the dispatcher shares
   * a body between endpoints by it and endpoints compare their templates by it.
   *
   * @return the name
   */
  @Override
  public String name() {
    return name;
  }

  /**
   * Renders the template for an event.
   *
   * @param event the event
   * @param codec the dispatcher's codec, which writes the data as a tree and the body
   * @return the body: compact UTF-8 JSON
   * @throws NullPointerException if an argument is null
   * @throws EventFormatException if the event's data cannot be written as JSON, or the body
   *     would be nested deeper than the codec writes
   */
  @Override
  public byte[] map(WebhookEvent<?> event, EventCodec codec) {
    Objects.requireNonNull(event, "event == null");
    Objects.requireNonNull(codec, "codec == null");
    JsonNode data = usesData ? tree(event.data(), codec) : NullNode.getInstance();
    try {
      return codec.encodeData(new Rendering(root, new Scope(event, data, codec)));
    } catch (EventFormatException e) {
      throw new EventFormatException(
          "cannot render payload " + name + " for event " + event.id() + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode tree(Object data, EventCodec codec) {
    if (data instanceof JsonNode node) {
      return node;
    }
    return codec.decodeData(codec.encodeData(data), JsonNode.class);
  }

  /**
   * Returns whether another object is a template of the same source.
   *
   * @param o the other object
   * @return true if equal
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof PayloadTemplate other && source.equals(other.source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  /** Names the template and its length; never shows the source. */
  @Override
  public String toString() {
    return "PayloadTemplate[" + name + ", " + source.length() + " chars]";
  }

  private static String digest(String source) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The compiled template

  /** A piece of the compiled template. */
  private sealed interface Part permits Literal, Value, Text, ObjectPart, ArrayPart {}

  /** A subtree with no placeholder, written as it is. */
  private record Literal(JsonNode node) implements Part {}

  /** A string that is one placeholder: the value found, of its own type. */
  private record Value(Expression expression) implements Part {}

  /** A string with placeholders in text: each segment a {@link String} or an {@link Expression}. */
  private record Text(List<Object> segments) implements Part {}

  private record ObjectPart(List<String> names, List<Part> values) implements Part {}

  private record ArrayPart(List<Part> items) implements Part {}

  /** What an expression starts from. */
  private enum Root {
    EVENT_ID,
    EVENT_TYPE,
    EVENT_TIMESTAMP,
    EVENT_TIMESTAMP_MS,
    DATA
  }

  /**
   * A placeholder's expression: a root and, for {@link Root#DATA}, the steps from it, each a
   * field name ({@link String}) or an array index ({@link Integer}).
   */
  private record Expression(Root root, List<Object> steps) {

    /** Returns the value found, or null if the path finds nothing. */
    JsonNode evaluate(Scope scope) {
      WebhookEvent<?> event = scope.event();
      switch (root) {
        case EVENT_ID:
          return TextNode.valueOf(event.id());
        case EVENT_TYPE:
          return TextNode.valueOf(event.type());
        case EVENT_TIMESTAMP:
          return TextNode.valueOf(event.timestamp().toString());
        case EVENT_TIMESTAMP_MS:
          return LongNode.valueOf(event.timestamp().toEpochMilli());
        default:
          break;
      }
      JsonNode node = scope.data();
      for (Object step : steps) {
        if (step instanceof String field) {
          node = node.isObject() ? node.get(field) : null;
        } else {
          node = node.isArray() ? node.get((Integer) step) : null;
        }
        if (node == null || node.isMissingNode()) {
          return null;
        }
      }
      return node;
    }
  }

  private record Scope(WebhookEvent<?> event, JsonNode data, EventCodec codec) {}

  /** The body for one event, written by the codec's own generator as the codec serializes it. */
  private static final class Rendering extends JsonSerializable.Base {
    private final Part root;
    private final Scope scope;

    Rendering(Part root, Scope scope) {
      this.root = root;
      this.scope = scope;
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider provider) throws IOException {
      write(root, gen, provider);
    }

    @Override
    public void serializeWithType(
        JsonGenerator gen, SerializerProvider provider, TypeSerializer typeSer) throws IOException {
      serialize(gen, provider);
    }

    private void write(Part part, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (part instanceof Literal literal) {
        provider.defaultSerializeValue(literal.node(), gen);
      } else if (part instanceof Value value) {
        JsonNode found = value.expression().evaluate(scope);
        if (found == null) {
          gen.writeNull();
        } else {
          provider.defaultSerializeValue(found, gen);
        }
      } else if (part instanceof Text text) {
        StringBuilder out = new StringBuilder();
        for (Object segment : text.segments()) {
          if (segment instanceof String literal) {
            out.append(literal);
          } else {
            appendText(out, ((Expression) segment).evaluate(scope));
          }
        }
        gen.writeString(out.toString());
      } else if (part instanceof ObjectPart object) {
        gen.writeStartObject();
        for (int i = 0; i < object.names().size(); i++) {
          gen.writeFieldName(object.names().get(i));
          write(object.values().get(i), gen, provider);
        }
        gen.writeEndObject();
      } else {
        gen.writeStartArray();
        for (Part item : ((ArrayPart) part).items()) {
          write(item, gen, provider);
        }
        gen.writeEndArray();
      }
    }

    private void appendText(StringBuilder out, JsonNode value) {
      if (value == null || value.isNull()) {
        return;
      }
      if (value.isTextual()) {
        out.append(value.textValue());
      } else {
        // Numbers, booleans, objects and arrays as the codec writes them in the body.
        out.append(new String(scope.codec().encodeData(value), StandardCharsets.UTF_8));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing

  /** Checks and compiles one source; used once. */
  private static final class Compiler {
    private final String source;
    private final Set<String> placeholders = new LinkedHashSet<>();
    private boolean usesData;

    Compiler(String source) {
      this.source = source;
    }

    PayloadTemplate compile() {
      checkSize();
      Part root;
      try (JsonParser p = JSON.createParser(source)) {
        JsonToken first = p.nextToken();
        if (first == null) {
          throw problemAt("not JSON: the source is empty", source.length());
        }
        root = value(p);
        int end = (int) p.currentLocation().getCharOffset();
        for (int i = end; i < source.length(); i++) {
          if (!isJsonWhitespace(source.charAt(i))) {
            throw problemAt("unexpected content after the JSON value", i);
          }
        }
      } catch (StreamConstraintsException e) {
        JsonLocation at = e.getLocation();
        throw new PayloadTemplateException(
            "nested deeper than " + MAX_NESTING_DEPTH + " levels",
            at == null ? 1 : at.getLineNr(),
            at == null ? 1 : at.getColumnNr(),
            e);
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        throw new PayloadTemplateException(
            "not JSON: " + e.getOriginalMessage(),
            at == null ? 1 : at.getLineNr(),
            at == null ? 1 : at.getColumnNr(),
            e);
      } catch (IOException e) {
        throw new UncheckedIOException("reading a string cannot fail", e);
      }
      return new PayloadTemplate(source, root, List.copyOf(placeholders), usesData);
    }

    private void checkSize() {
      if ((long) source.length() * 3 <= MAX_SOURCE_BYTES) {
        return;
      }
      long bytes = 0;
      for (int i = 0; i < source.length(); i++) {
        char c = source.charAt(i);
        // A surrogate pair is four bytes: two for each half.
        bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        if (bytes > MAX_SOURCE_BYTES) {
          throw problemAt(
              "longer than " + MAX_SOURCE_BYTES + " bytes (64 KiB) in UTF-8", i);
        }
      }
    }

    /** Compiles the value at the parser's current token. */
    private Part value(JsonParser p) throws IOException {
      JsonToken token = p.currentToken();
      switch (token) {
        case START_OBJECT:
          {
            List<String> names = new ArrayList<>();
            List<Part> values = new ArrayList<>();
            boolean literal = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              names.add(p.currentName());
              p.nextToken();
              Part v = value(p);
              literal &= v instanceof Literal;
              values.add(v);
            }
            if (!literal) {
              return new ObjectPart(List.copyOf(names), List.copyOf(values));
            }
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < names.size(); i++) {
              node.set(names.get(i), ((Literal) values.get(i)).node());
            }
            return new Literal(node);
          }
        case START_ARRAY:
          {
            List<Part> items = new ArrayList<>();
            boolean literal = true;
            while (p.nextToken() != JsonToken.END_ARRAY) {
              Part v = value(p);
              literal &= v instanceof Literal;
              items.add(v);
            }
            if (!literal) {
              return new ArrayPart(List.copyOf(items));
            }
            ArrayNode node = JsonNodeFactory.instance.arrayNode(items.size());
            items.forEach(item -> node.add(((Literal) item).node()));
            return new Literal(node);
          }
        case VALUE_STRING:
          return string(p.getText(), (int) p.currentTokenLocation().getCharOffset());
        case VALUE_NUMBER_INT:
          switch (p.getNumberType()) {
            case INT:
              return new Literal(IntNode.valueOf(p.getIntValue()));
            case LONG:
              return new Literal(LongNode.valueOf(p.getLongValue()));
            default:
              return new Literal(BigIntegerNode.valueOf(p.getBigIntegerValue()));
          }
        case VALUE_NUMBER_FLOAT:
          // Exact, as written: 10.50 stays 10.50.
          return new Literal(DecimalNode.valueOf(p.getDecimalValue()));
        case VALUE_TRUE:
          return new Literal(BooleanNode.TRUE);
        case VALUE_FALSE:
          return new Literal(BooleanNode.FALSE);
        case VALUE_NULL:
          return new Literal(NullNode.getInstance());
        default:
          throw new IllegalStateException("unexpected token " + token);
      }
    }

    /**
     * Compiles a string value.
     *
     * @param text the string, JSON escapes decoded
     * @param quote where its opening quote is in the source
     */
    private Part string(String text, int quote) {
      List<Object> segments = new ArrayList<>();
      StringBuilder literal = new StringBuilder();
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '\\' && text.startsWith("{{", i + 1)) {
          literal.append("{{");
          i += 3;
        } else if (c == '{' && text.startsWith("{{", i) && !text.startsWith("{{{", i)) {
          int close = close(text, i + 2, quote);
          Expression expression = new ExpressionReader(text, i, close, quote).read();
          placeholders.add(text.substring(i + 2, close).strip());
          usesData |= expression.root() == Root.DATA;
          if (literal.length() > 0) {
            segments.add(literal.toString());
            literal.setLength(0);
          }
          segments.add(expression);
          i = close + 2;
        } else {
          literal.append(c);
          i++;
        }
      }
      if (literal.length() > 0) {
        segments.add(literal.toString());
      }
      if (segments.isEmpty()) {
        return new Literal(TextNode.valueOf(""));
      }
      if (segments.size() == 1) {
        return segments.get(0) instanceof Expression e
            ? new Value(e)
            : new Literal(TextNode.valueOf((String) segments.get(0)));
      }
      return new Text(List.copyOf(segments));
    }

    /**
     * Finds the <code>}}</code> that closes the placeholder whose expression starts at {@code
     * from}, passing over quoted keys; fails if another <code>{{</code> or the end of the string
     * comes first.
     */
    private int close(String text, int from, int quote) {
      int i = from;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '[' && i + 1 < text.length() && isQuote(text.charAt(i + 1))) {
          int end = endOfQuoted(text, i + 1);
          if (end > 0) {
            i = end + 1;
            continue;
          }
        }
        if (text.startsWith("}}", i)) {
          return i;
        }
        if (text.startsWith("{{", i)) {
          break;
        }
        i++;
      }
      throw problemIn("unclosed {{: no }} closes it before the "
          + (i < text.length() ? "next {{" : "end of the string"), quote, text, from - 2);
    }

    /** Returns where the quoted key opened at {@code open} ends, or -1 if it does not. */
    private static int endOfQuoted(String text, int open) {
      char q = text.charAt(open);
      for (int i = open + 1; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == q) {
          return i;
        }
      }
      return -1;
    }

    /** Reads one expression, between <code>{{</code> at {@code open} and <code>}}</code>. */
    private final class ExpressionReader {
      private final String text;
      private final int open;
      private final int end;
      private final int quote;
      private int pos;

      ExpressionReader(String text, int open, int close, int quote) {
        this.text = text;
        this.open = open;
        this.quote = quote;
        int start = open + 2;
        int stop = close;
        while (start < stop && isJsonWhitespace(text.charAt(start))) {
          start++;
        }
        while (stop > start && isJsonWhitespace(text.charAt(stop - 1))) {
          stop--;
        }
        this.pos = start;
        this.end = stop;
      }

      Expression read() {
        if (pos == end) {
          throw problem("empty placeholder " + shown(), open);
        }
        int rootAt = pos;
        String root = name();
        if (root.equals("data")) {
          return new Expression(Root.DATA, steps());
        }
        if (!root.equals("event")) {
          String what =
              root.isEmpty()
                  ? "placeholder " + shown() + " does not start with event or data"
                  : "unknown placeholder root \"" + root + "\" in " + shown();
          throw problemWithHint(what, rootAt);
        }
        if (pos == end || text.charAt(pos) != '.') {
          throw problemWithHint("placeholder " + shown() + " needs a field of event", pos);
        }
        pos++;
        int fieldAt = pos;
        String field = name();
        Root r =
            switch (field) {
              case "id" -> Root.EVENT_ID;
              case "type" -> Root.EVENT_TYPE;
              case "timestamp" -> Root.EVENT_TIMESTAMP;
              case "timestamp_ms" -> Root.EVENT_TIMESTAMP_MS;
              default -> throw problemWithHint(
                  "unknown event field \"" + field + "\" in " + shown(), fieldAt);
            };
        if (pos != end) {
          throw problem(
              "malformed placeholder " + shown() + ": event." + field + " has no fields", pos);
        }
        return new Expression(r, List.of());
      }

      private List<Object> steps() {
        List<Object> steps = new ArrayList<>();
        while (pos < end) {
          char c = text.charAt(pos);
          if (c == '.') {
            pos++;
            int at = pos;
            String field = name();
            if (field.isEmpty()) {
              throw malformed("a name must follow \".\" (names with other characters go in"
                  + " brackets: data[\"a key\"])", at);
            }
            steps.add(field);
          } else if (c == '[') {
            pos++;
            steps.add(bracket());
          } else {
            throw malformed("unexpected " + describe(pos) + " (names with characters other than"
                + " letters, digits, _ and - go in brackets: data[\"a key\"])", pos);
          }
        }
        return List.copyOf(steps);
      }

      /** Reads what follows a {@code [}: an index or a quoted key, and the {@code ]}. */
      private Object bracket() {
        Object step;
        if (pos < end && isQuote(text.charAt(pos))) {
          int opened = pos;
          int closing = endOfQuoted(text, pos);
          if (closing < 0 || closing >= end) {
            throw malformed("the quoted key is not closed", opened);
          }
          step = unescape(text.substring(pos + 1, closing));
          pos = closing + 1;
        } else if (pos < end && isDigit(text.charAt(pos))) {
          int from = pos;
          while (pos < end && isDigit(text.charAt(pos))) {
            pos++;
          }
          String digits = text.substring(from, pos);
          try {
            step = Integer.parseInt(digits);
          } catch (NumberFormatException e) {
            throw malformed("index " + digits + " is too large", from);
          }
        } else if (pos < end && text.charAt(pos) == '-') {
          throw malformed("an index must be a whole number, 0 or more", pos);
        } else {
          throw malformed("\"[\" must be followed by an index (data.items[0]) or a quoted key"
              + " (data[\"a key\"])", pos);
        }
        if (pos >= end || text.charAt(pos) != ']') {
          throw malformed("\"]\" must follow " + (step instanceof String ? "the key" : "the index"),
              pos);
        }
        pos++;
        return step;
      }

      /** Reads a run of name characters, possibly empty. */
      private String name() {
        int from = pos;
        while (pos < end && isNameChar(text.charAt(pos))) {
          pos++;
        }
        return text.substring(from, pos);
      }

      private String describe(int at) {
        char c = text.charAt(at);
        return isJsonWhitespace(c) ? "whitespace" : "\"" + c + "\"";
      }

      /** The placeholder as written, shortened if long. */
      private String shown() {
        int close = text.indexOf("}}", end);
        String whole = text.substring(open, close < 0 ? text.length() : close + 2);
        return whole.length() <= 60 ? whole : whole.substring(0, 57) + "...";
      }

      private PayloadTemplateException malformed(String what, int at) {
        return problem("malformed placeholder " + shown() + ": " + what, at);
      }

      private PayloadTemplateException problem(String what, int at) {
        return problemIn(what, quote, text, at);
      }

      private PayloadTemplateException problemWithHint(String what, int at) {
        int offset = sourceOffset(quote, text, at);
        return new PayloadTemplateException(what, EXPRESSIONS, line(offset), column(offset), null);
      }
    }

    private PayloadTemplateException problemIn(String what, int quote, String text, int at) {
      return problemAt(what, sourceOffset(quote, text, at));
    }

    private PayloadTemplateException problemAt(String what, int offset) {
      return new PayloadTemplateException(what, line(offset), column(offset), null);
    }

    /**
     * Maps a position in a decoded string value to its position in the source, whose escapes
     * ({@code \n}, {@code \u00e9}) take more characters than they stand for.
     */
    private int sourceOffset(int quote, String text, int at) {
      int raw = quote + 1;
      for (int i = 0; i < at && i < text.length(); i++) {
        if (source.charAt(raw) == '\\') {
          raw += source.charAt(raw + 1) == 'u' ? 6 : 2;
        } else {
          raw++;
        }
      }
      return raw;
    }

    private int line(int offset) {
      int line = 1;
      for (int i = 0; i < offset && i < source.length(); i++) {
        char c = source.charAt(i);
        boolean crBeforeLf = c == '\r' && i + 1 < source.length() && source.charAt(i + 1) == '\n';
        if (c == '\n' || (c == '\r' && !crBeforeLf)) {
          line++;
        }
      }
      return line;
    }

    private int column(int offset) {
      int start = offset;
      while (start > 0 && source.charAt(start - 1) != '\n' && source.charAt(start - 1) != '\r') {
        start--;
      }
      return offset - start + 1;
    }
  }

  private static String unescape(String quoted) {
    StringBuilder out = new StringBuilder(quoted.length());
    for (int i = 0; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      if (c == '\\' && i + 1 < quoted.length()) {
        c = quoted.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  private static boolean isJsonWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
