package io.ergon.node;

import static org.assertj.core.api.Assertions.fail;

import io.ergon.term.Pid;
import java.time.Duration;
import java.util.function.Predicate;

/** A test's mailbox with expectations that wait up to a deadline. */
final class Probe implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private final Mailbox mailbox;

    Probe(Node node) {
        this.mailbox = node.mailbox();
    }

    Pid pid() {
        return mailbox.pid();
    }

    Mailbox mailbox() {
        return mailbox;
    }

    /** The next message, failing the test if none arrives within {@link #WAIT}. */
    Object next() {
        Object m = mailbox.receive(WAIT);
        if (m == null) {
            fail("no message within " + WAIT);
        }
        return m;
    }

    /** The first message that matches, failing the test if none arrives in time. */
    Object expect(Predicate<Object> match) {
        Object m = mailbox.receive(match, WAIT);
        if (m == null) {
            fail("no matching message within " + WAIT);
        }
        return m;
    }

    /** The next message, which must be of type {@code type}. */
    <T> T expect(Class<T> type) {
        Object m = next();
        if (!type.isInstance(m)) {
            fail("expected a " + type.getSimpleName() + " but got " + m);
        }
        return type.cast(m);
    }

    /** Fails if any message arrives within {@code quiet}. */
    void expectNothing(Duration quiet) {
        Object m = mailbox.receive(quiet);
        if (m != null) {
            fail("expected no message but got " + m);
        }
    }

    @Override
    public void close() {
        mailbox.close();
    }
}
