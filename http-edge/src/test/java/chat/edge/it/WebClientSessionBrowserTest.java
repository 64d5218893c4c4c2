package chat.edge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.TestNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * Sessions in the web client, in Chromium: two tabs of one user refresh their short-lived access
 * token again and again without spending a refresh token twice (which would revoke the session
 * and sign both out); a refused refresh returns to the sign-in form; sign out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class WebClientSessionBrowserTest {

  /** Access tokens live 65 s and the client refreshes a minute before expiry: every 5 s or so. */
  private static final String ACCESS_TOKEN_TTL = "65s";
  private static final String SESSION = "return localStorage.getItem('chat.session');";

  @TempDir static Path dataDir;
  private TestNode node;
  private Browser browser;
  private String firstTab;
  private String secondTab;
  private final String userId = ApiClient.uniqueId("tabs");

  @BeforeAll
  void startNodeAndBrowser() throws Exception {
    node = TestNode.start(Map.of("chat.data-dir", dataDir.toString(), "chat.auth.access-token-ttl", ACCESS_TOKEN_TTL));
    browser = Browser.desktop("tabs");
  }

  @AfterAll
  void stop() throws Exception {
    try (TestNode n = node; Browser b = browser) {
      // browser first, then the node
    }
  }

  @Test
  @Order(1)
  void twoTabsRefreshWithoutSigningEachOtherOut() {
    browser.open(node.baseUrl() + "/");
    browser.createAccount(userId, "Tabby");
    firstTab = browser.driver.getWindowHandle();
    browser.driver.switchTo().newWindow(WindowType.TAB);
    secondTab = browser.driver.getWindowHandle();
    browser.open(node.baseUrl() + "/");
    browser.awaitConnected();

    // Watch the stored refresh token change: each change is one refresh, by one of the tabs.
    Set<String> refreshTokens = new HashSet<>();
    browser.until("four refreshes after the first token", () -> {
      String refreshToken = (String) browser.driver.executeScript(
          "const s = JSON.parse(localStorage.getItem('chat.session')); return s && s.refreshToken;");
      assertNotNull(refreshToken, () -> "signed out while refreshing after " + refreshTokens.size() + " tokens; console:\n"
          + browser.console());
      refreshTokens.add(refreshToken);
      return refreshTokens.size() >= 5;
    });

    for (String tab : List.of(firstTab, secondTab)) {
      browser.driver.switchTo().window(tab);
      browser.awaitConnected();
      assertTrue(browser.driver.findElement(By.id("auth")).getDomProperty("hidden").equals("true"), "sign-in hidden");
      // The tab's current access token is accepted.
      Object status = browser.driver.executeAsyncScript(
          "const done = arguments[arguments.length - 1];"
              + "const s = JSON.parse(localStorage.getItem('chat.session'));"
              + "fetch('/api/users/me', {headers: {Authorization: 'Bearer ' + s.accessToken}}).then(r => done(r.status));");
      assertEquals(200L, status);
    }
  }

  @Test
  @Order(2)
  void aRefusedRefreshReturnsEveryTabToSignIn() {
    browser.driver.switchTo().window(firstTab);
    // As if the refresh token had been revoked elsewhere, and the access token expired.
    browser.driver.executeScript("const s = JSON.parse(localStorage.getItem('chat.session'));"
        + "s.refreshToken = 'revoked'; s.expiresAt = Date.now() - 1000;"
        + "localStorage.setItem('chat.session', JSON.stringify(s));");
    browser.driver.navigate().refresh();
    browser.until("the session-ended notice", () -> browser.driver.findElement(By.id("sign-in-notice")).getText()
        .equals("Your session has ended. Please sign in again."));
    browser.button("Sign in");
    assertNull(browser.driver.executeScript(SESSION));

    browser.driver.switchTo().window(secondTab);
    browser.until("the other tab signed out too", () -> browser.button("Sign in").isDisplayed());
  }

  @Test
  @Order(3)
  void signInThenSignOut() {
    browser.fill("User", userId);
    browser.fill("Password", ApiClient.PASSWORD);
    browser.button("Sign in").click();
    browser.awaitConnected();
    assertNotNull(browser.driver.executeScript(SESSION));

    browser.button("Sign out").click();
    browser.until("the sign-in form", () -> browser.button("Sign in").isDisplayed());
    assertNull(browser.driver.executeScript(SESSION));
  }
}
