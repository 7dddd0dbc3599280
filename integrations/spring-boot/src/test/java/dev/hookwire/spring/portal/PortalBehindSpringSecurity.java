package dev.hookwire.spring.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The portal in a Spring Boot application with Spring Security and Spring MVC, an H2 data source
 * and the README's {@link OperatorPortal}: the application's security decides who gets in, the
 * portal which tenant they are and whether a state-changing call came from its own page. A
 * subclass is one way the application sets its security up.
 */
abstract class PortalBehindSpringSecurity {
  static final String PASSWORD = "correct horse battery staple";
  static final String PROPERTIES_ENABLED = "hookwire.portal.enabled=true";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENDPOINT =
      "{\"url\":\"http://127.0.0.1:9/hooks\",\"description\":\"%s\",\"eventTypes\":[\"experience.started\"]}";

  @Value("${local.server.port}")
  int port;

  @Autowired Dispatcher dispatcher;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

  /** The application's users: ana works for acme, bo for globex, eve for no tenant. */
  static UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("ana").password("{noop}" + PASSWORD).roles("OPERATOR").build(),
        User.withUsername("bo").password("{noop}" + PASSWORD).roles("OPERATOR").build(),
        User.withUsername("eve").password("{noop}" + PASSWORD).roles("OPERATOR").build());
  }

  /** A state-changing call of the application's own, outside the portal. */
  @RestController
  static class Elsewhere {
    @GetMapping("/elsewhere")
    String get() {
      return "unchanged";
    }

    @PostMapping("/elsewhere")
    String post() {
      return "changed";
    }
  }

  @Test
  void anAnonymousRequest_isRefusedByTheApplicationsSecurity_beforeThePortal() throws Exception {
    HttpResponse<String> session = send(request("/hookwire/portal/api/session", null));
    HttpResponse<String> post =
        send(request("/hookwire/portal/api/endpoints", null)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ENDPOINT.formatted("anonymous"))));

    assertThat(session.statusCode()).isEqualTo(401);
    assertThat(session.body()).doesNotContain("csrfToken");
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(dispatcher.endpoints()).noneMatch(e -> e.description().equals("anonymous"));
  }

  @Test
  void aSignedInUser_createsAnEndpointForTheirTenant_withThePortalsToken() throws Exception {
    Session ana = session("ana");
    assertThat(ana.tenant).isEqualTo("acme");

    HttpResponse<String> created = ana.post("/hookwire/portal/api/endpoints", ENDPOINT.formatted("from ana"), true);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = JSON.readTree(created.body()).path("id").asText();
    assertThat(dispatcher.endpoint(id)).map(Endpoint::ownerId).contains("acme");
    assertThat(send(request("/hookwire/portal/api/endpoints/" + id, "ana")).statusCode()).isEqualTo(200);
    // Another tenant's user does not see it.
    assertThat(send(request("/hookwire/portal/api/endpoints/" + id, "bo")).statusCode()).isEqualTo(404);
  }

  @Test
  void thePage_isServedToASignedInUser_withThePortalsSecurityHeaders() throws Exception {
    HttpResponse<String> page = send(request("/hookwire/portal/", "ana"));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("assets/portal.js");
    assertThat(page.headers().allValues("Content-Security-Policy"))
        .singleElement()
        .satisfies(csp -> assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'"));
    assertThat(page.headers().allValues("X-Frame-Options")).containsExactly("DENY");
    assertThat(page.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
  }

  @Test
  void withoutThePortalsToken_aPostIsRefusedByThePortal() throws Exception {
    Session ana = session("ana");

    HttpResponse<String> refused = ana.post("/hookwire/portal/api/endpoints", ENDPOINT.formatted("no token"), false);

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("csrf");
    assertThat(dispatcher.endpoints()).noneMatch(e -> e.description().equals("no token"));
  }

  @Test
  void aUserOfNoTenant_isRefusedByThePortal() throws Exception {
    HttpResponse<String> session = send(request("/hookwire/portal/api/session", "eve"));

    assertThat(session.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(session.body()).path("error").asText()).isEqualTo("unauthorized");
  }

  @Test
  void elsewhere_springsCsrfProtectionStillApplies() throws Exception {
    HttpResponse<String> get = send(request("/elsewhere", "ana"));
    HttpResponse<String> post =
        send(request("/elsewhere", "ana").POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(get.statusCode()).isEqualTo(200);
    // Refused by Spring's CsrfFilter: 403, which Spring Boot's error page, itself behind the
    // security, may turn into a 401.
    assertThat(post.statusCode()).isIn(401, 403);
    assertThat(post.body()).doesNotContain("changed");
  }

  private Session session(String user) throws Exception {
    HttpResponse<String> response = send(request("/hookwire/portal/api/session", user));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode json = JSON.readTree(response.body());
    String cookie = response.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("hookwire-portal-csrf="))
        .map(c -> c.split(";", 2)[0])
        .findFirst()
        .orElseThrow();
    return new Session(user, json.path("tenant").asText(), json.path("csrfToken").asText(), cookie);
  }

  /** A user's portal session: the tenant, the token and the cookie that api/session gave. */
  private final class Session {
    final String user;
    final String tenant;
    final String token;
    final String cookie;

    Session(String user, String tenant, String token, String cookie) {
      this.user = user;
      this.tenant = tenant;
      this.token = token;
      this.cookie = cookie;
    }

    HttpResponse<String> post(String path, String json, boolean withToken) throws IOException, InterruptedException {
      HttpRequest.Builder post =
          request(path, user)
              .header("Cookie", cookie)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json));
      if (withToken) {
        post.header("X-CSRF-Token", token);
      }
      return send(post);
    }
  }

  /** A request, with the user's credentials by HTTP Basic, or none for null. */
  HttpRequest.Builder request(String path, String user) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT);
    if (user != null) {
      String credentials = user + ":" + PASSWORD;
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
