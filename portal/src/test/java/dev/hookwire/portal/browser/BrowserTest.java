package dev.hookwire.portal.browser;

import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.portal.Receiver;
import dev.hookwire.testing.LoopbackOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every browser test starts: Chromium (once per test class), and for each test a receiver,
 * a portal with its dispatcher, and the page driving the browser.
 */
@ExtendWith(LoopbackOnly.class)
abstract class BrowserTest {
  @RegisterExtension static final Chromium chromium = new Chromium();

  Receiver receiver;
  PortalServer server;
  PortalPage page;

  /** The portal the test runs against; by default its dispatcher makes one attempt. */
  PortalServer startServer() {
    return PortalServer.start(RetryPolicy.of());
  }

  @BeforeEach
  void start() {
    receiver = Receiver.start();
    server = startServer();
    page = new PortalPage(chromium, server);
  }

  @AfterEach
  void stop() {
    server.close();
    receiver.close();
  }
}
