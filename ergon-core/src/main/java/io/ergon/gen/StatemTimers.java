package io.ergon.gen;

import io.ergon.node.TimerRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A {@link GenStatem}'s running timeouts, one per key (the event timeout, the state timeout, each generic name), as
 * OTP's {@code gen_statem} keeps them: starting one replaces the running one of its key; a zero timeout starts no
 * timer but waits in a queue of its own, to fire once the machine's inserted events are handled and before the next
 * message. A timer's message carries a token, so one that was cancelled or replaced while its message was on the
 * way is dropped when it arrives (OTP flushes it from the mailbox instead).
 */
final class StatemTimers {
    /** The message a timer sends its machine. */
    record Fired(Object key, long token) {
    }

    private static final class Running {
        final TimerRef timer;
        final long token;
        Object content;

        Running(TimerRef timer, long token, Object content) {
            this.timer = timer;
            this.token = token;
            this.content = content;
        }
    }

    private final Map<Object, Running> running = new HashMap<>();
    private final ArrayDeque<Object> zeros = new ArrayDeque<>();
    private final BiFunction<Fired, Duration, TimerRef> start;
    private long tokens;

    /** {@code start} sends the machine its {@link Fired} message after the delay. */
    StatemTimers(BiFunction<Fired, Duration, TimerRef> start) {
        this.start = start;
    }

    /** Starts the timeout {@code key}, replacing a running one; a zero delay queues it to fire next. */
    void start(Object key, Duration delay, Object content) {
        cancel(key);
        long token = ++tokens;
        if (delay.isZero()) {
            running.put(key, new Running(null, token, content));
            zeros.add(key);
        } else {
            running.put(key, new Running(start.apply(new Fired(key, token), delay), token, content));
        }
    }

    /**
     * Starts the timeout {@code key} to fire at {@code at}: a real timer even if that is now or past, so its event
     * comes after the messages already queued (OTP's {@code {abs, true}} timers; only a relative 0 is special).
     */
    void startAt(Object key, Instant at, Object content) {
        cancel(key);
        long token = ++tokens;
        Duration delay = Duration.between(Instant.now(), at);
        running.put(key, new Running(start.apply(new Fired(key, token), delay.isNegative() ? Duration.ZERO : delay),
                token, content));
    }

    /** Gives the running timeout {@code key} new content, keeping its time; with none running, a zero timeout. */
    void update(Object key, Object content) {
        Running r = running.get(key);
        if (r == null) {
            start(key, Duration.ZERO, content);
        } else {
            r.content = content;
        }
    }

    void cancel(Object key) {
        Running r = running.remove(key);
        if (r == null) {
            return;
        }
        if (r.timer == null) {
            zeros.remove(key);
        } else {
            r.timer.cancel();
        }
    }

    /** The event of a timer that fired, or null if it was cancelled or replaced since. */
    StateEvent fired(Fired f) {
        Running r = running.get(f.key());
        if (r == null || r.token != f.token()) {
            return null;
        }
        running.remove(f.key());
        return event(f.key(), r.content);
    }

    /** The event of the oldest zero timeout, removed, or null if none waits. */
    StateEvent takeZero() {
        Object key = zeros.poll();
        return key == null ? null : event(key, running.remove(key).content);
    }

    /** Cancels every timeout (the machine ends). */
    void cancelAll() {
        for (Object key : running.keySet().toArray()) {
            cancel(key);
        }
    }

    private static StateEvent event(Object key, Object content) {
        if (key == Transition.TimerKind.EVENT) {
            return new StateEvent.EventTimeout(content);
        }
        if (key == Transition.TimerKind.STATE) {
            return new StateEvent.StateTimeout(content);
        }
        return new StateEvent.Timeout(((Transition.Named) key).name(), content);
    }
}
