package dev.hookwire.signature;

import static dev.hookwire.signature.VerifierFuzzTest.KNOWN_NAMES;
import static dev.hookwire.signature.VerifierFuzzTest.NOW;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes the seed inputs of {@link VerifierFuzzTest}, one directory per target, each input in the
 * layout Jazzer's {@code FuzzedDataProvider} reads: {@code consumeBytes} from the front, the values
 * of {@code consumeInt} and {@code consumeBoolean} from the back (most significant byte first, the
 * first value consumed last in the file; see {@link Input#integer}).
 *
 * <p>The seeds start the fuzzer on paths random bytes rarely reach: a correct signature in the
 * arbitrary mode, near misses with every scheme's headers, odd header spellings, and signed
 * requests with each kind of change. They must follow the order in which the targets consume
 * values; after changing that order, regenerate them:
 *
 * <pre>
 * mvn -q -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * java -cp lib/target/test-classes:lib/target/classes:$(cat lib/target/test.cp) \
 *     dev.hookwire.signature.VerifierFuzzSeeds \
 *     lib/src/test/resources/dev/hookwire/signature/VerifierFuzzTestInputs
 * </pre>
 */
final class VerifierFuzzSeeds {
  private static final byte[] BODY =
      "{\"type\":\"invoice.paid\",\"data\":{\"id\":\"inv_1\",\"amount\":4200}}"
          .getBytes(StandardCharsets.UTF_8);
  private static final String ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

  private static final Map<String, VerifierFuzzTest.Target> TARGETS = new LinkedHashMap<>();

  static {
    TARGETS.put("standardWebhooks", VerifierFuzzTest.STANDARD);
    TARGETS.put("standardWebhooksEd25519", VerifierFuzzTest.ED25519);
    TARGETS.put("stripe", VerifierFuzzTest.STRIPE);
    TARGETS.put("intelligems", VerifierFuzzTest.INTELLIGEMS);
    TARGETS.put("insightarc", VerifierFuzzTest.INSIGHTARC);
    TARGETS.put("github", VerifierFuzzTest.GITHUB);
    TARGETS.put("shopify", VerifierFuzzTest.SHOPIFY);
    TARGETS.put("customHmac", VerifierFuzzTest.CUSTOM);
    TARGETS.put("anyOf", VerifierFuzzTest.ANY_OF);
  }

  private VerifierFuzzSeeds() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    List<VerifierFuzzTest.Target> order = VerifierFuzzTest.TARGETS;
    for (Map.Entry<String, VerifierFuzzTest.Target> target : TARGETS.entrySet()) {
      int index = order.indexOf(target.getValue());
      for (Map.Entry<String, Consumer<Input>> seed : seeds(target.getValue()).entrySet()) {
        Input alone = new Input();
        seed.getValue().accept(alone);
        write(root.resolve(target.getKey()), seed.getKey(), alone.toByteArray());
        Input chosen = new Input().integer(index, 0, order.size() - 1);
        seed.getValue().accept(chosen);
        write(
            root.resolve("allVerifiers"),
            target.getKey() + "-" + seed.getKey(),
            chosen.toByteArray());
      }
    }
  }

  private static void write(Path directory, String name, byte[] bytes) throws IOException {
    Files.createDirectories(directory);
    Files.write(directory.resolve(name), bytes);
  }

  private static Map<String, Consumer<Input>> seeds(VerifierFuzzTest.Target target) {
    List<VerifierFuzzTest.Signing> signings = target.signings();
    Map<String, Consumer<Input>> seeds = new LinkedHashMap<>();
    seeds.put("empty", in -> {});
    seeds.put("arbitrary-valid", in -> arbitraryValid(in, signings.get(0)));
    seeds.put("arbitrary-near-miss", VerifierFuzzSeeds::arbitraryNearMiss);
    seeds.put("arbitrary-odd-spellings", VerifierFuzzSeeds::arbitraryOddSpellings);
    seeds.put(
        "signed-body-flip",
        in -> signed(in, target, 0, ID, 0, BODY, 0, List.of(), false, 0, 0, 5, 0x20));
    seeds.put(
        "signed-extras-header-change",
        in ->
            signed(
                in,
                target,
                1 % signings.size(),
                "evt-1",
                (int) -VerifierFuzzTest.TOLERANCE_SECONDS,
                BODY,
                0xffffff,
                List.of(
                    new Extra(0, "Content-Type", textValue("application/json")),
                    new Extra(2, "X-Request-Id", textValue("c0ffee"))),
                true,
                1,
                3,
                0,
                0,
                1));
    seeds.put(
        "signed-empty-body-insert",
        in ->
            signed(
                in,
                target,
                2 % signings.size(),
                "a",
                (int) VerifierFuzzTest.TOLERANCE_SECONDS,
                new byte[0],
                0x5,
                List.of(),
                false,
                2,
                1,
                'A'));
    byte[] kib = new byte[1024];
    Arrays.fill(kib, (byte) 'x');
    seeds.put(
        "signed-kib-delete",
        in -> signed(in, target, 3 % signings.size(), ID, 17, kib, 0, List.of(), false, 2, 2, 100));
    return seeds;
  }

  /** The arbitrary mode given a request signed as a sender would sign it. */
  private static void arbitraryValid(Input in, VerifierFuzzTest.Signing signing) {
    Map<String, String> signed = signing.signer().sign(ID, Instant.ofEpochSecond(NOW - 5), BODY);
    in.bool(false).integer(signed.size(), 0, VerifierFuzzTest.MAX_HEADERS);
    for (Map.Entry<String, String> header : signed.entrySet()) {
      knownName(in, header.getKey());
      value(in, textValue(header.getValue()));
    }
    in.integer(1, 0, 2).bytes(BODY);
  }

  /** Every scheme's headers, well-formed, with signatures of the wrong bytes. */
  private static void arbitraryNearMiss(Input in) {
    byte[] zeros = new byte[32];
    byte[] ones = new byte[64];
    Arrays.fill(ones, (byte) 0xff);
    in.bool(false).integer(10, 0, VerifierFuzzTest.MAX_HEADERS);
    knownName(in, "webhook-id");
    value(in, textValue(ID));
    knownName(in, "webhook-timestamp");
    value(in, timestampValue(12));
    knownName(in, "webhook-signature");
    listValue(in, " ", encodedValue(2, "v1,", zeros), encodedValue(2, "v1a,", ones));
    knownName(in, "Stripe-Signature");
    value(in, encodedValue(3, "t=" + NOW + ",v1=", zeros));
    knownName(in, "X-Intelligems-Signature");
    value(in, encodedValue(3, "", zeros));
    knownName(in, "x-insightarc-signature");
    value(in, encodedValue(2, "", Arrays.copyOf(zeros, 20)));
    knownName(in, "X-Hub-Signature-256");
    value(in, encodedValue(3, "sha256=", zeros));
    knownName(in, "X-Shopify-Hmac-Sha256");
    value(in, encodedValue(2, "", zeros));
    knownName(in, "X-Acme-Signature");
    value(in, encodedValue(2, "v0=", ones));
    knownName(in, "Content-Type");
    value(in, textValue("application/json"));
    in.integer(2, 0, 2).bytes(BODY);
  }

  /** Names in upper case and with look-alike letters, padded and doubled values. */
  private static void arbitraryOddSpellings(Input in) {
    in.bool(false).integer(7, 0, VerifierFuzzTest.MAX_HEADERS);
    knownName(in, "WEBHOOK-ID");
    value(in, textValue(" " + ID + " "));
    // U+212A KELVIN SIGN is a K to equalsIgnoreCase; U+017F LATIN SMALL LETTER LONG S an S.
    otherName(in, "webhoo\u212a-timestamp");
    value(in, textValue(" " + NOW + " "));
    otherName(in, "\u017ftripe-\u017fignature");
    value(in, textValue("t=" + NOW + ",v1=,v1=zz,t=1"));
    knownName(in, "WEBHOOK-SIGNATURE");
    value(in, textValue("v1,!!!! v1, v2,abc v1a,AAAA ,"));
    knownName(in, "x-hub-signature-256");
    value(in, textValue("sha256="));
    knownName(in, "x-shopify-hmac-sha256");
    value(in, textValue("===="));
    otherName(in, "");
    value(in, textValue("\r\n\u0000"));
    in.integer(0, 0, 2).bytes(new byte[] {(byte) 0xff, 0, '\n'});
  }

  /** A header added between the signed ones, at index {@code at} of the list so far. */
  record Extra(int at, String name, Value value) {}

  /** The signed mode; {@code changeArgs} are the values the chosen change consumes. */
  private static void signed(
      Input in,
      VerifierFuzzTest.Target target,
      int signingIndex,
      String id,
      int offsetSeconds,
      byte[] body,
      int caseMask,
      List<Extra> extras,
      boolean secondSignatureLine,
      int presentation,
      int change,
      int... changeArgs) {
    VerifierFuzzTest.Signing signing = target.signings().get(signingIndex);
    in.bool(true).integer(signingIndex, 0, target.signings().size() - 1);
    byte[] idBytes = new byte[id.length()];
    for (int i = 0; i < idBytes.length; i++) {
      idBytes[i] = (byte) (id.charAt(i) - '!');
    }
    long tolerance = VerifierFuzzTest.TOLERANCE_SECONDS;
    in.integer(id.length(), 1, 40).bytes(idBytes);
    in.integer(offsetSeconds, (int) -tolerance, (int) tolerance);
    in.integer(body.length, 0, VerifierFuzzTest.MAX_SIGNED_BODY_BYTES).bytes(body);
    Map<String, String> signed =
        signing.signer().sign(id, Instant.ofEpochSecond(NOW + offsetSeconds), body);
    for (int i = 0; i < signed.size(); i++) {
      in.integer(caseMask, 0, 0xffffff);
    }
    in.integer(extras.size(), 0, 3);
    int headers = signed.size();
    for (Extra extra : extras) {
      in.integer(extra.at(), 0, headers);
      if (KNOWN_NAMES.contains(extra.name())) {
        knownName(in, extra.name());
      } else {
        otherName(in, extra.name());
      }
      value(in, extra.value());
      headers++;
    }
    in.bool(secondSignatureLine);
    if (secondSignatureLine) {
      value(in, encodedValue(2, "v1,", new byte[32]));
    }
    in.integer(presentation, 0, 2).integer(change, 0, 3);
    int n = body.length;
    int[] ranges;
    if (change < 3 && n == 0) {
      ranges = new int[] {0, 0xff};
    } else if (change == 0) {
      ranges = new int[] {0, n - 1, 1, 0xff};
    } else if (change == 1) {
      ranges = new int[] {0, n, 0, 0xff};
    } else if (change == 2) {
      ranges = new int[] {0, n - 1};
    } else {
      String value = new ArrayList<>(signed.values()).get(changeArgs[0]);
      ranges = new int[] {0, signed.size() - 1, 0, value.length() - 1, 1, 0x7f};
    }
    if (changeArgs.length * 2 != ranges.length) {
      throw new IllegalArgumentException(
          "change " + change + " takes " + ranges.length / 2 + " values");
    }
    for (int i = 0; i < changeArgs.length; i++) {
      in.integer(changeArgs[i], ranges[2 * i], ranges[2 * i + 1]);
    }
  }

  /** A header value of one of the kinds {@code VerifierFuzzTest.simpleValue} makes. */
  record Value(int kind, Consumer<Input> rest) {}

  private static Value textValue(String text) {
    return new Value(0, in -> text(in, text, VerifierFuzzTest.MAX_TEXT_CHARS));
  }

  private static Value timestampValue(int offsetSeconds) {
    return new Value(1, in -> in.integer(offsetSeconds, -400, 400));
  }

  /** Kind 2 is base64, kind 3 hex. */
  private static Value encodedValue(int kind, String prefix, byte[] bytes) {
    return new Value(
        kind,
        in ->
            in.integer(
                    VerifierFuzzTest.PREFIXES.indexOf(prefix),
                    0,
                    VerifierFuzzTest.PREFIXES.size() - 1)
                .integer(bytes.length, 0, VerifierFuzzTest.MAX_ENCODED_BYTES)
                .bytes(bytes));
  }

  private static void value(Input in, Value value) {
    in.integer(value.kind(), 0, 4);
    value.rest().accept(in);
  }

  private static void listValue(Input in, String separator, Value... parts) {
    in.integer(4, 0, 4)
        .integer(parts.length, 2, 4)
        .integer(
            VerifierFuzzTest.SEPARATORS.indexOf(separator),
            0,
            VerifierFuzzTest.SEPARATORS.size() - 1);
    for (Value part : parts) {
      in.integer(part.kind(), 0, 3);
      part.rest().accept(in);
    }
  }

  /** One of the known names, spelled as given: the case mask is read off the spelling. */
  private static void knownName(Input in, String spelling) {
    int index = -1;
    for (int i = 0; i < KNOWN_NAMES.size(); i++) {
      if (KNOWN_NAMES.get(i).toLowerCase(Locale.ROOT).equals(spelling.toLowerCase(Locale.ROOT))) {
        index = i;
      }
    }
    if (index < 0) {
      throw new IllegalArgumentException("not a known name: " + spelling);
    }
    int mask = 0;
    for (int i = 0; i < Math.min(24, spelling.length()); i++) {
      if (Character.isUpperCase(spelling.charAt(i))) {
        mask |= 1 << i;
      }
    }
    in.integer(index, 0, KNOWN_NAMES.size()).integer(mask, 0, 0xffffff);
  }

  private static void otherName(Input in, String name) {
    in.integer(KNOWN_NAMES.size(), 0, KNOWN_NAMES.size());
    text(in, name, VerifierFuzzTest.MAX_NAME_CHARS);
  }

  /** Text as one byte per char if it is Latin-1, else as UTF-16 chars. */
  private static void text(Input in, String text, int maxChars) {
    boolean wide = text.chars().anyMatch(c -> c > 0xff);
    in.integer(text.length(), 0, maxChars).bool(wide);
    in.bytes(text.getBytes(wide ? StandardCharsets.UTF_16BE : StandardCharsets.ISO_8859_1));
  }

  /** Bytes laid out for {@code FuzzedDataProvider}. Not thread-safe. */
  static final class Input {
    private final ByteArrayOutputStream front = new ByteArrayOutputStream();
    private final List<Byte> back = new ArrayList<>();

    /**
     * Makes {@code consumeInt(min, max)} return {@code value}. Jazzer reads as many bytes as the
     * range needs into an unsigned number, and returns it as it is if it lies in {@code [min,
     * max]}, else {@code min + raw % (max - min + 1)}.
     */
    Input integer(int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(value + " is not in [" + min + ", " + max + "]");
      }
      long range = (long) max - min;
      int size = 0;
      while (size < 4 && range >> (8 * size) != 0) {
        size++;
      }
      long raw = value;
      if (value < 0) {
        raw = (long) value - min;
        while (raw >= min && raw <= max) {
          raw += range + 1;
        }
      }
      if (raw >> (8 * size) != 0) {
        throw new IllegalArgumentException(value + " has no encoding in " + size + " byte(s)");
      }
      for (int i = size - 1; i >= 0; i--) {
        back.add((byte) (raw >> (8 * i)));
      }
      return this;
    }

    /** Makes {@code consumeBoolean()} return {@code value}. */
    Input bool(boolean value) {
      back.add((byte) (value ? 1 : 0));
      return this;
    }

    /** Makes the next {@code consumeBytes(bytes.length)} return {@code bytes}. */
    Input bytes(byte[] bytes) {
      front.writeBytes(bytes);
      return this;
    }

    byte[] toByteArray() {
      byte[] head = front.toByteArray();
      byte[] out = Arrays.copyOf(head, head.length + back.size());
      for (int i = 0; i < back.size(); i++) {
        out[head.length + i] = back.get(back.size() - 1 - i);
      }
      return out;
    }
  }
}
