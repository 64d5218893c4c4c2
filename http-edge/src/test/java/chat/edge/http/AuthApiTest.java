package chat.edge.http;

import static chat.edge.ApiClient.assertError;
import static chat.edge.ApiClient.assertJson;
import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.assertUnauthorized;
import static chat.edge.ApiClient.json;
import static chat.edge.ApiClient.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.ApiClient.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sessions: POST /api/auth/login, /refresh and /logout. */
class AuthApiTest extends NodeTestBase {


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
    api.registered(userId);
    Tokens first = assertTokenPair(userId, api.login(userId, ApiClient.PASSWORD));
    Tokens second = assertTokenPair(userId, api.login(userId, ApiClient.PASSWORD));
    assertNotEquals(first.refreshToken(), second.refreshToken());
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSame401() {
    String userId = uniqueId("creds");
    api.registered(userId);

    Response wrongPassword = api.login(userId, ApiClient.PASSWORD + "x");
    Response wrongCase = api.login(userId, ApiClient.PASSWORD.toUpperCase());
    Response unknownUser = api.login(uniqueId("ghost"), ApiClient.PASSWORD);
    Response impossibleUser = api.login("no such user!", ApiClient.PASSWORD);

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
    Tokens second = assertTokenPair(userId, api.refresh(first.refreshToken()));
    assertNotEquals(first.refreshToken(), second.refreshToken());
    Tokens third = assertTokenPair(userId, api.refresh(second.refreshToken()));
    assertNotEquals(second.refreshToken(), third.refreshToken());
  }

  @Test
  void aSpentRefreshTokenIs401() {
    Tokens tokens = api.newUser(uniqueId("spent"));
    assertStatus(200, api.refresh(tokens.refreshToken()));
    assertError(401, "INVALID_TOKEN", api.refresh(tokens.refreshToken()));
  }

  @Test
  void reusingASpentRefreshTokenRevokesEveryRefreshTokenOfTheUser() {
    String userId = uniqueId("reuse");
    Tokens session = api.newUser(userId);
    Tokens otherSession = api.loggedIn(userId);
    Tokens bystander = api.newUser(uniqueId("bystander"));

    String rotated = api.refresh(session.refreshToken()).json().get("refreshToken").asText();
    assertError(401, "INVALID_TOKEN", api.refresh(session.refreshToken()));

    assertError(401, "INVALID_TOKEN", api.refresh(rotated));
    assertError(401, "INVALID_TOKEN", api.refresh(otherSession.refreshToken()));
    // Other users keep their sessions, and the user can log in again.
    assertStatus(200, api.refresh(bystander.refreshToken()));
    Tokens fresh = api.loggedIn(userId);
    assertStatus(200, api.refresh(fresh.refreshToken()));
  }

  @Test
  void aRefreshTokenThatWasNotIssuedIs401() {
    Tokens tokens = api.newUser(uniqueId("tamper"));
    String token = tokens.refreshToken();
    int middle = token.length() - 10;
    char swapped = token.charAt(middle) == 'A' ? 'B' : 'A';
    String tampered = token.substring(0, middle) + swapped + token.substring(middle + 1);

    assertError(401, "INVALID_TOKEN", api.refresh(tampered));
    assertError(401, "INVALID_TOKEN", api.refresh(token + "x"));
    // The genuine token was not spent by those attempts.
    assertStatus(200, api.refresh(token));
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "a.b", "not.a.token.at.all", "...", "\u00e9t\u00e9.x"})
  void aGarbageRefreshTokenIs401(String garbage) {
    assertError(401, "INVALID_TOKEN", api.refresh(garbage));
  }

  @Test
  void anAccessTokenIsNotARefreshToken() {
    Tokens tokens = api.newUser(uniqueId("confuse"));
    assertError(401, "INVALID_TOKEN", api.refresh(tokens.accessToken()));
  }

  @Test
  void refreshWithoutTheTokenIs400() {
    assertError(400, "VALIDATION_FAILED", "refreshToken", api.post("/api/auth/refresh", null, json()));
    assertError(400, "VALIDATION_FAILED", "refreshToken", api.refresh(""));
  }

  // ---- logout ----

  @Test
  void logoutRevokesThatRefreshTokenOnly() {
    String userId = uniqueId("logout");
    Tokens session = api.newUser(userId);
    Tokens otherSession = api.loggedIn(userId);

    Response response = api.logout(session.accessToken(), session.refreshToken());
    assertStatus(204, response);
    assertEquals("", response.body());

    assertError(401, "INVALID_TOKEN", api.refresh(session.refreshToken()));
    assertStatus(200, api.refresh(otherSession.refreshToken()));
  }

  @Test
  void logoutNeedsAnAccessToken() {
    Tokens tokens = api.newUser(uniqueId("logoutauth"));
    assertUnauthorized(api.logout(null, tokens.refreshToken()));
    assertUnauthorized(api.logout(tokens.refreshToken(), tokens.refreshToken()));
    // Not revoked by the refused attempts.
    assertStatus(200, api.refresh(tokens.refreshToken()));
  }

  @Test
  void loggingOutTwiceIs401() {
    Tokens tokens = api.newUser(uniqueId("twice"));
    assertStatus(204, api.logout(tokens.accessToken(), tokens.refreshToken()));
    assertUnauthorized(api.logout(tokens.accessToken(), tokens.refreshToken()));
  }

  @Test
  void loggingOutWithAnotherUsersRefreshTokenIs401() {
    Tokens mallory = api.newUser(uniqueId("mallory"));
    Tokens victim = api.newUser(uniqueId("victim"));
    assertUnauthorized(api.logout(mallory.accessToken(), victim.refreshToken()));
    // The victim's session survives.
    assertStatus(200, api.refresh(victim.refreshToken()));
  }

  @Test
  void logoutWithAGarbageRefreshTokenIs401() {
    Tokens tokens = api.newUser(uniqueId("logoutgarbage"));
    assertUnauthorized(api.logout(tokens.accessToken(), "garbage"));
  }

  @Test
  void logoutWithoutTheRefreshTokenIs400() {
    Tokens tokens = api.newUser(uniqueId("logoutempty"));
    assertError(400, "VALIDATION_FAILED", "refreshToken", api.post("/api/auth/logout", tokens.accessToken(), json()));
  }
}
