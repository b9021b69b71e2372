package io.ergon.gen;

import io.ergon.node.From;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link GenStatem} callback returns: where the machine goes ({@code next_state}, {@code keep_state},
 * {@code repeat_state}, {@code stop}) and the actions to take on the way, in order, as OTP's {@code gen_statem}
 * takes them. Make one with the factories ({@code Transition.next(state)}, {@code Transition.keep()}, ...) and chain
 * actions: {@code Transition.next(OPEN).reply(from, "ok").stateTimeout(Duration.ofSeconds(10), "lock")}.
 *
 * <p>For each timeout kind only the last action of the chain counts. A zero duration fires the timeout as soon as the
 * events already queued inside the machine are handled, before the next message from the mailbox; an event timeout
 * is cancelled by any event, a state timeout by a change of state, a generic timeout only by its cancel or by a new
 * one of the same name.
 *
 * @param <S> the machine's states
 * @param <D> its data
 */
public final class Transition<S, D> {
    enum Kind { NEXT, KEEP, REPEAT, STOP }

    /** The key of the event timeout and of the state timeout among the machine's timers. */
    enum TimerKind { EVENT, STATE }

    sealed interface Action {
    }

    record Reply(From from, Object reply) implements Action {
    }

    record Postpone() implements Action {
    }

    record NextEvent(StateEvent event) implements Action {
    }

    /**
     * What a timeout action does to the timer {@code key} (a {@link TimerKind} or a generic name): start it after
     * {@code delay}, or at {@code at}, cancel it, or update the content of the running one.
     */
    enum TimerOp { START, START_AT, CANCEL, UPDATE }

    record TimeoutAction(Object key, TimerOp op, Duration delay, Instant at, Object content) implements Action {
        static TimeoutAction start(Object key, Duration delay, Object content) {
            return new TimeoutAction(key, TimerOp.START, checked(delay), null, content);
        }

        static TimeoutAction startAt(Object key, Instant at, Object content) {
            return new TimeoutAction(key, TimerOp.START_AT, null, Objects.requireNonNull(at, "at"), content);
        }

        static TimeoutAction cancel(Object key) {
            return new TimeoutAction(key, TimerOp.CANCEL, null, null, null);
        }

        static TimeoutAction update(Object key, Object content) {
            return new TimeoutAction(key, TimerOp.UPDATE, null, null, content);
        }
    }

    /** A generic timeout's key, so that a name can never be taken for the event or state timeout. */
    record Named(Object name) {
    }

    final Kind kind;
    final S state;
    final D data;
    final boolean setsData;
    final Object stopReason;
    final List<Action> actions = new ArrayList<>(2);

    private Transition(Kind kind, S state, D data, boolean setsData, Object stopReason) {
        this.kind = kind;
        this.state = state;
        this.data = data;
        this.setsData = setsData;
        this.stopReason = stopReason;
    }

    /** {@code next_state}: go to {@code state}, keeping the data (a change of state if it differs). */
    public static <S, D> Transition<S, D> next(S state) {
        return new Transition<>(Kind.NEXT, Objects.requireNonNull(state, "state"), null, false, null);
    }

    /** {@code next_state}: go to {@code state} with {@code data}. The initial transition of every machine. */
    public static <S, D> Transition<S, D> next(S state, D data) {
        return new Transition<>(Kind.NEXT, Objects.requireNonNull(state, "state"), data, true, null);
    }

    /** {@code keep_state_and_data}: same state, same data. */
    public static <S, D> Transition<S, D> keep() {
        return new Transition<>(Kind.KEEP, null, null, false, null);
    }

    /** {@code keep_state}: same state, new data. */
    public static <S, D> Transition<S, D> keep(D data) {
        return new Transition<>(Kind.KEEP, null, data, true, null);
    }

    /** {@code repeat_state_and_data}: same state, but as if it were entered again (a state enter call is made). */
    public static <S, D> Transition<S, D> repeat() {
        return new Transition<>(Kind.REPEAT, null, null, false, null);
    }

    /** {@code repeat_state}: as {@link #repeat()}, with new data. */
    public static <S, D> Transition<S, D> repeat(D data) {
        return new Transition<>(Kind.REPEAT, null, data, true, null);
    }

    /**
     * {@code stop} / {@code stop_and_reply}: the machine ends with {@code reason} ({@link GenStatem#terminate} runs
     * first); chained {@link #reply}s are sent before it ends, and other actions are not allowed.
     */
    public static <S, D> Transition<S, D> stop(Object reason) {
        return new Transition<>(Kind.STOP, null, null, false, Objects.requireNonNull(reason, "reason"));
    }

    /** {@code {reply, From, Reply}}: answers a call now, before the transition. */
    public Transition<S, D> reply(From from, Object reply) {
        return add(new Reply(Objects.requireNonNull(from, "from"), reply));
    }

    /**
     * {@code postpone}: keeps the current event and retries it after the next change of state, before newer events.
     * Not from a state enter call.
     */
    public Transition<S, D> postpone() {
        return add(new Postpone());
    }

    /**
     * {@code {next_event, Type, Content}}: handles {@code event} next, before anything queued. Several are handled
     * in the order of the chain. Not from a state enter call.
     */
    public Transition<S, D> nextEvent(StateEvent event) {
        if (Objects.requireNonNull(event, "event") instanceof StateEvent.Enter) {
            throw new IllegalArgumentException("enter is not an event type that can be inserted");
        }
        return add(new NextEvent(event));
    }

    /** {@code {timeout, Time, Content}}: {@link StateEvent.EventTimeout} after {@code delay} unless an event comes. */
    public Transition<S, D> eventTimeout(Duration delay, Object content) {
        return add(TimeoutAction.start(TimerKind.EVENT, delay, content));
    }

    /** {@code {timeout, Time, Content, [{abs, true}]}}: the event timeout at {@code at} (at once if it is past). */
    public Transition<S, D> eventTimeoutAt(Instant at, Object content) {
        return add(TimeoutAction.startAt(TimerKind.EVENT, at, content));
    }

    /** {@code {timeout, cancel}}. */
    public Transition<S, D> cancelEventTimeout() {
        return add(TimeoutAction.cancel(TimerKind.EVENT));
    }

    /**
     * {@code {timeout, update, Content}}: the running event timeout keeps its time and gets {@code content}; if none
     * runs (any event cancels it), it fires at once with {@code content}, as a zero timeout.
     */
    public Transition<S, D> updateEventTimeout(Object content) {
        return add(TimeoutAction.update(TimerKind.EVENT, content));
    }

    /** {@code {state_timeout, Time, Content}}: {@link StateEvent.StateTimeout} after {@code delay} in this state. */
    public Transition<S, D> stateTimeout(Duration delay, Object content) {
        return add(TimeoutAction.start(TimerKind.STATE, delay, content));
    }

    /** {@code {state_timeout, Time, Content, [{abs, true}]}}: the state timeout at {@code at}. */
    public Transition<S, D> stateTimeoutAt(Instant at, Object content) {
        return add(TimeoutAction.startAt(TimerKind.STATE, at, content));
    }

    /** {@code {state_timeout, cancel}}. */
    public Transition<S, D> cancelStateTimeout() {
        return add(TimeoutAction.cancel(TimerKind.STATE));
    }

    /** {@code {state_timeout, update, Content}}: as {@link #updateEventTimeout}, for the state timeout. */
    public Transition<S, D> updateStateTimeout(Object content) {
        return add(TimeoutAction.update(TimerKind.STATE, content));
    }

    /** {@code {{timeout, Name}, Time, Content}}: {@link StateEvent.Timeout} after {@code delay}, whatever happens. */
    public Transition<S, D> timeout(Object name, Duration delay, Object content) {
        return add(TimeoutAction.start(new Named(name), delay, content));
    }

    /** {@code {{timeout, Name}, Time, Content, [{abs, true}]}}: the generic timeout {@code name} at {@code at}. */
    public Transition<S, D> timeoutAt(Object name, Instant at, Object content) {
        return add(TimeoutAction.startAt(new Named(name), at, content));
    }

    /** {@code {{timeout, Name}, cancel}}. */
    public Transition<S, D> cancelTimeout(Object name) {
        return add(TimeoutAction.cancel(new Named(name)));
    }

    /** {@code {{timeout, Name}, update, Content}}: as {@link #updateEventTimeout}, for the generic timeout. */
    public Transition<S, D> updateTimeout(Object name, Object content) {
        return add(TimeoutAction.update(new Named(name), content));
    }

    private Transition<S, D> add(Action action) {
        if (kind == Kind.STOP && !(action instanceof Reply)) {
            throw new IllegalStateException("a stop takes replies only, not " + action);
        }
        actions.add(action);
        return this;
    }

    private static Duration checked(Duration delay) {
        if (Objects.requireNonNull(delay, "delay (cancel the timeout instead of passing null)").isNegative()) {
            throw new IllegalArgumentException("a timeout cannot be negative: " + delay);
        }
        return delay;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NEXT -> "next_state " + state + (setsData ? " with " + data : "");
            case KEEP -> setsData ? "keep_state with " + data : "keep_state_and_data";
            case REPEAT -> setsData ? "repeat_state with " + data : "repeat_state_and_data";
            case STOP -> "stop " + stopReason;
        } + (actions.isEmpty() ? "" : " " + actions);
    }
}
