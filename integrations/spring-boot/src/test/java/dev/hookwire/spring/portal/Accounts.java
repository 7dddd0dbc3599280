package dev.hookwire.spring.portal;

import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The application's accounts: which tenant each user works for. Thread-safe. */
@Component
public class Accounts {
  private final Map<String, String> tenantOfUser = Map.of("ana", "acme", "bo", "globex");

  /**
   * Returns the tenant a user works for.
   *
   * @param user the user's name
   * @return the tenant, or empty for a user of none
   */
  public Optional<String> tenantOf(String user) {
    return Optional.ofNullable(tenantOfUser.get(user));
  }
}
