package chat.cluster.room;

import chat.cluster.CborSerializable;
import chat.cluster.UnicodeText;
import chat.cluster.room.RoomEvent.MemberJoined;
import chat.cluster.room.RoomEvent.MemberLeft;
import chat.cluster.room.RoomEvent.MembershipSynced;
import chat.cluster.room.RoomEvent.MessagePosted;
import chat.cluster.room.RoomEvent.MessagesPosted;
import chat.cluster.room.RoomEvent.ReadMarkMoved;
import chat.cluster.room.RoomEvent.RoomCreated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A room's state and its decisions in plain Java. Decisions only read; {@link #apply} changes the
 * state in place, because a room remembers its last 10,000 sends and copying that on every
 * message would cost more than the message. The snapshot store gets an immutable copy.
 */
public final class RoomState {

  private final String roomId;
  private String name;
  private String createdBy;
  private Instant createdAt;
  private final Set<String> members = new LinkedHashSet<>();
  private long lastSeq;
  private Message lastMessage;
  private final Map<String, Long> readMarks = new HashMap<>();
  /**
   * Per member, the seqs of their own messages above their read mark: unread counts the others'
   * messages only. Usually empty, since a member who had read everything moves their mark with
   * their own message instead.
   */
  private final Map<String, List<Long>> ownAboveMark = new HashMap<>();
  /** Members' user entities not yet told: user id to whether they are in the room. */
  private final Map<String, Boolean> membershipSync = new HashMap<>();
  private RecentSends recentSends = new RecentSends();

  public RoomState(String roomId) {
    this.roomId = roomId;
  }

  public boolean created() {
    return createdAt != null;
  }

  public boolean isMember(String userId) {
    return members.contains(userId);
  }

  public long lastSeq() {
    return lastSeq;
  }

  public List<String> members() {
    return List.copyOf(members);
  }

  public Map<String, Boolean> membershipSync() {
    return Map.copyOf(membershipSync);
  }

  /** The member's view; a room without a name is named after its members. */
  public RoomView viewFor(String userId) {
    List<String> memberList = members();
    long unread = lastSeq - readMarks.getOrDefault(userId, 0L) - ownAboveMark.getOrDefault(userId, List.of()).size();
    return new RoomView(roomId, RoomView.shownName(name, memberList), memberList, createdBy, createdAt, lastSeq,
        lastMessage, unread);
  }

  /** The seq and time a send with this (sender, clientMsgId) got, if it is among the recent ones. */
  public Optional<RecentSends.Sent> previousSend(String senderId, String clientMsgId) {
    return recentSends.find(senderId, clientMsgId);
  }

  // ---- decisions ----

  /** The creator is a member first; listed members follow in order, each once. */
  public RoomDecision create(String name, String createdBy, List<String> invitees, Instant now) {
    if (created()) {
      return RoomDecision.reject(RoomError.ROOM_EXISTS);
    }
    Set<String> all = new LinkedHashSet<>();
    all.add(createdBy);
    all.addAll(invitees);
    String trimmed = name == null || name.isBlank() ? null : name.strip();
    return RoomDecision.accept(new RoomCreated(roomId, trimmed, createdBy, List.copyOf(all), now));
  }

  public RoomDecision invite(String inviter, String invitee, boolean inviteeIsFriend, Instant now) {
    Optional<RoomError> refusal = refusal(inviter);
    if (refusal.isPresent()) {
      return RoomDecision.reject(refusal.get());
    }
    if (!inviteeIsFriend) {
      return RoomDecision.reject(RoomError.NOT_A_FRIEND);
    }
    if (members.contains(invitee)) {
      return RoomDecision.reject(RoomError.ALREADY_MEMBER);
    }
    return RoomDecision.accept(new MemberJoined(invitee, inviter, now));
  }

  public RoomDecision leave(String userId, Instant now) {
    return refusal(userId)
        .map(RoomDecision::reject)
        .orElseGet(() -> RoomDecision.accept(new MemberLeft(userId, now)));
  }

  /** One post, decided alone: see {@link #post(List, Instant)}. */
  public Posting post(String senderId, String clientMsgId, String text, Instant now) {
    return post(List.of(new PostRequest(senderId, clientMsgId, text)), now);
  }

  /** A message a member asks to post. */
  public record PostRequest(String senderId, String clientMsgId, String text) {}

  /** How a post is answered: refused, or accepted as a new message or as a repeat of an earlier send. */
  public record PostAnswer(Optional<RoomError> refusal, boolean repeat) {
    static final PostAnswer NEW = new PostAnswer(Optional.empty(), false);
    static final PostAnswer REPEAT = new PostAnswer(Optional.empty(), true);

    static PostAnswer refused(RoomError error) {
      return new PostAnswer(Optional.of(error), false);
    }

    public boolean accepted() {
      return refusal.isEmpty();
    }
  }

  /** Posts decided together: one answer per post, in order, and the events that store the new messages. */
  public record Posting(List<PostAnswer> answers, List<RoomEvent> events) {}

  /**
   * Posts decided together, as if one after another: each new message takes the next seq, and a
   * (sender, clientMsgId) already sent, before or earlier in the same list, adds nothing (the
   * caller answers with the original). The new messages are stored as one {@link MessagesPosted}.
   */
  public Posting post(List<PostRequest> requests, Instant now) {
    List<PostAnswer> answers = new ArrayList<>(requests.size());
    List<MessagePosted> messages = new ArrayList<>();
    Set<List<String>> inBatch = new HashSet<>();
    long nextSeq = lastSeq + 1;
    for (PostRequest request : requests) {
      Optional<RoomError> refusal = refusal(request.senderId());
      if (refusal.isPresent()) {
        answers.add(PostAnswer.refused(refusal.get()));
      } else if (!UnicodeText.isWellFormed(request.text()) || !UnicodeText.isWellFormed(request.clientMsgId())) {
        // The edge refuses such text first; here it keeps one post from failing its whole batch's write.
        answers.add(PostAnswer.refused(RoomError.MALFORMED_TEXT));
      } else if (previousSend(request.senderId(), request.clientMsgId()).isPresent()
          || !inBatch.add(List.of(request.senderId(), request.clientMsgId()))) {
        answers.add(PostAnswer.REPEAT);
      } else {
        answers.add(PostAnswer.NEW);
        messages.add(new MessagePosted(nextSeq++, request.senderId(), request.clientMsgId(), request.text(), now));
      }
    }
    return new Posting(answers, messages.isEmpty() ? List.of() : List.of(new MessagesPosted(messages)));
  }

  /** Read marks only move forward and never past the newest message. */
  public RoomDecision markRead(String userId, long seq, Instant now) {
    Optional<RoomError> refusal = refusal(userId);
    if (refusal.isPresent()) {
      return RoomDecision.reject(refusal.get());
    }
    long target = Math.min(seq, lastSeq);
    if (target <= readMarks.getOrDefault(userId, 0L)) {
      return RoomDecision.accept();
    }
    return RoomDecision.accept(new ReadMarkMoved(userId, target, now));
  }

  /** A user entity confirmed; a confirmation for a state since replaced records nothing. */
  public RoomDecision membershipSynced(String userId, boolean member, Instant now) {
    if (!Objects.equals(membershipSync.get(userId), member)) {
      return RoomDecision.accept();
    }
    return RoomDecision.accept(new MembershipSynced(userId, member, now));
  }

  /** Why {@code userId} may not use the room, if they may not. */
  public Optional<RoomError> refusal(String userId) {
    if (!created()) {
      return Optional.of(RoomError.ROOM_NOT_FOUND);
    }
    if (!members.contains(userId)) {
      return Optional.of(RoomError.NOT_A_MEMBER);
    }
    return Optional.empty();
  }

  // ---- events ----

  public RoomState apply(RoomEvent event) {
    if (event instanceof RoomCreated e) {
      name = e.name();
      createdBy = e.createdBy();
      createdAt = e.at();
      for (String member : e.members()) {
        members.add(member);
        membershipSync.put(member, true);
      }
    } else if (event instanceof MemberJoined e) {
      members.add(e.userId());
      // A newcomer starts with nothing unread; the history stays readable.
      readMarks.put(e.userId(), lastSeq);
      membershipSync.put(e.userId(), true);
    } else if (event instanceof MemberLeft e) {
      members.remove(e.userId());
      readMarks.remove(e.userId());
      ownAboveMark.remove(e.userId());
      membershipSync.put(e.userId(), false);
    } else if (event instanceof MessagePosted || event instanceof MessagesPosted) {
      event.messages().forEach(this::applyMessage);
    } else if (event instanceof ReadMarkMoved e) {
      readMarks.put(e.userId(), e.seq());
      List<Long> own = ownAboveMark.get(e.userId());
      if (own != null) {
        own.removeIf(seq -> seq <= e.seq());
        if (own.isEmpty()) {
          ownAboveMark.remove(e.userId());
        }
      }
    } else if (event instanceof MembershipSynced e) {
      membershipSync.remove(e.userId());
    } else {
      throw new IllegalArgumentException("unknown room event " + event.getClass().getName());
    }
    return this;
  }

  private void applyMessage(MessagePosted e) {
    lastSeq = e.seq();
    lastMessage = e.in(roomId);
    recentSends.record(e.seq(), e.senderId(), e.clientMsgId(), e.at());
    if (readMarks.getOrDefault(e.senderId(), 0L) == e.seq() - 1) {
      readMarks.put(e.senderId(), e.seq());
    } else {
      ownAboveMark.computeIfAbsent(e.senderId(), id -> new ArrayList<>()).add(e.seq());
    }
  }

  // ---- snapshots ----

  /** An immutable copy of the state, for the snapshot store. */
  public record Snapshot(
      String roomId,
      String name,
      String createdBy,
      Instant createdAt,
      List<String> members,
      long lastSeq,
      Message lastMessage,
      Map<String, Long> readMarks,
      Map<String, List<Long>> ownAboveMark,
      Map<String, Boolean> membershipSync,
      RecentSends.Snapshot recentSends)
      implements CborSerializable {}

  public Snapshot snapshot() {
    return new Snapshot(roomId, name, createdBy, createdAt, members(), lastSeq, lastMessage,
        Map.copyOf(readMarks), copyOfLists(ownAboveMark), Map.copyOf(membershipSync), recentSends.snapshot());
  }

  private static Map<String, List<Long>> copyOfLists(Map<String, List<Long>> lists) {
    Map<String, List<Long>> copy = new HashMap<>();
    lists.forEach((key, list) -> copy.put(key, List.copyOf(list)));
    return Map.copyOf(copy);
  }

  public static RoomState from(Snapshot snapshot) {
    RoomState state = new RoomState(snapshot.roomId());
    state.name = snapshot.name();
    state.createdBy = snapshot.createdBy();
    state.createdAt = snapshot.createdAt();
    state.members.addAll(snapshot.members());
    state.lastSeq = snapshot.lastSeq();
    state.lastMessage = snapshot.lastMessage();
    state.readMarks.putAll(snapshot.readMarks());
    snapshot.ownAboveMark().forEach((userId, seqs) -> state.ownAboveMark.put(userId, new ArrayList<>(seqs)));
    state.membershipSync.putAll(snapshot.membershipSync());
    state.recentSends = RecentSends.from(snapshot.recentSends());
    return state;
  }
}
