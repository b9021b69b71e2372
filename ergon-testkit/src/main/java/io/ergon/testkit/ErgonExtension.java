package io.ergon.testkit;

import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A fresh local node for each test (or for a whole class, from a {@code static} field), stopped after it:
 *
 * <pre>{@code
 * @RegisterExtension
 * final ErgonExtension ergon = ErgonExtension.create().manualTime();
 *
 * @Test
 * void greets(Node node, TestProbe probe) { ... }   // or ergon.node(), ergon.probe(), ergon.time()
 * }</pre>
 *
 * <p>The node starts on first use. After the test, its probes are closed and the node is shut down; the test fails
 * if a process did not stop within the shutdown timeout (it would have leaked past the node) or, with
 * {@link #failOnLeftoverProcesses()}, if a process the test started still ran when it ended. Test methods may take a
 * {@link Node}, a {@link TestProbe} (a new one each) or the {@link ManualTime} as parameters.
 */
public final class ErgonExtension extends Scoped implements ParameterResolver {
    private static final AtomicInteger NODES = new AtomicInteger();

    private NodeOptions options = NodeOptions.defaults().shutdownTimeout(Duration.ofSeconds(5));
    private ManualTime time;
    private boolean failOnLeftovers;
    private Node node;
    private Set<Pid> atStart = Set.of();
    private final List<TestProbe> probes = new ArrayList<>();

    private ErgonExtension() {
    }

    /** A local node with the default options and real time. */
    public static ErgonExtension create() {
        return new ErgonExtension();
    }

    /** Starts the node with {@code options} (their clock is replaced by {@link #manualTime()} if both are set). */
    public ErgonExtension options(NodeOptions options) {
        this.options = options;
        return this;
    }

    /** Runs the node by a {@link ManualTime}, which {@link #time()} gives. */
    public ErgonExtension manualTime() {
        this.time = ManualTime.create();
        return this;
    }

    /** Fails the test if a process it started (not a probe) still runs when it ends. */
    public ErgonExtension failOnLeftoverProcesses() {
        this.failOnLeftovers = true;
        return this;
    }

    /** The node, started on first use. */
    public synchronized Node node() {
        if (node == null) {
            NodeOptions o = time == null ? options : time.on(options);
            node = Node.start("ergon-test-" + NODES.incrementAndGet() + "@localhost", o);
            atStart = new HashSet<>(node.processes());
        }
        return node;
    }

    /** A new probe on the node, closed after the test. */
    public synchronized TestProbe probe() {
        TestProbe p = TestProbe.create(node());
        probes.add(p);
        return p;
    }

    /**
     * The node's manual clock.
     *
     * @throws IllegalStateException unless built with {@link #manualTime()}
     */
    public ManualTime time() {
        if (time == null) {
            throw new IllegalStateException("this ErgonExtension runs on real time: build it with manualTime()");
        }
        return time;
    }

    /**
     * Waits until each of {@code pids} has handled what it was sent and waits for more, idle or blocked in a receive
     * (or has ended): the timers and timeouts its handlers set are then set, and a {@link ManualTime} jump will see
     * them. Messages are asynchronous, so a test that moves the clock right after sending may otherwise move it
     * before the process has even started its wait.
     *
     * @throws AssertionError if one is still busy after {@link TestProbe#DEFAULT_TIMEOUT}
     * @see Quiescence
     */
    public void awaitQuiet(Pid... pids) {
        Quiescence.awaitProcesses(node(), TestProbe.DEFAULT_TIMEOUT, pids);
    }

    /** Waits until every process of the node is quiet (see {@link Quiescence#awaitNode}). */
    public void awaitQuiet() {
        Quiescence.awaitNode(node(), TestProbe.DEFAULT_TIMEOUT);
    }

    @Override
    synchronized void stop() {
        if (node == null) {
            return;
        }
        Node n = node;
        node = null;
        List<Pid> probePids = probes.stream().map(TestProbe::pid).toList();
        probes.forEach(TestProbe::close);
        probes.clear();
        List<Pid> leftovers = new ArrayList<>();
        for (Pid pid : n.processes()) {
            if (!atStart.contains(pid) && !probePids.contains(pid) && n.isAlive(pid)) {
                leftovers.add(pid);
            }
        }
        boolean clean = n.shutdown(n.options().shutdownTimeout());
        if (!clean) {
            throw new AssertionError("node " + n.name() + ": processes did not stop within "
                    + n.options().shutdownTimeout() + " of its shutdown (they would leak past it)");
        }
        if (failOnLeftovers && !leftovers.isEmpty()) {
            throw new AssertionError("the test left " + leftovers.size() + " process(es) running: " + leftovers);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Node.class || type == TestProbe.class || (type == ManualTime.class && time != null);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == Node.class) {
            return node();
        }
        return type == TestProbe.class ? probe() : time();
    }
}
