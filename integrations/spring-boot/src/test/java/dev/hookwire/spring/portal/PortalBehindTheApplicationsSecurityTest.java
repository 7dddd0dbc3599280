package dev.hookwire.spring.portal;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

/**
 * With a security filter chain of the application's own, which says nothing about the portal or
 * about CSRF: the portal's path is still exempt from Spring's CSRF check only.
 */
@SpringBootTest(
    classes = PortalBehindTheApplicationsSecurityTest.Application.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "hookwire.network.allow-private-networks=true",
      PortalBehindSpringSecurity.PROPERTIES_ENABLED
    })
class PortalBehindTheApplicationsSecurityTest extends PortalBehindSpringSecurity {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({OperatorPortal.class, Accounts.class, Elsewhere.class})
  static class Application {
    @Bean
    UserDetailsService userDetailsService() {
      return users();
    }

    @Bean
    SecurityFilterChain applicationSecurity(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().hasRole("OPERATOR"))
          .httpBasic(Customizer.withDefaults())
          .build();
    }
  }
}
