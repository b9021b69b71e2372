package io.ergon.gen;

import io.ergon.node.Actor;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OTP's {@code gen_statem}: a process that is in one state at a time and handles each event (a call, a cast, a
 * message, a timeout) by returning a {@link Transition}, with OTP's semantics for postponing, inserted events, state
 * enter calls and the three kinds of timeouts.
 *
 * <p>Two ways to write the callbacks, as OTP's two callback modes:
 * <ul>
 *   <li>{@code handle_event_function}: override {@link #handleEvent(StateEvent, Object, Object)} and switch over
 *       the state and the event (sealed states and record patterns read well);</li>
 *   <li>{@code state_functions}: make each state a {@link StateFunction} (an enum constant with a body, a record)
 *       and leave {@code handleEvent} alone: the current state handles the event.</li>
 * </ul>
 * {@link #initialState()} gives the first state and data; {@link #stateEnter()} turns on state enter calls
 * ({@link StateEvent.Enter}); {@link #terminate(Object, Object, Object)} runs when the machine ends.
 *
 * <p>The order of events is OTP's: after an event is handled, the events its transition inserted come first (in
 * order), then, if the state changed, the postponed events (oldest first), then events queued before, then zero
 * timeouts, and only then the next message. Calls use {@code gen}'s protocol, so Erlang's {@code gen_statem:call}
 * reaches an Ergon machine and Ergon's {@code call} an Erlang one. {@code sys:get_state} answers
 * {@code {State, Data}}. Hibernation has no meaning here and is not offered.
 *
 * @param <S> the states; compared with {@code equals} to tell a change of state
 * @param <D> the data
 */
public abstract class GenStatem<S, D> extends Actor {
    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom GEN_CAST = Atom.of("$gen_cast");
    /** Sent to itself by {@link #init()}: the first activation runs the initial transition. */
    private static final Object BEGIN = new Object();
    private static final StateEvent INIT = new StateEvent.Internal(Atom.of("init_state"));

    private S state;
    private D data;
    private Transition<S, D> initial;
    private boolean ended;
    private final ArrayDeque<StateEvent> queue = new ArrayDeque<>();
    private final List<StateEvent> postponed = new ArrayList<>();
    private final StatemTimers timers = new StatemTimers((fired, delay) -> sendAfter(self(), fired, delay));

    /**
     * A state that handles its own events, for the {@code state_functions} style: the machine passes every event to
     * its current state when {@link #handleEvent} is not overridden.
     */
    @FunctionalInterface
    public interface StateFunction<S, D> {
        /** Handles {@code event} in this state, as {@link GenStatem#handleEvent} would. */
        Transition<S, D> handle(StateEvent event, D data) throws Exception;
    }

    /**
     * The first state and data, and actions to take at once ({@code init/1}'s {@code {ok, State, Data, Actions}}):
     * return {@code Transition.next(state, data)}, with actions chained. It runs on the spawner's thread, as
     * {@link Actor#init()}; the state enter call and the actions are carried out by the machine afterwards, before
     * any message.
     */
    protected abstract Transition<S, D> initialState() throws Exception;

    /**
     * Handles an event in {@code state} with {@code data}. The default passes it to the state, which must then be a
     * {@link StateFunction}. An exception ends the machine with a crash.
     */
    @SuppressWarnings("unchecked")
    protected Transition<S, D> handleEvent(StateEvent event, S state, D data) throws Exception {
        if (state instanceof StateFunction<?, ?> f) {
            return ((StateFunction<S, D>) f).handle(event, data);
        }
        throw new IllegalStateException(getClass().getSimpleName() + " neither overrides handleEvent nor has states "
                + "that are StateFunctions; state " + state + ", event " + event);
    }

    /** Whether the machine gets a {@link StateEvent.Enter} call on every change of state. Read once, at start. */
    protected boolean stateEnter() {
        return false;
    }

    /** Runs when the machine ends, with the reason and its last state and data. */
    protected void terminate(Object reason, S state, D data) {
    }

    // Shorthands for Transition's factories, typed by this machine, so that chained actions need no type witness.

    /** {@link Transition#next(Object)}. */
    protected final Transition<S, D> next(S state) {
        return Transition.next(state);
    }

    /** {@link Transition#next(Object, Object)}. */
    protected final Transition<S, D> next(S state, D data) {
        return Transition.next(state, data);
    }

    /** {@link Transition#keep()}. */
    protected final Transition<S, D> keep() {
        return Transition.keep();
    }

    /** {@link Transition#keep(Object)}. */
    protected final Transition<S, D> keep(D data) {
        return Transition.keep(data);
    }

    /** {@link Transition#repeat()}. */
    protected final Transition<S, D> repeat() {
        return Transition.repeat();
    }

    /** {@link Transition#repeat(Object)}. */
    protected final Transition<S, D> repeat(D data) {
        return Transition.repeat(data);
    }

    /** {@link Transition#stop(Object)}. */
    protected final Transition<S, D> stopWith(Object reason) {
        return Transition.stop(reason);
    }

    /** The current state (for the machine's own helpers and for inspection). */
    protected final S state() {
        return state;
    }

    /** The current data. */
    protected final D data() {
        return data;
    }

    @Override
    protected final void init() throws Exception {
        Transition<S, D> t = initialState();
        if (t == null || t.kind != Transition.Kind.NEXT || !t.setsData) {
            throw new IllegalStateException("initialState() must return Transition.next(state, data), not " + t);
        }
        state = t.state;
        data = t.data;
        initial = t;
        send(self(), BEGIN);
    }

    @Override
    protected final void terminate(Object reason) {
        timers.cancelAll();
        terminate(reason, state, data);
    }

    @Override
    protected final void handleMessage(Object message) throws Exception {
        if (initial != null) {
            Transition<S, D> t = initial;
            initial = null;
            carryOut(INIT, t, true); // OTP enters the first state whatever the actions
            drain();
        }
        if (message == BEGIN || ended) {
            return;
        }
        StateEvent event = toEvent(message);
        if (event != null) {
            handle(event);
            drain();
        }
    }

    /** The event a mailbox message stands for; null if it is none (a stale timer, a system message answered). */
    private StateEvent toEvent(Object message) {
        if (message instanceof Tuple t && t.size() == 3 && t.get(0) == GEN_CALL && t.get(1) instanceof Tuple f
                && f.size() == 2 && f.get(0) instanceof Pid caller) {
            return new StateEvent.Call(t.get(2), new From(caller, f.get(1), node()));
        }
        if (message instanceof Tuple t && t.size() == 2 && t.get(0) == GEN_CAST) {
            return new StateEvent.Cast(t.get(1));
        }
        if (message instanceof StatemTimers.Fired f) {
            return timers.fired(f);
        }
        if (SystemMessages.from(message, node()) instanceof From system) {
            if (systemMessage(SystemMessages.request(message), system, false)) {
                suspended();
            }
            return null;
        }
        if (message instanceof Exit exit && exit.from().equals(parent()) && trapsExit()) {
            stop(exit.reason()); // gen_statem's loop: the parent's exit ends the machine with its reason
            ended = true;
            return null;
        }
        return new StateEvent.Info(message);
    }

    /**
     * Answers a {@code sys} request: {@code get_state} ({@code {State, Data}}), {@code get_status}, {@code suspend},
     * {@code resume}, {@code terminate}; returns true for a {@code suspend} while running.
     */
    private boolean systemMessage(Object request, From from, boolean suspended) {
        if (SystemMessages.terminateReason(request) instanceof Object reason) {
            from.reply(Atom.of("ok"));
            stop(reason);
            ended = true;
            return false;
        }
        if (request == Atom.of("suspend") || request == Atom.of("resume")) {
            from.reply(Atom.of("ok"));
            return request == Atom.of("suspend") && !suspended;
        }
        from.reply(request == Atom.of("get_state") ? Tuple.of(state, data)
                : request == Atom.of("get_status") ? status(suspended)
                : Tuple.of(Atom.of("error"), Tuple.of(Atom.of("unknown_system_msg"), request)));
        return false;
    }

    /** gen_statem's {@code sys:get_status} shape: {@code {status, Pid, {module, gen_statem}, [PDict, SysState, ...]}}. */
    private Object status(boolean suspended) {
        Atom sysState = Atom.of(suspended ? "suspended" : "running");
        Object parent = parent() == null ? self() : parent();
        List<Object> misc = List.of(
                Tuple.of(Atom.of("header"), Binary.of("Status for state machine " + self())),
                Tuple.of(Atom.of("data"), List.of(Tuple.of(Binary.of("Status"), sysState),
                        Tuple.of(Binary.of("Parent"), parent),
                        Tuple.of(Binary.of("Time-outs"), Tuple.of(0L, List.of())),
                        Tuple.of(Binary.of("Logged Events"), List.of()),
                        Tuple.of(Binary.of("Postponed"), List.of()))),
                Tuple.of(Atom.of("data"), List.of(Tuple.of(Binary.of("State"), Tuple.of(state, data)))));
        return Tuple.of(Atom.of("status"), self(), Tuple.of(Atom.of("module"), Atom.of("gen_statem")),
                List.of(List.of(), sysState, parent, List.of(), misc));
    }

    /** After {@code sys:suspend}: only system messages and the parent's exit are handled until resume. */
    private void suspended() {
        while (!ended) {
            Object m = receive(x -> SystemMessages.is(x) || (x instanceof Exit e && e.from().equals(parent())
                    && trapsExit()), null);
            if (m instanceof Exit exit) {
                stop(exit.reason());
                ended = true;
                return;
            }
            Object request = SystemMessages.request(m);
            systemMessage(request, SystemMessages.from(m, node()), true);
            if (request == Atom.of("resume")) {
                return;
            }
        }
    }

    /** Handles the events the last one queued, then the zero timeouts, until there are none. */
    private void drain() throws Exception {
        while (!ended) {
            StateEvent next = queue.poll();
            if (next == null) {
                next = timers.takeZero();
            }
            if (next == null) {
                return;
            }
            handle(next);
        }
    }

    private void handle(StateEvent event) throws Exception {
        Transition<S, D> t = handleEvent(event, state, data);
        carryOut(event, t, false);
    }

    /**
     * Carries out {@code t}, the result of handling {@code event}: its actions, then the state enter calls a change
     * of state (or a repeat, or the start: {@code enterFirst}) asks for, whose actions add to the first's, then the
     * transition itself.
     */
    private void carryOut(StateEvent event, Transition<S, D> t, boolean enterFirst) throws Exception {
        Pending pending = new Pending();
        S next;
        D nextData = data;
        boolean callEnter = enterFirst;
        boolean isStateCall = true;
        while (true) {
            if (t == null) {
                throw new IllegalStateException("bad_return_from_state_function: null");
            }
            if (t.kind == Transition.Kind.STOP) {
                for (Transition.Action a : t.actions) {
                    Transition.Reply r = (Transition.Reply) a;
                    r.from().reply(r.reply());
                }
                stop(t.stopReason);
                ended = true;
                return;
            }
            S current = isStateCall ? state : pending.enteredState;
            next = t.kind == Transition.Kind.NEXT ? t.state : current;
            if (t.setsData) {
                nextData = t.data;
            }
            boolean changes = t.kind == Transition.Kind.REPEAT
                    || t.kind == Transition.Kind.NEXT && !Objects.equals(next, current);
            if (!isStateCall && t.kind == Transition.Kind.NEXT && !Objects.equals(next, current)) {
                throw new IllegalStateException("bad_state_enter_return_from_state_function: a state enter call "
                        + "cannot change the state (" + current + " → " + next + ")");
            }
            pending.take(t.actions, isStateCall);
            callEnter = callEnter || changes;
            if (!(callEnter && stateEnter())) {
                break;
            }
            // OTP's enter call: the new state and data, and the state being left as its content
            pending.enteredState = next;
            D enterData = nextData;
            t = handleEvent(new StateEvent.Enter(state), next, enterData);
            isStateCall = false;
            callEnter = false;
        }
        transition(event, next, nextData, pending);
    }

    /** The state change itself: postponing, cancelling timeouts, retrying postponed events, inserted events. */
    private void transition(StateEvent event, S next, D nextData, Pending pending) {
        if (pending.postpone && event != INIT) { // init's actions cannot postpone (OTP appends {postpone, false})
            postponed.add(event);
        }
        timers.cancel(Transition.TimerKind.EVENT); // any event cancels the event timeout
        if (!Objects.equals(next, state)) {
            timers.cancel(Transition.TimerKind.STATE);
            for (int i = postponed.size() - 1; i >= 0; i--) {
                queue.addFirst(postponed.get(i));
            }
            postponed.clear();
        }
        state = next;
        data = nextData;
        pending.startTimeouts(timers);
        for (int i = pending.inserted.size() - 1; i >= 0; i--) {
            queue.addFirst(pending.inserted.get(i));
        }
    }

    /** The actions gathered over one event's state call and the enter calls after it. */
    private final class Pending {
        boolean postpone;
        final List<StateEvent> inserted = new ArrayList<>();
        final List<Transition.TimeoutAction> timeouts = new ArrayList<>();
        S enteredState;

        void take(List<Transition.Action> actions, boolean stateCall) {
            for (Transition.Action a : actions) {
                switch (a) {
                    case Transition.Reply r -> r.from().reply(r.reply());
                    case Transition.Postpone p -> {
                        requireStateCall(stateCall, "postpone");
                        postpone = true;
                    }
                    case Transition.NextEvent n -> {
                        requireStateCall(stateCall, "next_event");
                        inserted.add(n.event());
                    }
                    case Transition.TimeoutAction t -> timeouts.add(t);
                }
            }
        }

        /** For each timer key only the last action counts (OTP walks them from the last and skips keys seen). */
        void startTimeouts(StatemTimers timers) {
            Map<Object, Transition.TimeoutAction> last = new LinkedHashMap<>();
            for (Transition.TimeoutAction t : timeouts) {
                last.remove(t.key());
                last.put(t.key(), t);
            }
            for (Transition.TimeoutAction t : last.values()) {
                switch (t.op()) {
                    case START -> timers.start(t.key(), t.delay(), t.content());
                    case START_AT -> timers.startAt(t.key(), t.at(), t.content());
                    case CANCEL -> timers.cancel(t.key());
                    case UPDATE -> timers.update(t.key(), t.content());
                }
            }
        }

        private void requireStateCall(boolean stateCall, String action) {
            if (!stateCall) {
                throw new IllegalStateException("bad_state_enter_action_from_state_function: " + action
                        + " is not allowed in a state enter call");
            }
        }
    }
}
