package dev.hookwire.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Receiver} in a child JVM on this jar's class path, so that its CPU time and heap are
 * its own. Closing it closes the child's stdin, which ends it.
 */
final class ReceiverProcess implements AutoCloseable {
  private final Process process;
  private final OutputStream stdin;
  private final int port;
  private final HttpClient control =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ReceiverProcess(Process process, int port) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.port = port;
  }

  /** Starts a receiver JVM and waits until it listens. */
  static ReceiverProcess start(Receiver.Mode mode, String secret, String... extra) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms512m");
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Receiver.class.getName());
    command.add("--mode");
    command.add(mode.name().toLowerCase(java.util.Locale.ROOT));
    command.add("--secret");
    command.add(secret);
    command.addAll(List.of(extra));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      throw new IOException("receiver did not start: " + line);
    }
    // Drain the rest so the child never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException ignored) {
        // child gone
      }
    }, "receiver-stdout");
    drain.setDaemon(true);
    drain.start();
    return new ReceiverProcess(p, Integer.parseInt(line.substring(5).trim()));
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /** CPU time the receiver JVM has used so far, in nanoseconds. */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  Map<String, Long> stats() throws IOException {
    Map<String, Long> stats = new HashMap<>();
    for (String line : get("/stats").split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        stats.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
      }
    }
    return stats;
  }

  /** Accepted count per webhook id. */
  Map<String, Integer> acceptedById() throws IOException {
    Map<String, Integer> ids = new HashMap<>();
    for (String line : get("/ids").split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0) {
        ids.put(line.substring(0, sp), Integer.parseInt(line.substring(sp + 1).trim()));
      }
    }
    return ids;
  }

  void reset() throws IOException {
    send(HttpRequest.newBuilder(URI.create(url() + "/reset")).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private String get(String path) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).GET().build());
  }

  private String send(HttpRequest request) throws IOException {
    try {
      return control.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
