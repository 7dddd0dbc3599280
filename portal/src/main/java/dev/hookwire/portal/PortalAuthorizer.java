package dev.hookwire.portal;

import java.util.Optional;

/**
 * Decides whose portal a request is: the host's own authentication (its session cookie, a
 * header its gateway set, the framework's principal from {@link PortalRequest#nativeRequest})
 * mapped to a tenant. Every portal request is scoped to the tenant returned: it sees and changes
 * only endpoints whose {@link dev.hookwire.dispatch.Endpoint#ownerId() ownerId} is that tenant,
 * and their deliveries.
 *
 * <p>Implementations must be thread-safe; the portal calls one for every request, on the server's
 * threads.
 */
@FunctionalInterface
public interface PortalAuthorizer {

  /**
   * Returns the tenant the request acts for, or empty to refuse it (the portal answers 401).
   *
   * @param request the request
   * @return the tenant's id, not blank; or empty
   */
  Optional<String> tenant(PortalRequest request);
}
