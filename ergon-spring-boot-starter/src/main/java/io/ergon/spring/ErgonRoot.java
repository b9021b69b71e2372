package io.ergon.spring;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.gen.SupervisorClient;
import io.ergon.gen.SupervisorSpec;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import java.util.List;

/**
 * The supervisor of a Spring application's processes: one {@code one_for_one} supervisor, registered as
 * {@code ergon_root} (or {@code ergon.root.name}), whose children are the application's {@link ChildSpec} beans in
 * their {@code @Order}. A child that crashes is restarted by OTP's rules; more than the default intensity of
 * restarts in its period ends the root, and the health indicator reports it down. It starts with the context and
 * stops before the node, its children newest first.
 */
public final class ErgonRoot {
    /** The root supervisor's registered name unless {@code ergon.root.name} says otherwise. */
    public static final String DEFAULT_NAME = "ergon_root";

    private final Node node;
    private final Pid pid;
    private final String name;

    private ErgonRoot(Node node, Pid pid, String name) {
        this.node = node;
        this.pid = pid;
        this.name = name;
    }

    static ErgonRoot start(Node node, List<ChildSpec> children, String name) {
        SupervisorSpec spec = Supervisor.spec(Strategy.ONE_FOR_ONE);
        for (ChildSpec child : children) {
            spec = spec.child(child);
        }
        return new ErgonRoot(node, Supervisor.start(node, name, spec), name);
    }

    /** The root supervisor's pid. */
    public Pid pid() {
        return pid;
    }

    /** Its registered name. */
    public String name() {
        return name;
    }

    /** A client to start, stop and list the root's children at run time. */
    public SupervisorClient client() {
        return Supervisor.client(node, pid);
    }

    /** Whether the root supervisor is alive (false after it gave up, or after the context closed). */
    public boolean isRunning() {
        return node.isAlive(pid);
    }

    /** Stops the root supervisor and its children, newest first; called by the context as it closes. */
    public void stop() {
        if (isRunning()) {
            client().stop();
        }
    }
}
