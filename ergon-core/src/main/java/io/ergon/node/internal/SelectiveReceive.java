package io.ergon.node.internal;

import io.ergon.node.Down;
import io.ergon.node.spi.InboundMessage;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Predicate;

/**
 * Erlang's selective receive over a process's queue: it returns the first message that matches, lets the signals
 * it meets on the way take effect ({@link ProcessSignals}), and keeps the messages it passes over, in order, in the
 * process's save queue. The save queue comes before the mailbox queue for every later receive and for the
 * activation ({@link #next}), so that no message is reordered. A signal that itself saves messages (node down saves
 * DOWN and EXIT messages) is matched against those first.
 *
 * <p>A message from another node waits, queued or saved, as an {@link InboundMessage}: predicates see the message
 * inside, and its cost goes back to its connection when a receive returns it, when the activation takes it
 * ({@link #next}), or when it is dropped (its process exits, a predicate throws on it).
 *
 * <p>A receive with a timeout returns null once it expires (null waits forever); the deadline counts from after
 * the save queue's scan. Waiting itself, suspending or parking, belongs to the scheduling state machine
 * ({@link ProcessCore#awaitMessage}). Owner's thread only. Stateless: the save queue is a field of the process,
 * allocated the first time a message is passed over.
 */
final class SelectiveReceive {
    private SelectiveReceive() {
    }

    /** The first message that matches, or null if none did within {@code timeout} (null waits forever). */
    static Object receive(ProcessCore p, Predicate<Object> match, Duration timeout) {
        Scheduler.reductionPoint();
        ExitFlow.checkMayReceive(p);
        ArrayDeque<Object> saved = p.saved;
        if (saved != null && !saved.isEmpty()) {
            for (Iterator<Object> it = saved.iterator(); it.hasNext(); ) {
                Object m = it.next();
                if (match.test(InboundMessage.peek(m))) {
                    it.remove();
                    return received(p, take(m));
                }
            }
        }
        long nanos = toNanos(timeout);
        boolean timed = nanos >= 0;
        ReceiveTimeouts wheel = timed ? p.node().scheduler().timeoutsFor(p) : null;
        long deadline = timed ? wheel.nanoTime() + nanos : 0;
        while (true) {
            Object item;
            while ((item = p.poll()) != null) {
                Object m;
                if (item instanceof Signal s) {
                    int before = savedCount(p);
                    m = ProcessSignals.onSignal(p, s);
                    if (savedCount(p) > before) {
                        Object found = takeMatch(p.saved, match, before);
                        if (found != null) {
                            if (m != null) {
                                p.saved.addLast(m);
                            }
                            return received(p, found);
                        }
                    }
                } else {
                    m = item;
                }
                if (m == null) {
                    continue;
                }
                if (matches(match, m)) {
                    return received(p, take(m));
                }
                save(p, m);
            }
            if (timed && deadline - wheel.nanoTime() <= 0) {
                return null;
            }
            p.awaitMessage(timed, deadline);
        }
    }

    /**
     * Counts a message a receive returns as handled: on the process, which a worker's turn adds up (see
     * {@link Turns}); a mailbox handle's receives, which are in no turn, go to the node's count at once.
     */
    private static Object received(ProcessCore p, Object m) {
        p.handled++;
        if (p.ownerLock() != null) {
            p.node().counters().handledOutsideTurns(1);
        }
        return m;
    }

    /** Whether {@code m} (maybe an {@link InboundMessage}) matches; one that throws is dropped with it. */
    private static boolean matches(Predicate<Object> match, Object m) {
        try {
            return match.test(InboundMessage.peek(m));
        } catch (RuntimeException | Error e) {
            NodeCore.dropInbound(m); // taken off the queue and kept nowhere: it is lost, its cost must not be
            throw e;
        }
    }

    /** The message a receive returns: an {@link InboundMessage}'s is taken out of it, releasing its cost. */
    private static Object take(Object m) {
        return m instanceof InboundMessage in ? in.take() : m;
    }

    /**
     * The activation's next item: the oldest saved message, else the head of the queue, else null. An
     * {@link InboundMessage} comes out as it is; the activation takes the message out of it.
     */
    static Object next(ProcessCore p) {
        ArrayDeque<Object> s = p.saved;
        if (s != null && !s.isEmpty()) {
            return s.pollFirst();
        }
        return p.poll();
    }

    /** Keeps {@code message} for a later receive, after the ones already kept. */
    static void save(ProcessCore p, Object message) {
        ArrayDeque<Object> s = p.saved;
        if (s == null) {
            s = new ArrayDeque<>();
            p.saved = s;
        }
        s.addLast(message);
    }

    static boolean hasSaved(ProcessCore p) {
        ArrayDeque<Object> s = p.saved;
        return s != null && !s.isEmpty();
    }

    static int savedCount(ProcessCore p) {
        ArrayDeque<Object> s = p.saved;
        return s == null ? 0 : s.size();
    }

    /** Drops the DOWN of monitor {@code ref} if it was saved (a demonitor with flush). */
    static void dropDown(ProcessCore p, Ref ref) {
        ArrayDeque<Object> s = p.saved;
        if (s != null) {
            s.removeIf(m -> m instanceof Down d && d.ref().equals(ref));
        }
    }

    /** The process has exited: nothing it kept will be received (what came from other nodes is released). */
    static void dropSaved(ProcessCore p) {
        ArrayDeque<Object> s = p.saved;
        p.saved = null;
        if (s != null) {
            for (Object m : s) {
                NodeCore.dropInbound(m);
            }
        }
    }

    /** Removes and returns the first saved message from index {@code from} on that matches, or null. */
    private static Object takeMatch(ArrayDeque<Object> saved, Predicate<Object> match, int from) {
        int i = 0;
        for (Iterator<Object> it = saved.iterator(); it.hasNext(); i++) {
            Object m = it.next();
            if (i >= from && match.test(InboundMessage.peek(m))) {
                it.remove();
                return take(m);
            }
        }
        return null;
    }

    /** A receive's timeout in nanoseconds; -1 for none (null, or too long to count). */
    private static long toNanos(Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return -1;
        }
    }
}
