package chat.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.projections.status.ProjectionStatusRegistry.Status;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.MemberStatus;
import org.junit.jupiter.api.Test;

class ClusterSnapshotTest {

  private static final Figures FIGURES = new Figures(3, 1.5, 4.5, 25.0, 100, 1000, 0.25);

  private static Status running(String projection, String slice) {
    return new Status(projection, slice, "7", 7L, 1_000, 0, 0, 0, null, true);
  }

  private static Status stopped(String projection, String slice, long failures) {
    return new Status(projection, slice, "5", 5L, 1_000, 250, 1, failures, failures > 0 ? "boom" : null, false);
  }

  private static NodeStats stats(String node, List<Status> projections) {
    return new NodeStats("http://" + node, "2026-11-30T10:00:00.000Z", FIGURES,
        List.of(new ShardCount("room", 4, 9), new ShardCount("user", 2, 3)), projections);
  }

  @Test
  void aSilentMemberHasNullStatsButKeepsWhereItServes() {
    List<ClusterMembers.MemberState> members = List.of(
        new ClusterMembers.MemberState("a:1", "up", List.of(), true, true),
        new ClusterMembers.MemberState("b:2", "up", List.of("dc-default"), false, false),
        new ClusterMembers.MemberState("c:3", "joining", List.of(), false, true));
    Map<String, NodeStats> answers = new HashMap<>();
    answers.put("a:1", stats("a:1", List.of(running("room-read", "room-0"))));
    answers.put("b:2", null);
    answers.put("c:3", null);
    Map<String, NodeStats> lastKnown = Map.of("b:2", stats("b:2", List.of(running("room-read", "room-1"))));

    ClusterSnapshot snapshot = ClusterSnapshot.of(Instant.parse("2026-11-30T10:00:01Z"), members, answers, lastKnown);

    assertEquals("2026-11-30T10:00:01.000Z", snapshot.at());
    ClusterSnapshot.Member a = snapshot.members().get(0);
    assertEquals(FIGURES, a.stats());
    assertTrue(a.leader());
    ClusterSnapshot.Member b = snapshot.members().get(1);
    assertNull(b.stats());
    assertFalse(b.reachable());
    assertEquals("http://b:2", b.httpUrl());
    assertEquals("2026-11-30T10:00:00.000Z", b.upSince());
    ClusterSnapshot.Member c = snapshot.members().get(2);
    assertNull(c.stats());
    assertNull(c.httpUrl());
    // Only what answered now counts for shards and projections.
    assertEquals(List.of(new ClusterSnapshot.Shards("room", "a:1", 4, 9), new ClusterSnapshot.Shards("user", "a:1", 2, 3)),
        snapshot.shards());
    assertEquals(List.of("a:1/room-read/room-0"), snapshot.projections().stream()
        .map(p -> p.node() + "/" + p.name() + "/" + p.slice()).toList());
  }

  @Test
  void anInstanceThatMovedIsShownWhereItRunsAndOneThatFailedEverywhereIsShownToo() {
    List<ClusterMembers.MemberState> members = List.of(
        new ClusterMembers.MemberState("a:1", "up", List.of(), true, true),
        new ClusterMembers.MemberState("b:2", "up", List.of(), false, true));
    Map<String, NodeStats> answers = Map.of(
        "a:1", stats("a:1", List.of(stopped("room-read", "room-0", 0), stopped("user-read", "user-3", 2))),
        "b:2", stats("b:2", List.of(running("room-read", "room-0"))));

    ClusterSnapshot snapshot = ClusterSnapshot.of(Instant.EPOCH, members, answers, Map.of());

    assertEquals(List.of("b:2/room-read/room-0/true", "a:1/user-read/user-3/false"), snapshot.projections().stream()
        .map(p -> p.node() + "/" + p.name() + "/" + p.slice() + "/" + p.running()).toList());
    ClusterSnapshot.ProjectionInstance failed = snapshot.projections().get(1);
    assertEquals(5L, failed.offset());
    assertEquals("boom", failed.lastError());
    assertEquals("1970-01-01T00:00:01.000Z", failed.lastEventAt());
  }

  @Test
  void memberStatusesReadAsTheContractWritesThem() {
    assertEquals("up", ClusterMembers.statusName(MemberStatus.up()));
    assertEquals("weakly-up", ClusterMembers.statusName(MemberStatus.weaklyUp()));
    assertEquals("leaving", ClusterMembers.statusName(MemberStatus.leaving()));
  }
}
