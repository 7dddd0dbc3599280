package dev.hookwire.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookwire.dispatch.DeliveryListener;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.testing.TestTransports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A dispatcher on loopback, a portal over it whose authorizer takes the tenant from the {@code
 * X-Tenant} header, and a receiver: what the API tests call through {@link Portal#handle}.
 */
final class PortalFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String EXPERIENCE_STARTED_EXAMPLE =
      "{\"experienceId\":\"exp_42\",\"experienceName\":\"Free shipping over $50\","
          + "\"action\":\"started\",\"triggeredBy\":\"ana@example.com\"}";

  static final String GOAL_EXAMPLE =
      "{\"user_id\":\"u_1\",\"email\":\"ana@example.com\",\"name\":\"Ana\",\"company\":{\"name\":\"Acme\"}}";

  final Receiver receiver;
  final Dispatcher dispatcher;
  final Portal portal;
  final BlockingQueue<AttemptRecord> attempts = new LinkedBlockingQueue<>();

  private PortalFixture() throws IOException {
    receiver = Receiver.start();
    dispatcher =
        Dispatcher.builder()
            .networkPolicy(TestTransports.LOOPBACK_ALLOWED)
            .retryPolicy(RetryPolicy.of())
            .listener(new DeliveryListener() {
              @Override
              public void attemptRecorded(AttemptRecord attempt) {
                attempts.add(attempt);
              }
            })
            .build()
            .start();
    portal =
        Portal.builder(dispatcher)
            .authorizer(request -> request.header("X-Tenant"))
            .eventType(EventType.of("experience.started", "An experience started", EXPERIENCE_STARTED_EXAMPLE))
            .eventType(EventType.of("experience.paused", "An experience was paused", EXPERIENCE_STARTED_EXAMPLE))
            .eventType(EventType.of("goal.achieved", "A shopper reached a goal", GOAL_EXAMPLE,
                "{\"type\":\"object\",\"required\":[\"user_id\"]}"))
            .build();
  }

  static PortalFixture create() throws IOException {
    return new PortalFixture();
  }

  AttemptRecord nextAttempt() throws InterruptedException {
    AttemptRecord a = attempts.poll(10, TimeUnit.SECONDS);
    if (a == null) {
      throw new AssertionError("no attempt in 10 s");
    }
    return a;
  }

  /** A signed-in browser of one tenant: its session token and cookie. */
  Client as(String tenant) {
    return new Client(tenant);
  }

  final class Client {
    final String tenant;
    final String token;

    Client(String tenant) {
      this.tenant = tenant;
      PortalResponse session = portal.handle(base("GET", "/api/session").build());
      this.token = tenant == null || session.status() != 200 ? "" : json(session).get("csrfToken").asText();
    }

    PortalRequest.Builder base(String method, String path) {
      PortalRequest.Builder b = PortalRequest.builder(method, "/hookwire", path).header("Host", "portal.test");
      if (tenant != null) {
        b.header("X-Tenant", tenant);
      }
      return b;
    }

    /** A request as the portal's own page sends it: token header and cookie, same origin. */
    PortalRequest.Builder page(String method, String path) {
      PortalRequest.Builder b = base(method, path);
      if (!method.equals("GET")) {
        b.header("X-CSRF-Token", token).header("Cookie", "other=1; " + Csrf.COOKIE + "=" + token)
            .header("Origin", "http://portal.test").header("Sec-Fetch-Site", "same-origin");
      }
      return b;
    }

    PortalResponse get(String path) {
      return portal.handle(page("GET", path.contains("?") ? path.substring(0, path.indexOf('?')) : path)
          .rawQuery(path.contains("?") ? path.substring(path.indexOf('?') + 1) : null).build());
    }

    PortalResponse send(String method, String path, String body) {
      PortalRequest.Builder b = page(method, path);
      if (body != null) {
        b.header("Content-Type", "application/json").body(body.getBytes(StandardCharsets.UTF_8));
      }
      return portal.handle(b.build());
    }

    PortalResponse post(String path, String body) {
      return send("POST", path, body);
    }

    /** Creates an endpoint at the receiver and returns its id. */
    String endpoint(String description, String... types) {
      StringBuilder t = new StringBuilder();
      for (String type : types) {
        t.append(t.length() == 0 ? "" : ",").append('"').append(type).append('"');
      }
      PortalResponse r = post("/api/endpoints", "{\"url\":\"" + receiver.url("/hooks/" + tenant) + "\",\"description\":\""
          + description + "\",\"eventTypes\":[" + t + "]}");
      if (r.status() != 201) {
        throw new AssertionError("create answered " + r.status() + ": " + r.bodyText());
      }
      return json(r).get("id").asText();
    }
  }

  static JsonNode json(PortalResponse response) {
    try {
      return JSON.readTree(response.bodyText());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.bodyText(), e);
    }
  }

  @Override
  public void close() {
    dispatcher.close(Duration.ZERO);
    receiver.close();
  }
}
