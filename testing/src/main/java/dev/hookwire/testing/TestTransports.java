package dev.hookwire.testing;

import dev.hookwire.transport.NetworkPolicy;

/**
 * A network policy for transports in tests: test servers listen on loopback, which it allows.
 * Thread-safe (the policy is immutable).
 */
public final class TestTransports {
  /** A policy that lets requests reach loopback, where test servers listen. */
  public static final NetworkPolicy LOOPBACK_ALLOWED =
      NetworkPolicy.builder().allowPrivateNetworks(true).build();

  private TestTransports() {}
}
