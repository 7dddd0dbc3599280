package dev.hookwire.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hookwire.dispatch.Authentication;
import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.EndpointValidationException;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.transport.NetworkPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code hookwire send}: sends one signed event through a {@link Dispatcher}, with retries, and
 * prints every attempt.
 */
final class SendCommand implements Command {
  static final Option URL_OPTION = Option.value("--url", "U", "where to send the event");
  static final Option TYPE =
      Option.value("--type", "T", "the event type, such as experience.started");
  static final Option DATA =
      Option.value(
          "--data",
          "JSON",
          "the event's data as JSON, @FILE to read it from FILE, @- from standard input"
              + " (default {})");
  static final Option METHOD = Option.value("--method", "M", "POST (default), PUT or DELETE");
  static final Option HEADER =
      Option.value("--header", "'Name: value'", "an extra request header; repeat for each")
          .alias("-H")
          .repeated();
  static final Option BASIC =
      Option.value("--basic", "USER:PASSWORD", "HTTP Basic credentials for the endpoint");
  static final Option BEARER = Option.value("--bearer", "TOKEN", "a bearer token for the endpoint");
  static final Option ATTEMPTS =
      Option.value("--attempts", "N", "attempts in all, from 1 to 100 (default 4)");
  static final Option TIMEOUT =
      Option.value("--timeout", "D", "timeout of each attempt, up to 5m (default 10s)");
  static final Option RETRY_DELAY =
      Option.value(
          "--retry-delay",
          "D",
          "delay before the first retry, doubled before each next one, up to 1m (default 1s)");
  static final Option ALLOW_PRIVATE =
      Option.flag(
          "--allow-private",
          "allow loopback, private and link-local destinations (such as a receiver on this"
              + " machine)");

  private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);
  private static final ObjectReader DATA_READER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build()
          .readerFor(JsonNode.class);

  @Override
  public String name() {
    return "send";
  }

  @Override
  public String summary() {
    return "send one signed event, with retries, and print every attempt";
  }

  @Override
  public String usage() {
    return "--url U --scheme S (--secret K | --secret-env NAME)... --type T [--data JSON | --data"
        + " @FILE] [options]";
  }

  @Override
  public String description() {
    return "Sends one event {id, type, timestamp, data}, signed, and retries on failure as a\n"
        + "Hookwire dispatcher does: every attempt signed afresh with the same id; 2xx succeeds;\n"
        + "410 gives up; a Retry-After on 429, 502, 503 or 504 sets the next delay (up to 1m);\n"
        + "redirects are not followed. Prints each attempt; exit status 0 once delivered, 1 if\n"
        + "every attempt failed. Data that a Hookwire receiver would refuse for its type (an\n"
        + "experience.* event's data is an ExperienceEvent) is noted on error output, and sent.\n"
        + "Loopback and private addresses are refused unless --allow-private is given.";
  }

  @Override
  public List<Option> options() {
    return Schemes.withKeys(
        URL_OPTION,
        TYPE,
        DATA,
        METHOD,
        HEADER,
        BASIC,
        BEARER,
        ATTEMPTS,
        TIMEOUT,
        RETRY_DELAY,
        ALLOW_PRIVATE);
  }

  @Override
  public int run(Args args, Terminal terminal) throws Exception {
    String url = args.required(URL_OPTION.name());
    Schemes.Info info = Schemes.scheme(args);
    List<String> keys = Schemes.keys(args, terminal);
    String type = args.required(TYPE.name());
    int attempts = Values.integer(ATTEMPTS.name(), args.value(ATTEMPTS.name()).orElse("4"), 1, 100);
    Duration timeout = Values.duration(TIMEOUT.name(), args.value(TIMEOUT.name()).orElse("10s"));
    Duration retryDelay =
        Values.duration(RETRY_DELAY.name(), args.value(RETRY_DELAY.name()).orElse("1s"));
    if (retryDelay.compareTo(MAX_RETRY_DELAY) > 0) {
      throw new UsageException(RETRY_DELAY.name() + " must be at most 1m");
    }
    if (args.has(BASIC.name()) && args.has(BEARER.name())) {
      throw new UsageException("give --basic or --bearer, not both");
    }
    JsonNode data = data(args, terminal);
    WebhookEvent<JsonNode> event;
    try {
      event = WebhookEvent.create(type, data, terminal.clock);
    } catch (IllegalArgumentException e) {
      throw new UsageException(TYPE.name() + ": " + e.getMessage(), e);
    }
    Endpoint endpoint = endpoint(args, url, info, keys, attempts, timeout, retryDelay);
    boolean allowPrivate = args.has(ALLOW_PRIVATE.name());

    BlockingQueue<Notice> notices = new LinkedBlockingQueue<>();
    try (Dispatcher dispatcher =
        Dispatcher.builder()
            .clock(terminal.clock)
            .networkPolicy(NetworkPolicy.builder().allowPrivateNetworks(allowPrivate).build())
            .circuitBreaker(0, Duration.ZERO)
            .listener(new Listener(notices))
            .build()) {
      try {
        dispatcher.register(endpoint);
      } catch (EndpointValidationException e) {
        if (e.check() == EndpointValidationException.Check.DESTINATION && !allowPrivate) {
          throw new UsageException(
              "refusing to send to " + shown(endpoint) + ": its host is a loopback, private,"
                  + " link-local or reserved address. Such destinations are refused so that a URL"
                  + " cannot reach into this machine's own network; if you trust the receiver"
                  + " (say, hookwire listen on this machine), add --allow-private",
              e);
        }
        terminal.err.println("hookwire send: " + e.getMessage());
        return 1;
      }
      dispatcher.start();
      EventCodec codec = EventCodec.ofDefaults();
      byte[] body = codec.encode(event);
      try {
        codec.decodeTyped(body);
      } catch (EventFormatException e) {
        // Said before sending, as a receiver may answer a 400 without the reason.
        terminal.err.println(
            "note: a Hookwire receiver would refuse this event as malformed (400): "
                + e.getMessage());
      }
      terminal.out.println(
          "sending " + event.id() + " (" + event.type() + ", " + body.length + " bytes) to "
              + endpoint.method() + " " + shown(endpoint) + ", signed " + info.name()
              + ", up to " + attempts + " attempt(s)");
      dispatcher.send(event);
      return report(dispatcher, event.id(), notices, terminal);
    }
  }

  private static Endpoint endpoint(
      Args args,
      String url,
      Schemes.Info info,
      List<String> keys,
      int attempts,
      Duration timeout,
      Duration retryDelay)
      throws UsageException {
    Endpoint.Builder builder;
    try {
      builder = Endpoint.builder(url);
    } catch (IllegalArgumentException e) {
      throw new UsageException(URL_OPTION.name() + ": " + e.getMessage(), e);
    }
    try {
      builder.signing(info.scheme(), keys.toArray(new String[0]));
    } catch (IllegalArgumentException e) {
      throw Schemes.badKey(info, e);
    }
    try {
      builder.method(args.value(METHOD.name()).orElse("POST"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(METHOD.name() + ": " + e.getMessage(), e);
    }
    try {
      builder.timeout(timeout);
    } catch (IllegalArgumentException e) {
      throw new UsageException(TIMEOUT.name() + ": " + e.getMessage(), e);
    }
    for (String line : args.values(HEADER.name())) {
      Map.Entry<String, String> header = Values.header(HEADER.name(), line);
      try {
        builder.header(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        throw new UsageException(HEADER.name() + ": " + e.getMessage(), e);
      }
    }
    if (args.has(BASIC.name())) {
      String credentials = args.required(BASIC.name());
      int colon = credentials.indexOf(':');
      if (colon < 0) {
        throw new UsageException(BASIC.name() + " needs USER:PASSWORD, but has no colon");
      }
      builder.authentication(
          Authentication.basic(credentials.substring(0, colon), credentials.substring(colon + 1)));
    }
    if (args.has(BEARER.name())) {
      try {
        builder.authentication(Authentication.bearer(args.required(BEARER.name())));
      } catch (IllegalArgumentException e) {
        // The message names what is wrong without the token.
        throw new UsageException(BEARER.name() + ": " + e.getMessage(), e);
      }
    }
    Duration longest = retryDelay.compareTo(MAX_RETRY_DELAY) > 0 ? retryDelay : MAX_RETRY_DELAY;
    RetryPolicy policy =
        RetryPolicy.exponential(retryDelay, 2.0, longest, attempts)
            .withJitter(0)
            .withMaxRetryAfter(MAX_RETRY_DELAY);
    return builder
        .retryPolicy(policy)
        // A CLI reports every attempt itself; a HEAD probe first would only get in the way.
        .verifyOnRegistration(false)
        .build();
  }

  private static JsonNode data(Args args, Terminal terminal) throws UsageException, IOException {
    String given = args.value(DATA.name()).orElse("{}");
    byte[] json;
    if (given.equals("@-")) {
      json = terminal.readInput();
    } else if (given.startsWith("@")) {
      try {
        json = Files.readAllBytes(Path.of(given.substring(1)));
      } catch (IOException | RuntimeException e) {
        throw new UsageException(DATA.name() + ": cannot read " + given.substring(1) + ": " + e, e);
      }
    } else {
      json = given.getBytes(StandardCharsets.UTF_8);
    }
    JsonNode data;
    try {
      data = DATA_READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new UsageException(
          DATA.name() + " is not valid JSON: " + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                  + ", column " + e.getLocation().getColumnNr() + ")"),
          e);
    }
    if (data == null || data.isMissingNode() || data.isNull()) {
      throw new UsageException(DATA.name() + " is empty or null; give a JSON value such as {}");
    }
    return data;
  }

  /** Prints each attempt as it is recorded until the delivery succeeds or dies. */
  private static int report(
      Dispatcher dispatcher, String eventId, BlockingQueue<Notice> notices, Terminal terminal)
      throws InterruptedException {
    int printed = 0;
    while (true) {
      Notice notice = notices.take();
      if (notice.attempt() != null) {
        AttemptRecord attempt = notice.attempt();
        String next = "";
        if (notice.nextAttemptAt() != null) {
          // Measured from the attempt's end, which precedes the dispatcher's reading of the
          // clock by a little; rounding to 10 ms shows the delay the policy or Retry-After set.
          Instant failedAt = attempt.startedAt().plus(attempt.latency());
          long wait = Duration.between(failedAt, notice.nextAttemptAt()).toMillis();
          next = "; next attempt in " + Values.format(Duration.ofMillis(Math.round(wait / 10.0) * 10));
        }
        terminal.out.println(describe(attempt) + next);
        printed = attempt.attemptNumber();
        if (attempt.succeeded()) {
          terminal.out.println("delivered " + eventId + " after " + printed + " attempt(s)");
          return 0;
        }
      } else {
        // The last attempt of a dead delivery is reported only through the store.
        for (AttemptRecord attempt : dispatcher.attempts(eventId)) {
          if (attempt.attemptNumber() > printed) {
            terminal.out.println(describe(attempt));
          }
        }
        terminal.out.println("failed: " + notice.deadReason());
        return 1;
      }
    }
  }

  private static String describe(AttemptRecord attempt) {
    String result;
    if (attempt.outcome() == AttemptOutcome.TIMEOUT) {
      result = "timed out";
    } else if (attempt.status() == 0) {
      result = "error: " + attempt.error().orElse("no response");
    } else {
      result = Integer.toString(attempt.status());
    }
    String line =
        "attempt " + attempt.attemptNumber() + ": " + result + " in "
            + Values.format(attempt.latency());
    String snippet = attempt.responseSnippet().strip();
    if (!attempt.succeeded() && !snippet.isEmpty()) {
      String first = snippet.lines().findFirst().orElse("");
      line += " (" + (first.length() > 200 ? first.substring(0, 200) + "..." : first) + ")";
    }
    return line;
  }

  /** The URL without its query, which may carry a token. */
  private static String shown(Endpoint endpoint) {
    URI uri = URI.create(endpoint.url());
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?...");
  }

  /**
   * What the dispatcher reported: an attempt that succeeded, or failed with a retry due at {@code
   * nextAttemptAt}; or, without an attempt, that the delivery died for {@code deadReason}.
   */
  private record Notice(AttemptRecord attempt, Instant nextAttemptAt, String deadReason) {}

  /** Hands the dispatcher's callbacks, made on its threads, to the printing thread. */
  private static final class Listener implements DeliveryListener {
    private final BlockingQueue<Notice> notices;

    Listener(BlockingQueue<Notice> notices) {
      this.notices = notices;
    }

    @Override
    public void attemptSucceeded(AttemptRecord attempt) {
      notices.add(new Notice(attempt, null, null));
    }

    @Override
    public void attemptFailed(AttemptRecord attempt, Instant nextAttemptAt) {
      notices.add(new Notice(attempt, nextAttemptAt, null));
    }

    @Override
    public void deliveryDead(String deliveryId, String endpointId, String reason) {
      notices.add(new Notice(null, null, reason));
    }
  }
}
