package dev.hookwire.preset;

import dev.hookwire.dispatch.Authentication;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.PayloadMapper;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.GoalEvent;
import dev.hookwire.event.WebhookEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Goal events to an ABsmartly collector, the way ABsmartly's guide has a webhook sender feed it:
 * one {@code PUT} to the collector's context API per event, with the SDK API key and the
 * application and environment in headers.
 *
 * <pre>{@code
 * dispatcher.register(
 *     Absmartly.endpoint("https://acme.absmartly.io/v1", sdkApiKey, "www", "production").build());
 * dispatcher.send(WebhookEvent.create(GoalEvent.TYPE, new GoalEvent(now,
 *     List.of(new GoalEvent.Unit("user_id", "u_1842")),
 *     List.of(new GoalEvent.Goal("intercom_conversation_started", now)))));
 * }</pre>
 *
 * <p>What the guide describes, and this preset does:
 *
 * <ul>
 *   <li>{@code PUT <collector>/v1/context}, JSON;
 *   <li>headers {@code X-API-Key} (the SDK API key, sent as the endpoint's {@link
 *       Authentication}, so it never shows in {@code toString()}), {@code X-Application} and
 *       {@code X-Environment} (names that must exist in the ABsmartly console), {@code
 *       X-Application-Version} ({@code 0}) and {@code X-Agent} (here {@code hookwire}); change the
 *       last two with {@code .header("X-Application-Version", "12")} on the builder;
 *   <li>the body {@code {"publishedAt", "units": [{"type", "uid"}], "goals": [{"name",
 *       "achievedAt", "properties"}]}}, times in epoch milliseconds (see {@link #payload()});
 *   <li>a failed request is tried up to 2 more times, 3 attempts in all. How far apart is not
 *       documented: here after 5 s and 5 min (the start of the Standard Webhooks schedule, with
 *       10% jitter).
 * </ul>
 *
 * <p>Requests carry no signature: the collector authenticates them by the API key alone, so
 * there is no verifier here. Registration sends no {@code HEAD} request either, since the context
 * API answers only the methods it serves.
 *
 * <p>Thread-safe: the factories keep no state, and what they return is documented on its type.
 */
public final class Absmartly {
  /** Attempts in all: the first and 2 retries. */
  static final int MAX_ATTEMPTS = 3;

  private static final String CONTEXT_PATH = "/v1/context";

  private static final RetryPolicy RETRY_POLICY = Mapping.firstAttemptsOfStandardSchedule(MAX_ATTEMPTS);

  private static final PayloadMapper PAYLOAD = new ContextBody();

  private Absmartly() {}

  /**
   * Starts an endpoint that publishes goal events to an ABsmartly collector: subscribed to
   * {@value GoalEvent#TYPE}, {@code PUT} to the context API, the body made by {@link #payload()},
   * unsigned, 3 attempts in all. The builder can change any of it before {@code build()}.
   *
   * @param collectorUrl the collector's base URL, such as {@code https://acme.absmartly.io}, or
   *     that URL followed by {@code /v1} (the form ABsmartly's SDKs are configured with) or by
   *     {@code /v1/context}; the endpoint's URL is the context API under it
   * @param apiKey the SDK API key, sent as {@code X-API-Key}
   * @param application the application's name in the ABsmartly console, sent as {@code
   *     X-Application}
   * @param environment the environment's name in the ABsmartly console, sent as {@code
   *     X-Environment}
   * @return a builder holding the preset's settings
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code collectorUrl} is not an absolute http(s) URL or has
   *     a query or fragment, or another argument is blank or not valid in a header; the message
   *     names the argument
   */
  public static Endpoint.Builder endpoint(
      String collectorUrl, String apiKey, String application, String environment) {
    String url = contextUrl(Args.url(collectorUrl, "collectorUrl"));
    Args.notBlank(apiKey, "apiKey");
    Args.notBlank(application, "application");
    Args.notBlank(environment, "environment");
    Endpoint.Builder builder = Endpoint.builder(url);
    Args.naming("apiKey", () -> builder.authentication(Authentication.apiKey("X-API-Key", apiKey)));
    Args.naming("application", () -> builder.header("X-Application", application));
    builder.header("X-Application-Version", "0");
    Args.naming("environment", () -> builder.header("X-Environment", environment));
    return builder
        .header("X-Agent", "hookwire")
        .method("PUT")
        .subscribe(GoalEvent.TYPE)
        .unsigned()
        .payloadMapper(PAYLOAD)
        .retryPolicy(RETRY_POLICY)
        .verifyOnRegistration(false);
  }

  /**
   * Returns the mapper that writes a goal event as the body of ABsmartly's context API:
   *
   * <pre>{@code
   * {"publishedAt":1714564800000,"units":[{"type":"user_id","uid":"u_1842"}],
   *  "goals":[{"name":"intercom_conversation_started","achievedAt":1714564798000,
   *            "properties":{"user_email":"ana@example.com"}}]}
   * }</pre>
   *
   * <p>Instants are whole epoch milliseconds (finer digits are dropped); units and goals keep
   * their order; properties are written as given, {@code {}} when there are none. The event's
   * data must be a {@link GoalEvent}, or a map or JSON tree that reads as one; anything else
   * fails the {@code send} with an {@link IllegalArgumentException}. Register it with {@code
   * Dispatcher.Builder.payloadMapper(...)} when endpoints are loaded from a durable store.
   * Thread-safe.
   *
   * @return the mapper, named {@code preset:absmartly}
   */
  public static PayloadMapper payload() {
    return PAYLOAD;
  }

  /** The context API under a collector URL given in any of the three accepted forms. */
  private static String contextUrl(String collectorUrl) {
    URI uri = URI.create(collectorUrl);
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "collectorUrl has a query or fragment; give the collector's base URL, such as"
              + " https://acme.absmartly.io");
    }
    String base = collectorUrl;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith(CONTEXT_PATH)) {
      return base;
    }
    if (base.endsWith("/v1")) {
      return base + "/context";
    }
    return base + CONTEXT_PATH;
  }

  /** {@code {publishedAt, units, goals}} with instants in epoch milliseconds. */
  private static final class ContextBody extends Mapping.NamedMapper {
    ContextBody() {
      super("preset:absmartly");
    }

    @Override
    public byte[] map(WebhookEvent<?> event, EventCodec codec) {
      GoalEvent goal = Mapping.data(event, codec, GoalEvent.class, "ABsmartly");
      List<Map<String, Object>> units = new ArrayList<>(goal.units().size());
      for (GoalEvent.Unit unit : goal.units()) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("type", unit.type());
        u.put("uid", unit.uid());
        units.add(u);
      }
      List<Map<String, Object>> goals = new ArrayList<>(goal.goals().size());
      for (GoalEvent.Goal achieved : goal.goals()) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("name", achieved.name());
        g.put("achievedAt", achieved.achievedAt().toEpochMilli());
        g.put("properties", achieved.properties());
        goals.add(g);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("publishedAt", goal.publishedAt().toEpochMilli());
      body.put("units", units);
      body.put("goals", goals);
      return codec.encodeData(body);
    }
  }
}
