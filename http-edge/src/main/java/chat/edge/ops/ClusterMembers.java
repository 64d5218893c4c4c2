package chat.edge.ops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Leave;

/** The cluster's members as this node sees them, and the operator's leave and down actions. */
public final class ClusterMembers {

  /** One member: {@code node} is its Artery host:port, {@code status} as {@link #statusName} writes it. */
  public record MemberState(String node, String status, List<String> roles, boolean leader, boolean reachable) {}

  /** What became of a leave or down request. */
  public enum Outcome { ACCEPTED, UNKNOWN_MEMBER, MEMBER_REACHABLE }

  private final Cluster cluster;

  public ClusterMembers(Cluster cluster) {
    this.cluster = cluster;
  }

  /** Every member this node knows, in Pekko's address order. */
  public List<MemberState> current() {
    CurrentClusterState state = cluster.state();
    Set<Member> unreachable = new HashSet<>(state.getUnreachable());
    Address leader = state.getLeader();
    List<MemberState> members = new ArrayList<>();
    for (Member member : state.getMembers()) {
      members.add(new MemberState(node(member.address()), statusName(member.status()),
          member.getRoles().stream().sorted().toList(), member.address().equals(leader),
          !unreachable.contains(member)));
    }
    return members;
  }

  /** The node leaves gracefully: its shards hand off and it shuts down. */
  public Outcome leave(String node) {
    Optional<Member> member = find(node);
    member.ifPresent(m -> cluster.manager().tell(Leave.create(m.address())));
    return member.isPresent() ? Outcome.ACCEPTED : Outcome.UNKNOWN_MEMBER;
  }

  /** Downs an unreachable node; a reachable one should leave instead. */
  public Outcome down(String node) {
    Optional<Member> member = find(node);
    if (member.isEmpty()) {
      return Outcome.UNKNOWN_MEMBER;
    }
    if (!cluster.state().getUnreachable().contains(member.get())) {
      return Outcome.MEMBER_REACHABLE;
    }
    cluster.manager().tell(new Down(member.get().address()));
    return Outcome.ACCEPTED;
  }

  private Optional<Member> find(String node) {
    for (Member member : cluster.state().getMembers()) {
      if (node(member.address()).equals(node)) {
        return Optional.of(member);
      }
    }
    return Optional.empty();
  }

  /** The address as {@code host:port}, the contract's {@code node}. */
  public static String node(Address address) {
    return address.getHost().orElse("") + ":" + address.getPort().map(String::valueOf).orElse("");
  }

  /** {@code Up} → up, {@code WeaklyUp} → weakly-up, … */
  public static String statusName(MemberStatus status) {
    return status.toString().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
  }
}
