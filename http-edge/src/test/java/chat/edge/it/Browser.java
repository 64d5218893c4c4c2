package chat.edge.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium with a fresh profile, driven through chromedriver, and the page
 * read as a person or a screen reader reads it: fields by their label, buttons and regions by
 * their accessible name and role (the names API.md "Web pages" fixes).
 */
final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(30);

  final String name;
  final ChromeDriver driver;
  private final Path profile;

  private Browser(String name, ChromeDriver driver, Path profile) {
    this.name = name;
    this.driver = driver;
    this.profile = profile;
  }

  /** A desktop browser window of 1280 × 800 CSS pixels. */
  static Browser desktop(String name) throws IOException {
    return start(name, 1280, 800, false);
  }

  /** A phone: a touch screen of 390 × 844 CSS pixels (headless windows cannot be that narrow). */
  static Browser phone(String name) throws IOException {
    return start(name, 390, 844, true);
  }

  private static Browser start(String name, int width, int height, boolean phone) throws IOException {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium and chromedriver are missing: run scripts/setup-chromium (scripts/test does)");
    Path profile = Files.createTempDirectory("chromium-" + name);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile);
    if (phone) {
      // The emulated screen sits inside a window at least as large.
      options.addArguments("--window-size=" + Math.max(width, 500) + "," + (height + 100));
      options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
          Map.of("width", width, "height", height, "pixelRatio", 1.0, "touch", true, "mobile", true)));
    } else {
      options.addArguments("--window-size=" + width + "," + height);
    }
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logging);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    return new Browser(name, new ChromeDriver(service, options), profile);
  }

  void open(String url) {
    driver.get(url);
  }

  // ---- the chat client's own flows ----

  /** Creates an account with {@link ApiClient#PASSWORD} from the sign-in page, and waits until connected. */
  void createAccount(String userId, String name) {
    button("Create account").click();
    fill("User", userId);
    fill("Password", ApiClient.PASSWORD);
    fill("Name", name);
    fill("Email", ApiClient.emailOf(userId));
    button("Create account").click();
    awaitConnected();
  }

  void awaitConnected() {
    until("connected", () -> status().equals("connected"));
  }

  // ---- the page by accessible names ----

  /** The visible form field whose accessible name (its label) is {@code label}. */
  WebElement field(String label) {
    return visibleNamed(By.cssSelector("input, textarea, select"), label, "field");
  }

  /** The visible button whose accessible name is {@code name}. */
  WebElement button(String name) {
    return visibleNamed(By.tagName("button"), name, "button");
  }

  /** The element with this ARIA role and accessible name (shown, though it may be empty). */
  WebElement region(String role, String name) {
    return until("a " + role + " named '" + name + "'", () -> driver.findElements(By.cssSelector("[role=" + role + "]"))
        .stream()
        .filter(e -> name.equals(e.getAccessibleName()) && !"none".equals(e.getCssValue("display")))
        .findFirst().orElse(null));
  }

  /** The text of the element with {@code role="status"}: the connection state. */
  String status() {
    return driver.findElement(By.cssSelector("[role=status]")).getText();
  }

  /** The texts of the visible {@code role="alert"} elements that say something. */
  List<String> alerts() {
    return driver.findElements(By.cssSelector("[role=alert]")).stream()
        .filter(WebElement::isDisplayed).map(WebElement::getText).filter(t -> !t.isBlank()).toList();
  }

  /** Types {@code text} into the field labelled {@code label}, replacing what was there. */
  void fill(String label, String text) {
    WebElement field = field(label);
    field.clear();
    field.sendKeys(text);
  }

  private WebElement visibleNamed(By by, String name, String what) {
    return until("a " + what + " named '" + name + "'", () -> driver.findElements(by).stream()
        .filter(e -> e.isDisplayed() && name.equals(e.getAccessibleName()))
        .findFirst().orElse(null));
  }

  // ---- waiting ----

  /** Waits until {@code probe} gives something other than null or false; returns it. */
  <T> T until(String what, Supplier<T> probe) {
    return new WebDriverWait(driver, WAIT)
        .withMessage(() -> name + ": not " + what)
        .ignoring(StaleElementReferenceException.class)
        .until(d -> {
          T value = probe.get();
          return Boolean.FALSE.equals(value) ? null : value;
        });
  }

  /** What the page logged to the console since the last call (failed requests included), for failure messages. */
  String console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::toString).collect(Collectors.joining("\n"));
  }

  void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(profile.toFile());
    }
  }

  private static void deleteQuietly(File file) {
    File[] children = file.listFiles();
    if (children != null) {
      for (File child : children) {
        deleteQuietly(child);
      }
    }
    file.delete();
  }
}
