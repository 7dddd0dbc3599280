package dev.hookwire.portal.browser;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal's page in the test's browser, addressed by the {@code id} and {@code data-testid}
 * attributes the page gives what tests touch. Every lookup waits for its element (up to {@link
 * Chromium#PATIENCE}), as the page renders after its API calls answer. Not thread-safe.
 */
final class PortalPage {
  private final ChromeDriver driver;
  private final PortalServer server;
  private final WebDriverWait wait;

  PortalPage(Chromium chromium, PortalServer server) {
    this.driver = chromium.driver();
    this.server = server;
    // The page redraws its log every second while it follows a delivery: an element found a
    // moment ago may be gone, and is looked up again.
    this.wait = new WebDriverWait(driver, Chromium.PATIENCE, Duration.ofMillis(100));
    this.wait.ignoring(StaleElementReferenceException.class);
  }

  /**
   * Signs the browser in as a tenant: the cookie the test host's authorizer reads, set on the
   * portal's origin (opened on a file of the portal that calls no API).
   *
   * @param tenant the tenant, or null to sign out
   */
  void signIn(String tenant) {
    driver.get(server.origin() + PortalServer.MOUNT + "/assets/favicon.svg");
    driver.manage().deleteAllCookies();
    if (tenant != null) {
      driver.manage().addCookie(new Cookie("tenant", tenant, "/"));
    }
  }

  /**
   * Loads the page at a route, such as {@code /} or {@code /endpoints/ep_1}, and waits until the
   * route's view is shown (not the first "Loading" text).
   *
   * @param route the route, without {@code #}
   */
  void open(String route) {
    driver.get(server.page() + "#" + route);
    wait.until(d -> !d.findElements(By.cssSelector("#view > section")).isEmpty());
  }

  /** An element by its {@code data-testid}, once present. */
  WebElement byTestId(String testId) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(testId(testId)));
  }

  /** An element by its {@code data-testid}, once visible. */
  WebElement visible(String testId) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(testId(testId)));
  }

  /** All elements with a {@code data-testid}, as they are now. */
  List<WebElement> all(String testId) {
    return driver.findElements(testId(testId));
  }

  /** An element by CSS selector, once present. */
  WebElement css(String selector) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(selector)));
  }

  /** Clicks an element, once it can be clicked. */
  void click(String testId) {
    click(testId(testId));
  }

  /** Opens a delivery's attempts by clicking its row in the log. */
  void openDelivery(String deliveryId) {
    click(By.cssSelector("tr[data-testid='delivery-row'][data-delivery-id='" + deliveryId + "']"));
    css("tr[data-testid='delivery-detail'][data-delivery-id='" + deliveryId + "'] [data-testid='attempts']");
  }

  private void click(By by) {
    wait.until(d -> {
      WebElement element = ExpectedConditions.elementToBeClickable(by).apply(d);
      if (element == null) {
        return false;
      }
      element.click();
      return true;
    });
  }

  /** Replaces the text of an input. */
  void type(String testId, String text) {
    WebElement input = visible(testId);
    input.clear();
    input.sendKeys(text);
  }

  /** Chooses an option of a select by its value. */
  void choose(String testId, String value) {
    new Select(visible(testId)).selectByValue(value);
  }

  /** Accepts the page's confirmation dialog. */
  void confirm() {
    click("confirm-ok");
  }

  /** Waits for a condition and answers its value. */
  <T> T until(Function<WebDriver, T> condition) {
    return wait.until(condition);
  }

  /** Waits until an element with a {@code data-testid} holds a text. */
  void waitForText(String testId, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(testId(testId), text));
  }

  /** The delivery log's row of a delivery, once shown. */
  WebElement deliveryRow(String deliveryId) {
    return css("tr[data-testid='delivery-row'][data-delivery-id='" + deliveryId + "']");
  }

  /**
   * Waits until the log shows a delivery in a state (the page refreshes its log while it follows
   * a delivery it sent or replayed).
   *
   * @param deliveryId the delivery
   * @param state PENDING, SUCCEEDED or DEAD
   * @return the row
   */
  WebElement awaitDeliveryState(String deliveryId, String state) {
    String selector = "tr[data-testid='delivery-row'][data-delivery-id='" + deliveryId + "'][data-state='" + state + "']";
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(selector)));
  }

  /**
   * Applies the log's filters again and again (the log follows only what the page itself sent or
   * replayed) until it shows this many deliveries.
   *
   * @param count the number of rows expected
   */
  void applyFiltersUntilRows(int count) {
    wait.until(d -> {
      WebElement apply = d.findElement(testId("filter-apply"));
      if (apply.isEnabled()) {
        apply.click();
      }
      return all("delivery-row").size() == count;
    });
  }

  /** Runs a script in the page. */
  Object script(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  ChromeDriver driver() {
    return driver;
  }

  private static By testId(String testId) {
    return By.cssSelector("[data-testid='" + testId + "']");
  }
}
