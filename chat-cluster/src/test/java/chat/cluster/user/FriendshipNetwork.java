package chat.cluster.user;

import chat.cluster.user.UserState.Friendship;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Users' states wired together the way {@link UserEntity} wires them, without actors: a decision's
 * events are applied and journaled, {@link #tell} builds the syncs the entity sends for its pending
 * changes, and {@link #deliver} handles a sync or an answer. Which messages arrive, in what order
 * and how often is left to the test.
 */
final class FriendshipNetwork {

  static final Instant T0 = Instant.parse("2026-11-24T10:00:00.000Z");

  sealed interface Message permits Sync, Answer {}

  /** {@link UserEntity.SyncFriendship} from {@code from} to {@code to}. */
  record Sync(String from, String to, boolean linked, long version) implements Message {}

  /** {@link UserEntity.FriendshipSynced} from {@code from} (the peer) back to {@code to}. */
  record Answer(String from, String to, boolean linked, long version, boolean exists)
      implements Message {}

  private final Map<String, UserState> states = new HashMap<>();
  private final Map<String, List<UserEvent>> journals = new HashMap<>();

  FriendshipNetwork(String... userIds) {
    for (String id : userIds) {
      run(id, s -> s.register(id, id, id + "@example.com", "hash", T0));
    }
  }

  UserState state(String userId) {
    return states.getOrDefault(userId, UserState.empty());
  }

  /** Decides on the user's current state, applies and journals the events. */
  Decision run(String userId, Function<UserState, Decision> decide) {
    UserState state = state(userId);
    Decision decision = decide.apply(state);
    for (UserEvent event : decision.events()) {
      state = state.apply(event);
      journals.computeIfAbsent(userId, k -> new ArrayList<>()).add(event);
    }
    states.put(userId, state);
    return decision;
  }

  /** The syncs the user's entity sends now: one per pending change (after a change, a retry tick, a recovery). */
  List<Sync> tell(String userId) {
    List<Sync> syncs = new ArrayList<>();
    state(userId).peerSync().forEach((peerId, pending) ->
        syncs.add(new Sync(userId, peerId, pending.linked(), pending.version())));
    return syncs;
  }

  /** Handles the message at its recipient; a sync returns the recipient's answer. */
  Optional<Answer> deliver(Message message) {
    if (message instanceof Sync s) {
      Decision decision = run(s.to(), st -> st.syncFromPeer(s.from(), s.linked(), s.version(), T0));
      if (!decision.accepted()) {
        return Optional.of(new Answer(s.to(), s.from(), false, 0, false));
      }
      Friendship held = state(s.to()).friendship(s.from());
      return Optional.of(new Answer(s.to(), s.from(), held.linked(), held.version(), true));
    }
    Answer a = (Answer) message;
    run(a.to(), st -> st.peerSynced(a.from(), a.linked(), a.version(), a.exists(), T0));
    return Optional.empty();
  }

  /** The state the user's entity recovers from its journal. */
  UserState recovered(String userId) {
    UserState state = UserState.empty();
    for (UserEvent event : journals.getOrDefault(userId, List.of())) {
      state = state.apply(event);
    }
    return state;
  }
}
