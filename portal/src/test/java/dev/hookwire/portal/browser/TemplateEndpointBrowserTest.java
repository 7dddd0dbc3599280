package dev.hookwire.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookwire.dispatch.RetryPolicy;
import dev.hookwire.portal.Receiver;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * An operator makes an endpoint with a payload template through the form, previews the template,
 * saves, and sends a test event: the log shows the attempt, and the receiver got the rendered
 * template.
 */
class TemplateEndpointBrowserTest extends BrowserTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TEMPLATE =
      "{\n"
          + "\"kind\": \"{{event.type}}\",\n"
          + "\"experience\": \"{{data.experienceId}}\",\n"
          + "\"title\": \"Started: {{data.name}}\",\n"
          + "\"firstVariant\": \"{{data.variants[0].name}}\",\n"
          + "\"sentAtMs\": \"{{event.timestamp_ms}}\"\n"
          + "}";

  @Override
  PortalServer startServer() {
    return PortalServer.start(RetryPolicy.of(Duration.ofMillis(200)).withJitter(0));
  }

  @Test
  void anEndpointMadeFromATemplate_previewsIt_receivesTheRenderedBody_andLogsTheTestEvent() throws Exception {
    page.signIn("acme");
    page.open("/");
    page.visible("no-endpoints");
    page.click("add-endpoint");
    page.visible("endpoint-form");

    page.type("f-url", receiver.url("/hooks/experiments"));
    page.type("f-description", "Experiments to the warehouse");
    page.click("event-all"); // off: only the chosen types
    page.css("input[data-event-type='experience.started']").click();

    // A template that is not JSON: the preview says where.
    page.type("template", "{\n\"kind\": \"{{event.type}}\",\noops\n}");
    page.choose("preview-event-type", "experience.started");
    page.click("preview-button");
    page.visible("preview-error");
    assertThat(page.byTestId("preview-error-location").getText()).startsWith("Line 3, column");
    assertThat(page.byTestId("preview-body").isDisplayed()).isFalse();

    page.type("template", TEMPLATE);
    page.click("preview-button");
    page.waitForText("preview-body", "exp_8f2c41");
    JsonNode preview = JSON.readTree(page.byTestId("preview-body").getText());
    assertThat(preview.get("kind").asText()).isEqualTo("experience.started");
    assertThat(preview.get("title").asText()).isEqualTo("Started: Free shipping over $50");
    assertThat(preview.get("firstVariant").asText()).isEqualTo("control");
    assertThat(preview.get("sentAtMs").isNumber()).as("a lone placeholder keeps its type").isTrue();
    assertThat(page.byTestId("preview-error").isDisplayed()).isFalse();

    page.click("save");
    WebElement detail = page.visible("endpoint-detail");
    String endpointId = detail.getAttribute("data-endpoint-id");
    assertThat(endpointId).isEqualTo(server.onlyEndpointOf("acme"));
    assertThat(page.byTestId("endpoint-url").getText()).isEqualTo(receiver.url("/hooks/experiments"));
    assertThat(page.byTestId("settings-event-types").getText()).isEqualTo("experience.started");
    assertThat(page.byTestId("settings-template").getText()).contains("{{data.variants[0].name}}");

    page.choose("test-event-type", "experience.started");
    page.click("send-test");
    page.until(ExpectedConditions.attributeToBe(By.id("test-result"), "data-state", "SUCCEEDED"));
    String deliveryId = page.byTestId("test-result").getAttribute("data-delivery-id");
    WebElement row = page.awaitDeliveryState(deliveryId, "SUCCEEDED");
    assertThat(row.findElement(By.cssSelector("[data-testid='delivery-status']")).getText()).isEqualTo("200");
    assertThat(row.findElement(By.cssSelector("[data-testid='delivery-attempts']")).getText()).isEqualTo("1");
    page.openDelivery(deliveryId);
    assertThat(page.css("[data-testid='attempt'][data-attempt-number='1'] [data-testid='attempt-status']").getText())
        .isEqualTo("HTTP 200");

    Receiver.Request request = receiver.next();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/hooks/experiments");
    assertThat(request.header("webhook-signature")).as("signed").isNotBlank();
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.get("kind").asText()).isEqualTo("experience.started");
    assertThat(body.get("experience").asText()).isEqualTo("exp_8f2c41");
    assertThat(body.get("title").asText()).isEqualTo("Started: Free shipping over $50");
    assertThat(body.get("firstVariant").asText()).isEqualTo("control");
    assertThat(body.get("sentAtMs").isNumber()).isTrue();
    assertThat(body.size()).as("only the template's fields").isEqualTo(5);
    chromium.assertPageHealthy();
  }
}
