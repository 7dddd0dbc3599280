package dev.hookwire.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The guard every test runs under: names resolve from the hosts file, connections stay local. */
class LoopbackOnlyTest {

  @Test
  void namesResolveFromTheTestHostsFile_only() throws Exception {
    assumeTrue(System.getProperty("jdk.net.hosts.file") != null, "run by Maven, with the hosts file");
    assertThat(InetAddress.getByName("loopback-alias.test").isLoopbackAddress()).isTrue();
    // Fails at once, from the file: no DNS query is sent.
    assertThatThrownBy(() -> InetAddress.getByName("example.com")).isInstanceOf(UnknownHostException.class);
  }

  @SuppressWarnings("removal")
  @Test
  void aConnectionBeyondLoopback_isRefusedBeforeAPacketLeaves() throws Exception {
    assumeTrue(System.getSecurityManager() != null, "a JDK with the connection hook");
    try (Socket socket = new Socket()) {
      // 192.0.2.1 (TEST-NET-1) would never answer; the guard refuses before the SYN.
      assertThatThrownBy(() -> socket.connect(new InetSocketAddress("192.0.2.1", 80), 1_000))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("loopback only");
    } finally {
      // Taken here, so that the extension does not fail this test after it.
      assertThat(LoopbackOnly.takeViolations()).containsExactly("192.0.2.1:80");
    }
    assertThat(LoopbackOnly.isLoopback("127.0.0.1")).isTrue();
    assertThat(LoopbackOnly.isLoopback("localhost")).isTrue();
    assertThat(LoopbackOnly.isLoopback("10.0.0.1")).isFalse();
  }
}
