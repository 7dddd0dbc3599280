package dev.hookwire.portal;

import static dev.hookwire.portal.PortalFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.testing.LoopbackOnly;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tenants, cross-site requests, security headers, bounds and failures. */
@ExtendWith(LoopbackOnly.class)
class PortalSafetyTest {
  PortalFixture f;
  PortalFixture.Client acme;
  PortalFixture.Client globex;
  String acmeEndpoint;
  String acmeDelivery;

  @BeforeEach
  void setUp() throws Exception {
    f = PortalFixture.create();
    acme = f.as("acme");
    globex = f.as("globex");
    acmeEndpoint = acme.endpoint("acme's", "experience.started");
    globex.endpoint("globex's", "experience.started");
    acmeDelivery = json(acme.post("/api/endpoints/" + acmeEndpoint + "/test", null)).get("deliveryId").asText();
    f.nextAttempt();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  /** Every route that names an endpoint or a delivery, as another tenant would call it. */
  List<String[]> routesOnAcmesEndpoint() {
    String e = "/api/endpoints/" + acmeEndpoint;
    String d = e + "/deliveries/" + acmeDelivery;
    return List.of(
        new String[] {"GET", e, null},
        new String[] {"PUT", e, "{\"url\":\"" + f.receiver.url("/stolen") + "\"}"},
        new String[] {"DELETE", e, null},
        new String[] {"POST", e + "/disable", null},
        new String[] {"POST", e + "/enable", null},
        new String[] {"POST", e + "/secret", null},
        new String[] {"POST", e + "/secret/rotate", "{}"},
        new String[] {"POST", e + "/test", "{}"},
        new String[] {"GET", e + "/stats", null},
        new String[] {"POST", e + "/recover", "{\"since\":\"2020-01-01T00:00:00Z\"}"},
        new String[] {"GET", e + "/deliveries", null},
        new String[] {"GET", d, null},
        new String[] {"POST", d + "/replay", null});
  }

  @Test
  void anotherTenant_getsNotFoundOnEveryRouteOfAnEndpointItDoesNotOwn_andChangesNothing() {
    var before = f.dispatcher.endpoint(acmeEndpoint).orElseThrow();
    for (String[] route : routesOnAcmesEndpoint()) {
      PortalResponse r = route[0].equals("GET") ? globex.get(route[1]) : globex.send(route[0], route[1], route[2]);
      assertThat(r.status()).as(String.join(" ", route[0], route[1])).isEqualTo(404);
      assertThat(r.bodyText()).doesNotContain(acmeEndpoint).doesNotContain("whsec_").doesNotContain("acme's");
    }
    assertThat(f.dispatcher.endpoint(acmeEndpoint)).contains(before);
    assertThat(f.dispatcher.endpoint(acmeEndpoint).orElseThrow().keys()).isEqualTo(before.keys());
    assertThat(json(globex.get("/api/endpoints"))).extracting(n -> n.get("description").asText()).containsExactly("globex's");
  }

  @Test
  void aDeliveryOfAnotherEndpoint_isNotFound_evenUnderTheTenantsOwnEndpoint() {
    String globexEndpoint = json(globex.get("/api/endpoints")).get(0).get("id").asText();
    assertThat(globex.get("/api/endpoints/" + globexEndpoint + "/deliveries/" + acmeDelivery).status()).isEqualTo(404);
    assertThat(globex.post("/api/endpoints/" + globexEndpoint + "/deliveries/" + acmeDelivery + "/replay", null).status())
        .isEqualTo(404);
    String acmeOther = acme.endpoint("second", "experience.started");
    assertThat(acme.get("/api/endpoints/" + acmeOther + "/deliveries/" + acmeDelivery).status()).isEqualTo(404);
  }

  @Test
  void stateChangingCalls_withoutTheSessionsToken_orFromAnotherSite_areRefused403() {
    String path = "/api/endpoints/" + acmeEndpoint + "/disable";
    Map<String, PortalRequest> refused = Map.of(
        "no token", acme.base("POST", path).build(),
        "token without cookie", acme.base("POST", path).header("X-CSRF-Token", acme.token).build(),
        "cookie without token", acme.base("POST", path).header("Cookie", Csrf.COOKIE + "=" + acme.token).build(),
        "another session's token", acme.base("POST", path).header("X-CSRF-Token", globex.token)
            .header("Cookie", Csrf.COOKIE + "=" + acme.token).build(),
        "cross-site fetch", acme.base("POST", path).header("X-CSRF-Token", acme.token)
            .header("Cookie", Csrf.COOKIE + "=" + acme.token).header("Sec-Fetch-Site", "cross-site").build(),
        "same-site but another origin", acme.base("POST", path).header("X-CSRF-Token", acme.token)
            .header("Cookie", Csrf.COOKIE + "=" + acme.token).header("Sec-Fetch-Site", "same-site").build(),
        "foreign Origin", acme.base("POST", path).header("X-CSRF-Token", acme.token)
            .header("Cookie", Csrf.COOKIE + "=" + acme.token).header("Origin", "https://evil.test").build());
    refused.forEach((why, request) -> {
      PortalResponse r = f.portal.handle(request);
      assertThat(r.status()).as(why).isEqualTo(403);
      assertThat(json(r).get("error").asText()).as(why).isEqualTo("csrf");
    });
    assertThat(f.dispatcher.endpoint(acmeEndpoint).orElseThrow().enabled()).isTrue();

    assertThat(acme.post(path, null).status()).isEqualTo(200);
    assertThat(f.dispatcher.endpoint(acmeEndpoint).orElseThrow().enabled()).isFalse();
  }

  @Test
  void aBodyThatIsNotJson_isRefused415_andAnOversizedOne413() {
    PortalResponse form = f.portal.handle(acme.page("POST", "/api/endpoints")
        .header("Content-Type", "application/x-www-form-urlencoded").body("url=http://x.test/".getBytes()).build());
    assertThat(form.status()).isEqualTo(415);

    PortalResponse big = f.portal.handle(acme.page("POST", "/api/endpoints")
        .header("Content-Type", "application/json").body(new byte[Portal.DEFAULT_MAX_BODY_BYTES + 1]).build());
    assertThat(big.status()).isEqualTo(413);
    assertThat(f.dispatcher.endpoints()).hasSize(2);
  }

  @Test
  void everyResponse_carriesTheSecurityHeaders_andTheCspAllowsNoInlineScript() {
    for (PortalResponse r : List.of(acme.get("/"), acme.get("/assets/portal.js"), acme.get("/api/endpoints"),
        acme.get("/api/nope"), globex.get("/api/endpoints/" + acmeEndpoint), f.as(null).get("/api/session"))) {
      assertThat(r.header("Content-Security-Policy"))
          .contains("script-src 'self'")
          .contains("default-src 'none'")
          .contains("frame-ancestors 'none'")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval");
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
  }

  @Test
  void strangersText_isReturnedAsJsonStrings_neverAsMarkup() throws Exception {
    String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    f.receiver.answer(500, hostile);
    String id = acme.endpoint("desc", "experience.started");
    acme.send("PUT", "/api/endpoints/" + id, "{\"url\":\"" + f.receiver.url("/hooks") + "\",\"description\":"
        + PortalFixture.JSON.valueToTree(hostile) + "}");
    f.dispatcher.sendTo(id, WebhookEvent.create("experience.started", Map.of("x", 1)));
    f.nextAttempt();

    PortalResponse log = acme.get("/api/endpoints/" + id + "/deliveries");
    PortalResponse endpoint = acme.get("/api/endpoints/" + id);

    assertThat(log.header("Content-Type")).startsWith("application/json");
    assertThat(json(log).get("deliveries").get(0).get("lastAttempt").get("responseSnippet").asText()).isEqualTo(hostile);
    assertThat(json(endpoint).get("description").asText()).isEqualTo(hostile);
  }

  @Test
  void staticFiles_areOnlyTheListedOnes() {
    assertThat(acme.get("/").header("Content-Type")).startsWith("text/html");
    assertThat(acme.get("/assets/portal.css").header("Content-Type")).startsWith("text/css");
    assertThat(acme.get("/assets/portal.js").header("Content-Type")).startsWith("text/javascript");
    for (String path : List.of("/assets/../openapi.json", "/assets/Portal.class", "/assets/", "/index.html/x",
        "/assets/%2e%2e/openapi.json", "/dev/hookwire/portal/Portal.class")) {
      assertThat(acme.get(path).status()).as(path).isEqualTo(404);
    }
    PortalResponse redirect = acme.get("");
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("/hookwire/");
    assertThat(acme.post("/", null).status()).isEqualTo(405);
  }

  @Test
  void wrongMethodsAndUnknownRoutes_areAnswered405And404() {
    assertThat(acme.send("DELETE", "/api/endpoints", null).status()).isEqualTo(405);
    assertThat(acme.post("/api/endpoints/" + acmeEndpoint + "/stats", null).status()).isEqualTo(405);
    assertThat(acme.get("/api/endpoints/" + acmeEndpoint + "/disable").status()).isEqualTo(405);
    assertThat(acme.get("/api/endpoints/" + acmeEndpoint + "/frobnicate").status()).isEqualTo(404);
    assertThat(acme.get("/api/endpoints//stats").status()).isEqualTo(404);
    assertThat(acme.get("/api/endpoints/has%20space").status()).isEqualTo(404);
  }

  @Test
  void aFailingAuthorizer_isAnswered500_withoutItsDetails() {
    Portal portal = Portal.builder(f.dispatcher).authorizer(r -> {
      throw new IllegalStateException("db password is hunter2");
    }).build();

    PortalResponse r = portal.handle(PortalRequest.builder("GET", "", "/api/endpoints").build());

    assertThat(r.status()).isEqualTo(500);
    assertThat(r.bodyText()).doesNotContain("hunter2");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("internal");
    Portal blank = Portal.builder(f.dispatcher).authorizer(request -> Optional.of(" ")).build();
    assertThat(blank.handle(PortalRequest.builder("GET", "", "/api/endpoints").build()).status()).isEqualTo(500);
  }

  @Test
  void theBuilder_refusesAMissingAuthorizerAndARepeatedEventType() {
    var b = Portal.builder(f.dispatcher);
    org.assertj.core.api.Assertions.assertThatThrownBy(b::build).hasMessageContaining("authorizer");
    b.eventType(EventType.of("a.b", "", "{}"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.eventType(EventType.of("a.b", "", "{}")))
        .hasMessageContaining("a.b");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventType.of("a b", "", "{}")).hasMessageContaining("a b");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventType.of("a.b", "", "{oops")).hasMessageContaining("not JSON");
  }
}
