package chat.edge.auth;

/** What login and refresh hand out. */
public record TokenPair(String accessToken, String refreshToken, long expiresIn) {}
