package dev.hookwire.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonGeneratorDecorator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * The Jackson pieces behind {@link EventCodec}: the envelope's writer and {@link Instant}'s writer
 * and reader (jackson-datatype-jsr310 is deliberately not a dependency).
 */
final class JsonSupport {
  /** What an instant may look like, for messages. */
  static final String INSTANT_EXPECTED =
      "expected an ISO-8601 instant with offset, such as \"2024-05-01T12:00:00Z\", or epoch"
          + " milliseconds";

  private JsonSupport() {}

  static SimpleModule module() {
    SimpleModule module = new SimpleModule("hookwire-event");
    module.addSerializer(new EnvelopeSerializer());
    module.addSerializer(new InstantSerializer());
    module.addDeserializer(Instant.class, new InstantDeserializer());
    return module;
  }

  /**
   * Reads an instant from its JSON text: an ISO-8601 instant with {@code Z} or an offset (any
   * precision down to nanoseconds), or a string of ASCII digits taken as epoch milliseconds.
   *
   * @return the instant, or null if {@code text} is neither
   */
  static Instant parseInstant(String text) {
    if (!text.isEmpty() && text.length() <= 19 && isAsciiDigits(text)) {
      // At most 19 digits fits a long except 9223372036854775808 and above.
      try {
        return Instant.ofEpochMilli(Long.parseLong(text));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    Instant utc = parseUtc(text);
    if (utc != null) {
      return utc;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * Reads the one form nearly every sender writes, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, without
   * {@link Instant#parse}'s formatter, which costs more than the rest of an event's envelope.
   *
   * @return the instant, or null for any other text, including forms {@link Instant#parse} takes
   *     (an offset, a leap second, a lower-case letter) and text that is not an instant at all
   */
  static Instant parseUtc(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || n == 21 || text.charAt(n - 1) != 'Z') {
      return null;
    }
    if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      if (text.charAt(19) != '.') {
        return null;
      }
      int fraction = digits(text, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (day > 28 && day > Month.of(month).length(Year.isLeap(year))) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
  }

  /** The ASCII digits from {@code start} to {@code end} as a number, or -1 if any is not one. */
  private static int digits(String text, int start, int end) {
    int value = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isAsciiDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Writes the envelope with its fields in a fixed order: id, type, timestamp, data. */
  static final class EnvelopeSerializer extends StdSerializer<WebhookEvent<?>> {
    private static final long serialVersionUID = 1L;

    EnvelopeSerializer() {
      super(WebhookEvent.class, false);
    }

    @Override
    public void serialize(WebhookEvent<?> event, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject(event);
      gen.writeStringField("id", event.id());
      gen.writeStringField("type", event.type());
      gen.writeStringField("timestamp", event.timestamp().toString());
      gen.writeFieldName("data");
      try {
        provider.defaultSerializeValue(event.data(), gen);
      } catch (JsonMappingException e) {
        e.prependPath(event, "data");
        throw e;
      }
      gen.writeEndObject();
    }
  }

  /** Writes an instant as {@link Instant#toString()} does, so that it reads back exactly. */
  static final class InstantSerializer extends StdSerializer<Instant> {
    private static final long serialVersionUID = 1L;

    InstantSerializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  /**
   * Reads an instant from an ISO-8601 string (with {@code Z} or an offset) or from epoch
   * milliseconds, given as a JSON integer or a string of digits.
   */
  static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    InstantDeserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_STRING) {
        String text = p.getText();
        Instant instant = parseInstant(text);
        if (instant == null) {
          return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, INSTANT_EXPECTED);
        }
        return instant;
      }
      if (token == JsonToken.VALUE_NUMBER_INT) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          return (Instant)
              ctxt.handleWeirdNumberValue(
                  Instant.class, p.getNumberValue(), "epoch milliseconds out of range");
        }
        return Instant.ofEpochMilli(p.getLongValue());
      }
      return (Instant)
          ctxt.handleUnexpectedToken(
              Instant.class, token, p, INSTANT_EXPECTED + ", not " + describe(token));
    }
  }

  /**
   * Makes every generator write floating-point numbers in {@link BigDecimal#toString()} form
   * ({@code 1.0E+7}, {@code 0.00015}) rather than {@link Double#toString(double)}'s ({@code 1.0E7},
   * {@code 1.5E-4}).
   *
   * <p>Why: the codec reads floating-point numbers into a {@code JsonNode} as {@code BigDecimal},
   * which keeps a {@code BigDecimal}'s scale ({@code 10.50} stays {@code 10.50}) but writes it back
   * in its own notation. Writing {@code double} and {@code float} in that notation too makes a
   * decoded tree re-encode to the very same bytes, whichever Java type the number came from; the
   * value is unchanged, so typed reading gets the same {@code double} back. Not a number, the
   * infinities and negative zero are left to Jackson (as strings, and {@code -0.0}).
   */
  static final class CanonicalNumbers implements JsonGeneratorDecorator {
    @Override
    public JsonGenerator decorate(JsonFactory factory, JsonGenerator generator) {
      return new JsonGeneratorDelegate(generator, false) {
        @Override
        public void writeNumber(double value) throws IOException {
          if (Double.isFinite(value) && !isNegativeZero(value)) {
            delegate.writeNumber(new BigDecimal(Double.toString(value)).toString());
          } else {
            delegate.writeNumber(value);
          }
        }

        @Override
        public void writeNumber(float value) throws IOException {
          if (Float.isFinite(value) && !isNegativeZero(value)) {
            delegate.writeNumber(new BigDecimal(Float.toString(value)).toString());
          } else {
            delegate.writeNumber(value);
          }
        }
      };
    }

    private static boolean isNegativeZero(double value) {
      return value == 0 && Double.doubleToRawLongBits(value) != 0;
    }
  }

  /** Names a token kind in words for messages. */
  static String describe(JsonToken token) {
    if (token == null) {
      return "end of input";
    }
    return switch (token) {
      case START_OBJECT, END_OBJECT -> "an object";
      case START_ARRAY, END_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }
}
