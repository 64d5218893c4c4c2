package chat.edge.http;

import static chat.edge.ApiClient.assertStatus;
import static chat.edge.ApiClient.assertUnauthorized;
import static chat.edge.ApiClient.json;
import static chat.edge.ApiClient.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.edge.ApiClient;
import chat.edge.ApiClient.Response;
import chat.edge.ApiClient.Tokens;
import chat.edge.TestNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every authenticated endpoint answers 401 with a Bearer challenge to anything but a valid access token. */
class BearerTokenTest extends NodeTestBase {

  private static byte[] nodeKey;
  private static String userId;
  private static String friendId;
  private static Tokens tokens;

  @BeforeAll
  static void setUp() throws Exception {
    // An embedded node keeps its generated signing key, base64, in its data directory.
    nodeKey = Base64.getDecoder().decode(
        Files.readString(dataDir.resolve("jwt-secret"), StandardCharsets.US_ASCII).trim());
    userId = uniqueId("holder");
    friendId = uniqueId("friend");
    tokens = api.newUser(userId);
    api.registered(friendId);
  }

  /** The authenticated endpoints, each with a body a valid caller could send. */
  enum Endpoint {
    LOGOUT("POST", "/api/auth/logout", true),
    GET_ME("GET", "/api/users/me", false),
    PATCH_ME("PATCH", "/api/users/me", true),
    GET_USER("GET", "/api/users/{friend}", false),
    GET_FRIENDS("GET", "/api/friends", false),
    ADD_FRIEND("POST", "/api/friends", true),
    REMOVE_FRIEND("DELETE", "/api/friends/{friend}", false);

    final String method;
    final String path;
    final boolean hasBody;

    Endpoint(String method, String path, boolean hasBody) {
      this.method = method;
      this.path = path;
      this.hasBody = hasBody;
    }

    Response call(String authorization) {
      String body = switch (this) {
        case LOGOUT -> json("refreshToken", tokens.refreshToken()).toString();
        case PATCH_ME -> json("name", "Changed By Intruder").toString();
        case ADD_FRIEND -> json("userId", friendId).toString();
        default -> null;
      };
      return api.send(method, path.replace("{friend}", friendId), authorization,
          hasBody ? ApiClient.JSON : null,
          body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    }
  }

  /** Authorization header values that must not authenticate anyone. */
  enum BadAuthorization {
    NO_HEADER,
    EMPTY_HEADER,
    SCHEME_ONLY,
    TOKEN_WITHOUT_SCHEME,
    BASIC_SCHEME,
    OTHER_SCHEME,
    GARBAGE_TOKEN,
    TRUNCATED_TOKEN,
    REFRESH_TOKEN_AS_ACCESS_TOKEN,
    SIGNED_WITH_ANOTHER_KEY,
    SIGNED_WITH_THE_CONFIGURABLE_TEST_KEY,
    ALG_NONE,
    ALG_NONE_WITH_ORIGINAL_SIGNATURE,
    EXPIRED,
    TAMPERED_SUBJECT,
    NO_EXPIRY;

    String header() throws Exception {
      String valid = tokens.accessToken();
      return switch (this) {
        case NO_HEADER -> null;
        case EMPTY_HEADER -> "";
        case SCHEME_ONLY -> "Bearer";
        case TOKEN_WITHOUT_SCHEME -> valid;
        case BASIC_SCHEME -> "Basic " + Base64.getEncoder().encodeToString(
            (userId + ":" + ApiClient.PASSWORD).getBytes(StandardCharsets.UTF_8));
        case OTHER_SCHEME -> "Token " + valid;
        case GARBAGE_TOKEN -> "Bearer not-a-jwt";
        case TRUNCATED_TOKEN -> "Bearer " + valid.substring(0, valid.lastIndexOf('.'));
        case REFRESH_TOKEN_AS_ACCESS_TOKEN -> "Bearer " + tokens.refreshToken();
        case SIGNED_WITH_ANOTHER_KEY -> {
          byte[] otherKey = new byte[48];
          new SecureRandom().nextBytes(otherKey);
          yield "Bearer " + hs256(otherKey, claims(userId, Instant.now().plus(Duration.ofMinutes(10))));
        }
        case SIGNED_WITH_THE_CONFIGURABLE_TEST_KEY -> "Bearer " + hs256(
            TestNode.JWT_SECRET.getBytes(StandardCharsets.UTF_8),
            claims(userId, Instant.now().plus(Duration.ofMinutes(10))));
        case ALG_NONE -> "Bearer " + new PlainJWT(claims(userId, Instant.now().plus(Duration.ofMinutes(10)))).serialize();
        case ALG_NONE_WITH_ORIGINAL_SIGNATURE -> {
          String[] parts = valid.split("\\.");
          String noneHeader = Base64.getUrlEncoder().withoutPadding()
              .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
          yield "Bearer " + noneHeader + "." + parts[1] + "." + parts[2];
        }
        case EXPIRED -> "Bearer " + hs256(nodeKey, claims(userId, Instant.now().minus(Duration.ofMinutes(1))));
        case TAMPERED_SUBJECT -> {
          String[] parts = valid.split("\\.");
          JWTClaimsSet original = SignedJWT.parse(valid).getJWTClaimsSet();
          JWTClaimsSet forged = new JWTClaimsSet.Builder(original).subject(friendId).build();
          String payload = Base64.getUrlEncoder().withoutPadding()
              .encodeToString(forged.toString().getBytes(StandardCharsets.UTF_8));
          yield "Bearer " + parts[0] + "." + payload + "." + parts[2];
        }
        case NO_EXPIRY -> "Bearer " + hs256(nodeKey, new JWTClaimsSet.Builder()
            .subject(userId).issuer("chat").issueTime(new Date()).build());
      };
    }
  }

  static JWTClaimsSet claims(String subject, Instant expiry) {
    return new JWTClaimsSet.Builder()
        .subject(subject)
        .issuer("chat")
        .issueTime(Date.from(expiry.minus(Duration.ofMinutes(15))))
        .expirationTime(Date.from(expiry))
        .build();
  }

  static String hs256(byte[] key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  static Stream<Arguments> everyEndpointWithEveryBadToken() {
    return Stream.of(Endpoint.values())
        .flatMap(endpoint -> Stream.of(BadAuthorization.values()).map(bad -> Arguments.of(endpoint, bad)));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("everyEndpointWithEveryBadToken")
  void isRefused(Endpoint endpoint, BadAuthorization bad) throws Exception {
    assertUnauthorized(endpoint.call(bad.header()));
  }

  @Test
  void refusedCallsChangeNothing() throws Exception {
    for (BadAuthorization bad : BadAuthorization.values()) {
      for (Endpoint endpoint : List.of(Endpoint.PATCH_ME, Endpoint.ADD_FRIEND, Endpoint.LOGOUT)) {
        assertUnauthorized(endpoint.call(bad.header()));
      }
    }
    Response me = api.get("/api/users/me", tokens.accessToken());
    assertEquals("Name of " + userId, me.json().get("name").asText());
    assertEquals(0, api.get("/api/friends", tokens.accessToken()).json().get("friends").size());
    // The refresh token presented to logout was not revoked; it is spent now, so keep its successor.
    Response refreshed = api.post("/api/auth/refresh", null, json("refreshToken", tokens.refreshToken()));
    assertStatus(200, refreshed);
    tokens = new Tokens(tokens.accessToken(), refreshed.json().get("refreshToken").asText());
  }

  /**
   * The forged tokens above are refused for what is wrong with them, not because they are built
   * differently: the same construction, correctly signed and unexpired, is accepted.
   */
  @Test
  void aTokenBuiltTheSameWayButValidIsAccepted() throws Exception {
    String forged = hs256(nodeKey, claims(userId, Instant.now().plus(Duration.ofMinutes(5))));
    Response response = api.get("/api/users/me", forged);
    assertStatus(200, response);
    assertEquals(userId, response.json().get("userId").asText());
  }

  @Test
  void theSchemeIsCaseInsensitiveAndTheValidTokenWorksEverywhere() {
    assertStatus(200, api.send("GET", "/api/users/me", "bearer " + tokens.accessToken(), null,
        BodyPublishers.noBody()));
    assertStatus(200, api.get("/api/friends", tokens.accessToken()));
    assertStatus(200, api.get("/api/users/" + friendId, tokens.accessToken()));
  }
}
