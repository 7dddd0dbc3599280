package dev.hookwire.cli;

import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code hookwire verify}: checks a body read from standard input against its headers. */
final class VerifyCommand implements Command {
  static final Option HEADER =
      Option.value(
              "--header",
              "'Name: value'",
              "a request header; repeat for each; @FILE reads 'Name: value' lines from FILE")
          .alias("-H")
          .repeated();
  static final Option NOW =
      Option.value(
          "--now", "T", "check the timestamp against this time: Unix seconds or ISO-8601");

  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String summary() {
    return "check a body read from standard input against its signature headers";
  }

  @Override
  public String usage() {
    return "--scheme S (--secret K | --secret-env NAME)... -H 'Name: value'... [--url U]"
        + " [--tolerance D] [--now T] < body";
  }

  @Override
  public String description() {
    return "Verifies the body read from standard input, byte for byte, against the headers given\n"
        + "with -H. Prints 'valid' and what the signature established, exit status 0; or\n"
        + "'invalid: REASON: explanation', exit status 1. Give every key that may have signed\n"
        + "(rotation): the request is valid if any signature matches any key.";
  }

  @Override
  public List<Option> options() {
    return Schemes.withKeys(HEADER, Schemes.URL, Schemes.TOLERANCE, NOW);
  }

  @Override
  public int run(Args args, Terminal terminal) throws Exception {
    Schemes.Info info = Schemes.scheme(args);
    Clock clock =
        args.has(NOW.name())
            ? Clock.fixed(Values.instant(NOW.name(), args.required(NOW.name())), ZoneOffset.UTC)
            : terminal.clock;
    Schemes.noteIgnored(terminal, info, args, NOW.name(), info.carriesTimestamp());
    Verifier verifier = Schemes.verifier(info, args, terminal, clock);
    WebhookHeaders headers = headers(args);
    byte[] body = terminal.readInput();
    try {
      VerifiedWebhook verified = verifier.verify(headers, body);
      terminal.out.println("valid");
      terminal.out.println("scheme: " + verified.scheme().name());
      terminal.out.println("key: #" + verified.keyIndex());
      verified.webhookId().ifPresent(id -> terminal.out.println("id: " + id));
      verified
          .timestamp()
          .ifPresent(
              t -> terminal.out.println("timestamp: " + t + " (" + t.getEpochSecond() + ")"));
      return 0;
    } catch (SignatureVerificationException e) {
      terminal.out.println("invalid: " + e.reason() + ": " + e.getMessage());
      return 1;
    }
  }

  private static WebhookHeaders headers(Args args) throws UsageException {
    List<String> namesAndValues = new ArrayList<>();
    for (String given : args.values(HEADER.name())) {
      List<String> lines = given.startsWith("@") ? readLines(given.substring(1)) : List.of(given);
      for (String line : lines) {
        Map.Entry<String, String> header = Values.header(HEADER.name(), line);
        namesAndValues.add(header.getKey());
        namesAndValues.add(header.getValue());
      }
    }
    if (namesAndValues.isEmpty()) {
      throw new UsageException(
          "no headers: give the request's headers with -H 'Name: value' (or -H @FILE)");
    }
    return WebhookHeaders.of(namesAndValues.toArray(new String[0]));
  }

  private static List<String> readLines(String file) throws UsageException {
    List<String> lines = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new UsageException(HEADER.name() + ": cannot read header file " + file + ": " + e, e);
    }
    return lines;
  }
}
