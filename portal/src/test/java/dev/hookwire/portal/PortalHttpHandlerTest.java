package dev.hookwire.portal;

// The README's block on serving the portal with the JDK's HttpServer: the regions tagged
// portal-jdk, word for word.

// tag::portal-jdk[]
import com.sun.net.httpserver.HttpExchange;
import dev.hookwire.portal.EventType;
import dev.hookwire.portal.Portal;
import dev.hookwire.portal.PortalHttpHandler;
// end::portal-jdk[]

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PortalHttpHandlerTest extends PortalAdapterContract {
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private HttpServer server;

  @BeforeAll
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    BasicAuthenticator authenticator =
        new BasicAuthenticator("app") {
          @Override
          public boolean checkCredentials(String user, String password) {
            return isUser(user, password);
          }
        };

    // tag::portal-jdk[]
    Portal portal = Portal.builder(dispatcher)
        .authorizer(request -> request.nativeRequest(HttpExchange.class)
            .map(HttpExchange::getPrincipal)                       // who the Authenticator let in
            .map(user -> tenantOfUser.get(user.getUsername())))    // yours: whose portal it is
        .eventType(EventType.of("experience.started", "An experience went live",
            "{\"experienceId\":\"exp_8c1f\",\"name\":\"Free shipping over $50\"}"))
        .build();
    server.createContext("/hookwire", new PortalHttpHandler(portal))
        .setAuthenticator(authenticator);                          // yours: who the user is
    // end::portal-jdk[]

    server.createContext(probePath(), new PortalHttpHandler(probe));
    server.start();
  }

  @Override
  URI server() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  String mountPath() {
    return "/hookwire";
  }

  @Override
  String probePath() {
    return "/probe";
  }

  @Override
  Class<?> nativeRequestType() {
    return HttpExchange.class;
  }

  @Override
  void stopServer() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Test
  void aPathThatOnlyBeginsLikeTheContexts_isNotThePortals() throws Exception {
    probed.clear();

    HttpResponse<String> response = send(HttpRequest.newBuilder(uri(probePath() + "x/api/session")));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(probed).isEmpty();
  }
}
