package chat.edge.it;

import static chat.edge.it.ClusterSupport.awaitUp;
import static chat.edge.it.ClusterSupport.history;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.db.TestDatabases;
import chat.edge.ApiClient;
import chat.edge.TestNode;
import chat.edge.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web client in real Chromium against a two-node cluster on Postgres: Alice in a desktop-sized
 * window on node 1, Bob in a phone-sized one on node 2. The steps build on each other (one
 * conversation), so they run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class WebClientBrowserTest {

  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String XSS = "<img src=x onerror=alert(1)>";

  private TestDatabases.TestDatabase db;
  private TestNode node1;
  private TestNode node2;
  private int node2HttpPort;
  private Browser alice;
  private Browser bob;
  private final String aliceId = ApiClient.uniqueId("alice");
  private final String bobId = ApiClient.uniqueId("bob");

  @BeforeAll
  void startClusterAndBrowsers() throws Exception {
    db = TestDatabases.freshPostgres();
    node1 = TestNode.onPostgres(db.settings(), "");
    // Node 2 keeps its HTTP port across its restart, as a real node behind its address does.
    node2HttpPort = TestNode.freePorts(1)[0];
    node2 = startNode2();
    awaitUp(node1, 2);
    awaitUp(node2, 2);
    alice = Browser.desktop("alice");
    bob = Browser.phone("bob");
  }

  private TestNode startNode2() throws Exception {
    return TestNode.onPostgres(db.settings(), node1.seedAddress(), Map.of("chat.http.port", node2HttpPort));
  }

  @AfterAll
  void stopEverything() throws Exception {
    try (TestDatabases.TestDatabase database = db; TestNode first = node1; TestNode second = node2;
         Browser a = alice; Browser b = bob) {
      // closed in reverse order: browsers, node 2, node 1, database
    }
  }

  @Test
  @Order(1)
  void usersCreateAccountsOnTwoNodesWithEachErrorAtItsField() {
    alice.open(node1.baseUrl() + "/");
    alice.createAccount(aliceId, "Alice Liddell");

    bob.open(node2.baseUrl() + "/");
    bob.fill("User", bobId);
    bob.fill("Password", "not the password");
    bob.button("Sign in").click();
    bob.until("told that sign-in failed", () -> bob.alerts().contains("Wrong user or password."));

    bob.button("Create account").click();
    bob.fill("User", "b o b");
    bob.fill("Password", "short");
    bob.button("Create account").click();
    assertEquals("A user id has 3 to 32 letters, digits, _ . or -, and no spaces.", errorAt(bob, "User"));
    assertEquals("A password needs at least 8 characters.", errorAt(bob, "Password"));
    assertEquals("Enter your name.", errorAt(bob, "Name"));
    assertEquals("Enter your email address.", errorAt(bob, "Email"));

    // A refusal by the server shows at its field too.
    bob.fill("User", aliceId);
    bob.fill("Password", ApiClient.PASSWORD);
    bob.fill("Name", "Bob Dylan");
    bob.fill("Email", "bob@example.com");
    bob.button("Create account").click();
    bob.until("told the user id is taken", () -> errorAt(bob, "User").contains("taken"));
    assertEquals("", errorAt(bob, "Password"));

    bob.fill("User", bobId);
    bob.button("Create account").click();
    bob.awaitConnected();

    for (Browser browser : List.of(alice, bob)) {
      browser.region("list", "Rooms");
      browser.region("list", "Friends");
      browser.button("Sign out");
    }
    alice.field("Friend's user id");
    alice.button("Add friend");
    alice.button("New room");
  }

  @Test
  @Order(2)
  void friendsOpenARoomAndSeeTheSameMessagesInTheSameOrderOnce() {
    alice.fill("Friend's user id", "nobody_" + bobId);
    alice.button("Add friend").click();
    alice.until("told there is no such user", () -> alice.alerts().contains("There is no user with that id."));
    alice.fill("Friend's user id", bobId);
    alice.button("Add friend").click();
    WebElement friends = alice.region("list", "Friends");
    alice.until("bob listed as an online friend",
        () -> friends.getText().contains("@" + bobId) && friends.getText().contains("online"));

    alice.button("New room").click();
    alice.fill("Room name (optional)", "Weekend plans");
    alice.driver.findElement(By.cssSelector("#new-room-friends input[value='" + bobId + "']")).click();
    alice.button("Create room").click();
    alice.until("the room open", () -> alice.driver.findElement(By.id("room-title")).getText().equals("Weekend plans"));
    bob.until("the new room listed", () -> roomItem(bob, "Weekend plans") != null);

    // Bob has not opened the room: what Alice sends counts as unread.
    send(alice, "Are you in for a hike on Saturday?", true);
    send(alice, "Leaving at nine", false);
    bob.until("2 unread", () -> "2 unread".equals(unread(bob, "Weekend plans")));

    roomItem(bob, "Weekend plans").findElement(By.tagName("button")).click();
    bob.until("the two messages", () -> log(bob).size() == 2);
    bob.button("Back to rooms").click();
    bob.until("nothing unread once seen", () -> unread(bob, "Weekend plans") == null);
    roomItem(bob, "Weekend plans").findElement(By.tagName("button")).click();
    send(bob, "Count me in", false);

    // Text from users is text: markup shows as typed and runs nothing.
    alice.driver.executeScript("window.alerted = 0; window.alert = () => { window.alerted += 1; };");
    send(alice, XSS, true);

    List<String> expected = List.of(
        aliceId + ": Are you in for a hike on Saturday?",
        aliceId + ": Leaving at nine",
        bobId + ": Count me in",
        aliceId + ": " + XSS);
    for (Browser browser : List.of(alice, bob)) {
      browser.until("all four messages", () -> log(browser).size() >= expected.size());
      assertEquals(expected, log(browser), browser.name + "'s messages");
      assertTrue(browser.region("log", "Messages").findElements(By.tagName("img")).isEmpty(), browser.name);
    }
    assertEquals(0L, alice.driver.executeScript("return window.alerted;"));

    bob.screenshot(SCREENSHOTS.resolve("web-client-phone.png"));
  }

  @Test
  @Order(3)
  void typingShowsOnTheOtherSide() {
    bob.field("Message").sendKeys("Shall I bring");
    alice.until("bob typing", () -> alice.driver.findElement(By.id("typing")).getText()
        .equals(bobId + " is typing…"));
    bob.field("Message").clear();
  }

  @Test
  @Order(4)
  void scrollingUpLoadsOlderHistory() {
    ApiClient api = new ApiClient(node1.baseUrl());
    String token = api.loggedIn(aliceId).accessToken();
    String roomId = api.createdRoom(token, "Archive", bobId).get("roomId").asText();
    List<String> all = new ArrayList<>();
    for (int i = 1; i <= 70; i++) {
      api.sent(token, roomId, "archive-" + i, "archived " + i);
      all.add(aliceId + ": archived " + i);
    }

    bob.button("Back to rooms").click();
    bob.until("70 unread in the archive", () -> "70 unread".equals(unread(bob, "Archive")));
    assertEquals(List.of("Archive", "Weekend plans"), roomNames(bob), "rooms by their last activity");
    // From the keyboard: the room's item is a button, Enter opens it.
    roomItem(bob, "Archive").findElement(By.tagName("button")).sendKeys(Keys.ENTER);
    bob.until("the newest page", () -> log(bob).size() == 50);
    assertEquals(all.subList(20, 70), log(bob));

    WebElement messages = bob.region("log", "Messages");
    bob.driver.executeScript("arguments[0].scrollTop = 0;", messages);
    bob.until("the older messages", () -> log(bob).size() == 70);
    assertEquals(all, log(bob));
  }

  @Test
  @Order(5)
  void afterItsNodeRestartsTheClientReconnectsWithNothingMissedOrRepeated() throws Exception {
    bob.button("Back to rooms").click();
    roomItem(bob, "Weekend plans").findElement(By.tagName("button")).click();
    bob.until("the room's messages", () -> log(bob).size() == 4);

    node2.close();
    bob.until("reconnecting shown", () -> bob.status().equals("reconnecting…"));

    // Bob's message waits while he is disconnected; Alice's goes out through node 1.
    send(bob, "Sent while offline", false);
    WebElement pending = bob.driver.findElement(By.cssSelector("#pending-list li"));
    assertTrue(pending.getText().contains("Sending…") && pending.getText().contains("Sent while offline"),
        pending::getText);
    send(alice, "Sent while you were away", true);
    alice.until("alice's message acknowledged", () -> log(alice).contains(aliceId + ": Sent while you were away"));

    node2 = startNode2();
    awaitUp(node2, 2);
    bob.awaitConnected();

    List<String> expected = new ArrayList<>(List.of(
        aliceId + ": Are you in for a hike on Saturday?",
        aliceId + ": Leaving at nine",
        bobId + ": Count me in",
        aliceId + ": " + XSS));
    for (Browser browser : List.of(alice, bob)) {
      browser.until("six messages", () -> log(browser).size() >= 6);
      assertTrue(browser.driver.findElements(By.cssSelector("#pending-list li")).isEmpty(), browser.name);
    }
    List<String> seenByAlice = log(alice);
    assertEquals(seenByAlice, log(bob), "both see the same messages in the same order");
    assertEquals(expected, seenByAlice.subList(0, 4));
    assertEquals(
        List.of(aliceId + ": Sent while you were away", bobId + ": Sent while offline").stream().sorted().toList(),
        seenByAlice.subList(4, 6).stream().sorted().toList());
    assertEquals(6, seenByAlice.size());

    ApiClient api = new ApiClient(node1.baseUrl());
    String token = api.loggedIn(aliceId).accessToken();
    String roomId = alice.driver.findElement(By.cssSelector("#rooms [aria-current=true]")).getDomAttribute("data-room-id");
    List<JsonNode> stored = history(api, token, roomId);
    assertEquals(1, stored.stream().filter(m -> m.get("text").asText().equals("Sent while offline")).count());
    assertEquals(6, stored.size());
    alice.screenshot(SCREENSHOTS.resolve("web-client.png"));
  }

  @Test
  @Order(6)
  void presenceIsLiveAFriendIsInvitedAndAMemberLeaves() throws Exception {
    String carolId = ApiClient.uniqueId("carol");
    ApiClient api = new ApiClient(node2.baseUrl());
    api.registered(carolId);
    alice.fill("Friend's user id", carolId);
    alice.button("Add friend").click();
    alice.until("carol listed as an offline friend", () -> "offline".equals(presenceOf(alice, carolId)));

    // Presence is live: Carol connects (from another client, on the other node), then goes away.
    try (WsClient carol = WsClient.connect(node2.baseUrl(), api.loggedIn(carolId).accessToken())) {
      alice.until("carol online", () -> "online".equals(presenceOf(alice, carolId)));
    }
    alice.until("carol offline again", () -> "offline".equals(presenceOf(alice, carolId)));

    alice.button("Invite").click();
    new Select(alice.field("Friend to invite")).selectByValue(carolId);
    alice.driver.findElement(By.cssSelector("#invite button[type=submit]")).click();
    WebElement members = alice.driver.findElement(By.id("room-members"));
    alice.until("carol among the members", () -> members.getText().contains(carolId));

    bob.button("Leave").click();
    bob.driver.switchTo().alert().accept();
    bob.until("the room gone from bob's list", () -> roomItem(bob, "Weekend plans") == null);
    alice.until("bob no longer a member", () -> !members.getText().contains(bobId));
  }

  @Test
  @Order(7)
  void afterTheNetworkReturnsTheClientCatchesUpAndSendsWhatWaited() {
    roomItem(alice, "Archive").findElement(By.tagName("button")).click();
    alice.until("the archive's newest page", () -> log(alice).size() == 50);
    roomItem(bob, "Archive").findElement(By.tagName("button")).click();
    bob.until("the archive's newest page", () -> log(bob).size() == 50);

    ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
    offline.setOffline(true);
    alice.driver.setNetworkConditions(offline);
    alice.until("offline shown", () -> alice.status().startsWith("offline"));
    send(alice, "Typed on the train", true);
    send(bob, "Are you there?", false);
    bob.until("bob's message acknowledged", () -> log(bob).contains(bobId + ": Are you there?"));
    assertFalse(log(alice).contains(bobId + ": Are you there?"), "alice is offline");
    assertTrue(alice.driver.findElement(By.cssSelector("#pending-list")).getText().contains("Typed on the train"));

    alice.driver.deleteNetworkConditions();
    alice.awaitConnected();
    for (Browser browser : List.of(alice, bob)) {
      browser.until("both new messages", () -> log(browser).size() >= 52);
      assertTrue(browser.driver.findElements(By.cssSelector("#pending-list li")).isEmpty(), browser.name);
    }
    // Both show archived 21..70 and the two new messages, the same, each once.
    List<String> seenByAlice = log(alice);
    assertEquals(seenByAlice, log(bob), "both see the same messages in the same order");
    assertEquals(52, seenByAlice.size());
    assertEquals(aliceId + ": archived 70", seenByAlice.get(49));
    assertEquals(
        List.of(aliceId + ": Typed on the train", bobId + ": Are you there?"),
        seenByAlice.subList(50, 52).stream().sorted().toList());
  }

  // ---- the client's page, as its users see it ----

  /** The error shown at the field labelled {@code label} (its own role="alert" element). */
  private static String errorAt(Browser browser, String label) {
    WebElement field = browser.field(label);
    WebElement error = browser.driver.findElement(By.id(field.getDomAttribute("id") + "-error"));
    assertEquals("alert", error.getDomAttribute("role"));
    String text = error.getText();
    assertEquals(!text.isEmpty(), "true".equals(field.getDomAttribute("aria-invalid")), label + " marked invalid");
    return text;
  }

  /** Types a message and sends it with Enter or with the Send button. */
  private static void send(Browser browser, String text, boolean withEnter) {
    WebElement field = browser.field("Message");
    field.sendKeys(text);
    if (withEnter) {
      field.sendKeys(Keys.ENTER);
    } else {
      browser.button("Send").click();
    }
  }

  /** The messages in the log, as "sender: text", in the order shown (those still pending not included). */
  private static List<String> log(Browser browser) {
    return browser.region("log", "Messages").findElements(By.cssSelector("li[data-seq]")).stream()
        .map(li -> li.findElement(By.className("sender")).getDomProperty("textContent") + ": "
            + li.findElement(By.className("text")).getDomProperty("textContent"))
        .toList();
  }

  /** The item of the Rooms list showing this room name, or null. */
  private static WebElement roomItem(Browser browser, String roomName) {
    return browser.driver.findElements(By.cssSelector("[role=list][aria-label=Rooms] > li")).stream()
        .filter(li -> roomName.equals(li.findElement(By.className("room-name")).getDomProperty("textContent")))
        .findFirst().orElse(null);
  }

  /** The room names in the Rooms list, in the order shown. */
  private static List<String> roomNames(Browser browser) {
    return browser.driver.findElements(By.cssSelector("[role=list][aria-label=Rooms] .room-name")).stream()
        .map(name -> name.getDomProperty("textContent")).toList();
  }

  /** "online" or "offline" as the Friends list shows it for this friend, or null if not listed. */
  private static String presenceOf(Browser browser, String userId) {
    return browser.driver.findElements(By.cssSelector("[role=list][aria-label=Friends] > li")).stream()
        .filter(li -> li.getText().contains("@" + userId))
        .map(li -> li.findElement(By.className("presence")).getText())
        .findFirst().orElse(null);
  }

  /** The unread badge of a room in the Rooms list ("2 unread"), or null when it shows none. */
  private static String unread(Browser browser, String roomName) {
    WebElement item = roomItem(browser, roomName);
    if (item == null) {
      return null;
    }
    return item.findElements(By.className("badge")).stream()
        .map(badge -> badge.getDomProperty("textContent")).filter(Objects::nonNull).findFirst().orElse(null);
  }
}
