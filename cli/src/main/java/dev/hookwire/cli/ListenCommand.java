package dev.hookwire.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hookwire.event.EventCodec;
import dev.hookwire.event.EventFormatException;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureVerificationException;
import dev.hookwire.signature.VerifiedWebhook;
import dev.hookwire.signature.Verifier;
import dev.hookwire.signature.WebhookHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code hookwire listen}: a local receiver that verifies every request on its raw body and
 * prints it as one JSON line.
 */
final class ListenCommand implements Command {
  static final Option PORT =
      Option.value("--port", "P", "the port to listen on; 0 picks a free one (default 8080)");
  static final Option HOST =
      Option.value(
          "--host",
          "ADDRESS",
          "the address to listen on (default the loopback address: this machine only)");
  static final Option STATUS =
      Option.value(
          "--status-on-success",
          "N",
          "the status answered to valid webhooks (default 200; 500 makes senders retry)");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "listen";
  }

  @Override
  public String summary() {
    return "run a local receiver that verifies and prints every webhook it gets";
  }

  @Override
  public String usage() {
    return "--scheme S (--secret K | --secret-env NAME)... [--port P] [--host ADDRESS] [--url U]"
        + " [--tolerance D] [--status-on-success N]";
  }

  @Override
  public String description() {
    return "Listens for webhooks on every path, verifies each request on its raw body, and prints\n"
        + "one JSON line a request: time, method, path, valid (or reason and message), key index,\n"
        + "id, timestamp, type, status, error, and the event if the body is one. Answers the\n"
        + "--status-on-success status to every validly signed request (a body that is not a\n"
        + "Hookwire event, such as a GitHub or Stripe payload, is printed as sent), but 400 to an\n"
        + "event whose data a Hookwire receiver would refuse for its type (experience.* data must\n"
        + "be an ExperienceEvent), with the field at fault; 401 to a bad signature, 413 to a body\n"
        + "over 5 MiB. Ctrl-C stops it.";
  }

  @Override
  public List<Option> options() {
    return Schemes.withKeys(PORT, HOST, Schemes.URL, Schemes.TOLERANCE, STATUS);
  }

  @Override
  public int run(Args args, Terminal terminal) throws Exception {
    Schemes.Info info = Schemes.scheme(args);
    Verifier verifier = Schemes.verifier(info, args, terminal, terminal.clock);
    int port = Values.integer(PORT.name(), args.value(PORT.name()).orElse("8080"), 0, 65535);
    int success = Values.integer(STATUS.name(), args.value(STATUS.name()).orElse("200"), 200, 599);
    InetAddress host = host(args);

    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      terminal.err.println(
          "hookwire listen: cannot listen on " + address(host, port) + ": " + e.getMessage());
      return 1;
    }
    Receiver receiver = new Receiver(verifier, success, terminal);
    server.createContext("/", receiver::handle);
    server.start();
    int bound = server.getAddress().getPort();
    terminal.err.println(
        "listening on http://" + address(host, bound) + "/ for " + info.name()
            + " webhooks; Ctrl-C to stop");
    try {
      terminal.stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.stop(0);
      terminal.err.println("stopped");
      terminal.stop.stopped();
    }
    return 0;
  }

  private static InetAddress host(Args args) throws UsageException {
    if (!args.has(HOST.name())) {
      return InetAddress.getLoopbackAddress();
    }
    String name = args.required(HOST.name());
    try {
      return InetAddress.getByName(name);
    } catch (UnknownHostException e) {
      throw new UsageException(HOST.name() + ": cannot resolve \"" + name + "\"", e);
    }
  }

  private static String address(InetAddress host, int port) {
    String h = host.getHostAddress();
    return (host instanceof Inet6Address ? "[" + h + "]" : h) + ":" + port;
  }

  /** Handles each request on the server's one thread, so that lines come out whole and in order. */
  private static final class Receiver {
    private final Verifier verifier;
    private final int success;
    private final Terminal terminal;
    private final EventCodec codec = EventCodec.ofDefaults();

    Receiver(Verifier verifier, int success, Terminal terminal) {
      this.verifier = verifier;
      this.success = success;
      this.terminal = terminal;
    }

    void handle(HttpExchange exchange) throws IOException {
      try {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", terminal.clock.instant().toString());
        line.put("method", exchange.getRequestMethod());
        String query = exchange.getRequestURI().getRawQuery();
        line.put("path", exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query));
        byte[] body = readAtMost(exchange.getRequestBody(), Verifier.DEFAULT_MAX_BODY_BYTES + 1);

        int status;
        String answer = "";
        VerifiedWebhook verified = null;
        try {
          verified = verifier.verify(WebhookHeaders.ofMulti(exchange.getRequestHeaders()), body);
          status = success;
          line.put("valid", true);
          line.put("keyIndex", verified.keyIndex());
        } catch (SignatureVerificationException e) {
          boolean tooLarge = e.reason() == SignatureVerificationException.Reason.BODY_TOO_LARGE;
          status = tooLarge ? 413 : 401;
          answer = e.reason() + ": " + e.getMessage();
          line.put("valid", false);
          line.put("reason", e.reason().name());
          line.put("message", e.getMessage());
        }
        WebhookEvent<?> event = null;
        String error = null;
        if (status != 413) {
          try {
            event = codec.decode(body);
          } catch (EventFormatException e) {
            error = "not a webhook event: " + e.getMessage();
          }
        }
        if (event != null && verified != null) {
          // As a Hookwire receiver reads it: experience.* data as an ExperienceEvent, and so on.
          try {
            codec.decodeTyped(body);
          } catch (EventFormatException e) {
            status = 400;
            error = "malformed event: " + e.getMessage();
            answer = error;
          }
        }
        if (verified != null && verified.webhookId().isPresent()) {
          line.put("id", verified.webhookId().get());
        } else if (event != null) {
          line.put("id", event.id());
        }
        if (verified != null) {
          verified.timestamp().ifPresent(t -> line.put("timestamp", t.toString()));
        }
        if (event != null) {
          line.put("type", event.type());
        }
        line.put("status", status);
        if (error != null) {
          line.put("error", error);
        }
        if (event != null) {
          line.putRawValue("event", new RawValue(codec.encodeToString(event)));
        } else if (verified != null) {
          // Signed by the sender but not an event envelope (GitHub, Shopify, Stripe payloads):
          // accepted, and shown as sent.
          putBody(line, body);
        }
        terminal.out.println(JSON.writeValueAsString(line));
        respond(exchange, status, answer);
      } finally {
        exchange.close();
      }
    }

    /** Adds the body as JSON if it is JSON, else as text. */
    private static void putBody(ObjectNode line, byte[] body) {
      try {
        line.set("body", JSON.readTree(body));
      } catch (IOException e) {
        line.put("body", new String(body, StandardCharsets.UTF_8));
      }
    }

    private static void respond(HttpExchange exchange, int status, String answer)
        throws IOException {
      if (answer.isEmpty()) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      byte[] bytes = (answer + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    /** Reads up to {@code limit} bytes, so that a huge body costs no more than the limit. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
      byte[] bytes = in.readNBytes(limit);
      in.transferTo(OutputStream.nullOutputStream());
      return bytes;
    }
  }
}
