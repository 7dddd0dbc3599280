package dev.hookwire.transport;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * Which destinations webhooks may be sent to: the guard against server-side request forgery.
 *
 * <p>By default, destinations that resolve to loopback, private (RFC 1918, RFC 4193 unique
 * local), link-local (including cloud metadata addresses such as 169.254.169.254), multicast,
 * unspecified or otherwise non-public addresses are refused, because an endpoint URL usually
 * comes from a user and must not reach the host's own network. Tests and local examples build a
 * policy with {@link Builder#allowPrivateNetworks(boolean)}. The check runs when an endpoint is
 * registered and again when a connection is made, since DNS answers can change.
 *
 * <p>Immutable and thread-safe.
 */
public final class NetworkPolicy {
  private static final NetworkPolicy DEFAULTS = new Builder().build();

  private final boolean allowPrivateNetworks;
  private final boolean httpsOnly;

  private NetworkPolicy(Builder builder) {
    this.allowPrivateNetworks = builder.allowPrivateNetworks;
    this.httpsOnly = builder.httpsOnly;
  }

  /**
   * Returns the default policy: public destinations only, {@code http} and {@code https}.
   *
   * @return the default policy
   */
  public static NetworkPolicy ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Starts a policy.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns whether private, loopback and link-local destinations are allowed.
   *
   * @return true if allowed
   */
  public boolean allowsPrivateNetworks() {
    return allowPrivateNetworks;
  }

  /**
   * Returns whether plain {@code http} URLs are refused.
   *
   * @return true if only {@code https} is allowed
   */
  public boolean httpsOnly() {
    return httpsOnly;
  }

  /**
   * Checks a URL's scheme and, if its host is an IP literal, that address.
   *
   * @param url the destination
   * @throws DestinationRefusedException if the policy refuses it; the message says why
   */
  public void checkUrl(URI url) throws DestinationRefusedException {
    NetworkChecks.checkUrl(this, url);
  }

  /**
   * Checks the addresses a host name resolved to. All must be allowed: a name that resolves to
   * one public and one private address is refused.
   *
   * @param host the host name, for the message
   * @param addresses the resolved addresses
   * @throws DestinationRefusedException if any address is refused
   */
  public void checkAddresses(String host, List<InetAddress> addresses)
      throws DestinationRefusedException {
    NetworkChecks.checkAddresses(this, host, addresses);
  }

  /**
   * Returns whether an address is public: not loopback, private, link-local, multicast,
   * unspecified, carrier-grade NAT, documentation or otherwise reserved.
   *
   * @param address the address
   * @return true if it is a public unicast address
   */
  public static boolean isPublic(InetAddress address) {
    return NetworkChecks.isPublic(address);
  }

  @Override
  public String toString() {
    return "NetworkPolicy[allowPrivateNetworks=" + allowPrivateNetworks + ", httpsOnly=" + httpsOnly + "]";
  }

  /** Builds a {@link NetworkPolicy}. Not thread-safe. */
  public static final class Builder {
    private boolean allowPrivateNetworks;
    private boolean httpsOnly;

    private Builder() {}

    /**
     * Allows loopback, private and link-local destinations. Default false. Turn on for tests,
     * local development, and hosts whose endpoints are all trusted and internal.
     *
     * @param allow whether to allow them
     * @return this builder
     */
    public Builder allowPrivateNetworks(boolean allow) {
      this.allowPrivateNetworks = allow;
      return this;
    }

    /**
     * Refuses plain {@code http} URLs. Default false.
     *
     * @param httpsOnly whether to refuse {@code http}
     * @return this builder
     */
    public Builder httpsOnly(boolean httpsOnly) {
      this.httpsOnly = httpsOnly;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return an immutable policy
     */
    public NetworkPolicy build() {
      return new NetworkPolicy(this);
    }
  }
}
