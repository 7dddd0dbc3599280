package dev.hookwire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback in front of a real server, which a test can cut (every open connection
 * reset, new ones refused) and restore: a database outage without stopping the database that
 * other tests share.
 *
 * <p>Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tcp-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<Socket> open = new ArrayList<>(); // guarded by this
  private boolean cut; // guarded by this

  /**
   * Starts a proxy to a server.
   *
   * @param host the server's host
   * @param port the server's port
   * @throws IOException if the proxy cannot listen
   */
  public TcpProxy(String host, int port) throws IOException {
    this.target = new InetSocketAddress(host, port);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  /**
   * Returns the port the proxy listens on.
   *
   * @return the port
   */
  public int port() {
    return listener.getLocalPort();
  }

  /** Resets every open connection and refuses new ones until {@link #restore()}. */
  public synchronized void cut() {
    cut = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  /** Lets connections through again. */
  public synchronized void restore() {
    cut = false;
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      Socket server = null;
      try {
        synchronized (this) {
          if (cut) {
            client.setSoLinger(true, 0);
            client.close();
            continue;
          }
        }
        server = new Socket(target.getAddress(), target.getPort());
        synchronized (this) {
          open.add(client);
          open.add(server);
        }
        Socket s = server;
        threads.execute(() -> pump(client, s));
        threads.execute(() -> pump(s, client));
      } catch (IOException e) {
        closeQuietly(client);
        if (server != null) {
          closeQuietly(server);
        }
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away; close both.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    cut();
    try {
      listener.close();
    } catch (IOException e) {
      // Already closed.
    }
    threads.shutdownNow();
  }
}
