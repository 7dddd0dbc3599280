package dev.hookwire.portal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.testing.TestTransports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every server adapter of the portal does, on a real server on loopback: the page and the
 * API at the mount path, the redirect of the mount itself, the request's query, headers and
 * body bound, the portal's CSRF check and security headers arriving, the host's authentication
 * in front. A subclass starts its server with the host's portal (user {@link #USER}, who is
 * tenant {@link #TENANT}) at {@link #mountPath()}, behind the host's authentication, and the
 * {@link #probe} portal, which records every request it is asked to authorize, at {@link
 * #probePath()}, without authentication.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PortalAdapterContract {
  static final String USER = "ana";
  static final String PASSWORD = "correct horse battery staple";
  static final String TENANT = "acme";
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The host's: its users' tenants. */
  final Map<String, String> tenantOfUser = Map.of(USER, TENANT);

  final Dispatcher dispatcher = Dispatcher.builder().networkPolicy(TestTransports.LOOPBACK_ALLOWED).build();

  final BlockingQueue<PortalRequest> probed = new LinkedBlockingQueue<>();

  final Portal probe =
      Portal.builder(dispatcher)
          .authorizer(
              request -> {
                probed.add(request);
                return Optional.of("probe");
              })
          .build();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(WAIT)
          .build();

  /** The server's address, such as {@code http://127.0.0.1:41234}. */
  abstract URI server();

  /** Where the host's portal is, from the server's root, such as {@code /hookwire}. */
  abstract String mountPath();

  /** Where the probe is, from the server's root. */
  abstract String probePath();

  /** The type of the adapter's native request. */
  abstract Class<?> nativeRequestType();

  abstract void stopServer() throws Exception;

  @AfterAll
  void stop() throws Exception {
    stopServer();
    dispatcher.close();
  }

  static boolean isUser(String user, String password) {
    return USER.equals(user) && PASSWORD.equals(password);
  }

  @Test
  void thePage_andAnApiCall_answerAtTheMountPath() throws Exception {
    HttpResponse<String> page = send(signedIn("/"));
    HttpResponse<String> session = send(signedIn("/api/session"));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.body()).contains("assets/portal.js");
    assertThat(session.statusCode()).isEqualTo(200);
    JsonNode json = JSON.readTree(session.body());
    assertThat(json.path("tenant").asText()).isEqualTo(TENANT);
    assertThat(json.path("csrfToken").asText()).isNotBlank();
  }

  @Test
  void theMountItself_redirectsToItsSlash() throws Exception {
    HttpResponse<String> mount = send(signedIn(""));

    assertThat(mount.statusCode()).isEqualTo(302);
    assertThat(mount.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith(mountPath() + "/"));
  }

  @Test
  void withoutTheHostsAuthentication_thePortalIsNotServed() throws Exception {
    HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri(mountPath() + "/api/session")));

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain("csrfToken");
  }

  @Test
  void theQuery_theHeadersRepeated_andTheNativeRequest_reachThePortal() throws Exception {
    probed.clear();
    send(
        HttpRequest.newBuilder(uri(probePath() + "/api/session?a=1&b=x%20y%26z&a=2&empty"))
            .header("Cookie", "first=1")
            .header("Cookie", "second=2")
            .header("X-Probe", "yes"));

    PortalRequest seen = probed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(seen).isNotNull();
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.mountPath()).isEqualTo(probePath());
    assertThat(seen.path()).isEqualTo("/api/session");
    assertThat(seen.query("a")).contains("1");
    assertThat(seen.query("b")).contains("x y&z");
    assertThat(seen.query("empty")).contains("");
    assertThat(seen.header("x-probe")).contains("yes");
    assertThat(seen.cookie("first")).contains("1");
    assertThat(seen.cookie("second")).contains("2");
    assertThat(seen.nativeRequest(nativeRequestType())).isPresent();
  }

  @Test
  void aBodyOverTheLimit_is413_beforeTheClientHasSentItAll() throws Exception {
    int limit = probe.maxBodyBytes();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server().getPort())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      String head =
          "POST " + probePath() + "/api/templates/preview HTTP/1.1\r\n"
              + "Host: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\n"
              + "Content-Length: " + (64L << 20) + "\r\n"
              + "\r\n";
      out.write(head.getBytes(US_ASCII));
      // The limit and a little more, of the 64 MiB announced: an adapter that reads the whole
      // body waits for the rest, and this read times out.
      out.write(new byte[limit + 16 * 1024]);
      out.flush();

      String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII)).readLine();

      assertThat(status).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void aClientThatGoesAwayInTheMiddleOfItsBody_leavesTheServerServing() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server().getPort())) {
        String head =
            "POST " + probePath() + "/api/templates/preview HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Content-Length: 1000\r\n"
                + "\r\n"
                + "{\"template\":";
        socket.getOutputStream().write(head.getBytes(US_ASCII));
      }
    }

    assertThat(send(signedIn("/api/session")).statusCode()).isEqualTo(200);
  }

  @Test
  void aPost_withTheCsrfTokenFromTheSession_works_andWithoutIt_is403() throws Exception {
    HttpResponse<String> session = send(signedIn("/api/session"));
    String token = JSON.readTree(session.body()).path("csrfToken").asText();
    String cookie = session.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("hookwire-portal-csrf="))
        .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
        .findFirst()
        .orElseThrow();
    String endpoint = "{\"url\":\"http://127.0.0.1:9/hooks\",\"eventTypes\":[\"experience.started\"]}";

    HttpResponse<String> withToken =
        send(signedIn("/api/endpoints")
            .header("Cookie", cookie)
            .header("X-CSRF-Token", token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(endpoint)));
    HttpResponse<String> withoutToken =
        send(signedIn("/api/endpoints")
            .header("Cookie", cookie)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(endpoint)));

    assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(201);
    assertThat(JSON.readTree(withToken.body()).path("url").asText()).isEqualTo("http://127.0.0.1:9/hooks");
    assertThat(withoutToken.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(withoutToken.body()).path("error").asText()).isEqualTo("csrf");
  }

  @Test
  void theSecurityHeaders_arrive() throws Exception {
    HttpResponse<String> page = send(signedIn("/"));
    HttpResponse<String> api = send(signedIn("/api/session"));

    for (HttpResponse<String> response : java.util.List.of(page, api)) {
      assertThat(response.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'", "frame-ancestors 'none'"));
      assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
      assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
    }
    assertThat(api.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void head_answersAsGet_withoutTheBody() throws Exception {
    HttpResponse<String> get = send(signedIn("/"));
    HttpResponse<String> head = send(signedIn("/").method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValueAsLong("Content-Length"))
        .hasValue(get.body().getBytes(UTF_8).length);
    assertThat(head.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  /** A request to the host's portal, as its signed-in user. */
  HttpRequest.Builder signedIn(String pathUnderMount) {
    String credentials = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(UTF_8));
    return HttpRequest.newBuilder(uri(mountPath() + pathUnderMount)).header("Authorization", "Basic " + credentials);
  }

  URI uri(String path) {
    return server().resolve(path);
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
  }
}
