package dev.hookwire.cli;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Signer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code hookwire sign}: prints the headers that sign the body read from standard input. */
final class SignCommand implements Command {
  static final Option ID =
      Option.value("--id", "ID", "the webhook id, for schemes that send one (default: a new msg_ id)");
  static final Option TIMESTAMP =
      Option.value(
          "--timestamp",
          "T",
          "the send time, for schemes that sign one: Unix seconds or ISO-8601 (default: now)");

  @Override
  public String name() {
    return "sign";
  }

  @Override
  public String summary() {
    return "print the signature headers for a body read from standard input";
  }

  @Override
  public String usage() {
    return "--scheme S (--secret K | --secret-env NAME)... [--id ID] [--timestamp T] [--url U]"
        + " < body";
  }

  @Override
  public String description() {
    return "Signs the body read from standard input, byte for byte, and prints the headers to send\n"
        + "with it, one 'Name: value' a line. Mind the trailing newline: echo adds one, printf '%s'\n"
        + "and '< file' do not. Schemes that sign with every key (standard, stripe) take several\n"
        + "--secret for a rotation; the others sign with the first.";
  }

  @Override
  public List<Option> options() {
    return Schemes.withKeys(ID, TIMESTAMP, Schemes.URL);
  }

  @Override
  public int run(Args args, Terminal terminal) throws Exception {
    Schemes.Info info = Schemes.scheme(args);
    List<String> keys = Schemes.keys(args, terminal);
    String url = Schemes.url(info, args);
    Instant timestamp =
        args.has(TIMESTAMP.name())
            ? Values.instant(TIMESTAMP.name(), args.required(TIMESTAMP.name()))
            : terminal.clock.instant();
    String id = args.value(ID.name()).orElseGet(() -> WebhookEvent.newId(terminal.clock));
    Schemes.noteIgnored(terminal, info, args, ID.name(), info.carriesId());
    Schemes.noteIgnored(terminal, info, args, TIMESTAMP.name(), info.carriesTimestamp());
    Schemes.noteIgnored(terminal, info, args, Schemes.URL.name(), info.signsUrl());

    Signer.Builder builder = Signer.builder(info.scheme());
    try {
      builder.keys(keys);
    } catch (IllegalArgumentException e) {
      throw Schemes.badKey(info, e);
    }
    if (url != null) {
      builder.url(url);
    }
    Signer signer = builder.build();
    byte[] body = terminal.readInput();
    Map<String, String> headers;
    try {
      headers = signer.sign(id, timestamp, body);
    } catch (IllegalArgumentException e) {
      // Only the id and the timestamp can be refused here.
      throw new UsageException("cannot sign with this --id or --timestamp: " + e.getMessage(), e);
    }
    headers.forEach((name, value) -> terminal.out.println(name + ": " + value));
    return 0;
  }
}
