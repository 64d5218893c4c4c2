package chat.cluster.user;

import java.util.List;

/** A registered user as the entity answers queries: the profile and the friends, sorted by userId. */
public record UserView(Profile profile, List<String> friends) {}
