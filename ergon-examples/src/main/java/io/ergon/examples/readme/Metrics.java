package io.ergon.examples.readme;

import io.ergon.gen.GenServer;
import io.ergon.micrometer.ErgonMetrics;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.node.NodeStats;
import io.ergon.term.Pid;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;

/**
 * The README's "Metrics" section: its region between {@code // [snippet metrics]} and {@code // [end]} is the
 * README's {@code java} block there, word for word. A class of its own, so that the rest of the tour does not need
 * Micrometer on the class path.
 */
public final class Metrics {
    private Metrics() {
    }

    /** Binds the meters, makes a call, and returns the calls the timer counted and the spawns the node counted. */
    public static List<Object> metrics(Node node) {
        // [snippet metrics]
        MeterRegistry registry = new SimpleMeterRegistry();          // or Prometheus', or Spring Boot's
        ErgonMetrics metrics = ErgonMetrics.bindTo(node, registry);  // metrics.close() removes its meters
        Pid server = node.spawn(Echo::new);
        node.call(server, "hello");
        double calls = registry.get("ergon.calls").tag("outcome", "ok").timer().count();   // 1
        NodeStats stats = node.stats();                              // what the meters read: spawned 1, ...
        // [end]
        metrics.close();
        return List.of(calls, stats.spawned());
    }

    /** Answers each call with its request. */
    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }
}
