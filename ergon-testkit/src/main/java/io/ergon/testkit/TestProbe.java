package io.ergon.testkit;

import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Terms;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A process a test owns, with expectations on the messages it receives: give its {@link #pid()} to the code under
 * test, then {@code expectMessage(...)}. Each expectation waits, in real time, up to its timeout (by default
 * {@link #DEFAULT_TIMEOUT}) and fails the test with an {@link AssertionError} that says what came instead.
 *
 * <p>Messages are taken in arrival order: an expectation looks at the next message only, and fails if it is not the
 * one expected; {@link #expectMatching} looks past others (which keep their places), and {@link #fishForMessage}
 * discards what it does not want. A message that
 * {@link #receiveWhile} stopped at stays first in line. Use a probe from one thread at a time.
 */
public final class TestProbe implements AutoCloseable {
    /** How long an expectation waits unless told: {@code ergon.testkit.timeout} (a {@link Duration}), else 3 s. */
    public static final Duration DEFAULT_TIMEOUT =
            Duration.parse(System.getProperty("ergon.testkit.timeout", "PT3S"));
    /** How long {@link #expectNoMessage()} listens. */
    public static final Duration DEFAULT_NO_MESSAGE = Duration.ofMillis(100);

    private final Mailbox mailbox;
    /** Messages taken from the mailbox but not yet consumed by an expectation: older than any still there. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final Map<Pid, Ref> watched = new HashMap<>();

    private TestProbe(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    /** A probe on {@code node}. */
    public static TestProbe create(Node node) {
        return new TestProbe(node.mailbox());
    }

    /** A probe on {@code node}, registered as {@code name}. */
    public static TestProbe create(Node node, String name) {
        return new TestProbe(node.mailbox(name));
    }

    public Pid pid() {
        return mailbox.pid();
    }

    /** The probe's process, to send, link or call from it. */
    public Mailbox mailbox() {
        return mailbox;
    }

    /** Sends {@code message} to {@code to} from this probe. */
    public void send(Object to, Object message) {
        mailbox.send(to, message);
    }

    // ------------------------------------------------------------------ the next message

    /** The next message, whatever it is. */
    public Object receiveMessage() {
        return receiveMessage(DEFAULT_TIMEOUT);
    }

    public Object receiveMessage(Duration timeout) {
        Object m = next(timeout);
        if (m == null) {
            throw new AssertionError("no message within " + timeout + " at " + pid());
        }
        return m;
    }

    /** The next {@code count} messages, in order. */
    public List<Object> receiveMessages(int count) {
        return receiveMessages(count, DEFAULT_TIMEOUT);
    }

    /** The next {@code count} messages, all within {@code timeout} in total. */
    public List<Object> receiveMessages(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Object> got = new ArrayList<>(count);
        while (got.size() < count) {
            Object m = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (m == null) {
                throw new AssertionError("only " + got.size() + " of " + count + " messages within " + timeout
                        + ": " + got);
            }
            got.add(m);
        }
        return got;
    }

    /**
     * The next message, which must equal {@code expected}: as Java's {@code equals}, or as Erlang's {@code =:=} once
     * both are seen as terms (so {@code "hi"} equals the binary {@code <<"hi">>} from an Erlang node). Returns the
     * message, or {@code expected} where the message is an equal term of another class.
     */
    public <T> T expectMessage(T expected) {
        return expectMessage(DEFAULT_TIMEOUT, expected);
    }

    public <T> T expectMessage(Duration timeout, T expected) {
        Object m = receiveOrFail(timeout, "the message " + show(expected));
        if (!Objects.equals(m, expected) && !Terms.exactlyEqual(Terms.canonical(m), Terms.canonical(expected))) {
            throw new AssertionError("expected " + show(expected) + " but got " + show(m));
        }
        @SuppressWarnings("unchecked") T same = expected.getClass().isInstance(m) ? (T) m : expected; // equal terms
        return same;
    }

    /** The next message, which must be a {@code type}. */
    public <T> T expectMessageClass(Class<T> type) {
        return expectMessageClass(type, DEFAULT_TIMEOUT);
    }

    public <T> T expectMessageClass(Class<T> type, Duration timeout) {
        Object m = receiveOrFail(timeout, "a " + type.getSimpleName());
        if (!type.isInstance(m)) {
            throw new AssertionError("expected a " + type.getName() + " but got " + show(m));
        }
        return type.cast(m);
    }

    /** The next message, which must match {@code pattern} (an Erlang-syntax pattern, see {@link TermPattern}). */
    public Object expectMessage(TermPattern pattern) {
        return expectMessageThat(pattern, "a message matching " + pattern, DEFAULT_TIMEOUT);
    }

    /** The next message, which must satisfy {@code condition}; {@code what} describes it in the failure. */
    public Object expectMessageThat(Predicate<Object> condition, String what, Duration timeout) {
        Object m = receiveOrFail(timeout, what);
        if (!condition.test(m)) {
            throw new AssertionError("expected " + what + " but got " + show(m));
        }
        return m;
    }

    /**
     * The first message that {@code match} accepts, which may come after others: those keep their places, in
     * order, for the next expectations (Erlang's selective receive).
     */
    public Object expectMatching(Predicate<Object> match) {
        return expectMatching(match, DEFAULT_TIMEOUT);
    }

    public Object expectMatching(Predicate<Object> match, Duration timeout) {
        return takeFirst(match, timeout, "a matching message");
    }

    /** Like {@link #expectMatching(Predicate)}: the first message that is a {@code type}. */
    public <T> T expectMatching(Class<T> type) {
        return type.cast(takeFirst(type::isInstance, DEFAULT_TIMEOUT, "a " + type.getName()));
    }

    /** Fails if a message arrives within {@link #DEFAULT_NO_MESSAGE}. */
    public void expectNoMessage() {
        expectNoMessage(DEFAULT_NO_MESSAGE);
    }

    /** Fails if a message arrives within {@code within}. */
    public void expectNoMessage(Duration within) {
        Object m = next(within);
        if (m != null) {
            pending.addFirst(m);
            throw new AssertionError("expected no message within " + within + " but got " + show(m));
        }
    }

    /**
     * Messages as long as they satisfy {@code condition}, each within {@code idle} of the one before and all within
     * {@code max}; stops at the first that does not (which stays first in line), at a silence of {@code idle}, or
     * at {@code max}.
     */
    public List<Object> receiveWhile(Duration max, Duration idle, Predicate<Object> condition) {
        long deadline = System.nanoTime() + max.toNanos();
        List<Object> got = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return got;
            }
            Object m = next(Duration.ofNanos(Math.min(left, idle.toNanos())));
            if (m == null) {
                return got;
            }
            if (!condition.test(m)) {
                pending.addFirst(m);
                return got;
            }
            got.add(m);
        }
    }

    /**
     * Discards messages until one satisfies {@code wanted}, and returns it; fails, listing what it discarded, if
     * none comes within {@code timeout}.
     */
    public Object fishForMessage(Duration timeout, Predicate<Object> wanted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Object> discarded = new ArrayList<>();
        while (true) {
            Object m = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (m == null) {
                throw new AssertionError("no wanted message within " + timeout + "; discarded: " + discarded);
            }
            if (wanted.test(m)) {
                return m;
            }
            discarded.add(m);
        }
    }

    // ------------------------------------------------------------------ processes ending

    /** Monitors {@code pid}, so that {@link #expectTerminated} sees how it ends; returns the monitor. */
    public Ref watch(Pid pid) {
        return watched.computeIfAbsent(pid, mailbox::monitor);
    }

    /**
     * Waits for {@code pid} to end and returns its exit reason. It should be {@linkplain #watch watched} before it
     * ends: one watched only now that is already gone ends with {@code noproc}. The {@code DOWN} may come after
     * other messages, which stay for the next expectations.
     */
    public Object expectTerminated(Pid pid) {
        return expectTerminated(pid, DEFAULT_TIMEOUT);
    }

    public Object expectTerminated(Pid pid, Duration timeout) {
        Ref ref = watch(pid);
        Down down = (Down) takeFirst(m -> m instanceof Down d && d.ref().equals(ref), timeout,
                "the end of " + pid);
        watched.remove(pid);
        return down.reason();
    }

    /** Waits for the {@code DOWN} of monitor {@code ref} (one this probe made), which may come after other messages. */
    public Down expectDown(Ref ref) {
        return (Down) takeFirst(m -> m instanceof Down d && d.ref().equals(ref), DEFAULT_TIMEOUT, "DOWN " + ref);
    }

    /**
     * Links this probe to {@code pid}, trapping exits, so that {@link #expectExit} sees the exit signal it sends
     * when it ends.
     */
    public void linkTo(Pid pid) {
        mailbox.trapExit(true);
        mailbox.link(pid);
    }

    /** Waits for the exit signal of {@code from} (see {@link #linkTo}), which may come after other messages. */
    public Exit expectExit(Pid from) {
        return (Exit) takeFirst(m -> m instanceof Exit e && e.from().equals(from), DEFAULT_TIMEOUT,
                "an exit signal from " + from);
    }

    /** Waits for the exit signal of {@code from} and checks its reason. */
    public Exit expectExit(Pid from, Object reason) {
        Exit exit = expectExit(from);
        if (!Objects.equals(exit.reason(), reason)
                && !Terms.exactlyEqual(Terms.canonical(exit.reason()), Terms.canonical(reason))) {
            throw new AssertionError("expected " + from + " to exit with " + show(reason) + " but it exited with "
                    + show(exit.reason()));
        }
        return exit;
    }

    @Override
    public void close() {
        mailbox.close();
    }

    @Override
    public String toString() {
        return "TestProbe[" + pid() + "]";
    }

    // ------------------------------------------------------------------ the queue

    /** The next message, first from those already taken; null if none came within {@code timeout}. */
    private Object next(Duration timeout) {
        Object m = pending.pollFirst();
        return m != null ? m : mailbox.receive(timeout);
    }

    private Object receiveOrFail(Duration timeout, String what) {
        Object m = next(timeout);
        if (m == null) {
            throw new AssertionError("expected " + what + " within " + timeout + " but no message came");
        }
        return m;
    }

    /** The first message, taken or still queued, that {@code match} accepts; the others keep their places. */
    private Object takeFirst(Predicate<Object> match, Duration timeout, String what) {
        for (Iterator<Object> it = pending.iterator(); it.hasNext(); ) {
            Object m = it.next();
            if (match.test(m)) {
                it.remove();
                return m;
            }
        }
        Object m = mailbox.receive(match, timeout); // a selective receive: skipped messages keep their order
        if (m == null) {
            throw new AssertionError("expected " + what + " within " + timeout + "; other messages: " + pending);
        }
        return m;
    }

    private static String show(Object m) {
        return m == null ? "null" : m + " (" + m.getClass().getSimpleName() + ")";
    }
}
