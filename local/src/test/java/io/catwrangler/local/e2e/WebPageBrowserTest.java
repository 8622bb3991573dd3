package io.catwrangler.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.Lease;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.local.http.EmbeddedApi;
import io.catwrangler.local.http.EmbeddedHttpServer;
import io.catwrangler.local.http.HttpServerConfig;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.FileName;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.Label;
import io.catwrangler.events.Submission;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import io.catwrangler.local.fs.FileImageStore;
import io.catwrangler.local.runtime.LocalRuntime;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteWorkQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;

/**
 * The web page in a real browser: the embedded server in this process (real detector, temporary data folder,
 * ephemeral port) and headless Chromium driving the page as a person would. Screenshots go to
 * {@code local/target/screenshots/}. Waits are generous (a busy 2-core machine); nothing here asserts a speed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPageBrowserTest {
  private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(120);
  private static final Duration UI_DEADLINE = Duration.ofSeconds(30);
  private static final String TOKEN = "browser-test-token-0123456789";
  private static final String BATCH = "browser-test";
  private static final String CAT = "d0098.jpg";
  private static final String DOG = "d0117.jpg";
  private static final String WEBP = "holiday.jpg";
  private static final String DEAD = "night-shot.jpg";
  /** What the browser logs, as an error, for an answer it was told to expect (a refused upload, say). */
  private static final String REFUSED = ".* - Failed to load resource: the server responded with a status of %d .*";

  @TempDir static Path temp;

  private HeadlessChromium chromium;
  private ChromeDriver browser;
  private ImageNetCatDetector detector;
  private LocalRuntime runtime;
  private EmbeddedHttpServer server;
  private EmbeddedHttpServer tokenServer;

  @BeforeAll
  void start() throws IOException {
    DevPhotos.dir(); // fail at once without the photos
    chromium = HeadlessChromium.start(temp.resolve("profile"),
        Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots"));
    browser = chromium.driver();
    detector = ImageNetCatDetector.load(DetectorConfig.defaults());
    LocalConfig config = LocalConfig.defaults(temp.resolve("data")).withWorkers(2);
    deadLetterBeforeStart(config);
    runtime = LocalRuntime.open(config, detector);
    server = EmbeddedApi.serve(runtime, HttpServerConfig.loopback(0).withAccessLog(false));
    // the same pipeline behind a second port that demands a token, as a server bound beyond localhost does
    tokenServer = EmbeddedApi.serve(runtime,
        new HttpServerConfig(HttpServerConfig.DEFAULT_BIND, 0, Optional.of(TOKEN), false));
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (tokenServer != null) {
      tokenServer.close();
    }
    if (server != null) {
      server.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (detector != null) {
      detector.close();
    }
  }

  @Test
  void three_uploads_show_yes_no_and_the_rejection_then_the_cat_has_its_box() throws Exception {
    Path webp = temp.resolve(WEBP);
    Files.write(webp, webp());
    String base = server.url().toString();
    chromium.drainConsole(); // only this test's messages count
    try {
      browser.get(base + "/");
      chromium.waiting(UI_DEADLINE).until(d -> !d.findElements(By.id("files")).isEmpty());
      assertThat(browser.getTitle()).contains("cat-wrangler");

      // keyboard: the batch field, then the file picker, are reachable with Tab
      WebElement batch = browser.findElement(By.id("batch-id"));
      batch.sendKeys(BATCH);
      batch.sendKeys(Keys.TAB);
      assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("files");

      browser.findElement(By.id("files")).sendKeys(String.join("\n",
          photo(DevPhotos.CAT),
          photo(DevPhotos.DOG),
          webp.toRealPath().toString()));

      WebElement cat = awaitCard(CAT, "[data-answer='yes']", ANSWER_DEADLINE);
      WebElement dog = awaitCard(DOG, "[data-answer='no']", ANSWER_DEADLINE);
      WebElement rejected = awaitCard(WEBP, "[data-state='rejected']", ANSWER_DEADLINE);
      assertThat(cat.findElement(By.className("verdict-word")).getText()).isEqualTo("YES");
      assertThat(cat.findElement(By.className("score")).getText()).matches("cat score [01]\\.\\d\\d.*");
      assertThat(dog.findElement(By.className("verdict-word")).getText()).isEqualTo("NO");
      assertThat(rejected.findElement(By.className("reason")).getText())
          .isEqualTo("WebP is not accepted, only JPEG and PNG");
      assertThat(rejected.getText()).contains("REJECTED").contains("415");
      assertThat(cat.findElement(By.className("thumb")).getAttribute("src")).startsWith("blob:");
      assertThat(browser.findElement(By.id("summary")).getText())
          .isEqualTo("3 files: 1 with a cat · 1 without · 1 rejected");
      assertImagesHaveAltText();
      chromium.screenshot("desktop-upload");

      // the cat's detail: photo from GET /images/{id}/content, the box drawn over it, the evidence
      cat.findElement(By.className("card-link")).click();
      WebElement box = chromium.waiting(ANSWER_DEADLINE)
          .until(d -> d.findElements(By.cssSelector(".boxes .box-cat")).stream().findFirst().orElse(null));
      assertThat(box.findElement(By.className("box-label")).getText()).matches("cat 0\\.\\d\\d");
      WebElement photo = browser.findElement(By.cssSelector("img.photo"));
      chromium.waiting(UI_DEADLINE).until(d -> naturalWidth(photo) > 0);
      assertThat(photo.getAttribute("alt")).startsWith("Photo " + CAT).contains("1 cat box");
      Rectangle boxRect = box.getRect();
      Rectangle photoRect = photo.getRect();
      assertThat(boxRect.getWidth()).as("box width").isGreaterThan(20);
      assertThat(boxRect.getHeight()).as("box height").isGreaterThan(20);
      assertThat(boxRect.getX()).isBetween(photoRect.getX() - 3, photoRect.getX() + photoRect.getWidth());
      assertThat(boxRect.getY()).isBetween(photoRect.getY() - 3, photoRect.getY() + photoRect.getHeight());
      assertThat(browser.findElement(By.cssSelector("#view-image .verdict-word")).getText()).isEqualTo("YES");
      assertThat(browser.findElements(By.cssSelector("table.detections tr.row-cat"))).isNotEmpty();
      // the classifier's own view: its top ImageNet labels, a domestic cat first
      List<String> labels = texts(By.cssSelector("table.labels tbody td:first-child"));
      assertThat(labels).hasSize(5);
      assertThat(labels.get(0)).isIn("tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat");
      assertThat(texts(By.cssSelector(".timings .stage-name"))).contains("decode", "inference");
      assertThat(texts(By.cssSelector(".timeline .event-type"))).containsExactly("Received", "Classified");
      assertThat(browser.findElements(By.cssSelector("pre.json"))).hasSize(2);
      assertImagesHaveAltText();
      chromium.screenshot("desktop-detail");

      WebElement reclassify = browser.findElement(By.id("reclassify"));
      assertThat(reclassify.getTagName()).isEqualTo("button");
      reclassify.click();
      chromium.waiting(ANSWER_DEADLINE).until(d -> d.findElement(By.cssSelector("#view-image .action-result")).getText()
          .startsWith("Nothing to do")); // the current model answered already: replay appends nothing

      // "this is wrong": without a name the page asks for one; with it, the label goes to POST /images/{id}/labels
      WebElement wrong = browser.findElement(By.id("label-not-cat"));
      assertThat(wrong.getText()).isEqualTo("This is wrong: not a cat");
      assertThat(browser.findElement(By.id("label-cat")).getText()).isEqualTo("Right: a cat");
      assertThat(browser.findElement(By.cssSelector(".correction .label-standing")).getText())
          .isEqualTo("No label yet.");
      wrong.click();
      chromium.waiting(UI_DEADLINE).until(d -> d.findElement(By.cssSelector(".correction .action-result")).getText()
          .startsWith("Enter your name first"));
      assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("labeller");
      browser.findElement(By.id("labeller")).sendKeys("Browser Tester");
      wrong.click();
      chromium.waiting(UI_DEADLINE).until(d -> d.findElement(By.cssSelector(".correction .action-result")).getText()
          .equals("Recorded: not a cat, by Browser Tester."));
      chromium.waiting(ANSWER_DEADLINE).until(d -> texts(By.cssSelector(".timeline .event-type")).contains("Labelled"));
      assertThat(browser.findElement(By.cssSelector(".correction .label-standing")).getText())
          .startsWith("Labelled not a cat by Browser Tester").endsWith("the answer is wrong.");
      assertThat(browser.findElement(By.cssSelector("#view-image .verdict-word")).getText())
          .as("the answer stays the model's").isEqualTo("YES");
      String catId = browser.findElement(By.cssSelector(".facts-list code.wrap")).getText();
      assertThat(runtime.query().image(catId, false).label())
          .hasValueSatisfying(l -> assertThat(l.label()).isEqualTo(new Label(false, "Browser Tester")));
      chromium.screenshot("desktop-detail-labelled");

      // the batch: counts, a filter, a link per image
      browser.get(base + "/#/batches/" + BATCH);
      chromium.waiting(ANSWER_DEADLINE).until(d -> d.findElements(By.cssSelector(".batch-table tbody tr")).size() == 2);
      assertThat(tile("images")).isEqualTo("2");
      assertThat(tile("with a cat")).isEqualTo("1");
      assertThat(tile("without")).isEqualTo("1");
      assertThat(tile("failed")).isEqualTo("0");
      browser.findElement(By.cssSelector("input[name='show'][value='cats']")).click();
      chromium.waiting(UI_DEADLINE)
          .until(d -> d.findElements(By.cssSelector(".batch-table tbody tr")).size() == 1);
      assertThat(texts(By.cssSelector(".batch-table tbody a"))).containsExactly(CAT);
      assertThat(browser.getCurrentUrl()).endsWith("#/batches/" + BATCH + "?show=cats");
      chromium.screenshot("desktop-batch");
      browser.findElement(By.cssSelector("input[name='show'][value='failed']")).click();
      chromium.waiting(UI_DEADLINE).until(d -> d.findElement(By.className("batch-list")).getText()
          .equals("No image matches this filter."));

      // the dead letter left before the start: listed, and put back on the queue with its own button
      browser.get(base + "/#/dead-letters");
      WebElement retry = chromium.waiting(UI_DEADLINE).until(d -> d.findElements(
          By.cssSelector("#view-dead-letters button[aria-label='Retry " + DEAD + "']")).stream().findFirst().orElse(null));
      assertThat(browser.findElement(By.cssSelector("#view-dead-letters tbody")).getText())
          .contains(DEAD).contains("night").contains("worker crashed");
      chromium.screenshot("desktop-dead-letters");
      retry.click();
      chromium.waiting(UI_DEADLINE).until(d -> d.findElement(By.cssSelector("#view-dead-letters .action-result"))
          .getText().equals("Retried " + DEAD + ": 1 back in the queue."));

      // a phone: one column, nothing wider than the screen; the uploads are still listed after the visits above
      chromium.viewport(390, 844, true);
      browser.get(base + "/#/");
      chromium.waiting(ANSWER_DEADLINE)
          .until(d -> d.findElements(By.cssSelector(".card[data-answer]")).size() >= 2);
      assertFitsTheScreen();
      chromium.screenshot("phone-upload");
      awaitCard(CAT, "[data-answer='yes']", UI_DEADLINE).findElement(By.className("card-link")).click();
      chromium.waiting(ANSWER_DEADLINE).until(d -> !d.findElements(By.cssSelector(".boxes .box-cat")).isEmpty());
      chromium.waiting(UI_DEADLINE).until(d -> naturalWidth(d.findElement(By.cssSelector("img.photo"))) > 0);
      assertFitsTheScreen();
      chromium.screenshot("phone-detail");

      assertNoConsoleErrorsBut(Pattern.compile(String.format(REFUSED, 415)));
    } catch (Throwable t) {
      chromium.screenshot("failure-three-uploads");
      throw t;
    } finally {
      chromium.viewport(1280, 900, false);
    }
  }

  @Test
  void a_server_with_a_token_asks_for_it_and_works_once_given() throws Exception {
    String base = tokenServer.url().toString();
    chromium.drainConsole();
    try {
      browser.get(base + "/"); // the page itself needs no token: it holds no data
      chromium.waiting(UI_DEADLINE).until(d -> !d.findElements(By.id("files")).isEmpty());
      browser.findElement(By.id("files")).sendKeys(photo(DevPhotos.CAT));
      awaitCard(CAT, "[data-state='rejected']", ANSWER_DEADLINE);
      WebElement notice = chromium.waiting(UI_DEADLINE)
          .until(d -> d.findElements(By.cssSelector("#notice:not([hidden])")).stream().findFirst().orElse(null));
      assertThat(notice.getText()).contains("needs a token");
      assertThat(browser.findElement(By.id("token-panel")).getAttribute("open")).isNotNull();
      assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("token");
      chromium.screenshot("token-asked");

      WebElement token = browser.findElement(By.id("token"));
      token.sendKeys(TOKEN);
      token.sendKeys(Keys.ENTER);
      browser.findElement(By.id("files")).sendKeys(photo(DevPhotos.CAT));
      chromium.waiting(ANSWER_DEADLINE)
          .until(d -> !d.findElements(By.cssSelector(".card[data-file='" + CAT + "'][data-answer='yes']")).isEmpty());
      assertThat(browser.findElement(By.id("token-summary")).getText()).isEqualTo("Token ✓");

      // the detail view sends the token with every call, the photo's bytes included
      browser.findElement(By.cssSelector(".card[data-answer='yes'] .card-link")).click();
      chromium.waiting(ANSWER_DEADLINE).until(d -> !d.findElements(By.cssSelector(".boxes .box-cat")).isEmpty());
      chromium.waiting(UI_DEADLINE).until(d -> naturalWidth(d.findElement(By.cssSelector("img.photo"))) > 0);

      assertNoConsoleErrorsBut(Pattern.compile(String.format(REFUSED, 401)));
    } catch (Throwable t) {
      chromium.screenshot("failure-token");
      throw t;
    }
  }

  /**
   * Leaves a request that ran out of attempts in the data folder's queue before the runtime opens (a photo that
   * crashed the worker each time, say), so the dead-letter page has something to show and retry.
   */
  private static void deadLetterBeforeStart(LocalConfig config) {
    byte[] bytes = DevPhotos.read(DevPhotos.OTHER_CAT);
    ImageId id = ImageId.sha256Of(bytes);
    try (SqliteDatabase database = SqliteDatabase.open(config.databaseFile())) {
      String key = FileImageStore.in(config.imagesDir()).put(id, bytes);
      Submission submission = new Submission(SubmissionId.random(), Optional.of(BatchId.of("night")), Optional.empty(),
          Optional.of(new FileName(DEAD)), "image/jpeg", bytes.length, 287, 300, SubmissionSource.API, key, false);
      SqliteWorkQueue queue = new SqliteWorkQueue(database, config.maxAttempts(), Clock.systemUTC());
      queue.enqueue(new ClassifyRequest(id, submission, Instant.now(), "browser-test"));
      Lease lease = queue.lease(1, Duration.ofMinutes(1)).get(0);
      queue.deadLetter(lease, "the worker crashed on it " + config.maxAttempts() + " times");
    }
  }

  /** chromedriver takes only canonical paths. */
  private static String photo(String relative) throws IOException {
    return DevPhotos.dir().resolve(relative).toRealPath().toString();
  }

  private WebElement awaitCard(String fileName, String condition, Duration deadline) {
    String selector = ".card[data-file='" + fileName + "']" + condition;
    return chromium.waiting(deadline)
        .withMessage(() -> "no card " + selector + "; cards: " + texts(By.cssSelector(".card")))
        .until(d -> d.findElements(By.cssSelector(selector)).stream().findFirst().orElse(null));
  }

  private List<String> texts(By by) {
    return browser.findElements(by).stream().map(WebElement::getText).toList();
  }

  private String tile(String label) {
    return browser.findElement(By.xpath(
        "//div[contains(@class,'tile')][span[@class='tile-label' and text()='" + label + "']]/span[@class='tile-value']"))
        .getText();
  }

  private long naturalWidth(WebElement image) {
    return ((Number) browser.executeScript("return arguments[0].naturalWidth;", image)).longValue();
  }

  /** Every image says what it shows; only the logo beside the name is decorative (alt=""). */
  private void assertImagesHaveAltText() {
    for (WebElement image : browser.findElements(By.tagName("img"))) {
      String alt = image.getAttribute("alt");
      assertThat(alt).as("alt of %s", image.getAttribute("outerHTML")).isNotNull();
      if (!image.findElements(By.xpath("ancestor::a[contains(@class,'brand')]")).isEmpty()) {
        continue;
      }
      assertThat(alt).as("alt of %s", image.getAttribute("outerHTML")).isNotBlank();
    }
  }

  private void assertFitsTheScreen() {
    Object overflow = browser.executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(((Number) overflow).longValue()).as("page wider than the screen by (px)").isLessThanOrEqualTo(0);
  }

  /**
   * No error in the console: no script error, no CSP violation, no failed load, but the answers the test provoked
   * on purpose (Chromium logs every 4xx response of a fetch as an error).
   */
  private void assertNoConsoleErrorsBut(Pattern expected) {
    List<String> errors = chromium.drainConsole().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !expected.matcher(m).matches())
        .toList();
    assertThat(errors).as("console errors").isEmpty();
  }

  /** The RIFF/WEBP container of a 1×1 lossless WebP: what a photo saved as WebP and renamed .jpg starts with. */
  private static byte[] webp() {
    byte[] vp8l = {0x2f, 0x00, 0x00, 0x00, 0x00, 0x07, 0x10, 0x11, 0x11, (byte) 0x88, (byte) 0x88, (byte) 0xfe, 0x07, 0x00};
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + vp8l.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 8 + vp8l.length)
        .put("WEBP".getBytes(StandardCharsets.US_ASCII))
        .put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
    return b.array();
  }
}
