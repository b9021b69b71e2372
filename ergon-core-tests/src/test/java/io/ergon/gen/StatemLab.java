package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The machine of {@link GenStatemErlangComparisonTest}, the twin of {@code ergon_statem_lab.erl}: it records every
 * event it handles as {@code State/Type/Content}, and acts on {@code {do_in, State, Next, Actions}} only while in
 * {@code State}, with the actions given as Erlang terms.
 */
final class StatemLab extends GenStatem<Atom, List<String>> {
    private static final Atom A = Atom.of("a");
    private static final Atom TIMED = Atom.of("timed");
    private final List<?> initActions;

    StatemLab(List<?> initActions) {
        this.initActions = initActions;
    }

    @Override
    protected Transition<Atom, List<String>> initialState() {
        return withActions(Transition.next(A, new ArrayList<>()), initActions);
    }

    @Override
    protected boolean stateEnter() {
        return true;
    }

    @Override
    protected Transition<Atom, List<String>> handleEvent(StateEvent event, Atom state, List<String> trace) {
        if (event instanceof StateEvent.Call(var request, var from) && request == Atom.of("dump")) {
            return Transition.<Atom, List<String>>keep().reply(from, List.copyOf(trace));
        }
        trace.add(entry(state, event));
        return switch (event) {
            case StateEvent.Enter e when state == TIMED ->
                    Transition.<Atom, List<String>>keep().stateTimeout(Duration.ofMillis(30), Atom.of("ring"));
            case StateEvent.Call(var request, var from) ->
                    Transition.<Atom, List<String>>keep().reply(from, Tuple.of(Atom.of("ok"), state));
            default -> {
                Object content = content(event);
                if (content instanceof Tuple t && t.size() == 4 && t.get(0) == Atom.of("do_in") && t.get(1) == state) {
                    Transition<Atom, List<String>> next = switch (((Atom) t.get(2)).name()) {
                        case "keep" -> Transition.keep();
                        case "repeat" -> Transition.repeat();
                        default -> Transition.next((Atom) t.get(2));
                    };
                    yield withActions(next, (List<?>) t.get(3));
                }
                yield Transition.keep();
            }
        };
    }

    /** Runs one scenario on a fresh {@link StatemLab}: the line {@code ergon_statem_scenarios.erl} prints for it. */
    static String runScenario(Node node, List<?> steps) throws Exception {
        List<?> init = List.of();
        if (!steps.isEmpty() && steps.get(0) instanceof Tuple t && t.get(0) == Atom.of("start")) {
            init = (List<?>) t.get(1);
            steps = steps.subList(1, steps.size());
        }
        List<?> initActions = init;
        var pid = node.spawn(() -> new StatemLab(initActions));
        List<Object> replies = new ArrayList<>();
        for (Object step : steps) {
            Tuple s = (Tuple) step;
            Object arg = s.get(1);
            switch (((Atom) s.get(0)).name()) {
                case "cast" -> node.cast(pid, arg);
                case "info" -> node.send(pid, arg);
                case "call" -> replies.add(node.call(pid, arg));
                case "sleep" -> Thread.sleep(((Number) arg).longValue()); // the timers of the scenario run meanwhile
                default -> throw new IllegalArgumentException("unknown step " + step);
            }
        }
        List<String> entries = new ArrayList<>(node.<List<String>>call(pid, Atom.of("dump")));
        node.exit(pid, Atom.of("kill"));
        replies.forEach(r -> entries.add("reply " + TermFormat.format(r)));
        return String.join(";", entries);
    }


    /**
     * Runs the scenarios {@code terms} (the text of a {@code statem_scenarios.terms} file) on {@code ergon_statem_lab}
     * in a real Erlang node; the line printed for each, by name. Skips the test without Erlang.
     */
    static Map<String, String> runOnErlang(String terms, java.util.Set<String> names) throws Exception {
        ErlangRunner.assumeErlang();
        Path dir = ErlangRunner.compile(List.of("ergon_statem_lab", "ergon_statem_scenarios"));
        Files.writeString(dir.resolve("statem_scenarios.terms"), terms);
        ErlangRunner.Output out = ErlangRunner.call(dir, "ergon_statem_scenarios", "main", Duration.ofSeconds(120));
        Map<String, String> results = out.results();
        assertThat(results).as("Erlang's output:\n" + out.text()).containsOnlyKeys(names);
        return results;
    }

    /** Adds the actions, written as OTP's action terms, to {@code t}. */
    private static Transition<Atom, List<String>> withActions(Transition<Atom, List<String>> t, List<?> actions) {
        for (Object a : actions) {
            if (a == Atom.of("postpone")) {
                t.postpone();
            } else if (a instanceof Tuple x && x.size() == 3 && x.get(0) == Atom.of("next_event")) {
                t.nextEvent(x.get(1) == Atom.of("cast") ? new StateEvent.Cast(x.get(2))
                        : new StateEvent.Internal(x.get(2)));
            } else if (a instanceof Tuple x && x.size() == 2 && x.get(1) == Atom.of("cancel")) {
                if (x.get(0) == Atom.of("state_timeout")) {
                    t.cancelStateTimeout();
                } else if (x.get(0) == Atom.of("timeout")) {
                    t.cancelEventTimeout();
                } else {
                    t.cancelTimeout(((Tuple) x.get(0)).get(1));
                }
            } else if (a instanceof Tuple x && x.size() == 3 && x.get(1) == Atom.of("update")) {
                if (x.get(0) == Atom.of("state_timeout")) {
                    t.updateStateTimeout(x.get(2));
                } else if (x.get(0) == Atom.of("timeout")) {
                    t.updateEventTimeout(x.get(2));
                } else {
                    t.updateTimeout(((Tuple) x.get(0)).get(1), x.get(2));
                }
            } else if (a instanceof Tuple x && x.size() == 3) {
                Duration d = Duration.ofMillis(((Number) x.get(1)).longValue());
                if (x.get(0) == Atom.of("state_timeout")) {
                    t.stateTimeout(d, x.get(2));
                } else if (x.get(0) == Atom.of("timeout")) {
                    t.eventTimeout(d, x.get(2));
                } else {
                    t.timeout(((Tuple) x.get(0)).get(1), d, x.get(2));
                }
            } else {
                throw new IllegalArgumentException("not an action of the lab: " + a);
            }
        }
        return t;
    }

    private static String entry(Atom state, StateEvent event) {
        return state.name() + "/" + type(event) + "/" + TermFormat.format(content(event));
    }

    private static String type(StateEvent event) {
        return switch (event) {
            case StateEvent.Call c -> "call";
            case StateEvent.Cast c -> "cast";
            case StateEvent.Info i -> "info";
            case StateEvent.EventTimeout t -> "timeout";
            case StateEvent.StateTimeout t -> "state_timeout";
            case StateEvent.Timeout t -> "timeout:" + TermFormat.format(t.name());
            case StateEvent.Internal i -> "internal";
            case StateEvent.Enter e -> "enter";
        };
    }

    private static Object content(StateEvent event) {
        return switch (event) {
            case StateEvent.Call c -> c.request();
            case StateEvent.Cast c -> c.message();
            case StateEvent.Info i -> i.message();
            case StateEvent.EventTimeout t -> t.content();
            case StateEvent.StateTimeout t -> t.content();
            case StateEvent.Timeout t -> t.content();
            case StateEvent.Internal i -> i.content();
            case StateEvent.Enter e -> e.previousState();
        };
    }
}
