package chat.cluster.user;

import java.util.List;

/** A registered user as the entity answers queries: the profile, the friends and the rooms, sorted. */
public record UserView(Profile profile, List<String> friends, List<String> rooms) {}
