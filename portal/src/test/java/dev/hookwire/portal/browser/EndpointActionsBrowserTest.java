package dev.hookwire.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.Authentication;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.Secrets;
import dev.hookwire.signature.SignatureScheme;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The endpoint page's other actions, each checked against the dispatcher: reveal and rotate the
 * secret, disable and enable, edit keeping the credentials, page through the log, delete.
 */
class EndpointActionsBrowserTest extends BrowserTest {

  @Test
  void secretStateEditPagingAndDelete_actOnTheDispatchersEndpoint() throws Exception {
    String secret = Secrets.newStandardSecret();
    String id = server.register(Endpoint.builder(receiver.url("/hooks/ops"))
            .ownerId("acme")
            .signing(SignatureScheme.standardWebhooks(), secret)
            .authentication(Authentication.basic("ops", "s3cret"))
            .description("Operations feed"))
        .id();
    for (int i = 0; i < 30; i++) {
      server.dispatcher().send(WebhookEvent.create("goal.achieved", Map.of("n", i)));
    }
    server.awaitAttempts(30);
    page.signIn("acme");
    page.open("/endpoints/" + id);

    assertThat(page.visible("secret-value").getText()).doesNotContain("whsec_");
    page.click("reveal-secret");
    page.until(d -> page.byTestId("secret-value").getText().equals(secret));
    page.click("rotate-secret");
    page.confirm();
    page.waitForText("secret-result", "New secret in use.");
    String rotated = page.byTestId("secret-value").getText();
    assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
    page.click("reveal-secret"); // hide
    page.click("reveal-secret"); // and reveal what is now current
    page.until(d -> page.byTestId("secret-value").getText().equals(rotated));

    page.click("toggle-enabled");
    page.until(d -> page.byTestId("endpoint-status").getText().equals("Disabled"));
    assertThat(server.endpointById(id).orElseThrow().enabled()).isFalse();
    page.click("toggle-enabled");
    page.until(d -> page.byTestId("endpoint-status").getText().equals("Enabled"));
    assertThat(server.endpointById(id).orElseThrow().enabled()).isTrue();

    page.until(d -> page.all("delivery-row").size() == 25);
    page.click("load-more");
    page.until(d -> page.all("delivery-row").size() == 30);
    assertThat(page.byTestId("load-more").isDisplayed()).isFalse();

    page.click("edit-endpoint");
    assertThat(page.visible("auth-keep").isSelected()).isTrue();
    page.type("f-description", "Operations feed, EU");
    page.click("add-header");
    page.css("[data-testid='header-row']:last-child [data-testid='header-name']").sendKeys("X-Region");
    page.css("[data-testid='header-row']:last-child [data-testid='header-value']").sendKeys("eu-west");
    page.click("save");
    page.waitForText("settings-description", "Operations feed, EU");
    assertThat(page.byTestId("settings-headers").getText()).isEqualTo("X-Region: eu-west");
    assertThat(page.byTestId("settings-auth").getText()).isEqualTo("Basic, user ops");
    Endpoint edited = server.endpointById(id).orElseThrow();
    assertThat(edited.description()).isEqualTo("Operations feed, EU");
    assertThat(edited.headers()).containsEntry("X-Region", "eu-west");
    assertThat(edited.authentication()).contains(Authentication.basic("ops", "s3cret"));

    page.click("delete-endpoint");
    page.confirm();
    page.visible("no-endpoints");
    assertThat(page.byTestId("notice").getText()).isEqualTo("Endpoint deleted.");
    assertThat(server.endpointById(id)).isEmpty();
    chromium.assertPageHealthy();
  }
}
