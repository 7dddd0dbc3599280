package dev.hookwire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.portal.EventType;
import dev.hookwire.portal.Portal;
import dev.hookwire.portal.PortalAuthorizer;
import dev.hookwire.portal.PortalServlet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class HookwirePortalAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(HookwireAutoConfiguration.class, HookwirePortalAutoConfiguration.class));

  @Test
  void enabled_servesThePortalAtTheDefaultPath_withTheApplicationsAuthorizerAndEventTypes() throws Exception {
    try (ConfigurableApplicationContext app = start(HeaderTenants.class, "hookwire.portal.enabled=true")) {
      HttpResponse<String> session = get(app, "/hookwire/portal/api/session", "acme");
      HttpResponse<String> eventTypes = get(app, "/hookwire/portal/api/event-types", "acme");
      HttpResponse<String> anonymous = get(app, "/hookwire/portal/api/session", null);
      HttpResponse<String> page = get(app, "/hookwire/portal/", "acme");
      ServletRegistrationBean<?> registration = app.getBean("hookwirePortalServlet", ServletRegistrationBean.class);

      assertThat(registration.getServlet()).isInstanceOf(PortalServlet.class);
      assertThat(registration.getUrlMappings()).containsExactly("/hookwire/portal/*");
      assertThat(session.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(session.body()).path("tenant").asText()).isEqualTo("acme");
      assertThat(names(JSON.readTree(eventTypes.body())))
          .containsExactly("experience.started", "experience.ended");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    }
  }

  @Test
  void aCustomPath_isWhereThePortalIs() throws Exception {
    try (ConfigurableApplicationContext app =
        start(HeaderTenants.class, "hookwire.portal.enabled=true", "hookwire.portal.path=/ops/webhooks/")) {
      HttpResponse<String> session = get(app, "/ops/webhooks/api/session", "acme");
      HttpResponse<String> mount = get(app, "/ops/webhooks", "acme");
      HttpResponse<String> defaultPath = get(app, "/hookwire/portal/api/session", "acme");

      assertThat(session.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(session.body()).path("tenant").asText()).isEqualTo("acme");
      assertThat(session.headers().allValues("Set-Cookie"))
          .anySatisfy(cookie -> assertThat(cookie).contains("Path=/ops/webhooks/"));
      assertThat(mount.statusCode()).isEqualTo(302);
      assertThat(mount.headers().firstValue("Location")).contains("/ops/webhooks/");
      assertThat(defaultPath.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void disabled_byDefault_servesNothing() throws Exception {
    try (ConfigurableApplicationContext app = start(HeaderTenants.class)) {
      assertThat(app.getBeansOfType(Portal.class)).isEmpty();
      assertThat(app.containsBean("hookwirePortalServlet")).isFalse();
      assertThat(get(app, "/hookwire/portal/api/session", "acme").statusCode()).isEqualTo(404);
      assertThat(get(app, "/hookwire/portal/", "acme").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void enabledWithoutAnAuthorizer_failsTheStart_sayingToDeclareOne() {
    runner
        .withPropertyValues("hookwire.portal.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("hookwire.portal.enabled=true")
                    .hasMessageContaining("no PortalAuthorizer bean: declare one"));
  }

  @Test
  void theApplicationsOwnPortal_isTheOneServed_withoutAnAuthorizerBean() throws Exception {
    try (ConfigurableApplicationContext app = start(OwnPortal.class, "hookwire.portal.enabled=true")) {
      assertThat(app.getBeansOfType(Portal.class)).containsOnlyKeys("ownPortal");

      HttpResponse<String> session = get(app, "/hookwire/portal/api/session", null);

      assertThat(session.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(session.body()).path("tenant").asText()).isEqualTo("own");
    }
  }

  @Test
  void aPathThatIsNotAPath_failsTheStart_namingTheSetting() {
    for (String path : List.of("", "/", "hookwire", "/hookwire/*", "/a/../b", "/a b")) {
      runner
          .withUserConfiguration(HeaderTenants.class)
          .withPropertyValues("hookwire.portal.enabled=true", "hookwire.portal.path=" + path)
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .as(path)
                      .rootCause()
                      .hasMessageContaining("hookwire.portal.path must be a path below the root"));
    }
  }

  @Test
  void withoutHookwirePortal_orOutsideAServletApplication_thereIsNoPortal() {
    runner
        .withUserConfiguration(HeaderTenants.class)
        .withPropertyValues("hookwire.portal.enabled=true")
        .withClassLoader(new FilteredClassLoader(Portal.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(Dispatcher.class);
              assertThat(context).doesNotHaveBean("hookwirePortalServlet");
            });
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(HookwireAutoConfiguration.class, HookwirePortalAutoConfiguration.class))
        .withUserConfiguration(HeaderTenants.class)
        .withPropertyValues("hookwire.portal.enabled=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(Portal.class);
            });
  }

  @Test
  void theSettings_haveConfigurationMetadata() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("\"hookwire.portal.enabled\"", "\"hookwire.portal.path\"");
    }
  }

  /** Starts a servlet application on loopback with the starter and the host's configuration. */
  private static ConfigurableApplicationContext start(Class<?> host, String... properties) {
    return new SpringApplicationBuilder(WebApplication.class, host)
        .web(WebApplicationType.SERVLET)
        .logStartupInfo(false)
        .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
        .properties(properties)
        .run();
  }

  private HttpResponse<String> get(ConfigurableApplicationContext app, String path, String tenant)
      throws IOException, InterruptedException {
    int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT);
    if (tenant != null) {
      request.header("X-Tenant", tenant);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> names(JsonNode eventTypes) {
    List<String> names = new ArrayList<>();
    eventTypes.forEach(type -> names.add(type.path("name").asText()));
    return names;
  }

  /** A servlet application: Tomcat, Spring MVC's dispatcher servlet, and the starter. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
    TomcatServletWebServerAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    HookwireAutoConfiguration.class,
    HookwirePortalAutoConfiguration.class
  })
  static class WebApplication {}

  /**
   * A host whose gateway has authenticated the user and names their tenant in a header; two
   * event types, in order.
   */
  @Configuration(proxyBeanMethods = false)
  static class HeaderTenants {
    @Bean
    PortalAuthorizer portalAuthorizer() {
      return request -> request.header("X-Tenant");
    }

    @Bean
    @Order(2)
    EventType experienceEnded() {
      return EventType.of("experience.ended", "An experience ended", "{\"experienceId\":\"exp_1\"}");
    }

    @Bean
    @Order(1)
    EventType experienceStarted() {
      return EventType.of("experience.started", "An experience went live", "{\"experienceId\":\"exp_1\"}");
    }
  }

  /** A host that makes its portal itself. */
  @Configuration(proxyBeanMethods = false)
  static class OwnPortal {
    @Bean
    Portal ownPortal(Dispatcher dispatcher) {
      return Portal.builder(dispatcher).authorizer(request -> java.util.Optional.of("own")).build();
    }
  }
}
