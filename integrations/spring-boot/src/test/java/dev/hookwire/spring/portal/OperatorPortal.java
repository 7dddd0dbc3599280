package dev.hookwire.spring.portal;

// The README's block on the portal in a Spring Boot application: the regions tagged
// portal-spring, word for word. PortalBehindSpringSecurityTest runs it, with these properties.

// tag::portal-spring[]
import dev.hookwire.portal.EventType;
import dev.hookwire.portal.PortalAuthorizer;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
// end::portal-spring[]

// tag::portal-spring[]
// application.properties:
//   hookwire.portal.enabled=true
//   hookwire.portal.path=/hookwire/portal      (the default; your security applies to it)
@Configuration
class OperatorPortal {
  @Bean   // whose portal a request is: the tenant of the user your security signed in
  PortalAuthorizer portalAuthorizer(Accounts accounts) {
    return request -> request.nativeRequest(HttpServletRequest.class)
        .map(HttpServletRequest::getUserPrincipal)
        .flatMap(user -> accounts.tenantOf(user.getName()));   // yours: user -> tenant
  }

  @Bean   // each EventType bean is in the catalogue tenants subscribe from
  EventType experienceStarted() {
    return EventType.of("experience.started", "An experience went live",
        "{\"experienceId\":\"exp_8c1f\",\"name\":\"Free shipping over $50\"}");
  }
}
// end::portal-spring[]
