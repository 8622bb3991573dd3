package io.catwrangler.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver by Selenium. Both paths are given, so Selenium
 * Manager never looks for (or downloads) a driver or a browser. The flags are the ones this machine needs: no
 * sandbox as root, and no background connections to a network that refuses them.
 *
 * <p>Paths can be overridden with the system properties {@code catwrangler.chromium} and
 * {@code catwrangler.chromedriver}. A missing browser fails the test: a browser test that cannot run must not pass as
 * skipped.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("catwrangler.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("catwrangler.chromedriver", "/usr/bin/chromedriver"));

  /** Selenium warns at every start that it has no CDP classes for this Chromium: only plain CDP commands are used. */
  private static final java.util.logging.Logger CDP_VERSION_LOG =
      java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  static {
    CDP_VERSION_LOG.setLevel(Level.SEVERE);
  }

  private final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path screenshots;

  private HeadlessChromium(ChromeDriver driver, ChromeDriverService service, Path screenshots) {
    this.driver = driver;
    this.service = service;
    this.screenshots = screenshots;
  }

  /**
   * @param profile an empty folder for the browser profile
   * @param screenshots where {@link #screenshot} writes
   */
  static HeadlessChromium start(Path profile, Path screenshots) {
    assertThat(Files.isExecutable(CHROMIUM))
        .as("Chromium is not installed at %s: the web page's browser test needs it. Install it with"
            + " `apt-get install -y chromium chromium-driver` (.ci/run does) or set -Dcatwrangler.chromium", CHROMIUM)
        .isTrue();
    assertThat(Files.isExecutable(CHROMEDRIVER))
        .as("chromedriver is not installed at %s: install Debian's chromium-driver (`apt-get install -y"
            + " chromium-driver`, .ci/run does) or set -Dcatwrangler.chromedriver", CHROMEDRIVER)
        .isTrue();
    try {
      Files.createDirectories(screenshots);
      try (var old = Files.newDirectoryStream(screenshots, "failure-*.png")) {
        for (Path file : old) {
          Files.delete(file); // from an earlier run: only this run's failures should be there to look at
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(60))
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new HeadlessChromium(driver, service, screenshots);
  }

  ChromeDriver driver() {
    return driver;
  }

  WebDriverWait waiting(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(200));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  /** Desktop (1280 wide) or phone (390 wide, touch, as a phone's browser lays the page out). */
  void viewport(int width, int height, boolean mobile) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  /** The whole page (not only the viewport) as {@code <name>.png}. */
  Path screenshot(String name) {
    @SuppressWarnings("unchecked")
    Map<String, Object> metrics = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    Map<String, Object> clip = Map.of("x", 0, "y", 0, "scale", 1,
        "width", ((Number) size.get("width")).doubleValue(), "height", ((Number) size.get("height")).doubleValue());
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
        Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    Path file = screenshots.resolve(name + ".png");
    try {
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** What the pages wrote to the console (and the browser logged for them) since the last call. */
  List<LogEntry> drainConsole() {
    return List.copyOf(driver.manage().logs().get(LogType.BROWSER).getAll());
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
