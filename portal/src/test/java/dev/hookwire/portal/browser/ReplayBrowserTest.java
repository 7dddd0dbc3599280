package dev.hookwire.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.event.WebhookEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A receiver that fails makes a delivery die after its retries; once the receiver is back, the
 * operator replays it from the log and sees it succeed, and recovers the rest in one action.
 */
class ReplayBrowserTest extends BrowserTest {
  /** Three attempts, 200 ms apart: a delivery dies within a second. */
  static final RetryPolicy THREE_QUICK_ATTEMPTS =
      RetryPolicy.of(Duration.ofMillis(200), Duration.ofMillis(200)).withJitter(0);

  @Override
  PortalServer startServer() {
    return PortalServer.start(THREE_QUICK_ATTEMPTS);
  }

  @Test
  void aDeliveryThatDied_isReplayedFromTheLog_andSucceeds_andRecoverReplaysTheOthers() throws Exception {
    String endpointId = server.register(PortalServer.endpoint("acme", receiver.url("/hooks/flaky"))
            .description("Flaky consumer")
            .subscribe("experience.started"))
        .id();
    receiver.answer(500, "upstream down");
    page.signIn("acme");
    page.open("/endpoints/" + endpointId);

    page.choose("test-event-type", "experience.started");
    page.click("send-test");
    page.until(ExpectedConditions.attributeToBe(By.id("test-result"), "data-state", "DEAD"));
    String deliveryId = page.byTestId("test-result").getAttribute("data-delivery-id");
    WebElement dead = page.awaitDeliveryState(deliveryId, "DEAD");
    assertThat(dead.findElement(By.cssSelector("[data-testid='delivery-attempts']")).getText()).isEqualTo("3");
    assertThat(dead.findElement(By.cssSelector("[data-testid='delivery-status']")).getText()).isEqualTo("500");

    page.openDelivery(deliveryId);
    List<String> statuses = page.until(d -> {
      List<String> s = page.all("attempt-status").stream().map(WebElement::getText).toList();
      return s.size() == 3 ? s : null;
    });
    assertThat(statuses).containsOnly("HTTP 500");
    assertThat(page.all("response-snippet")).first().extracting(WebElement::getText).isEqualTo("upstream down");

    receiver.answer(200, "ok");
    page.click("replay");
    page.waitForText("replay-result", "Replay scheduled.");
    WebElement replayed = page.awaitDeliveryState(deliveryId, "SUCCEEDED");
    assertThat(replayed.findElement(By.cssSelector("[data-testid='delivery-status']")).getText()).isEqualTo("200");
    // The replay's attempt follows the three that failed (a replay counts its attempts anew).
    List<String> after = page.until(d -> {
      List<String> s = page.all("attempt-status").stream().map(WebElement::getText).toList();
      return s.size() == 4 ? s : null;
    });
    assertThat(after).containsExactly("HTTP 500", "HTTP 500", "HTTP 500", "HTTP 200");
    assertThat(page.all("replay-mark")).hasSize(1);
    assertThat(page.all("replay")).as("no replay for a delivery that succeeded").isEmpty();
    for (int i = 0; i < 4; i++) {
      receiver.next();
    }

    // Two more die while the receiver is down; one action replays both.
    receiver.answer(503, "maintenance");
    server.dispatcher().send(WebhookEvent.create("experience.started", Map.of("experienceId", "exp_2")));
    server.dispatcher().send(WebhookEvent.create("experience.started", Map.of("experienceId", "exp_3")));
    server.awaitAttempts(4 + 6);
    page.choose("filter-state", "DEAD");
    page.applyFiltersUntilRows(2);
    receiver.answer(200, "ok");
    page.click("recover");
    page.waitForText("recover-result", "Replaying 2 failed deliveries.");
    server.awaitAttempts(2);
    page.choose("filter-state", "SUCCEEDED");
    page.applyFiltersUntilRows(3);
    chromium.assertPageHealthy();
  }
}
