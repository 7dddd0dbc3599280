package dev.hookwire.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.event.WebhookEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tenant who opens another tenant's endpoint by its URL sees "Endpoint not found" and nothing
 * of it; a visitor the host does not know sees "Not signed in".
 */
class TenantIsolationBrowserTest extends BrowserTest {

  @Test
  void anotherTenantsEndpoint_opensAsNotFound_showingNoneOfItsData() throws Exception {
    String endpointId = server.register(PortalServer.endpoint("acme", receiver.url("/acme/private-orders"))
            .description("Acme private orders")
            .header("X-Acme-Account", "acme-account-7731")
            .subscribe("experience.started"))
        .id();
    receiver.answer(200, "acme receiver answer");
    server.dispatcher().send(WebhookEvent.create("experience.started", Map.of("experienceId", "exp_acme")));
    server.awaitAttempts(1);

    page.signIn("globex");
    for (String route : new String[] {"/endpoints/" + endpointId, "/endpoints/" + endpointId + "/edit"}) {
      page.open(route);
      assertThat(page.visible("not-found").getText()).contains("Endpoint not found");
      String shown = page.byTestId("view").getText();
      assertThat(shown).doesNotContain("private-orders", "Acme private orders", "acme-account-7731", "acme receiver answer");
      assertThat(page.driver().getPageSource()).doesNotContain("private-orders", "Acme private orders", "acme-account-7731");
      assertThat(page.byTestId("tenant").getText()).isEqualTo("globex");
      chromium.assertPageHealthy();
    }
    page.open("/");
    page.visible("no-endpoints");
    assertThat(page.driver().getPageSource()).doesNotContain("private-orders");

    // The same address shows the endpoint to its tenant.
    page.signIn("acme");
    page.open("/endpoints/" + endpointId);
    assertThat(page.visible("endpoint-url").getText()).isEqualTo(receiver.url("/acme/private-orders"));
    chromium.assertPageHealthy();
  }

  @Test
  void aVisitorTheHostRefuses_seesNotSignedIn() {
    page.signIn(null);
    page.open("/");
    assertThat(page.visible("not-signed-in").getText()).contains("Not signed in");
    assertThat(page.byTestId("tenant").getText()).isEmpty();
    chromium.assertPageHealthy();
  }
}
