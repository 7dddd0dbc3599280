package dev.hookwire.dispatch;

import dev.hookwire.transport.DestinationRefusedException;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.Transport;
import dev.hookwire.transport.TransportRequest;
import dev.hookwire.transport.TransportResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The checks a new destination passes before it is stored: the network policy (no private or
 * loopback address unless allowed) and, where asked for, a HEAD request that must be answered.
 * Thread-safe.
 */
final class DestinationCheck {
  private final NetworkPolicy networkPolicy;
  private final Transport transport;
  private final Duration timeout;

  DestinationCheck(NetworkPolicy networkPolicy, Transport transport, Duration timeout) {
    this.networkPolicy = networkPolicy;
    this.transport = transport;
    this.timeout = timeout;
  }

  void check(Endpoint endpoint) {
    try {
      networkPolicy.checkUrl(endpoint.uri());
      if (!networkPolicy.allowsPrivateNetworks()) {
        String host = endpoint.uri().getHost();
        List<InetAddress> addresses;
        try {
          addresses = Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
          throw new EndpointValidationException(
              EndpointValidationException.Check.REACHABILITY,
              "endpoint " + endpoint.url() + ": host " + host + " does not resolve",
              e);
        }
        networkPolicy.checkAddresses(host, addresses);
      }
    } catch (DestinationRefusedException e) {
      throw new EndpointValidationException(
          EndpointValidationException.Check.DESTINATION,
          "endpoint " + endpoint.url() + " refused by the network policy: " + e.getMessage(),
          e);
    }
    boolean head =
        endpoint.verifyOnRegistration().orElse("https".equalsIgnoreCase(endpoint.uri().getScheme()));
    if (!head) {
      return;
    }
    Duration limit = endpoint.timeout().orElse(timeout);
    TransportRequest request =
        new TransportRequest("HEAD", endpoint.uri(), endpoint.requestHeaders(), new byte[0], limit);
    TransportResponse response;
    try {
      response = transport.send(request).get(limit.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String hint =
          cause instanceof SSLException
              ? " (the TLS certificate is not valid for this host, or not trusted)"
              : "";
      throw new EndpointValidationException(
          cause instanceof DestinationRefusedException
              ? EndpointValidationException.Check.DESTINATION
              : EndpointValidationException.Check.REACHABILITY,
          "endpoint " + endpoint.url() + ": HEAD request failed: " + cause + hint,
          cause);
    } catch (TimeoutException e) {
      throw new EndpointValidationException(
          EndpointValidationException.Check.REACHABILITY,
          "endpoint " + endpoint.url() + ": HEAD request timed out",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EndpointValidationException(
          EndpointValidationException.Check.REACHABILITY, "interrupted while checking " + endpoint.url(), e);
    }
    int status = response.status();
    // Without a status of its own, the check asks only that a server answers over a valid
    // certificate: a receiver that takes POST alone commonly answers HEAD with 404 or 405. A 5xx
    // says no working receiver is there now.
    boolean accepted =
        endpoint.registrationStatus().isPresent()
            ? status == endpoint.registrationStatus().getAsInt()
            : status < 500;
    if (!accepted) {
      String wanted =
          endpoint.registrationStatus().isPresent()
              ? "exactly " + endpoint.registrationStatus().getAsInt()
              : "with a status below 500";
      throw new EndpointValidationException(
          EndpointValidationException.Check.STATUS,
          "endpoint " + endpoint.url() + " answered HEAD with " + status
              + "; it must answer " + wanted + " to be registered (or set verifyOnRegistration(false))",
          null);
    }
  }
}
