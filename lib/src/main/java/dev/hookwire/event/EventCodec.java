package dev.hookwire.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.hookwire.internal.EventDecoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes webhook events as JSON and reads them back: the one codec Hookwire uses for bodies it
 * sends and receives.
 *
 * <pre>{@code
 * EventCodec codec = EventCodec.ofDefaults();
 * byte[] body = codec.encode(WebhookEvent.create(GoalEvent.TYPE, goal));
 *
 * WebhookEvent<?> received = codec.decodeTyped(body);
 * if (received.data() instanceof GoalEvent g) { ... }
 * }</pre>
 *
 * <h2>Writing</h2>
 *
 * <p>An event is written as compact UTF-8 JSON with its fields in the order {@code id}, {@code
 * type}, {@code timestamp}, {@code data}. Records write their components in declaration order, maps
 * in iteration order; null record components and bean properties are left out, null map values are
 * kept. Instants are ISO-8601 strings exactly as {@link Instant#toString()} writes them, so
 * nanoseconds survive. Floating-point numbers are written in {@link
 * java.math.BigDecimal#toString()} notation ({@code 1.0E+7} rather than {@code 1.0E7}; the same
 * value), so that a decoded tree re-encodes to the same bytes; the one exception is negative zero,
 * written {@code -0.0}, which a tree reads as {@code 0.0}.
 *
 * <h2>Reading</h2>
 *
 * <p>Reading is tolerant of what senders vary and strict about what matters: fields the target type
 * does not know are ignored, field order does not matter, enum names match in any case, and
 * instants may also be an ISO-8601 string with an offset, a JSON integer of epoch milliseconds or a
 * string of digits read the same way. The envelope must be a JSON object with a string {@code id}
 * and {@code type} that {@link WebhookEvent} accepts, a {@code timestamp} and a non-null {@code
 * data}; nothing may follow it but whitespace. A key repeated in one object is an error, so that a
 * signed body cannot mean one thing here and another to a parser that keeps the first occurrence.
 * As a {@link JsonNode}, floating-point numbers are read as exact decimals, so that re-encoding a
 * decoded event gives back the same bytes.
 *
 * <p>Limits, so that a hostile body costs little: nesting at most {@value #MAX_NESTING_DEPTH}
 * levels (the envelope is one), numbers at most {@value #MAX_NUMBER_LENGTH} characters, strings at
 * most {@value #MAX_STRING_LENGTH} characters, field names at most {@value #MAX_NAME_LENGTH}. The
 * whole body is already in memory, so its size is the caller's to bound (verifiers do). Writing
 * refuses nesting deeper than reading accepts.
 *
 * <h2>Errors</h2>
 *
 * <p>Every failure to read or write, whatever the input bytes, is an {@link EventFormatException}
 * whose message names the field at fault (as a path such as {@code data.goals[0].achievedAt}) and
 * its line and column where known, and whose cause is Jackson's exception.
 *
 * <h2>Data types</h2>
 *
 * <p>{@link #decodeTyped(byte[])} picks the class of {@code data} from the event type, by the
 * mappings given to the {@link Builder}; {@linkplain #ofDefaults() by default} {@code experience.*}
 * reads as {@link ExperienceEvent} and {@code goal.achieved} as {@link GoalEvent}. Data classes may
 * be records, beans Jackson can read, {@link Map}, {@link List}, {@link JsonNode} or scalar types;
 * Jackson reads them reflectively, so a data class in a named module must be in a package that
 * module {@code opens} to {@code com.fasterxml.jackson.databind}. Jackson annotations on them are
 * honoured. {@link Instant} is the one {@code java.time} type supported (there is no JSR-310
 * module), and {@link java.util.Optional} is not supported.
 *
 * <p>Immutable and thread-safe: share one instance. Jackson's writer and the readers for mapped
 * types are built once, in {@link Builder#build()}; a reader for any other class passed to {@link
 * #decode(byte[], Class)} is built on first use and kept.
 */
public final class EventCodec {
  /** Deepest nesting of arrays and objects read or written, the envelope included. */
  static final int MAX_NESTING_DEPTH = 128;

  /** Longest number read, in characters. */
  static final int MAX_NUMBER_LENGTH = 1000;

  /** Longest string value read, in characters. */
  static final int MAX_STRING_LENGTH = 10_000_000;

  /** Longest field name read, in characters. */
  static final int MAX_NAME_LENGTH = 10_000;

  private static final String DECODE = "cannot decode event: ";
  private static final String DECODE_DATA = "cannot decode data: ";
  private static final String REDACTED_SOURCE =
      "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ";

  private final ObjectWriter writer;
  private final ObjectReader envelopeReader;
  private final ObjectReader nodeReader;
  private final DataType treeType;
  private final ClassValue<ObjectReader> readersByClass;
  private final Map<String, DataType> dataTypes;

  /** Longest prefix first, so that the most specific mapping wins. */
  private final List<Map.Entry<String, DataType>> dataTypesByPrefix;

  /** The receiver reads events in one pass, its data as the handler wants it, through this. */
  static {
    EventDecoding.install(EventCodec::decodeRouted);
  }

  /** A data class mapped to event types, and its reader. */
  private record DataType(Class<?> dataClass, ObjectReader reader) {}

  private EventCodec(Builder builder) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .build())
            .streamWriteConstraints(
                StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            // Repeated keys are refused by UniqueNamesParser, which costs less.
            // Bodies may hold personal data; keep it out of exception messages.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .addDecorator(new JsonSupport.CanonicalNumbers())
            .build();
    JsonMapper mapper =
        JsonMapper.builder(factory)
            .addModule(JsonSupport.module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .defaultPropertyInclusion(
                JsonInclude.Value.construct(
                    JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .build();
    this.writer = mapper.writer();
    this.envelopeReader = mapper.reader();
    this.nodeReader = mapper.readerFor(JsonNode.class);
    this.readersByClass =
        new ClassValue<>() {
          @Override
          protected ObjectReader computeValue(Class<?> type) {
            return type == JsonNode.class ? nodeReader : mapper.readerFor(type);
          }
        };
    Map<String, DataType> byType = new HashMap<>();
    builder.dataTypes.forEach(
        (type, dataClass) -> byType.put(type, new DataType(dataClass, readersByClass.get(dataClass))));
    this.dataTypes = Map.copyOf(byType);
    List<Map.Entry<String, DataType>> byPrefix = new ArrayList<>();
    builder.dataTypePrefixes.forEach(
        (prefix, dataClass) ->
            byPrefix.add(Map.entry(prefix, new DataType(dataClass, readersByClass.get(dataClass)))));
    byPrefix.sort(Comparator.comparingInt(e -> -e.getKey().length()));
    this.dataTypesByPrefix = List.copyOf(byPrefix);
    this.treeType = new DataType(JsonNode.class, nodeReader);
  }

  /**
   * Returns the shared codec with the default data types: {@code experience.*} as {@link
   * ExperienceEvent}, {@code goal.achieved} as {@link GoalEvent}.
   *
   * @return the shared default codec
   */
  public static EventCodec ofDefaults() {
    return Defaults.INSTANCE;
  }

  /**
   * Returns a builder that starts with the default data types, to add or replace mappings.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes an event as compact JSON: {@code {"id":…,"type":…,"timestamp":…,"data":…}}.
   *
   * @param event the event to write
   * @return the UTF-8 JSON bytes; a new array on each call
   * @throws NullPointerException if {@code event} is null
   * @throws EventFormatException if the data cannot be written as JSON (a type Jackson cannot
   *     write, JSON null, nesting too deep, an accessor that throws)
   */
  public byte[] encode(WebhookEvent<?> event) {
    Objects.requireNonNull(event, "event == null");
    checkNotJsonNull(event.data());
    try {
      return writer.writeValueAsBytes(event);
    } catch (JsonProcessingException | RuntimeException e) {
      throw encodeFailure(event.data(), e);
    }
  }

  /**
   * Writes an event as compact JSON in a string, as {@link #encode(WebhookEvent)} does; for logs
   * and tests, since bodies travel as bytes.
   *
   * @param event the event to write
   * @return the JSON text
   * @throws NullPointerException if {@code event} is null
   * @throws EventFormatException if the data cannot be written as JSON
   */
  public String encodeToString(WebhookEvent<?> event) {
    return new String(encode(event), StandardCharsets.UTF_8);
  }

  /**
   * Writes only an event's data as compact JSON, by the same rules as {@link
   * #encode(WebhookEvent)}; for bodies that are not an envelope.
   *
   * @param data the value to write
   * @return the UTF-8 JSON bytes; a new array on each call
   * @throws NullPointerException if {@code data} is null
   * @throws EventFormatException if {@code data} cannot be written as JSON or is a JSON null node
   */
  public byte[] encodeData(Object data) {
    Objects.requireNonNull(data, "data == null");
    checkNotJsonNull(data);
    try {
      return writer.writeValueAsBytes(data);
    } catch (JsonProcessingException | RuntimeException e) {
      throw encodeFailure(data, e);
    }
  }

  /**
   * Reads a body that is only an event's data, the reverse of {@link #encodeData(Object)}: for
   * senders whose bodies are not an envelope. Read as strictly as an envelope: repeated keys,
   * content after the value, and a JSON null are refused.
   *
   * @param json the UTF-8 JSON bytes; not modified
   * @param dataType the class to read the value as, such as a record, {@link Map} or {@link
   *     JsonNode}
   * @param <T> the type of the data
   * @return the data
   * @throws NullPointerException if an argument is null
   * @throws EventFormatException if {@code json} is not one JSON value that fits {@code dataType}
   */
  public <T> T decodeData(byte[] json, Class<T> dataType) {
    Objects.requireNonNull(json, "json == null");
    Objects.requireNonNull(dataType, "dataType == null");
    try (JsonParser p = new UniqueNamesParser(envelopeReader.createParser(json))) {
      JsonToken token = p.nextToken();
      if (token == null) {
        throw new EventFormatException(DECODE_DATA + "the input is empty");
      }
      if (token == JsonToken.VALUE_NULL) {
        throw failure(DECODE_DATA, p, "the value is null", null);
      }
      T data = readersByClass.get(dataType).readValue(p);
      if (p.nextToken() != null) {
        throw failure(DECODE_DATA, p, "unexpected content after the value", null);
      }
      return data;
    } catch (EventFormatException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw decodeFailure(DECODE_DATA, e);
    } catch (IOException | RuntimeException e) {
      throw new EventFormatException(DECODE_DATA + e, e);
    }
  }

  /**
   * Reads an event, its data as a JSON tree.
   *
   * @param json the UTF-8 JSON bytes of an event; not modified
   * @return the event
   * @throws NullPointerException if {@code json} is null
   * @throws EventFormatException if {@code json} is not an event; see the class documentation
   */
  public WebhookEvent<JsonNode> decode(byte[] json) {
    return decode(json, JsonNode.class);
  }

  /**
   * Reads an event, its data as an instance of {@code dataType}.
   *
   * @param json the UTF-8 JSON bytes of an event; not modified
   * @param dataType the class to read {@code data} as: a record, a bean, {@link Map}, {@link
   *     JsonNode}, {@code Object} (for maps, lists and scalars) and so on
   * @param <T> the type of the data
   * @return the event
   * @throws NullPointerException if an argument is null
   * @throws EventFormatException if {@code json} is not an event or its data does not fit {@code
   *     dataType}
   */
  public <T> WebhookEvent<T> decode(byte[] json, Class<T> dataType) {
    Objects.requireNonNull(dataType, "dataType == null");
    return read(json, dataType, null);
  }

  /**
   * Reads an event, its data as the class mapped to its type, or as a {@link JsonNode} if no class
   * is.
   *
   * <p>The type is looked up exactly first, then by the longest matching prefix. The data is read
   * in one pass when {@code type} comes before {@code data} in the body, as in the bodies this
   * codec writes, and buffered otherwise.
   *
   * @param json the UTF-8 JSON bytes of an event; not modified
   * @return the event; its data's class depends on its type
   * @throws NullPointerException if {@code json} is null
   * @throws EventFormatException if {@code json} is not an event or its data does not fit the class
   *     mapped to its type
   */
  public WebhookEvent<?> decodeTyped(byte[] json) {
    return read(json, null, null);
  }

  /** {@link EventDecoding.RoutedDecoder#decode}, for the receiver. */
  private static WebhookEvent<?> decodeRouted(
      EventCodec codec, byte[] json, Function<String, Class<?>> dataClassOf) {
    Objects.requireNonNull(dataClassOf, "dataClassOf == null");
    return codec.read(json, null, dataClassOf);
  }

  private DataType dataTypeOf(String type) {
    DataType mapped = dataTypes.get(type);
    if (mapped != null) {
      return mapped;
    }
    for (Map.Entry<String, DataType> prefix : dataTypesByPrefix) {
      if (type.startsWith(prefix.getKey())) {
        return prefix.getValue();
      }
    }
    return treeType;
  }

  /**
   * The reader of an event's data: as {@code dataType} if given; else as the class mapped to
   * {@code type}, unless {@code dataClassOf} names a class that the mapped one is not a kind of.
   */
  private ObjectReader dataReader(
      String type, Class<?> dataType, Function<String, Class<?>> dataClassOf) {
    if (dataType != null) {
      return readersByClass.get(dataType);
    }
    DataType mapped = dataTypeOf(type);
    Class<?> wanted = dataClassOf == null ? null : dataClassOf.apply(type);
    if (wanted == null || wanted.isAssignableFrom(mapped.dataClass())) {
      return mapped.reader();
    }
    return readersByClass.get(wanted);
  }

  /**
   * Reads the envelope field by field, reading {@code data} as {@code dataType}, or when that is
   * null as the class mapped to the event's type.
   */
  private <T> WebhookEvent<T> read(
      byte[] json, Class<?> dataType, Function<String, Class<?>> dataClassOf) {
    Objects.requireNonNull(json, "json == null");
    try (JsonParser p = new UniqueNamesParser(envelopeReader.createParser(json))) {
      JsonToken token = p.nextToken();
      if (token == null) {
        throw new EventFormatException(DECODE + "the input is empty");
      }
      if (token != JsonToken.START_OBJECT) {
        throw failure(p, "expected a JSON object, found " + JsonSupport.describe(token), null);
      }
      String id = null;
      String type = null;
      Instant timestamp = null;
      T data = null;
      TokenBuffer bufferedData = null;
      // The parser rejects repeated keys, so each case runs at most once.
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        token = p.nextToken();
        switch (field) {
          case "id" -> id = readChecked(p, token, "id", WebhookEvent::checkId);
          case "type" -> type = readChecked(p, token, "type", WebhookEvent::checkType);
          case "timestamp" -> timestamp = readInstant(p, token);
          case "data" -> {
            if (token == JsonToken.VALUE_NULL) {
              throw failure(p, "field \"data\" is null", null);
            }
            if (dataType != null || type != null) {
              data = readData(dataReader(type, dataType, dataClassOf), p);
            } else {
              bufferedData = new TokenBuffer(p);
              bufferedData.copyCurrentStructure(p);
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw failure(p, "unexpected content after the event object", null);
      }
      requirePresent(id, "id");
      requirePresent(type, "type");
      requirePresent(timestamp, "timestamp");
      if (bufferedData != null) {
        try (JsonParser buffered = bufferedData.asParser()) {
          data = readData(dataReader(type, dataType, dataClassOf), buffered);
        }
      }
      requirePresent(data, "data");
      return new WebhookEvent<>(id, type, timestamp, data);
    } catch (EventFormatException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw decodeFailure(e);
    } catch (IOException | RuntimeException e) {
      // Not expected from in-memory input and Jackson's own exceptions, but the contract is that
      // nothing else escapes.
      throw new EventFormatException(DECODE + e, e);
    }
  }

  private static String readChecked(
      JsonParser p, JsonToken token, String field, Consumer<String> check) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      throw failure(
          p,
          "field \"" + field + "\" must be a string, found " + JsonSupport.describe(token),
          null);
    }
    String value = p.getText();
    try {
      check.accept(value);
    } catch (IllegalArgumentException e) {
      throw failure(p, e.getMessage(), e);
    }
    return value;
  }

  private static Instant readInstant(JsonParser p, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      Instant instant = JsonSupport.parseInstant(p.getText());
      if (instant != null) {
        return instant;
      }
      throw failure(
          p,
          "field \"timestamp\": "
              + JsonSupport.INSTANT_EXPECTED
              + ", found "
              + Checks.quote(p.getText()),
          null);
    }
    if (token == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw failure(p, "field \"timestamp\": epoch milliseconds out of range", null);
      }
      return Instant.ofEpochMilli(p.getLongValue());
    }
    throw failure(
        p,
        "field \"timestamp\": "
            + JsonSupport.INSTANT_EXPECTED
            + ", found "
            + JsonSupport.describe(token),
        null);
  }

  private static <T> T readData(ObjectReader reader, JsonParser p) throws IOException {
    try {
      return reader.readValue(p);
    } catch (JsonMappingException e) {
      e.prependPath(WebhookEvent.class, "data");
      throw e;
    }
  }

  private static void requirePresent(Object value, String field) {
    if (value == null) {
      throw new EventFormatException(DECODE + "missing field \"" + field + "\"");
    }
  }

  private static EventFormatException failure(JsonParser p, String message, Throwable cause) {
    return failure(DECODE, p, message, cause);
  }

  private static EventFormatException failure(
      String prefix, JsonParser p, String message, Throwable cause) {
    StringBuilder text = new StringBuilder(prefix).append(message);
    appendLocation(text, p.currentTokenLocation());
    return new EventFormatException(text.toString(), cause);
  }

  private static EventFormatException decodeFailure(JsonProcessingException e) {
    return decodeFailure(DECODE, e);
  }

  private static EventFormatException decodeFailure(String prefix, JsonProcessingException e) {
    StringBuilder text = new StringBuilder(prefix);
    if (e instanceof JsonMappingException mapping) {
      String path = path(mapping);
      if (!path.isEmpty()) {
        text.append("at ").append(path).append(": ");
      }
    } else if (e instanceof StreamConstraintsException) {
      text.append("input exceeds a limit: ");
    } else {
      text.append("invalid JSON: ");
    }
    if (e instanceof ValueInstantiationException refused && refused.getCause() != null) {
      // The data class's own check, such as a record's "a, b and c are null", says it best.
      text.append("not a valid ").append(refused.getType().getRawClass().getSimpleName())
          .append(": ").append(refused.getCause().getMessage());
    } else {
      // Jackson names the redacted source in nested locations; the position is what helps.
      text.append(String.valueOf(e.getOriginalMessage()).replace(REDACTED_SOURCE, "["));
    }
    appendLocation(text, e.getLocation());
    return new EventFormatException(text.toString(), e);
  }

  private static EventFormatException encodeFailure(Object data, Exception e) {
    StringBuilder text =
        new StringBuilder("cannot encode data of type ").append(data.getClass().getName());
    if (e instanceof JsonMappingException mapping) {
      String path = path(mapping);
      if (!path.isEmpty()) {
        text.append(" at ").append(path);
      }
    }
    text.append(": ");
    text.append(
        e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e);
    return new EventFormatException(text.toString(), e);
  }

  private static void checkNotJsonNull(Object data) {
    if (data instanceof JsonNode node && (node.isNull() || node.isMissingNode())) {
      throw new EventFormatException(
          "cannot encode data: it is a JSON null node, and an event's data must not be null");
    }
  }

  /** The path of the failing value, such as {@code data.goals[0].achievedAt}. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static void appendLocation(StringBuilder text, JsonLocation location) {
    if (location != null && location.getLineNr() > 0) {
      text.append(" (line ")
          .append(location.getLineNr())
          .append(", column ")
          .append(location.getColumnNr())
          .append(')');
    }
  }

  /**
   * Builds an {@link EventCodec}. Starts with the default data types ({@code experience.*} as
   * {@link ExperienceEvent}, {@code goal.achieved} as {@link GoalEvent}); a mapping given again
   * replaces the earlier one, so mapping a default type to {@link JsonNode} undoes it. Not
   * thread-safe.
   */
  public static final class Builder {
    private final Map<String, Class<?>> dataTypes = new LinkedHashMap<>();
    private final Map<String, Class<?>> dataTypePrefixes = new LinkedHashMap<>();

    private Builder() {
      dataTypePrefixes.put("experience.", ExperienceEvent.class);
      dataTypes.put(GoalEvent.TYPE, GoalEvent.class);
    }

    /**
     * Maps one event type to the class its data is read as by {@link #decodeTyped(byte[])}. An
     * exact mapping wins over any prefix.
     *
     * @param eventType the event type, such as {@code order.paid}
     * @param dataClass the class to read the data of such events as
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code eventType} is not a valid event type
     */
    public Builder dataType(String eventType, Class<?> dataClass) {
      WebhookEvent.checkType(eventType);
      dataTypes.put(eventType, Objects.requireNonNull(dataClass, "dataClass == null"));
      return this;
    }

    /**
     * Maps every event type that starts with {@code prefix} to the class its data is read as by
     * {@link #decodeTyped(byte[])}. When prefixes overlap, the longest matching one wins.
     *
     * @param prefix one or more event type segments and a final dot, such as {@code experience.}
     * @param dataClass the class to read the data of such events as
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code prefix} is not dot-separated {@code [a-zA-Z0-9_]}
     *     segments followed by a dot
     */
    public Builder dataTypePrefix(String prefix, Class<?> dataClass) {
      Objects.requireNonNull(prefix, "prefix == null");
      boolean valid = prefix.endsWith(".");
      if (valid) {
        try {
          WebhookEvent.checkType(prefix.substring(0, prefix.length() - 1));
        } catch (IllegalArgumentException e) {
          valid = false;
        }
      }
      if (!valid) {
        throw new IllegalArgumentException(
            "prefix "
                + Checks.quote(prefix)
                + " is not dot-separated [a-zA-Z0-9_] segments followed by a dot, such as"
                + " \"experience.\"");
      }
      dataTypePrefixes.put(prefix, Objects.requireNonNull(dataClass, "dataClass == null"));
      return this;
    }

    /**
     * Builds the codec, with its Jackson readers and writer.
     *
     * @return a new, immutable codec
     */
    public EventCodec build() {
      return new EventCodec(this);
    }
  }

  private static final class Defaults {
    static final EventCodec INSTANCE = builder().build();
  }
}
