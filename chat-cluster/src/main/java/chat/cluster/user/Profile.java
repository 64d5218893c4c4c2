package chat.cluster.user;

import java.time.Instant;

/** What a user tells about themselves. The status message is empty until set. */
public record Profile(String userId, String name, String email, String statusMessage, Instant createdAt) {}
