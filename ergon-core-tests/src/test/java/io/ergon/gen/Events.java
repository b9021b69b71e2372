package io.ergon.gen;

import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The behaviour tests' vocabulary over a {@link TestProbe}: children report their lifecycle to it
 * ({@link Started}, {@link Stopped}), and a test reads it as "start a", "stop b".
 */
final class Events implements AutoCloseable {
    /** How long an expectation waits: the testkit's (10 s in this build, which runs beside other work). */
    static final Duration WAIT = TestProbe.DEFAULT_TIMEOUT;

    /** A child's init ran (sent from init, so in start order). */
    record Started(String id, Pid pid) {
    }

    /** A child's terminate ran with this reason. */
    record Stopped(String id, Object reason) {
    }

    private static final Predicate<Object> LIFECYCLE = x -> x instanceof Started || x instanceof Stopped;
    private final TestProbe probe;

    Events(Node node) {
        this.probe = TestProbe.create(node);
    }

    Pid pid() {
        return probe.pid();
    }

    Mailbox mailbox() {
        return probe.mailbox();
    }

    /** The first message that matches (others keep their places), failing the test if none comes in time. */
    Object expect(Predicate<Object> match) {
        return probe.expectMatching(match);
    }

    <T> T expect(Class<T> type) {
        return probe.expectMatching(type);
    }

    Started started(String id) {
        return (Started) expect(m -> m instanceof Started s && s.id().equals(id));
    }

    Stopped stopped(String id) {
        return (Stopped) expect(m -> m instanceof Stopped s && s.id().equals(id));
    }

    /** The next {@code n} lifecycle events, in arrival order, rendered as "start a", "stop b". */
    List<String> lifecycle(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(render(expect(LIFECYCLE)));
        }
        return out;
    }

    /** The lifecycle events that arrive until {@code quiet} passes without one, as "start a,stop b". */
    String drain(Duration quiet) {
        List<String> out = new ArrayList<>();
        Object m;
        while ((m = probe.mailbox().receive(LIFECYCLE, quiet)) != null) {
            out.add(render(m));
        }
        return String.join(",", out);
    }

    /** Fails if a lifecycle event arrives within {@code quiet}. */
    void expectNoLifecycle(Duration quiet) {
        Object m = probe.mailbox().receive(LIFECYCLE, quiet);
        if (m != null) {
            throw new AssertionError("expected no lifecycle event but got " + m);
        }
    }

    private static String render(Object m) {
        return m instanceof Started s ? "start " + s.id() : "stop " + ((Stopped) m).id();
    }

    @Override
    public void close() {
        probe.close();
    }
}
