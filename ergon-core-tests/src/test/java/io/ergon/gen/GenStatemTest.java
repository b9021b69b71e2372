package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.CallException;
import io.ergon.node.CrashReason;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.SpawnException;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GenStatem's Java side: the state-functions style, stopping with replies, terminate, crashes, and the limits OTP
 * puts on state enter calls. The event order and timeouts are compared with OTP in
 * {@link GenStatemErlangComparisonTest}.
 */
class GenStatemTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Atom OPEN = Atom.of("open");
    private static final Atom LOCKED = Atom.of("locked");
    private final Node node = Node.start("gen_statem_test@localhost");

    @AfterEach
    void stop() {
        node.close();
    }

    /** OTP's code lock, in the state-functions style: each state an enum constant that handles its events. */
    static final class Door extends GenStatem<Door.State, Integer> {
        static final Duration OPEN_FOR = Duration.ofMillis(150);

        enum State implements StateFunction<State, Integer> {
            LOCKED_STATE {
                @Override
                public Transition<State, Integer> handle(StateEvent event, Integer code) {
                    return switch (event) {
                        case StateEvent.Call(Tuple t, var from) when ((Number) t.get(1)).intValue() == code ->
                                Transition.<State, Integer>next(OPEN_STATE).reply(from, OPEN)
                                        .stateTimeout(OPEN_FOR, Atom.of("lock"));
                        case StateEvent.Call(var request, var from) -> Transition.<State, Integer>keep()
                                .reply(from, LOCKED);
                        default -> Transition.keep();
                    };
                }
            },
            OPEN_STATE {
                @Override
                public Transition<State, Integer> handle(StateEvent event, Integer code) {
                    return switch (event) {
                        case StateEvent.StateTimeout(var lock) -> Transition.next(LOCKED_STATE);
                        case StateEvent.Call(Tuple t, var from) -> Transition.<State, Integer>keep().postpone();
                        case StateEvent.Call(var request, var from) -> Transition.<State, Integer>keep()
                                .reply(from, OPEN);
                        default -> Transition.keep();
                    };
                }
            }
        }

        @Override
        protected Transition<State, Integer> initialState() {
            return Transition.next(State.LOCKED_STATE, 1234);
        }
    }

    @Test
    void theStatesHandleTheirOwnEventsAndAPostponedCallIsAnsweredInTheNextState() throws Exception {
        Pid door = node.spawn(Door::new);
        assertThat((Object) node.call(door, Tuple.of(Atom.of("button"), 1)))
                .as("a wrong code leaves it locked").isEqualTo(LOCKED);
        assertThat((Object) node.call(door, Tuple.of(Atom.of("button"), 1234))).isEqualTo(OPEN);
        assertThat((Object) node.call(door, Atom.of("state"))).isEqualTo(OPEN);
        long start = System.nanoTime();
        Object whileOpen = node.call(door, Tuple.of(Atom.of("button"), 1), WAIT);
        assertThat(whileOpen).as("a button pressed while open is postponed until the door locks again")
                .isEqualTo(LOCKED);
        assertThat(System.nanoTime() - start).as("answered only once the state timeout locked the door")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    /** Records terminate's arguments; stops with replies on "stop". */
    static final class Stopper extends GenStatem<Atom, List<String>> {
        private final CompletableFuture<List<Object>> terminated;

        Stopper(CompletableFuture<List<Object>> terminated) {
            this.terminated = terminated;
        }

        @Override
        protected Transition<Atom, List<String>> initialState() {
            return Transition.next(Atom.of("running"), new ArrayList<>(List.of("started")));
        }

        @Override
        protected Transition<Atom, List<String>> handleEvent(StateEvent event, Atom state, List<String> data) {
            return switch (event) {
                case StateEvent.Call(var request, var from) when request.equals("stop") ->
                        Transition.<Atom, List<String>>stop(Atom.of("done")).reply(from, "bye");
                case StateEvent.Call(var request, var from) when request.equals("crash") ->
                        throw new IllegalStateException("asked to crash");
                case StateEvent.Cast(var next) -> Transition.next((Atom) next);
                default -> Transition.keep();
            };
        }

        @Override
        protected void terminate(Object reason, Atom state, List<String> data) {
            terminated.complete(List.of(reason, state, data));
        }
    }

    @Test
    void aStopRepliesFirstThenTerminateGetsTheReasonTheLastStateAndTheData() throws Exception {
        CompletableFuture<List<Object>> terminated = new CompletableFuture<>();
        Pid machine = node.spawn(() -> new Stopper(terminated));
        try (Mailbox probe = node.mailbox()) {
            probe.monitor(machine);
            node.cast(machine, Atom.of("draining"));
            assertThat((Object) node.call(machine, "stop")).isEqualTo("bye");
            assertThat(terminated.get(5, TimeUnit.SECONDS))
                    .containsExactly(Atom.of("done"), Atom.of("draining"), List.of("started"));
            assertThat(((Down) probe.receive(m -> m instanceof Down, WAIT)).reason()).isEqualTo(Atom.of("done"));
        }
    }

    @Test
    void anExceptionInACallbackCrashesTheMachineAndFailsTheCall() throws Exception {
        CompletableFuture<List<Object>> terminated = new CompletableFuture<>();
        Pid machine = node.spawn(() -> new Stopper(terminated));
        assertThatThrownBy(() -> node.call(machine, "crash", WAIT)).isInstanceOf(CallException.class)
                .hasMessageContaining("asked to crash");
        Object reason = terminated.get(5, TimeUnit.SECONDS).get(0);
        assertThat(reason).isInstanceOf(CrashReason.class);
    }

    /** A machine whose enter call breaks one of OTP's rules for enter calls, chosen by its initial data. */
    static final class BadEnter extends GenStatem<Atom, String> {
        private final String rule;

        BadEnter(String rule) {
            this.rule = rule;
        }

        @Override
        protected Transition<Atom, String> initialState() {
            return Transition.next(Atom.of("idle"), rule);
        }

        @Override
        protected boolean stateEnter() {
            return true;
        }

        @Override
        protected Transition<Atom, String> handleEvent(StateEvent event, Atom state, String rule) {
            if (event instanceof StateEvent.Enter && state == Atom.of("busy")) {
                return switch (rule) {
                    case "postpone" -> Transition.<Atom, String>keep().postpone();
                    case "next_event" -> Transition.<Atom, String>keep().nextEvent(new StateEvent.Internal("x"));
                    default -> Transition.next(Atom.of("elsewhere"));
                };
            }
            return event instanceof StateEvent.Cast ? Transition.next(Atom.of("busy")) : Transition.keep();
        }
    }

    @Test
    void aStateEnterCallCannotPostponeInsertEventsOrChangeTheState() throws Exception {
        for (String rule : List.of("postpone", "next_event", "change")) {
            Pid machine = node.spawn(() -> new BadEnter(rule));
            try (Mailbox probe = node.mailbox()) {
                probe.monitor(machine);
                node.cast(machine, "go");
                Down down = (Down) probe.receive(m -> m instanceof Down, WAIT);
                assertThat(down.reason()).as(rule).isInstanceOf(CrashReason.class);
                assertThat(((CrashReason) down.reason()).message()).as(rule)
                        .startsWith(rule.equals("change") ? "bad_state_enter_return_from_state_function"
                                : "bad_state_enter_action_from_state_function");
            }
        }
    }

    @Test
    void aMachineWithoutAnInitialStateAndDataDoesNotStart() {
        assertThatThrownBy(() -> node.spawn(() -> new GenStatem<Atom, String>() {
            @Override
            protected Transition<Atom, String> initialState() {
                return Transition.keep();
            }
        })).isInstanceOf(SpawnException.class).hasMessageContaining("initialState() must return");
    }

    @Test
    void stateEnterCallsSeeTheStateLeftAndTheirTimeoutsRun() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Pid machine = node.spawn(() -> new GenStatem<Atom, Integer>() {
            @Override
            protected Transition<Atom, Integer> initialState() {
                return Transition.next(Atom.of("green"), 0);
            }

            @Override
            protected boolean stateEnter() {
                return true;
            }

            @Override
            protected Transition<Atom, Integer> handleEvent(StateEvent event, Atom state, Integer cycles) {
                seen.add(state.name() + ":" + event);
                return switch (event) {
                    case StateEvent.Enter e when state == Atom.of("yellow") ->
                            Transition.<Atom, Integer>keep().stateTimeout(Duration.ZERO, "to_red");
                    case StateEvent.StateTimeout t -> Transition.next(Atom.of("red"), cycles + 1);
                    case StateEvent.Cast c -> Transition.next(Atom.of("yellow"));
                    default -> Transition.keep();
                };
            }
        });
        node.cast(machine, "change");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> seen.size() == 5);
        assertThat(seen).containsExactly("green:Enter[previousState=green]", "green:Cast[message=change]",
                "yellow:Enter[previousState=green]", "yellow:StateTimeout[content=to_red]",
                "red:Enter[previousState=yellow]");
    }

    /** Arms one timeout kind on "arm" after sending itself "queued", and records the order events come in. */
    static final class Armed extends GenStatem<Atom, List<String>> {
        private final boolean absolute;
        private final List<String> seen;

        Armed(boolean absolute, List<String> seen) {
            this.absolute = absolute;
            this.seen = seen;
        }

        @Override
        protected Transition<Atom, List<String>> initialState() {
            return next(Atom.of("s"), List.of());
        }

        @Override
        protected Transition<Atom, List<String>> handleEvent(StateEvent event, Atom state, List<String> data) {
            if (event instanceof StateEvent.Cast(var m) && "arm".equals(m)) {
                send(self(), "queued");
                return absolute ? keep().timeoutAt("t", java.time.Instant.now().minusSeconds(1), "past")
                        : keep().timeout("t", Duration.ZERO, "zero");
            }
            seen.add(event instanceof StateEvent.Timeout t ? "timeout " + t.content()
                    : String.valueOf(((StateEvent.Info) event).message()));
            return keep();
        }
    }

    @Test
    void anAbsoluteTimeoutInThePastIsARealTimerWhereARelativeZeroOneFiresFirst() {
        for (boolean absolute : new boolean[] {false, true}) {
            List<String> seen = new CopyOnWriteArrayList<>();
            Pid m = node.spawn(() -> new Armed(absolute, seen));
            node.cast(m, "arm");
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> seen.size() == 2);
            assertThat(seen).as("absolute: " + absolute).containsExactly(absolute
                    ? new String[] {"queued", "timeout past"} : new String[] {"timeout zero", "queued"});
        }
    }

    @Test
    void anAbsoluteStateTimeoutFiresAtItsInstant() throws Exception {
        java.time.Instant at = java.time.Instant.now().plusMillis(150);
        CompletableFuture<java.time.Instant> fired = new CompletableFuture<>();
        node.spawn(() -> new GenStatem<Atom, Integer>() {
            @Override
            protected Transition<Atom, Integer> initialState() {
                return next(Atom.of("waiting"), 0).stateTimeoutAt(at, "now");
            }

            @Override
            protected Transition<Atom, Integer> handleEvent(StateEvent event, Atom state, Integer data) {
                if (event instanceof StateEvent.StateTimeout) {
                    fired.complete(java.time.Instant.now());
                }
                return keep();
            }
        });
        assertThat(fired.get(5, TimeUnit.SECONDS)).isAfterOrEqualTo(at);
    }
}
