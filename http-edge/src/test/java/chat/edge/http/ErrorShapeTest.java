package chat.edge.http;

import static chat.edge.ApiClient.assertError;
import static chat.edge.ApiClient.assertErrorShape;
import static chat.edge.ApiClient.json;
import static chat.edge.ApiClient.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.ApiClient.Tokens;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests the routes cannot take still get the contract's JSON error shape, never a stack trace. */
class ErrorShapeTest extends NodeTestBase {

  private static final int LIMIT = 64 * 1024;

  private static Tokens tokens;

  @BeforeAll
  static void setUp() {
    tokens = api.newUser(uniqueId("shape"));
  }

  /** Every endpoint that takes a JSON body: method, path, whether it needs the access token. */
  enum BodyEndpoint {
    REGISTER("POST", "/api/users", false),
    LOGIN("POST", "/api/auth/login", false),
    REFRESH("POST", "/api/auth/refresh", false),
    LOGOUT("POST", "/api/auth/logout", true),
    PATCH_ME("PATCH", "/api/users/me", true),
    ADD_FRIEND("POST", "/api/friends", true);

    final String method;
    final String path;
    final boolean authenticated;

    BodyEndpoint(String method, String path, boolean authenticated) {
      this.method = method;
      this.path = path;
      this.authenticated = authenticated;
    }

    Response send(String contentType, String body) {
      return api.sendText(method, path, authenticated ? tokens.accessToken() : null, contentType, body);
    }

    Response sendBytes(String contentType, byte[] body) {
      return api.send(method, path, authenticated ? "Bearer " + tokens.accessToken() : null, contentType,
          BodyPublishers.ofByteArray(body));
    }
  }

  static Stream<Arguments> everyBodyEndpointWith(String... bodies) {
    return Stream.of(BodyEndpoint.values()).flatMap(endpoint -> Stream.of(bodies).map(body -> Arguments.of(endpoint, body)));
  }

  static Stream<Arguments> malformedJson() {
    return everyBodyEndpointWith(
        "{", "{\"userId\":", "{'userId':'x'}", "{userId:\"x\"}", "not json", "{\"a\":1,}",
        "{\"userId\":\"x\"} trailing", "{\"userId\":\"x\"}}", "{} {}");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("malformedJson")
  void malformedJsonIs400(BodyEndpoint endpoint, String body) {
    assertErrorShape(400, endpoint.send(ApiClient.JSON, body));
  }

  static Stream<Arguments> notAnObject() {
    return everyBodyEndpointWith("[]", "[{\"userId\":\"x\"}]", "\"text\"", "42", "true", "null");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("notAnObject")
  void jsonThatIsNotAnObjectIs400(BodyEndpoint endpoint, String body) {
    assertErrorShape(400, endpoint.send(ApiClient.JSON, body));
  }

  static Stream<Arguments> emptyBodies() {
    return everyBodyEndpointWith("", "   ", "\n");
  }

  @ParameterizedTest(name = "{0} \"{1}\"")
  @MethodSource("emptyBodies")
  void anEmptyBodyIs400(BodyEndpoint endpoint, String body) {
    assertErrorShape(400, endpoint.send(ApiClient.JSON, body));
  }

  static Stream<Arguments> wrongContentTypes() {
    return everyBodyEndpointWith("text/plain", "application/x-www-form-urlencoded", "application/xml",
        "application/octet-stream");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("wrongContentTypes")
  void aWrongContentTypeIs415(BodyEndpoint endpoint, String contentType) {
    assertErrorShape(415, endpoint.send(contentType, json("userId", "someone").toString()));
  }

  @ParameterizedTest
  @MethodSource("chat.edge.http.ErrorShapeTest#bodyEndpoints")
  void aBodyWithoutContentTypeIs415(BodyEndpoint endpoint) {
    assertErrorShape(415, endpoint.send(null, json("userId", "someone").toString()));
  }

  static Stream<BodyEndpoint> bodyEndpoints() {
    return Stream.of(BodyEndpoint.values());
  }

  @Test
  void jsonWithACharsetParameterIsAccepted() {
    String userId = uniqueId("charset");
    Response response = api.sendText("POST", "/api/users", null, "application/json; charset=utf-8",
        ApiClient.registration(userId).toString());
    ApiClient.assertStatus(201, response);
  }

  /** Valid JSON padded with whitespace to exactly {@code size} bytes. */
  private static byte[] paddedLogin(int size) {
    String json = json("userId", "nobody-here", "password", "wrong-password").toString();
    byte[] body = (json + " ".repeat(size - json.length())).getBytes(StandardCharsets.US_ASCII);
    assertEquals(size, body.length);
    return body;
  }

  @Test
  void aBodyOfExactly64KiBIsRead() {
    assertError(401, "INVALID_CREDENTIALS", BodyEndpoint.LOGIN.sendBytes(ApiClient.JSON, paddedLogin(LIMIT)));
  }

  @ParameterizedTest
  @MethodSource("chat.edge.http.ErrorShapeTest#bodyEndpoints")
  void aBodyOver64KiBIs413(BodyEndpoint endpoint) {
    Response response = endpoint.sendBytes(ApiClient.JSON, paddedLogin(LIMIT + 1));
    assertErrorShape(413, response);
    // The unread rest of the body makes the connection unusable: the answer says it closes.
    assertEquals(Optional.of("close"), response.headers().firstValue("connection"), response::toString);
  }

  @Test
  void aMuchLargerBodyIs413() {
    assertErrorShape(413, BodyEndpoint.REGISTER.sendBytes(ApiClient.JSON, paddedLogin(1024 * 1024)));
  }

  @Test
  void aChunkedBodyOver64KiBIs413() {
    byte[] body = paddedLogin(LIMIT + 1);
    // Without a known length the client sends the body chunked.
    Response response = api.send("POST", "/api/auth/login", null, ApiClient.JSON,
        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    assertErrorShape(413, response);
  }

  @Test
  void aChunkedBodyWithinTheLimitIsRead() {
    byte[] body = paddedLogin(LIMIT);
    Response response = api.send("POST", "/api/auth/login", null, ApiClient.JSON,
        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    assertError(401, "INVALID_CREDENTIALS", response);
  }

  @ParameterizedTest
  @CsvSource({
      "GET, /nope",
      "GET, /client/nope.js",
      "GET, /api",
      "GET, /api/nope",
      "POST, /api/nope",
      "GET, /api/auth",
      "GET, /api/auth/nope",
      "GET, /api/users/someone/else",
      "POST, /api/users/someone/friends",
      "GET, /apis/users"})
  void anUnknownRouteIs404(String method, String path) {
    assertError(404, "NOT_FOUND", api.send(method, path, null, null, BodyPublishers.noBody()));
  }

  @ParameterizedTest
  @CsvSource({
      "GET, /api/users, false",
      "DELETE, /api/users, false",
      "PUT, /api/users, false",
      "GET, /api/auth/login, false",
      "PUT, /api/auth/login, false",
      "GET, /api/auth/refresh, false",
      "DELETE, /api/auth/refresh, false",
      "GET, /api/auth/logout, true",
      "DELETE, /api/users/me, true",
      "PUT, /api/users/me, true",
      "POST, /api/users/me, true",
      "DELETE, /api/users/someone, true",
      "PUT, /api/friends, true",
      "DELETE, /api/friends, true",
      "GET, /api/friends/someone, true",
      "POST, /api/friends/someone, true"})
  void aWrongMethodOnAKnownPathIs405(String method, String path, boolean authenticated) {
    String authorization = authenticated ? "Bearer " + tokens.accessToken() : null;
    assertErrorShape(405, api.send(method, path, authorization, null, BodyPublishers.noBody()));
  }
}
