package dev.hookwire.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.event.WebhookEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * What the page shows comes from strangers: an endpoint's URL, description and headers (typed by
 * a tenant's operator) and a receiver's answer. Markup and {@code javascript:} URLs among them
 * are shown as text, never become elements or links, and never run; and the page is served
 * under a Content-Security-Policy that would refuse inline script anyway.
 */
class UntrustedContentBrowserTest extends BrowserTest {
  static final String HOSTILE_ANSWER =
      "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";
  static final String HOSTILE_DESCRIPTION = "<img src=x onerror=alert(1)>";
  static final String HOSTILE_HEADER = "javascript:alert(1)";
  static final String HOSTILE_PATH = "/hooks/javascript:alert(1)";

  @Test
  void markupAndScriptUrlsFromTheApi_areShownAsText_andNothingRuns() throws Exception {
    String endpointId = server.register(PortalServer.endpoint("acme", receiver.url(HOSTILE_PATH))
            .description(HOSTILE_DESCRIPTION)
            .header("X-Note", HOSTILE_HEADER)
            .subscribe("experience.started"))
        .id();
    receiver.answer(200, HOSTILE_ANSWER);
    server.dispatcher().send(WebhookEvent.create("experience.started", Map.of("name", "<b>bold</b>")));
    server.awaitAttempts(1);
    page.signIn("acme");

    page.open("/");
    WebElement row = page.css("tr[data-endpoint-id='" + endpointId + "']");
    assertThat(row.findElement(By.cssSelector("[data-testid='endpoint-description']")).getText())
        .isEqualTo(HOSTILE_DESCRIPTION);
    WebElement link = row.findElement(By.cssSelector("[data-testid='endpoint-link']"));
    assertThat(link.getText()).isEqualTo(receiver.url(HOSTILE_PATH));
    assertThat(link.getDomAttribute("href")).isEqualTo("#/endpoints/" + endpointId);
    assertNothingRan();

    page.open("/endpoints/" + endpointId);
    assertThat(page.visible("endpoint-url").getText()).isEqualTo(receiver.url(HOSTILE_PATH));
    assertThat(page.byTestId("settings-description").getText()).isEqualTo(HOSTILE_DESCRIPTION);
    assertThat(page.byTestId("settings-headers").getText()).isEqualTo("X-Note: " + HOSTILE_HEADER);
    String deliveryId = page.until(d -> {
      var rows = page.all("delivery-row");
      return rows.isEmpty() ? null : rows.get(0).getAttribute("data-delivery-id");
    });
    page.openDelivery(deliveryId);
    assertThat(page.byTestId("response-snippet").getText()).isEqualTo(HOSTILE_ANSWER);
    assertThat(page.byTestId("response-snippet").getTagName()).isEqualTo("pre");
    assertNothingRan();

    page.open("/endpoints/" + endpointId + "/edit");
    assertThat(page.visible("f-description").getDomProperty("value")).isEqualTo(HOSTILE_DESCRIPTION);
    assertThat(page.byTestId("header-value").getDomProperty("value")).isEqualTo(HOSTILE_HEADER);
    page.type("template", "{\"note\": \"" + HOSTILE_ANSWER.replace("\"", "\\\"") + "\", \"name\": \"{{data.name}}\"}");
    page.click("preview-button");
    page.waitForText("preview-body", "window.__pwned=1");
    assertThat(page.byTestId("preview-body").getText()).contains("<script>window.__pwned=1</script>");
    assertNothingRan();
  }

  @Test
  void everyResponse_carriesAContentSecurityPolicy_withoutUnsafeInline() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (String path : new String[] {"", "assets/portal.js", "assets/portal.css", "api/session"}) {
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create(server.page() + path)).header("Cookie", "tenant=acme").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
      assertThat(csp).as("CSP of /%s", path)
          .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
    }
  }

  /** No element was made from the data, no script of it ran, and the page kept its policy. */
  void assertNothingRan() {
    assertThat(page.driver().findElements(By.tagName("img"))).as("img elements").isEmpty();
    assertThat(page.script("return document.scripts.length;")).as("script elements").isEqualTo(1L);
    assertThat(page.script("return typeof window.__pwned;")).isEqualTo("undefined");
    assertThat(page.driver().findElements(By.cssSelector("a[href^='javascript'], [onerror], [onload], [onclick]")))
        .isEmpty();
    chromium.assertPageHealthy();
  }
}
