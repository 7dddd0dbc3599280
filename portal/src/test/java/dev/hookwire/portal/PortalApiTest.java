package dev.hookwire.portal;

import static dev.hookwire.portal.PortalFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Verifier;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.testing.LoopbackOnly;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API's routes, called through {@link Portal#handle} as any server adapter calls them. */
@ExtendWith(LoopbackOnly.class)
class PortalApiTest {
  PortalFixture f;
  PortalFixture.Client acme;

  @BeforeEach
  void setUp() throws Exception {
    f = PortalFixture.create();
    acme = f.as("acme");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void session_namesTheTenant_andSetsTheTokenCookieOnThePortalsPathOnly() {
    PortalResponse r = acme.get("/api/session");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).get("tenant").asText()).isEqualTo("acme");
    assertThat(acme.token).matches("[A-Za-z0-9_-]{43}");
    assertThat(r.header("Set-Cookie"))
        .startsWith(Csrf.COOKIE + "=")
        .contains("; Path=/hookwire/; HttpOnly; SameSite=Strict")
        .doesNotContain("Secure");
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    PortalResponse again = f.portal.handle(acme.base("GET", "/api/session")
        .header("Cookie", Csrf.COOKIE + "=" + acme.token).secure(true).build());
    assertThat(json(again).get("csrfToken").asText()).isEqualTo(acme.token);
    assertThat(again.header("Set-Cookie")).endsWith("; Secure");
  }

  @Test
  void withoutATenant_everyApiRouteIsRefused401_butThePageAndTheDescriptionAreServed() {
    PortalFixture.Client nobody = f.as(null);
    for (String path : new String[] {"/api/session", "/api/endpoints", "/api/event-types", "/api/endpoints/x/stats"}) {
      PortalResponse r = nobody.get(path);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
    }
    assertThat(nobody.get("/api/openapi.json").status()).isEqualTo(200);
    assertThat(nobody.get("/").status()).isEqualTo(200);
  }

  @Test
  void eventTypes_listTheCatalogueWithExamplesAndSchemas() {
    JsonNode types = json(acme.get("/api/event-types"));

    assertThat(types).hasSize(3);
    assertThat(types.get(0).get("name").asText()).isEqualTo("experience.started");
    assertThat(types.get(0).get("example").get("experienceId").asText()).isEqualTo("exp_42");
    assertThat(types.get(0).get("schema").isNull()).isTrue();
    assertThat(types.get(2).get("schema").get("required").get(0).asText()).isEqualTo("user_id");
  }

  @Test
  void create_storesTheEndpointForTheTenant_signed_andNoSecretOrCredentialInTheAnswer() {
    PortalResponse r = acme.post("/api/endpoints", "{\"url\":\"" + f.receiver.url("/hooks") + "\","
        + "\"method\":\"PUT\",\"description\":\"Orders team\",\"eventTypes\":[\"experience.*\"],"
        + "\"headers\":{\"X-Env\":\"prod\"},"
        + "\"authentication\":{\"kind\":\"basic\",\"username\":\"hook\",\"password\":\"pa55word\"}}");

    assertThat(r.status()).isEqualTo(201);
    JsonNode view = json(r);
    Endpoint stored = f.dispatcher.endpoint(view.get("id").asText()).orElseThrow();
    assertThat(stored.ownerId()).isEqualTo("acme");
    assertThat(stored.method()).isEqualTo("PUT");
    assertThat(stored.eventTypes()).containsExactly("experience.*");
    assertThat(stored.headers()).containsEntry("X-Env", "prod");
    assertThat(stored.scheme()).contains(SignatureScheme.standardWebhooks());
    assertThat(view.get("authentication").get("kind").asText()).isEqualTo("basic");
    assertThat(view.get("authentication").get("username").asText()).isEqualTo("hook");
    assertThat(view.get("signed").asBoolean()).isTrue();
    assertThat(r.bodyText())
        .doesNotContain("pa55word")
        .doesNotContain(java.util.Base64.getEncoder().encodeToString("hook:pa55word".getBytes()))
        .doesNotContain(stored.keys().get(0).secret());
  }

  @Test
  void create_refusesBadInput_withTheFieldNamed() {
    String url = f.receiver.url("/hooks");
    Map<String, String> cases = Map.of(
        "{}", "url is required",
        "{\"url\":\"ftp://x.test/\"}", "http or https",
        "{\"url\":\"" + url + "\",\"method\":\"PATCH\"}", "POST, PUT or DELETE",
        "{\"url\":\"" + url + "\",\"eventTypes\":[\"order.created\"]}", "event type order.created is not in the catalogue",
        "{\"url\":\"" + url + "\",\"headers\":{\"Bad Name\":\"v\"}}", "is not an HTTP token",
        "{\"url\":\"" + url + "\",\"headers\":{\"Content-Type\":\"text/plain\"}}", "Content-Type",
        "{\"url\":\"" + url + "\",\"authentication\":{\"kind\":\"basic\",\"username\":\"u\"}}", "authentication.password is required",
        "{\"url\":\"" + url + "\",\"nickname\":\"x\"}", "unknown field nickname",
        "{\"url\":\"" + url + "\",\"eventTypes\":\"experience.started\"}", "eventTypes must be an array of strings",
        "[1]", "the body must be a JSON object");
    cases.forEach((body, message) -> {
      PortalResponse r = acme.post("/api/endpoints", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(json(r).get("message").asText()).as(body).contains(message);
    });
    assertThat(f.dispatcher.endpoints()).isEmpty();
  }

  @Test
  void create_refusesAnInvalidTemplate_withItsLineAndColumn() {
    PortalResponse r = acme.post("/api/endpoints", "{\"url\":\"" + f.receiver.url("/hooks")
        + "\",\"template\":\"{\\n  \\\"id\\\": \\\"{{evnt.id}}\\\"\\n}\"}");

    assertThat(r.status()).isEqualTo(400);
    JsonNode error = json(r);
    assertThat(error.get("error").asText()).isEqualTo("invalid_template");
    assertThat(error.get("line").asInt()).isEqualTo(2);
    assertThat(error.get("column").asInt()).isPositive();
    assertThat(error.get("message").asText()).contains("evnt");
  }

  @Test
  void aPrivateDestination_isRefusedWhenTheDispatchersPolicyRefusesIt() throws Exception {
    try (var strict = dev.hookwire.dispatch.Dispatcher.builder().build()) {
      Portal portal = Portal.builder(strict).authorizer(r -> java.util.Optional.of("acme")).build();
      PortalResponse session = portal.handle(PortalRequest.builder("GET", "", "/api/session").build());
      String token = json(session).get("csrfToken").asText();
      PortalResponse r = portal.handle(PortalRequest.builder("POST", "", "/api/endpoints")
          .header("X-CSRF-Token", token).header("Cookie", Csrf.COOKIE + "=" + token)
          .header("Content-Type", "application/json")
          .body(("{\"url\":\"" + f.receiver.url("/hooks") + "\"}").getBytes()).build());

      assertThat(r.status()).isEqualTo(400);
      assertThat(json(r).get("message").asText()).contains("127.0.0.1");
      assertThat(strict.endpoints()).isEmpty();
    }
  }

  @Test
  void list_showsOnlyTheTenantsOwnEndpoints() {
    String mine = acme.endpoint("mine", "experience.started");
    f.as("globex").endpoint("theirs", "experience.started");
    f.dispatcher.register(Endpoint.builder(f.receiver.url("/host")).id("ep_host").build());

    JsonNode list = json(acme.get("/api/endpoints"));

    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("id").asText()).isEqualTo(mine);
  }

  @Test
  void update_replacesSettings_keepsSecretAndState_andKeepsCredentialsOnlyWhenAsked() {
    String id = acme.endpoint("before", "experience.started");
    acme.post("/api/endpoints/" + id + "/disable", null);
    acme.send("PUT", "/api/endpoints/" + id, "{\"url\":\"" + f.receiver.url("/hooks") + "\","
        + "\"authentication\":{\"kind\":\"bearer\",\"token\":\"t0ken\"}}");
    Endpoint before = f.dispatcher.endpoint(id).orElseThrow();

    PortalResponse r = acme.send("PUT", "/api/endpoints/" + id, "{\"url\":\"" + f.receiver.url("/moved")
        + "\",\"description\":\"after\",\"eventTypes\":[\"goal.achieved\"],\"headers\":{\"X-A\":\"1\"},"
        + "\"authentication\":{\"kind\":\"keep\"},"
        + "\"template\":\"{\\\"goal\\\":\\\"{{data.user_id}}\\\"}\"}");

    assertThat(r.status()).isEqualTo(200);
    Endpoint after = f.dispatcher.endpoint(id).orElseThrow();
    assertThat(after.url()).endsWith("/moved");
    assertThat(after.description()).isEqualTo("after");
    assertThat(after.eventTypes()).containsExactly("goal.achieved");
    assertThat(after.keys()).isEqualTo(before.keys());
    assertThat(after.enabled()).isFalse();
    assertThat(after.authentication()).isEqualTo(before.authentication()).isPresent();
    assertThat(json(r).get("template").asText()).isEqualTo("{\"goal\":\"{{data.user_id}}\"}");

    acme.send("PUT", "/api/endpoints/" + id, "{\"url\":\"" + f.receiver.url("/moved") + "\"}");
    Endpoint cleared = f.dispatcher.endpoint(id).orElseThrow();
    assertThat(cleared.authentication()).isEmpty();
    assertThat(cleared.payloadMapper()).isEmpty();
    assertThat(cleared.eventTypes()).isEmpty();
  }

  @Test
  void disableEnableDelete() {
    String id = acme.endpoint("x", "experience.started");

    assertThat(json(acme.post("/api/endpoints/" + id + "/disable", null)).get("enabled").asBoolean()).isFalse();
    assertThat(f.dispatcher.endpoint(id).orElseThrow().enabled()).isFalse();
    assertThat(json(acme.post("/api/endpoints/" + id + "/enable", null)).get("enabled").asBoolean()).isTrue();
    assertThat(acme.send("DELETE", "/api/endpoints/" + id, null).status()).isEqualTo(204);
    assertThat(f.dispatcher.endpoint(id)).isEmpty();
    assertThat(acme.get("/api/endpoints/" + id).status()).isEqualTo(404);
  }

  @Test
  void reveal_returnsTheSecretThatSignsDeliveries_andRotateReturnsANewOne() throws Exception {
    String id = acme.endpoint("x", "experience.started");
    String secret = json(acme.post("/api/endpoints/" + id + "/secret", null)).get("secret").asText();

    f.dispatcher.send(WebhookEvent.create("experience.started", Map.of("k", "v")));
    Receiver.Request received = f.receiver.next();
    Map<String, String> headers = Map.of(
        "webhook-id", received.header("webhook-id"),
        "webhook-timestamp", received.header("webhook-timestamp"),
        "webhook-signature", received.header("webhook-signature"));
    Verifier.builder(SignatureScheme.standardWebhooks()).key(secret).build().verify(headers, received.body());

    PortalResponse rotated = acme.post("/api/endpoints/" + id + "/secret/rotate", "{\"graceSeconds\":60}");
    String newSecret = json(rotated).get("secret").asText();
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(secret);
    assertThat(json(acme.post("/api/endpoints/" + id + "/secret", null)).get("secret").asText()).isEqualTo(newSecret);
    assertThat(f.dispatcher.endpoint(id).orElseThrow().keys()).hasSize(2);
    assertThat(acme.post("/api/endpoints/" + id + "/secret/rotate", "{\"graceSeconds\":-1}").status()).isEqualTo(400);
  }

  @Test
  void testEvent_isAStoredDelivery_toThatEndpointOnly_whoseAttemptAppearsInTheLog() throws Exception {
    String id = acme.endpoint("x", "experience.started");
    String other = acme.endpoint("other", "goal.achieved");

    PortalResponse r = acme.post("/api/endpoints/" + id + "/test", "{\"eventType\":\"goal.achieved\"}");

    assertThat(r.status()).isEqualTo(202);
    String deliveryId = json(r).get("deliveryId").asText();
    Receiver.Request received = f.receiver.next();
    assertThat(received.path()).isEqualTo("/hooks/acme");
    assertThat(PortalFixture.JSON.readTree(received.body()).get("data").get("email").asText()).isEqualTo("ana@example.com");
    AttemptRecord attempt = f.nextAttempt();
    assertThat(attempt.deliveryId()).isEqualTo(deliveryId);
    JsonNode detail = json(acme.get("/api/endpoints/" + id + "/deliveries/" + deliveryId));
    assertThat(detail.get("delivery").get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(detail.get("attempts").get(0).get("status").asInt()).isEqualTo(200);
    assertThat(json(acme.get("/api/endpoints/" + other + "/deliveries")).get("deliveries")).isEmpty();
    assertThat(acme.post("/api/endpoints/" + id + "/test", "{\"eventType\":\"nope\"}").status()).isEqualTo(400);
  }

  @Test
  void preview_rendersTheTemplateOnTheTypesExample() throws Exception {
    String template = "{\"publishedAt\":\"{{event.timestamp_ms}}\",\"units\":[{\"type\":\"user_id\",\"uid\":\"{{data.user_id}}\"}],"
        + "\"goals\":[{\"name\":\"intercom_conversation_started\",\"achievedAt\":\"{{event.timestamp_ms}}\","
        + "\"properties\":{\"user_email\":\"{{data.email}}\",\"company\":\"{{data.company.name}}\"}}]}";

    PortalResponse r = acme.post("/api/templates/preview",
        "{\"eventType\":\"goal.achieved\",\"template\":" + PortalFixture.JSON.valueToTree(template) + "}");

    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    JsonNode preview = json(r);
    JsonNode body = PortalFixture.JSON.readTree(preview.get("body").asText());
    long timestamp = java.time.Instant.parse(preview.get("event").get("timestamp").asText()).toEpochMilli();
    assertThat(body.get("publishedAt").isNumber()).isTrue();
    assertThat(body.get("publishedAt").asLong()).isEqualTo(timestamp);
    assertThat(body.get("units").get(0).get("uid").asText()).isEqualTo("u_1");
    assertThat(body.get("goals").get(0).get("properties").get("company").asText()).isEqualTo("Acme");
    assertThat(preview.get("placeholders")).extracting(JsonNode::asText)
        .contains("event.timestamp_ms", "data.user_id", "data.company.name");
    PortalResponse bad = acme.post("/api/templates/preview", "{\"template\":\"{\\\"a\\\": \\\"{{data.\\\"}\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(json(bad).get("error").asText()).isEqualTo("invalid_template");
  }
}
