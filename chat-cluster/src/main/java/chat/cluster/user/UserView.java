package chat.cluster.user;

import java.util.List;

/**
 * A registered user as the entity answers queries: the profile, the friends and the rooms,
 * sorted, and whether the user has a live connection anywhere in the cluster.
 */
public record UserView(Profile profile, List<String> friends, List<String> rooms, boolean online) {

  public UserView withOnline(boolean isOnline) {
    return new UserView(profile, friends, rooms, isOnline);
  }
}
