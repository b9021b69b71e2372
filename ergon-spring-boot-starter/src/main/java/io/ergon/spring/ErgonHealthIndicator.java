package io.ergon.spring;

import io.ergon.node.Node;
import io.ergon.term.Atom;
import java.util.List;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Actuator's {@code ergon} health: UP while the node runs and its root supervisor is alive, DOWN otherwise; the
 * details name the node, whether it is distributed, the peers it is connected to, and its process count.
 */
public class ErgonHealthIndicator extends AbstractHealthIndicator {
    private final Node node;
    private final ErgonRoot root;

    public ErgonHealthIndicator(Node node, ErgonRoot root) {
        super("Ergon health check failed");
        this.node = node;
        this.root = root;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = !node.isShuttingDown() && root.isRunning();
        builder.status(up ? "UP" : "DOWN")
                .withDetail("node", node.name().name())
                .withDetail("distributed", node.isDistributed())
                .withDetail("rootSupervisor", root.isRunning() ? "running" : "stopped")
                .withDetail("processes", node.processCount());
        if (node.isDistributed()) {
            List<String> peers = node.nodes().stream().map(Atom::name).toList();
            builder.withDetail("connectedNodes", peers);
        }
    }
}
