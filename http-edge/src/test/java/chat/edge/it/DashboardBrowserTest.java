package chat.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Tokens;
import chat.edge.TestNode;
import chat.edge.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in real Chromium against a two-node cluster on Postgres, opened on node 1: the
 * operator watches node 2's connections and messages, then makes node 2 leave with the Leave
 * button. The steps build on each other, so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class DashboardBrowserTest {

  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /** What "within a few seconds" means for a change to show on the page. */
  private static final Duration FEW_SECONDS = Duration.ofSeconds(5);
  /** How long the page stays open for the one-stream check (the real tab stays for hours). */
  private static final Duration LEFT_OPEN = Duration.ofSeconds(15);

  private ClusterSupport.TwoNodes cluster;
  private ApiClient api1;
  private ApiClient api2;
  private Browser browser;
  private final List<WsClient> sockets = new ArrayList<>();

  @BeforeAll
  void startClusterAndBrowser() throws Exception {
    cluster = new ClusterSupport.TwoNodes();
    api1 = new ApiClient(cluster.node1.baseUrl());
    api2 = new ApiClient(cluster.node2.baseUrl());
    api1.operator();
    browser = Browser.desktop("operator");
  }

  @AfterAll
  void stopEverything() throws Exception {
    sockets.forEach(WsClient::close);
    try (ClusterSupport.TwoNodes nodes = cluster; Browser b = browser) {
      // closed in reverse order: the browser, then the cluster and its database
    }
  }

  @Test
  @Order(1)
  void aUserWhoIsNotAnOperatorIsRefused() {
    String someone = ApiClient.uniqueId("curious");
    api1.registered(someone);
    browser.open(cluster.node1.baseUrl() + "/dashboard");
    signIn(someone);
    browser.until("told access is refused", () -> browser.alerts().stream().anyMatch(a -> a.startsWith("Access refused")));
    assertTrue(browser.field("User").isDisplayed());
  }

  @Test
  @Order(2)
  void theOperatorSeesBothMembersLive() {
    signIn(TestNode.OPERATOR);
    browser.until("live", () -> browser.status().equals("live"));
    WebElement members = browser.region("table", "Members");
    browser.until("both members listed", () -> rowOf(cluster.node1) != null && rowOf(cluster.node2) != null);
    assertEquals("up", cell(cluster.node1, "status"));
    assertEquals("up", cell(cluster.node2, "status"));
    assertTrue(members.getText().contains("leader"), members.getText());
    for (String heading : List.of("Shards", "Projections", "Throughput")) {
      assertEquals(1, browser.driver.findElements(By.xpath("//h2[normalize-space()='" + heading + "']")).size(), heading);
    }
  }

  @Test
  @Order(3)
  void webSocketsOnNode2RaiseItsConnections() throws Exception {
    int before = Integer.parseInt(cell(cluster.node2, "connections"));
    for (int i = 0; i < 3; i++) {
      Tokens user = api2.newUser(ApiClient.uniqueId("watched"));
      sockets.add(WsClient.connect(cluster.node2.baseUrl(), user.accessToken()));
    }
    within("node 2 showing 3 more connections",
        () -> cell(cluster.node2, "connections").equals(String.valueOf(before + 3)));
    assertEquals("0", cell(cluster.node1, "connections"));
  }

  @Test
  @Order(4)
  void sentMessagesMoveTheThroughput() {
    String alice = ApiClient.uniqueId("talker");
    String bob = ApiClient.uniqueId("listener");
    Tokens a = api2.newUser(alice);
    api2.newUser(bob);
    ApiClient.assertStatus(201, api2.addFriend(a.accessToken(), bob));
    String roomId = api2.createdRoom(a.accessToken(), "busy", bob).get("roomId").asText();
    for (int i = 0; i < 30; i++) {
      api2.sent(a.accessToken(), roomId, "m" + i, "message " + i);
    }
    within("node 2's messages in per second above 0", () -> Double.parseDouble(cell(cluster.node2, "in")) > 0);
    within("the cluster's messages in per second above 0", () -> Double.parseDouble(total("Msgs in/s")) > 0);
    assertTrue(browser.driver.findElement(By.cssSelector("#throughput-chart path.series.in")).isDisplayed());
  }

  @Test
  @Order(5)
  void aTabLeftOpenKeepsOneStream() throws Exception {
    Thread.sleep(LEFT_OPEN.toMillis());
    assertEquals("live", browser.status());
    assertEquals(1, api1.metric("chat_ops_streams"));
    assertEquals(0, api2.metric("chat_ops_streams"));
    browser.screenshot(SCREENSHOTS.resolve("dashboard.png"));
  }

  @Test
  @Order(6)
  void aHiddenTabClosesItsStreamAndReopensItWhenShown() {
    // Headless Chromium never hides a tab: the test gives the page the signal a browser gives.
    setHidden(true);
    within("paused", () -> browser.status().equals("paused while the tab is hidden"));
    within("no stream on node 1", () -> api1.metric("chat_ops_streams") == 0);
    setHidden(false);
    within("live again", () -> browser.status().equals("live"));
    within("one stream on node 1 again", () -> api1.metric("chat_ops_streams") == 1);
  }

  private void setHidden(boolean hidden) {
    browser.driver.executeScript("Object.defineProperty(document, 'hidden', {value: arguments[0], configurable: true});"
        + "document.dispatchEvent(new Event('visibilitychange'));", hidden);
  }

  @Test
  @Order(7)
  void theLeaveButtonMakesNode2LeaveAndTheTableAndLogShowIt() {
    String node2 = cluster.node2.seedAddress();
    browser.button("Leave " + node2).click();
    browser.until("asked to confirm", () -> browser.driver.findElement(By.id("confirm-text")).getText()
        .equals("Make " + node2 + " leave the cluster?"));
    browser.button("Confirm").click();
    WebElement log = browser.region("log", "Membership events");
    within("node 2 leaving in the log", () -> log.getText().contains(node2 + " leaving"));
    within("node 2 no longer up in the members table", () -> {
      WebElement row = rowOf(cluster.node2);
      return row == null || !row.findElement(By.cssSelector("td.status")).getText().equals("up");
    });
    within("node 2 removed in the log", () -> log.getText().contains(node2 + " removed"));
    within("node 2 gone from the members table", () -> rowOf(cluster.node2) == null);
  }

  // ---- the page ----

  private void signIn(String userId) {
    browser.fill("User", userId);
    browser.fill("Password", ApiClient.PASSWORD);
    browser.button("Sign in").click();
  }

  /** The Members row of this node, or null. */
  private WebElement rowOf(TestNode node) {
    return browser.driver.findElements(By.cssSelector("#member-rows tr")).stream()
        .filter(row -> row.findElement(By.tagName("th")).getText().equals(node.seedAddress()))
        .findFirst().orElse(null);
  }

  /** A cell of this node's row; NoSuchElementException (a "not yet" while waiting) without the row. */
  private String cell(TestNode node, String column) {
    WebElement row = rowOf(node);
    if (row == null) {
      throw new NoSuchElementException(node.seedAddress() + " is not in the Members table");
    }
    return row.findElement(By.cssSelector("td." + column)).getText();
  }

  private String total(String name) {
    return browser.driver.findElements(By.cssSelector("#totals .figure")).stream()
        .filter(f -> f.findElement(By.tagName("dt")).getText().equals(name))
        .map(f -> f.findElement(By.tagName("dd")).getText())
        .findFirst().orElseThrow();
  }

  private void within(String what, Supplier<Boolean> condition) {
    new WebDriverWait(browser.driver, FEW_SECONDS)
        .withMessage(() -> "not " + what + " within " + FEW_SECONDS.toSeconds() + " s; console: " + browser.console())
        .ignoring(RuntimeException.class)
        .until(d -> condition.get());
  }
}
