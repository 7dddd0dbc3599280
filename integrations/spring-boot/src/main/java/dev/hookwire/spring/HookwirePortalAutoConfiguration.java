package dev.hookwire.spring;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.portal.EventType;
import dev.hookwire.portal.Portal;
import dev.hookwire.portal.PortalAuthorizer;
import dev.hookwire.portal.PortalServlet;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Auto-configures the operator portal ({@code hookwire-portal}) in a servlet web application
 * with {@code hookwire.portal.enabled=true}: a {@link PortalServlet} at {@code
 * hookwire.portal.path} (default {@code /hookwire/portal}), serving a {@link Portal} over the
 * application's {@link Dispatcher}, with its {@link PortalAuthorizer} bean, which is required,
 * and every {@link EventType} bean as the catalogue of event types that tenants subscribe to.
 * An application's own {@link Portal} bean replaces the starter's, and is the one served.
 *
 * <p><b>Spring Security.</b> The portal's path is the application's like any other: its
 * authentication and authorization rules apply, and the authorizer reads the user they let in
 * (from the {@code HttpServletRequest}, its {@code getUserPrincipal()}). The portal protects its
 * state-changing calls against cross-site request forgery itself: a token that its page reads
 * from {@code api/session} and sends back in a header, checked against a SameSite=Strict cookie,
 * after refusing requests that the browser marks as cross-site or whose {@code Origin} is
 * another host. Spring Security's own {@code CsrfFilter} would refuse those calls, since it
 * wants its own token, which the portal's page does not know. So the starter contributes a
 * {@code Customizer<CsrfConfigurer<HttpSecurity>>} bean, which Spring Security 7 applies to
 * every {@link HttpSecurity} it hands out, the application's own filter chains and Spring
 * Boot's default alike: it exempts the portal's path from Spring's CSRF check, and from nothing
 * else. This was preferred to a filter chain of the starter's for the path, which would replace
 * the application's authentication there, and to asking every application to add {@code
 * csrf.ignoringRequestMatchers(...)} to its chains, which is easily forgotten and then breaks
 * every change in the portal. A filter chain built without the {@code HttpSecurity} bean does
 * not get the exemption: add {@code .csrf(csrf -> csrf.ignoringRequestMatchers("/hookwire/portal/**"))}
 * to it. The exemption backs off when the application defines a bean named {@code
 * hookwirePortalCsrfCustomizer}. The portal's check relies on the browser's same-origin policy,
 * as Spring's does: do not grant other origins the portal's path in a CORS configuration.
 */
@AutoConfiguration(after = HookwireAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Portal.class, PortalServlet.class})
@ConditionalOnProperty(name = "hookwire.portal.enabled", havingValue = "true")
@EnableConfigurationProperties(HookwireProperties.class)
public class HookwirePortalAutoConfiguration {
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()+,=:@%-]+)+");

  /** For Spring. */
  public HookwirePortalAutoConfiguration() {}

  /**
   * Makes the portal over the application's dispatcher.
   *
   * @param dispatcher the application's dispatcher
   * @param authorizer the application's authorizer
   * @param eventTypes the application's event types, in order
   * @return the portal
   * @throws IllegalStateException if the application has no {@link PortalAuthorizer} bean
   */
  @Bean
  @ConditionalOnMissingBean
  public Portal hookwirePortal(
      Dispatcher dispatcher,
      ObjectProvider<PortalAuthorizer> authorizer,
      ObjectProvider<EventType> eventTypes) {
    PortalAuthorizer tenants = authorizer.getIfAvailable();
    if (tenants == null) {
      throw new IllegalStateException(
          "hookwire.portal.enabled=true, but the application has no PortalAuthorizer bean: declare"
              + " one, such as @Bean PortalAuthorizer portalAuthorizer() { return request -> ...; },"
              + " that maps the user signed in on a request to the tenant whose endpoints they"
              + " manage (or empty to refuse them)");
    }
    return Portal.builder(dispatcher)
        .authorizer(tenants)
        .eventTypes(eventTypes.orderedStream().toList())
        .build();
  }

  /**
   * Serves the portal at {@code hookwire.portal.path}.
   *
   * @param portal the portal
   * @param properties the {@code hookwire.*} settings
   * @return the servlet's registration
   * @throws IllegalStateException if the path is not a path
   */
  @Bean
  public ServletRegistrationBean<PortalServlet> hookwirePortalServlet(
      Portal portal, HookwireProperties properties) {
    ServletRegistrationBean<PortalServlet> registration =
        new ServletRegistrationBean<>(new PortalServlet(portal), path(properties) + "/*");
    registration.setName("hookwirePortal");
    return registration;
  }

  /** The portal's path, without a trailing slash. */
  static String path(HookwireProperties properties) {
    String path = properties.getPortal().getPath();
    String trimmed = path == null ? "" : path.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (!PATH.matcher(trimmed).matches() || trimmed.matches(".*/\\.{1,2}(/.*)?")) {
      throw new IllegalStateException(
          "hookwire.portal.path must be a path below the root, such as /hookwire/portal: \"" + path + "\"");
    }
    return trimmed;
  }

  /** Exempts the portal's path from Spring Security's CSRF check, which the portal does itself. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HttpSecurity.class, CsrfConfigurer.class})
  static class SpringSecurityConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "hookwirePortalCsrfCustomizer")
    Customizer<CsrfConfigurer<HttpSecurity>> hookwirePortalCsrfCustomizer(HookwireProperties properties) {
      RequestMatcher portal = PathPatternRequestMatcher.withDefaults().matcher(path(properties) + "/**");
      return csrf -> csrf.ignoringRequestMatchers(portal);
    }
  }
}
