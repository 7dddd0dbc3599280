package dev.hookwire.portal;

// The README's block on serving the portal as a Jakarta Servlet: the regions tagged
// portal-servlet, word for word.

// tag::portal-servlet[]
import dev.hookwire.portal.EventType;
import dev.hookwire.portal.Portal;
import dev.hookwire.portal.PortalServlet;
import jakarta.servlet.http.HttpServletRequest;
// end::portal-servlet[]

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.util.Base64;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class PortalServletTest extends PortalAdapterContract {
  /** Tomcat logs through java.util.logging, which holds loggers weakly: kept here, set quiet. */
  private static final Logger TOMCAT = Logger.getLogger("org.apache");

  @TempDir static Path baseDir;
  private Tomcat tomcat;

  @BeforeAll
  void start() throws Exception {
    TOMCAT.setLevel(Level.WARNING);
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    // Under a context path of its own: the portal's mount is the context's and the servlet's.
    Context context = tomcat.addContext("/app", null);
    context.addServletContainerInitializer(
        (classes, servletContext) -> {
          servletContext
              .addFilter("host-authentication", new HostAuthentication())
              .addMappingForUrlPatterns(null, false, "/hookwire/*");

          // tag::portal-servlet[]
          Portal portal = Portal.builder(dispatcher)
              .authorizer(request -> request.nativeRequest(HttpServletRequest.class)
                  .map(HttpServletRequest::getUserPrincipal)       // who your authentication let in
                  .map(user -> tenantOfUser.get(user.getName())))  // yours: whose portal it is
              .eventType(EventType.of("experience.started", "An experience went live",
                  "{\"experienceId\":\"exp_8c1f\",\"name\":\"Free shipping over $50\"}"))
              .build();
          servletContext.addServlet("hookwire-portal", new PortalServlet(portal))
              .addMapping("/hookwire/*");
          // end::portal-servlet[]

          servletContext.addServlet("probe", new PortalServlet(probe)).addMapping("/probe/*");
        },
        null);
    tomcat.start();
  }

  @Override
  URI server() {
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
  }

  @Override
  String mountPath() {
    return "/app/hookwire";
  }

  @Override
  String probePath() {
    return "/app/probe";
  }

  @Override
  Class<?> nativeRequestType() {
    return HttpServletRequest.class;
  }

  @Override
  void stopServer() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  /** The host's authentication: HTTP Basic, the user as the request's principal. */
  static final class HostAuthentication implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest request = (HttpServletRequest) req;
      String user = user(request.getHeader("Authorization"));
      if (user == null) {
        HttpServletResponse response = (HttpServletResponse) res;
        response.setHeader("WWW-Authenticate", "Basic realm=\"app\"");
        response.sendError(401);
        return;
      }
      Principal principal = () -> user;
      chain.doFilter(
          new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
              return principal;
            }

            @Override
            public String getRemoteUser() {
              return user;
            }
          },
          res);
    }

    private static String user(String authorization) {
      if (authorization == null || !authorization.startsWith("Basic ")) {
        return null;
      }
      String credentials;
      try {
        credentials = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      int colon = credentials.indexOf(':');
      if (colon < 0) {
        return null;
      }
      String user = credentials.substring(0, colon);
      return isUser(user, credentials.substring(colon + 1)) ? user : null;
    }
  }
}
