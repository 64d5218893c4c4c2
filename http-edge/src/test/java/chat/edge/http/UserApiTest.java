package chat.edge.http;

import static chat.edge.ApiClient.assertError;
import static chat.edge.ApiClient.assertJson;
import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.assertUnauthorized;
import static chat.edge.ApiClient.json;
import static chat.edge.ApiClient.registration;
import static chat.edge.ApiClient.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.ApiClient.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Registration and profiles: POST /api/users, GET and PATCH /api/users/me, GET /api/users/{userId}. */
class UserApiTest extends NodeTestBase {

  private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";


  // ---- POST /api/users ----

  @Test
  void registerAnswers201WithTheNewUser() {
    String userId = uniqueId("reg");
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Response response = api.post("/api/users", null, registration(userId));
    Instant after = Instant.now();

    JsonNode body = assertJson(201, response, "userId", "name", "email", "createdAt");
    assertEquals(userId, body.get("userId").asText());
    assertEquals("Name of " + userId, body.get("name").asText());
    assertEquals(ApiClient.emailOf(userId), body.get("email").asText());
    String createdAt = body.get("createdAt").asText();
    assertTrue(createdAt.matches(TIMESTAMP), createdAt);
    Instant created = Instant.parse(createdAt);
    assertFalse(created.isBefore(before) || created.isAfter(after), createdAt);
    assertFalse(response.body().contains(ApiClient.PASSWORD), response.body());
    assertFalse(response.body().toLowerCase().contains("password") || response.body().contains("$2"), response.body());
  }

  @Test
  void registeringATakenUserIdIs409() {
    String userId = uniqueId("taken");
    api.registered(userId);
    ObjectNode again = registration(userId).put("name", "Someone Else").put("email", "else@example.com");
    assertError(409, "USER_EXISTS", api.post("/api/users", null, again));
    // The first registration stands.
    Tokens tokens = api.loggedIn(userId);
    assertEquals("Name of " + userId, api.get("/api/users/me", tokens.accessToken()).json().get("name").asText());
  }

  @Test
  void boundaryValuesAreAccepted() {
    String longId = (uniqueId("long.id-OK") + "_".repeat(32)).substring(0, 32);
    ObjectNode longest = registration(longId)
        .put("password", "p".repeat(128))
        .put("name", "  " + "n".repeat(64) + "  ");
    assertStatus(201, api.post("/api/users", null, longest));

    String shortId = ApiClient.uniqueShortId();
    ObjectNode shortest = registration(shortId).put("password", "p".repeat(8)).put("name", "N");
    assertStatus(201, api.post("/api/users", null, shortest));
  }

  static Stream<Arguments> invalidRegistrations() {
    return Stream.of(
        invalid("userId missing", "userId", b -> b.remove("userId")),
        invalid("password missing", "password", b -> b.remove("password")),
        invalid("name missing", "name", b -> b.remove("name")),
        invalid("email missing", "email", b -> b.remove("email")),
        invalid("userId null", "userId", b -> b.putNull("userId")),
        invalid("userId blank", "userId", b -> b.put("userId", "   ")),
        invalid("password blank", "password", b -> b.put("password", "        ")),
        invalid("name blank", "name", b -> b.put("name", "")),
        invalid("email blank", "email", b -> b.put("email", " ")),
        invalid("userId too short", "userId", b -> b.put("userId", "ab")),
        invalid("userId too long", "userId", b -> b.put("userId", "a".repeat(33))),
        invalid("userId with a space", "userId", b -> b.put("userId", "has space")),
        invalid("userId with a leading space", "userId", b -> b.put("userId", " abcd")),
        invalid("userId with a bad character", "userId", b -> b.put("userId", "bad!char")),
        invalid("userId with a slash", "userId", b -> b.put("userId", "bad/char")),
        invalid("userId with a non-ASCII letter", "userId", b -> b.put("userId", "j\u00fcrgen")),
        invalid("password of 7", "password", b -> b.put("password", "p".repeat(7))),
        invalid("password of 129", "password", b -> b.put("password", "p".repeat(129))),
        invalid("name blank after trimming", "name", b -> b.put("name", " \t  ")),
        invalid("name of 65", "name", b -> b.put("name", "n".repeat(65))),
        invalid("email without @", "email", b -> b.put("email", "not-an-email")),
        invalid("email without domain", "email", b -> b.put("email", "someone@")),
        invalid("email with a space inside", "email", b -> b.put("email", "some one@example.com")),
        invalid("email with surrounding whitespace", "email", b -> b.put("email", " someone@example.com ")),
        invalid("email with a trailing newline", "email", b -> b.put("email", "someone@example.com\n")),
        invalid("userId a number", "userId", b -> b.put("userId", 5)),
        invalid("password a number", "password", b -> b.put("password", 12345678)),
        invalid("name an object", "name", b -> b.putObject("name")),
        invalid("email an array", "email", b -> b.putArray("email").add("a@example.com")),
        invalid("name a boolean", "name", b -> b.put("name", true)));
  }

  private static Arguments invalid(String why, String field, Consumer<ObjectNode> change) {
    return Arguments.of(why, field, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRegistrations")
  void invalidRegistrationIs400NamingTheField(String why, String field, Consumer<ObjectNode> change) {
    String userId = uniqueId("inv");
    ObjectNode body = registration(userId);
    change.accept(body);
    assertError(400, "VALIDATION_FAILED", field, api.post("/api/users", null, body));
    // Nothing was registered under the id of the otherwise valid body.
    assertStatus(401, api.post("/api/auth/login", null, json("userId", userId, "password", ApiClient.PASSWORD)));
  }

  // ---- GET /api/users/me ----

  @Test
  void meIsTheOwnProfile() {
    String userId = uniqueId("me");
    JsonNode registered = api.registered(userId);
    Tokens tokens = api.loggedIn(userId);

    JsonNode me = assertJson(200, api.get("/api/users/me", tokens.accessToken()),
        "userId", "name", "email", "statusMessage", "online", "createdAt");
    assertEquals(userId, me.get("userId").asText());
    assertEquals(registered.get("name"), me.get("name"));
    assertEquals(registered.get("email"), me.get("email"));
    assertEquals(registered.get("createdAt"), me.get("createdAt"));
    assertTrue(me.get("statusMessage").isTextual(), me::toString);
    assertTrue(me.get("online").isBoolean(), me::toString);
  }

  @Test
  void meWithoutTokenIs401() {
    assertUnauthorized(api.get("/api/users/me", null));
  }

  // ---- PATCH /api/users/me ----

  @Test
  void patchChangesNameAndStatusMessage() {
    String userId = uniqueId("patch");
    Tokens tokens = api.newUser(userId);

    JsonNode changed = assertJson(200,
        api.patch("/api/users/me", tokens.accessToken(), json("name", "New Name", "statusMessage", "at lunch")),
        "userId", "name", "email", "statusMessage", "online", "createdAt");
    assertEquals("New Name", changed.get("name").asText());
    assertEquals("at lunch", changed.get("statusMessage").asText());
    assertEquals(userId, changed.get("userId").asText());

    assertEquals(changed, api.get("/api/users/me", tokens.accessToken()).json());
    JsonNode seenByOthers = api.get("/api/users/" + userId, api.newUser(uniqueId("viewer")).accessToken()).json();
    assertEquals("New Name", seenByOthers.get("name").asText());
    assertEquals("at lunch", seenByOthers.get("statusMessage").asText());
  }

  @Test
  void patchIsPartial() {
    Tokens tokens = api.newUser(uniqueId("partial"));
    String token = tokens.accessToken();
    api.patch("/api/users/me", token, json("name", "First", "statusMessage", "first status"));

    JsonNode nameOnly = api.patch("/api/users/me", token, json("name", "Second")).json();
    assertEquals("Second", nameOnly.get("name").asText());
    assertEquals("first status", nameOnly.get("statusMessage").asText());

    JsonNode statusOnly = api.patch("/api/users/me", token, json("statusMessage", "second status")).json();
    assertEquals("Second", statusOnly.get("name").asText());
    assertEquals("second status", statusOnly.get("statusMessage").asText());

    Response nothing = api.patch("/api/users/me", token, json());
    assertStatus(200, nothing);
    assertEquals(statusOnly, nothing.json());

    JsonNode cleared = api.patch("/api/users/me", token, json("statusMessage", "")).json();
    assertEquals("Second", cleared.get("name").asText());
    assertEquals("", cleared.get("statusMessage").asText());
    assertEquals(cleared, api.get("/api/users/me", token).json());
  }

  static Stream<Arguments> invalidPatches() {
    return Stream.of(
        invalid("name empty", "name", b -> b.put("name", "")),
        invalid("name blank after trimming", "name", b -> b.put("name", "   ")),
        invalid("name of 65", "name", b -> b.put("name", "n".repeat(65))),
        invalid("name a number", "name", b -> b.put("name", 5)),
        invalid("statusMessage a number", "statusMessage", b -> b.put("statusMessage", 5)),
        invalid("statusMessage an object", "statusMessage", b -> b.putObject("statusMessage")),
        invalid("valid name, bad statusMessage", "statusMessage",
            b -> b.put("name", "Fine").put("statusMessage", false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPatches")
  void invalidPatchIs400NamingTheFieldAndChangesNothing(String why, String field, Consumer<ObjectNode> change) {
    Tokens tokens = api.newUser(uniqueId("badpatch"));
    JsonNode before = api.get("/api/users/me", tokens.accessToken()).json();
    ObjectNode body = json();
    change.accept(body);
    assertError(400, "VALIDATION_FAILED", field, api.patch("/api/users/me", tokens.accessToken(), body));
    assertEquals(before, api.get("/api/users/me", tokens.accessToken()).json());
  }

  @Test
  void patchWithoutTokenIs401() {
    assertUnauthorized(api.patch("/api/users/me", null, json("name", "Nobody")));
  }

  // ---- GET /api/users/{userId} ----

  @Test
  void publicProfileHasNoEmail() {
    String userId = uniqueId("pub");
    api.registered(userId);
    Tokens viewer = api.newUser(uniqueId("viewer"));

    JsonNode profile = assertJson(200, api.get("/api/users/" + userId, viewer.accessToken()),
        "userId", "name", "statusMessage", "online");
    assertEquals(userId, profile.get("userId").asText());
    assertEquals("Name of " + userId, profile.get("name").asText());
    assertTrue(profile.get("statusMessage").isTextual(), profile::toString);
    assertTrue(profile.get("online").isBoolean(), profile::toString);
  }

  @Test
  void unknownUserIs404() {
    Tokens viewer = api.newUser(uniqueId("viewer"));
    assertError(404, "USER_NOT_FOUND", api.get("/api/users/" + uniqueId("nobody"), viewer.accessToken()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "has%20space", "bad!char", "j%C3%BCrgen", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void impossibleUserIdIs404(String encodedId) {
    Tokens viewer = api.newUser(uniqueId("viewer"));
    assertError(404, "USER_NOT_FOUND", api.get("/api/users/" + encodedId, viewer.accessToken()));
  }

  @Test
  void publicProfileNeedsAToken() {
    String userId = uniqueId("pubauth");
    api.registered(userId);
    assertUnauthorized(api.get("/api/users/" + userId, null));
    assertUnauthorized(api.get("/api/users/" + uniqueId("nobody"), null));
  }
}
