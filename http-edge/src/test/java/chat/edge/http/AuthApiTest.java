package chat.edge.http;

import static chat.edge.http.ApiClient.assertError;
import static chat.edge.http.ApiClient.assertJson;
import static chat.edge.http.ApiClient.assertStatus;
import static chat.edge.http.ApiClient.assertUnauthorized;
import static chat.edge.http.ApiClient.json;
import static chat.edge.http.ApiClient.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.TestNode;
import chat.edge.http.ApiClient.Response;
import chat.edge.http.ApiClient.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sessions: POST /api/auth/login, /refresh and /logout. */
class AuthApiTest {

  @TempDir static Path dataDir;
  private static TestNode node;
  private static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.onH2(dataDir);
    api = new ApiClient(node.baseUrl());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static Response login(String userId, String password) {
    return api.post("/api/auth/login", null, json("userId", userId, "password", password));
  }

  private static Response refresh(String refreshToken) {
    return api.post("/api/auth/refresh", null, json("refreshToken", refreshToken));
  }

  private static Response logout(String accessToken, String refreshToken) {
    return api.post("/api/auth/logout", accessToken, json("refreshToken", refreshToken));
  }

  /** A token pair as login and refresh answer it; the access token works and names the user. */
  private static Tokens assertTokenPair(String userId, Response response) throws Exception {
    JsonNode body = assertJson(200, response, "accessToken", "refreshToken", "tokenType", "expiresIn");
    assertEquals("Bearer", body.get("tokenType").asText());
    assertTrue(body.get("expiresIn").isIntegralNumber(), body::toString);
    assertEquals(900, body.get("expiresIn").asInt());
    String accessToken = body.get("accessToken").asText();
    String refreshToken = body.get("refreshToken").asText();
    assertFalse(refreshToken.isBlank(), body::toString);

    JWTClaimsSet claims = SignedJWT.parse(accessToken).getJWTClaimsSet();
    assertEquals(userId, claims.getSubject());
    assertEquals(900, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
    Response me = api.get("/api/users/me", accessToken);
    assertStatus(200, me);
    assertEquals(userId, me.json().get("userId").asText());
    return new Tokens(accessToken, refreshToken);
  }

  // ---- login ----

  @Test
  void loginAnswersATokenPair() throws Exception {
    String userId = uniqueId("login");
    api.register(userId);
    Tokens first = assertTokenPair(userId, login(userId, ApiClient.PASSWORD));
    Tokens second = assertTokenPair(userId, login(userId, ApiClient.PASSWORD));
    assertNotEquals(first.refreshToken(), second.refreshToken());
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSame401() {
    String userId = uniqueId("creds");
    api.register(userId);

    Response wrongPassword = login(userId, ApiClient.PASSWORD + "x");
    Response wrongCase = login(userId, ApiClient.PASSWORD.toUpperCase());
    Response unknownUser = login(uniqueId("ghost"), ApiClient.PASSWORD);
    Response impossibleUser = login("no such user!", ApiClient.PASSWORD);

    assertError(401, "INVALID_CREDENTIALS", wrongPassword);
    assertError(401, "INVALID_CREDENTIALS", wrongCase);
    assertError(401, "INVALID_CREDENTIALS", unknownUser);
    assertError(401, "INVALID_CREDENTIALS", impossibleUser);
    assertEquals(wrongPassword.json(), unknownUser.json());
    assertEquals(wrongPassword.json(), impossibleUser.json());
  }

  @Test
  void loginWithMissingFieldsIs400() {
    assertError(400, "VALIDATION_FAILED", "userId",
        api.post("/api/auth/login", null, json("password", ApiClient.PASSWORD)));
    assertError(400, "VALIDATION_FAILED", "password",
        api.post("/api/auth/login", null, json("userId", uniqueId("x"))));
    assertError(400, "VALIDATION_FAILED", "userId",
        api.post("/api/auth/login", null, json("userId", " ", "password", ApiClient.PASSWORD)));
    assertError(400, "VALIDATION_FAILED", "password",
        api.post("/api/auth/login", null, json("userId", uniqueId("x"), "password", "")));
    assertError(400, "VALIDATION_FAILED", "userId",
        api.post("/api/auth/login", null, json("password", ApiClient.PASSWORD).put("userId", 42)));
  }

  // ---- refresh ----

  @Test
  void refreshAnswersANewPair() throws Exception {
    String userId = uniqueId("refresh");
    Tokens first = api.newUser(userId);
    Tokens second = assertTokenPair(userId, refresh(first.refreshToken()));
    assertNotEquals(first.refreshToken(), second.refreshToken());
    Tokens third = assertTokenPair(userId, refresh(second.refreshToken()));
    assertNotEquals(second.refreshToken(), third.refreshToken());
  }

  @Test
  void aSpentRefreshTokenIs401() {
    Tokens tokens = api.newUser(uniqueId("spent"));
    assertStatus(200, refresh(tokens.refreshToken()));
    assertError(401, "INVALID_TOKEN", refresh(tokens.refreshToken()));
  }

  @Test
  void reusingASpentRefreshTokenRevokesEveryRefreshTokenOfTheUser() {
    String userId = uniqueId("reuse");
    Tokens session = api.newUser(userId);
    Tokens otherSession = api.login(userId);
    Tokens bystander = api.newUser(uniqueId("bystander"));

    String rotated = refresh(session.refreshToken()).json().get("refreshToken").asText();
    assertError(401, "INVALID_TOKEN", refresh(session.refreshToken()));

    assertError(401, "INVALID_TOKEN", refresh(rotated));
    assertError(401, "INVALID_TOKEN", refresh(otherSession.refreshToken()));
    // Other users keep their sessions, and the user can log in again.
    assertStatus(200, refresh(bystander.refreshToken()));
    Tokens fresh = api.login(userId);
    assertStatus(200, refresh(fresh.refreshToken()));
  }

  @Test
  void aRefreshTokenThatWasNotIssuedIs401() {
    Tokens tokens = api.newUser(uniqueId("tamper"));
    String token = tokens.refreshToken();
    int middle = token.length() - 10;
    char swapped = token.charAt(middle) == 'A' ? 'B' : 'A';
    String tampered = token.substring(0, middle) + swapped + token.substring(middle + 1);

    assertError(401, "INVALID_TOKEN", refresh(tampered));
    assertError(401, "INVALID_TOKEN", refresh(token + "x"));
    // The genuine token was not spent by those attempts.
    assertStatus(200, refresh(token));
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "a.b", "not.a.token.at.all", "...", "\u00e9t\u00e9.x"})
  void aGarbageRefreshTokenIs401(String garbage) {
    assertError(401, "INVALID_TOKEN", refresh(garbage));
  }

  @Test
  void anAccessTokenIsNotARefreshToken() {
    Tokens tokens = api.newUser(uniqueId("confuse"));
    assertError(401, "INVALID_TOKEN", refresh(tokens.accessToken()));
  }

  @Test
  void refreshWithoutTheTokenIs400() {
    assertError(400, "VALIDATION_FAILED", "refreshToken", api.post("/api/auth/refresh", null, json()));
    assertError(400, "VALIDATION_FAILED", "refreshToken", refresh(""));
  }

  // ---- logout ----

  @Test
  void logoutRevokesThatRefreshTokenOnly() {
    String userId = uniqueId("logout");
    Tokens session = api.newUser(userId);
    Tokens otherSession = api.login(userId);

    Response response = logout(session.accessToken(), session.refreshToken());
    assertStatus(204, response);
    assertEquals("", response.body());

    assertError(401, "INVALID_TOKEN", refresh(session.refreshToken()));
    assertStatus(200, refresh(otherSession.refreshToken()));
  }

  @Test
  void logoutNeedsAnAccessToken() {
    Tokens tokens = api.newUser(uniqueId("logoutauth"));
    assertUnauthorized(logout(null, tokens.refreshToken()));
    assertUnauthorized(logout(tokens.refreshToken(), tokens.refreshToken()));
    // Not revoked by the refused attempts.
    assertStatus(200, refresh(tokens.refreshToken()));
  }

  @Test
  void loggingOutTwiceIs401() {
    Tokens tokens = api.newUser(uniqueId("twice"));
    assertStatus(204, logout(tokens.accessToken(), tokens.refreshToken()));
    assertUnauthorized(logout(tokens.accessToken(), tokens.refreshToken()));
  }

  @Test
  void loggingOutWithAnotherUsersRefreshTokenIs401() {
    Tokens mallory = api.newUser(uniqueId("mallory"));
    Tokens victim = api.newUser(uniqueId("victim"));
    assertUnauthorized(logout(mallory.accessToken(), victim.refreshToken()));
    // The victim's session survives.
    assertStatus(200, refresh(victim.refreshToken()));
  }

  @Test
  void logoutWithAGarbageRefreshTokenIs401() {
    Tokens tokens = api.newUser(uniqueId("logoutgarbage"));
    assertUnauthorized(logout(tokens.accessToken(), "garbage"));
  }

  @Test
  void logoutWithoutTheRefreshTokenIs400() {
    Tokens tokens = api.newUser(uniqueId("logoutempty"));
    assertError(400, "VALIDATION_FAILED", "refreshToken", api.post("/api/auth/logout", tokens.accessToken(), json()));
  }
}
