package chat.edge;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;

/** Joins the nodes named by {@code chat.cluster.seed-nodes}, or forms a cluster of one. */
final class ClusterJoin {

  private ClusterJoin() {}

  static void join(ActorSystem<?> system, Config config) {
    Cluster cluster = Cluster.get(system);
    List<Address> seeds = seedNodes(system.name(), config.getString("chat.cluster.seed-nodes"));
    if (seeds.isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      cluster.manager().tell(new JoinSeedNodes(seeds));
    }
  }

  /** Parses {@code host:port,host:port} into Artery addresses of the named actor system. */
  static List<Address> seedNodes(String systemName, String value) {
    return Arrays.stream(value.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(hostPort -> {
          int colon = hostPort.lastIndexOf(':');
          if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("CHAT_SEED_NODES entries must be host:port, got '" + hostPort + "'");
          }
          int port;
          try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CHAT_SEED_NODES entries must be host:port, got '" + hostPort + "'");
          }
          return new Address("pekko", systemName, hostPort.substring(0, colon), port);
        })
        .toList();
  }
}
