package io.ergon.gen;

import static org.assertj.core.api.Assertions.fail;

import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A test's mailbox that children report their lifecycle to, with expectations that wait up to a deadline. */
final class Events implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** A child's init ran (sent from init, so in start order). */
    record Started(String id, Pid pid) {
    }

    /** A child's terminate ran with this reason. */
    record Stopped(String id, Object reason) {
    }

    private final Mailbox mailbox;

    Events(Node node) {
        this.mailbox = node.mailbox();
    }

    Pid pid() {
        return mailbox.pid();
    }

    Mailbox mailbox() {
        return mailbox;
    }

    /** The next message that matches, failing the test if none comes in time. */
    Object expect(Predicate<Object> match) {
        Object m = mailbox.receive(match, WAIT);
        if (m == null) {
            fail("no matching message within " + WAIT);
        }
        return m;
    }

    <T> T expect(Class<T> type) {
        return type.cast(expect(type::isInstance));
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
            Object m = expect(x -> x instanceof Started || x instanceof Stopped);
            out.add(m instanceof Started s ? "start " + s.id() : "stop " + ((Stopped) m).id());
        }
        return out;
    }

    /** The lifecycle events that arrive until {@code quiet} passes without one, as "start a,stop b". */
    String drain(Duration quiet) {
        List<String> out = new ArrayList<>();
        Object m;
        while ((m = mailbox.receive(x -> x instanceof Started || x instanceof Stopped, quiet)) != null) {
            out.add(m instanceof Started s ? "start " + s.id() : "stop " + ((Stopped) m).id());
        }
        return String.join(",", out);
    }

    /** Fails if a lifecycle event arrives within {@code quiet}. */
    void expectNoLifecycle(Duration quiet) {
        Object m = mailbox.receive(x -> x instanceof Started || x instanceof Stopped, quiet);
        if (m != null) {
            fail("expected no lifecycle event but got " + m);
        }
    }

    @Override
    public void close() {
        mailbox.close();
    }
}
