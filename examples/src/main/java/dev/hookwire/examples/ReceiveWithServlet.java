// Run: mvn -B -q -pl examples -am compile exec:java -Dexec.mainClass=dev.hookwire.examples.ReceiveWithServlet
// Keep it running for a real sender: add -Dexec.args=--serve (and set HOOKWIRE_SECRET).
package dev.hookwire.examples;

import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/**
 * Receives webhooks in a Jakarta Servlet on embedded Tomcat: starts Tomcat on loopback, sends it
 * a signed webhook, the same again, and a tampered copy, prints each answer (200 processed, 200
 * duplicate, 401), and stops. With {@code --serve} it keeps listening.
 *
 * <p>The servlet is plain Jakarta Servlet 6: it runs as well in any other servlet container.
 */
public final class ReceiveWithServlet {
  /**
   * Tomcat logs through java.util.logging: its start and stop to warnings only, and not the leak
   * checks it runs when a context stops, which concern web applications that are redeployed.
   * Held here because java.util.logging keeps loggers only weakly.
   */
  private static final Logger TOMCAT = Logger.getLogger("org.apache");

  private static final Logger TOMCAT_LOADER = Logger.getLogger("org.apache.catalina.loader");

  private ReceiveWithServlet() {}

  /** Hands each POST to the receiver. Thread-safe, as the receiver is. */
  static final class WebhookServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient WebhookReceiver receiver;

    WebhookServlet(WebhookReceiver receiver) {
      this.receiver = receiver;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      // The raw body matters: the signature covers these exact bytes, so read the input stream,
      // never getParameter() or getReader(), which decode it. No more than the limit and one.
      byte[] body;
      try (InputStream in = request.getInputStream()) {
        body = in.readNBytes(receiver.maxBodyBytes() + 1);
      }
      ReceiveResult result = receiver.receive(headers(request), body);
      response.setStatus(result.status());
      result.headers().forEach(response::setHeader);
      response.getOutputStream().write(result.bodyBytes());
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (String name : Collections.list(request.getHeaderNames())) {
        headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
      }
      return headers;
    }
  }

  /**
   * Runs the example.
   *
   * @param args {@code --serve} to keep the server running
   * @throws Exception if Tomcat cannot start or a request fails
   */
  public static void main(String[] args) throws Exception {
    TOMCAT.setLevel(Level.WARNING);
    TOMCAT_LOADER.setLevel(Level.SEVERE);
    String secret = ReceiveDemo.secret();
    boolean serve = ReceiveDemo.serve(args);

    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("hookwire-tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(serve ? 8080 : 0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "hooks", new WebhookServlet(ReceiveDemo.receiver(secret)));
    context.addServletMappingDecoded("/hooks", "hooks");
    tomcat.start();
    URI url = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/hooks");
    try {
      if (serve) {
        ReceiveDemo.serveUntilStopped(url);
      } else {
        ReceiveDemo.sendSamples(url, secret);
      }
    } finally {
      stop(tomcat);
    }
  }

  private static void stop(Tomcat tomcat) throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }
}
