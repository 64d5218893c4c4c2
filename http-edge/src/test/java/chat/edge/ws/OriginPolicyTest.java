package chat.edge.ws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  private static boolean allows(String policy, String origin, String host) {
    return OriginPolicy.parse(policy).allows(Optional.ofNullable(origin), host);
  }

  @Test
  void byDefaultOnlyPagesOfTheSameHostMayConnect() {
    assertTrue(allows("", null, "chat.example.com"), "no Origin: not a browser");
    assertTrue(allows("", "https://chat.example.com", "chat.example.com"));
    assertTrue(allows("", "https://chat.example.com", "chat.example.com:443"));
    assertTrue(allows("", "http://localhost:8080", "localhost:8080"));
    assertTrue(allows("", "HTTP://LocalHost:8080", "localhost:8080"));
    assertFalse(allows("", "http://localhost:8081", "localhost:8080"));
    assertFalse(allows("", "https://evil.example", "chat.example.com"));
    assertFalse(allows("", "https://chat.example.com.evil.example", "chat.example.com"));
    assertFalse(allows("", "null", "chat.example.com"), "a sandboxed page or a file");
    assertFalse(allows("", "not a url", "chat.example.com"));
  }

  @Test
  void listedOriginsOrAnyMayConnect() {
    String policy = "https://app.example.com, https://admin.example.com";
    assertTrue(allows(policy, "https://app.example.com", "api.example.com"));
    assertTrue(allows(policy, "https://admin.example.com", "api.example.com"));
    assertFalse(allows(policy, "http://app.example.com", "api.example.com"), "the scheme is part of a listed origin");
    assertFalse(allows(policy, "https://other.example.com", "api.example.com"));
    assertTrue(allows("*", "https://anyone.example", "api.example.com"));
  }
}
