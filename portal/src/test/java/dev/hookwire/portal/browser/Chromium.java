package dev.hookwire.portal.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium, driven through the system's chromedriver, for one test class:
 * started before its first test, quit after its last. Register it with {@code @RegisterExtension
 * static final Chromium chromium = new Chromium();}.
 *
 * <p>Both programs are named by path, so Selenium Manager never runs (it would look for, and
 * download, a driver). The browser gets a fresh profile, no background services, and a resolver
 * that answers only {@code 127.0.0.1}: it sends nothing beyond loopback, not even a DNS query.
 * Without the programs the tests are skipped, unless the environment says {@code CI=true}, where
 * they fail.
 *
 * <p>Every page the browser loads records its Content-Security-Policy violations and uncaught
 * script errors ({@link #assertPageHealthy}). Not thread-safe: one test at a time.
 */
final class Chromium implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, TestWatcher {
  static final Path BINARY = Path.of(System.getProperty("hookwire.chromium", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getProperty("hookwire.chromedriver", "/usr/bin/chromedriver"));

  /** How long a test waits for the page: past the page's own 1-second polls, well short of a hang. */
  static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final Path TARGET_SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

  /** Runs before a page's own scripts: collects what the page should never cause. */
  private static final String WATCH =
      "window.__hookwireWatch = {csp: [], errors: []};\n"
          + "document.addEventListener('securitypolicyviolation', (e) =>\n"
          + "  window.__hookwireWatch.csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));\n"
          + "window.addEventListener('error', (e) => window.__hookwireWatch.errors.push(String(e.message)));\n"
          + "window.addEventListener('unhandledrejection', (e) =>\n"
          + "  window.__hookwireWatch.errors.push(String(e.reason && e.reason.stack || e.reason)));\n";

  /**
   * Quiet: Selenium warns that it has no DevTools bindings for this Chromium's version, which
   * these tests do not use (they call DevTools through chromedriver's own endpoint).
   */
  private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  static {
    CDP_VERSION_FINDER.setLevel(Level.OFF);
  }

  private String missing;
  private ChromeDriverService service;
  private ChromeDriver driver;
  private Path profile;

  /** Makes the extension; the browser starts before the class's first test. */
  Chromium() {}

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    missing = missing();
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true, and " + missing);
      }
      return; // each test is skipped, saying why (a class-level skip would not show in the report)
    }
    profile = Files.createTempDirectory("hookwire-chromium-");
    Path target = Path.of(System.getProperty("basedir", "."), "target");
    Files.createDirectories(target);
    service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(target.resolve("chromedriver.log").toFile())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-client-side-phishing-detection",
        "--user-data-dir=" + profile,
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--window-size=1280,900");
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      afterAll(context);
      throw e;
    }
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH));
  }

  private static String missing() {
    if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) {
      return null;
    }
    return "the browser tests need " + BINARY + " and " + DRIVER
        + " (Debian: apt-get install chromium chromium-driver)";
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    assumeTrue(missing == null, () -> "skipped: " + missing);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      driver = null;
      if (service != null) {
        service.stop();
        service = null;
      }
      if (profile != null) {
        try (Stream<Path> files = Files.walk(profile)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        profile = null;
      }
    }
  }

  /** Keeps what a failed test left on screen: a screenshot, and the page's text on the test's output. */
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (driver == null) {
      return;
    }
    try {
      String name = "failed-" + context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
      write(TARGET_SCREENSHOTS, name, capture());
      System.out.println(name + " at " + driver.getCurrentUrl() + ":\n"
          + driver.executeScript("return document.body.innerText;") + "\nwatch: "
          + driver.executeScript("return JSON.stringify(window.__hookwireWatch);"));
    } catch (RuntimeException e) {
      System.out.println("no screenshot of the failure: " + e);
    }
  }

  /**
   * Returns the driver.
   *
   * @return the driver of the running browser
   */
  ChromeDriver driver() {
    return driver;
  }

  /**
   * Fails if the current page broke its Content-Security-Policy or threw an uncaught error.
   */
  @SuppressWarnings("unchecked")
  void assertPageHealthy() {
    Map<String, List<String>> watch = (Map<String, List<String>>) driver.executeScript("return window.__hookwireWatch;");
    assertThat(watch).as("the page's watch (was the page loaded?)").isNotNull();
    assertThat(watch.get("csp")).as("Content-Security-Policy violations").isEmpty();
    assertThat(watch.get("errors")).as("uncaught script errors").isEmpty();
  }

  /**
   * Saves the whole page (not just the window) as {@code target/screenshots/<name>.png}, and also
   * in the directory that the system property {@code hookwire.screenshots.dir} names, if set.
   *
   * @param name the file's name, without {@code .png}
   * @return the PNG
   */
  byte[] screenshot(String name) {
    byte[] png = capture();
    write(TARGET_SCREENSHOTS, name, png);
    String extra = System.getProperty("hookwire.screenshots.dir", "");
    if (!extra.isBlank()) {
      write(Path.of(extra), name, png);
    }
    return png;
  }

  @SuppressWarnings("unchecked")
  private byte[] capture() {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Number> size = (Map<String, Number>) metrics.get("cssContentSize");
    Map<String, Object> clip = Map.of(
        "x", 0, "y", 0,
        "width", Math.ceil(size.get("width").doubleValue()),
        "height", Math.ceil(size.get("height").doubleValue()),
        "scale", 1);
    Map<String, Object> shot = driver.executeCdpCommand(
        "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    return Base64.getDecoder().decode((String) shot.get("data"));
  }

  private static void write(Path dir, String name, byte[] png) {
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + ".png"), png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
