package chat.edge;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.discovery.Lookup;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the cluster through Pekko Cluster Bootstrap, finding contact points with the Kubernetes
 * API (settings in bootstrap.conf). Started once Pekko Management serves: the bootstrap routes on
 * the management port are this node's own contact point.
 */
final class KubernetesBootstrap {

  private static final Logger log = LoggerFactory.getLogger(KubernetesBootstrap.class);
  private static final String DISCOVERY = "pekko.management.cluster.bootstrap.contact-point-discovery";

  private KubernetesBootstrap() {}

  static void start(ActorSystem<?> system) {
    ClusterBootstrap bootstrap = ClusterBootstrap.get(system);
    bootstrap.start();
    reportApiAccess(system, bootstrap);
  }

  /**
   * Lists the pods once and says in one line whether that works. Bootstrap retries on its own
   * and the node stays not ready (not a member) until it can; a failure here is almost always
   * RBAC (403) or a missing service account token, which an operator must fix.
   */
  private static void reportApiAccess(ActorSystem<?> system, ClusterBootstrap bootstrap) {
    Config config = system.settings().config();
    Config discovery = config.getConfig(DISCOVERY);
    String selector = config.getString("pekko.discovery.kubernetes-api.pod-label-selector");
    Lookup lookup = Lookup.create(discovery.getString("service-name"))
        .withPortName(discovery.getString("port-name"));
    bootstrap.discovery().lookup(lookup, discovery.getDuration("resolve-timeout"))
        .whenComplete((resolved, failure) -> {
          if (failure != null) {
            log.error("Kubernetes API: cannot list the pods with labels [{}] ({}). This node stays not ready "
                    + "and joins no cluster until it can. A 403 means the pod's ServiceAccount lacks the Role "
                    + "granting pods get/watch/list.", selector, failure.getMessage());
          } else {
            log.info("Kubernetes API: {} running pods with labels [{}] and a port named {}; a new cluster needs {}",
                resolved.getAddresses().size(), selector, discovery.getString("port-name"),
                discovery.getInt("required-contact-point-nr"));
          }
        });
  }
}
