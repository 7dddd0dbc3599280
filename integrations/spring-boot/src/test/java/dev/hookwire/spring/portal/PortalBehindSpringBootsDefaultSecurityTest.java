package dev.hookwire.spring.portal;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.UserDetailsService;

/** With Spring Boot's default security: every path needs a user, by form login or HTTP Basic. */
@SpringBootTest(
    classes = PortalBehindSpringBootsDefaultSecurityTest.Application.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "hookwire.network.allow-private-networks=true",
      PortalBehindSpringSecurity.PROPERTIES_ENABLED
    })
class PortalBehindSpringBootsDefaultSecurityTest extends PortalBehindSpringSecurity {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({OperatorPortal.class, Accounts.class, Elsewhere.class})
  static class Application {
    @Bean
    UserDetailsService userDetailsService() {
      return users();
    }
  }
}
