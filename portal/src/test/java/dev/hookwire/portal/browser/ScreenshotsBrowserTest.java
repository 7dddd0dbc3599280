package dev.hookwire.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The portal's main views, with a day of traffic behind them, saved as PNG files: the endpoint
 * list, the form with a template preview, and an endpoint with its chart, log and a failed
 * delivery's attempts. They land in {@code target/screenshots/}, and in the directory that
 * {@code -Dhookwire.screenshots.dir} names (the project's {@code docs/portal/} when the pictures
 * are renewed).
 */
class ScreenshotsBrowserTest extends BrowserTest {
  /** Deliveries per hour over the last day, oldest first: a quiet night, a busy afternoon. */
  static final int[] PER_HOUR = {2, 1, 1, 0, 1, 2, 3, 5, 7, 8, 9, 8, 6, 8, 9, 10, 9, 7, 6, 5, 4, 3, 3, 2};
  /** Of which failed: a receiver outage in the afternoon, and a few strays. */
  static final int[] FAILED = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 3, 4, 2, 0, 0, 1, 0, 0, 0, 0, 0};

  final Instant now = Instant.now();
  final MutableClock clock = MutableClock.at(now.minus(Duration.ofDays(1)));
  @Override
  PortalServer startServer() {
    return PortalServer.start(RetryPolicy.of(), clock);
  }

  @Test
  void theListTheFormAndAnEndpoint_withADayOfDeliveries() throws Exception {
    String warehouse = server.register(PortalServer.endpoint("acme", receiver.url("/hooks/warehouse"))
            .description("Experiment results to the data warehouse")
            .header("X-Source", "hookwire"))
        .id();
    server.register(PortalServer.endpoint("acme", receiver.url("/hooks/slack/growth"))
        .description("Launch notices for #growth")
        .subscribe("experience.ended"));
    String crm = server.register(PortalServer.endpoint("acme", receiver.url("/hooks/crm/conversions"))
            .method("PUT")
            .description("Goal conversions to the CRM")
            .subscribe("goal.achieved"))
        .id();
    server.dispatcher().disable(crm);
    server.register(PortalServer.endpoint("globex", receiver.url("/hooks/globex"))
        .description("Another tenant's")
        .subscribe("experience.ended"));
    int sent = seedTheLastDay();

    page.signIn("acme");
    page.open("/");
    assertThat(page.visible("endpoints-table").getText()).doesNotContain("Another tenant's");
    assertThat(page.all("endpoint-row")).hasSize(3);
    chromium.screenshot("portal-endpoints");

    page.open("/endpoints/" + warehouse + "/edit");
    page.click("event-all");
    page.css("input[data-event-type='experience.started']").click();
    page.css("input[data-event-type='goal.achieved']").click();
    page.type("template",
        "{\n"
            + "  \"source\": \"experiments\",\n"
            + "  \"kind\": \"{{event.type}}\",\n"
            + "  \"at\": \"{{event.timestamp_ms}}\",\n"
            + "  \"experience\": {\n"
            + "    \"id\": \"{{data.experienceId}}\",\n"
            + "    \"title\": \"{{data.name}}\",\n"
            + "    \"variants\": \"{{data.variants}}\"\n"
            + "  }\n"
            + "}");
    page.choose("preview-event-type", "experience.started");
    page.click("preview-button");
    page.waitForText("preview-body", "free_shipping");
    chromium.screenshot("portal-endpoint-form");

    page.open("/endpoints/" + warehouse);
    page.until(d -> page.all("chart-hour").size() == 24);
    page.until(d -> page.byTestId("stat-volume").getText().equals(String.valueOf(sent)));
    assertThat(page.byTestId("chart-summary").getText())
        .startsWith("Last 24 hours: " + sent + " attempts");
    int failed = page.all("chart-hour").stream().mapToInt(h -> Integer.parseInt(h.getAttribute("data-failed"))).sum();
    assertThat(failed).isEqualTo(sum(FAILED));
    assertThat(page.byTestId("stat-success-rate").getText()).endsWith("%");
    WebElement dead = page.css("tr[data-testid='delivery-row'][data-state='DEAD']");
    page.openDelivery(dead.getAttribute("data-delivery-id"));
    page.visible("replay");
    chromium.screenshot("portal-endpoint-detail");
    chromium.assertPageHealthy();
  }

  /**
   * Sends the day's events to the warehouse endpoint, each at its time on the test's clock (which
   * only moves forward), with the receiver failing the ones that fail.
   *
   * @return the number of attempts made
   */
  int seedTheLastDay() throws InterruptedException {
    record Planned(Instant at, boolean fails) {}
    Instant thisHour = now.truncatedTo(ChronoUnit.HOURS);
    List<Planned> plan = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      Instant hour = thisHour.minus(Duration.ofHours(23 - h));
      int n = PER_HOUR[h];
      for (int i = 0; i < n; i++) {
        Instant at = hour.plus(Duration.ofSeconds(60L * (3 + 55L * i / n) + 17L * i));
        plan.add(new Planned(at.isAfter(now) ? now.minusSeconds(n - i) : at, i >= n - FAILED[h]));
      }
    }
    plan.sort(Comparator.comparing(Planned::at));
    String[] types = {"experience.started", "goal.achieved", "experience.started"};
    for (int i = 0; i < plan.size(); i++) {
      clock.set(plan.get(i).at());
      if (plan.get(i).fails()) {
        receiver.answer(503, "{\"error\":\"loader_busy\",\"message\":\"The warehouse loader is at capacity; retry later.\"}");
      } else {
        receiver.answer(200, "{\"accepted\":true}");
      }
      String type = types[i % types.length];
      Map<String, Object> data = type.equals("goal.achieved")
          ? Map.of("goal", "checkout_completed", "unit", "u_" + (1800 + i), "value", 20 + i % 50)
          : Map.of("experienceId", "exp_8f2c41", "name", "Free shipping over $50");
      server.dispatcher().send(WebhookEvent.create(type, data, clock));
      server.awaitAttempts(1);
    }
    clock.set(now);
    return plan.size();
  }

  static int sum(int[] values) {
    int s = 0;
    for (int v : values) {
      s += v;
    }
    return s;
  }
}
