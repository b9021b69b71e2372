package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A jqwik property of GenStatem's event order, with OTP's gen_statem itself as the model: each try generates a batch
 * of scenarios (casts and messages that postpone, change or repeat the state, insert events, and start, cancel or
 * update zero and long timeouts of every kind) and requires Ergon's trace of each to equal the one a real gen_statem
 * records ({@code ergon_statem_lab.erl}). A batch per try keeps Erlang's start-up to one per try; on a failure jqwik
 * shrinks the batch and its scenarios to a small counterexample. Only zero timeouts fire within a run, so the order
 * is deterministic on both sides. Skipped without Erlang.
 */
class GenStatemPropertyTest {
    private static final List<Atom> STATES = List.of(Atom.of("a"), Atom.of("b"), Atom.of("c"));
    private static final List<Atom> NEXT = List.of(Atom.of("keep"), Atom.of("repeat"), Atom.of("a"), Atom.of("b"),
            Atom.of("c"));
    private static final List<Object> TIMERS = List.of(Atom.of("timeout"), Atom.of("state_timeout"),
            Tuple.of(Atom.of("timeout"), Atom.of("g")), Tuple.of(Atom.of("timeout"), Atom.of("h")));

    @Property(tries = 5)
    void batchesOfScenariosHandleTheSameEventsInTheSameOrderAsGenStatem(
            @ForAll("batches") List<List<Object>> batch) throws Exception {
        Map<String, List<?>> scenarios = new LinkedHashMap<>();
        StringBuilder terms = new StringBuilder();
        for (int i = 0; i < batch.size(); i++) {
            scenarios.put("p" + i, batch.get(i));
            terms.append(TermFormat.format(Tuple.of(Atom.of("p" + i), batch.get(i)))).append(".\n");
        }
        Map<String, String> erlang = StatemLab.runOnErlang(terms.toString(), scenarios.keySet());
        try (Node node = Node.start("statem_property@localhost")) {
            for (var s : scenarios.entrySet()) {
                assertThat(StatemLab.runScenario(node, s.getValue()))
                        .as("scenario %s", TermFormat.format(s.getValue())).isEqualTo(erlang.get(s.getKey()));
            }
        }
    }

    @Provide
    Arbitrary<List<List<Object>>> batches() {
        return scenario().list().ofMinSize(1).ofMaxSize(40);
    }

    private Arbitrary<List<Object>> scenario() {
        Arbitrary<Object> step = Combinators.combine(Arbitraries.of("cast", "info"), message())
                .as((kind, message) -> Tuple.of(Atom.of(kind), message));
        return step.list().ofMinSize(1).ofMaxSize(10).map(steps -> new ArrayList<Object>(steps));
    }

    /** A plain message, or a {@code do_in} that postpones or inserts events (never both), with timer actions. */
    private Arbitrary<Object> message() {
        Arbitrary<Object> plain = Arbitraries.of("x", "y").map(Atom::of);
        Arbitrary<List<Object>> postponing = timers().map(t -> {
            List<Object> a = new ArrayList<>(t);
            a.add(Atom.of("postpone"));
            return a;
        });
        Arbitrary<List<Object>> inserting = Combinators.combine(timers(), inserted().list().ofMaxSize(2))
                .as((t, events) -> {
                    List<Object> a = new ArrayList<>(events);
                    a.addAll(t);
                    return a;
                });
        Arbitrary<List<Object>> actions = Arbitraries.oneOf(timers(), postponing, inserting);
        Arbitrary<Object> doIn = Combinators.combine(Arbitraries.of(STATES), Arbitraries.of(NEXT), actions)
                .as((state, next, a) -> Tuple.of(Atom.of("do_in"), state, next, a));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, plain), net.jqwik.api.Tuple.of(4, doIn));
    }

    /** An inserted event: plain, or a {@code do_in} with timer actions only (it neither postpones nor inserts). */
    private Arbitrary<Object> inserted() {
        Arbitrary<Object> content = Arbitraries.oneOf(Arbitraries.of("i", "j").map(Atom::of),
                Combinators.combine(Arbitraries.of(STATES), Arbitraries.of(NEXT), timers())
                        .as((state, next, t) -> Tuple.of(Atom.of("do_in"), state, next, t)));
        return Combinators.combine(Arbitraries.of("internal", "cast"), content)
                .as((type, c) -> Tuple.of(Atom.of("next_event"), Atom.of(type), c));
    }

    /** Up to three timer actions: start (zero, or long enough never to fire in a run), cancel or update. */
    private Arbitrary<List<Object>> timers() {
        Arbitrary<Object> timer = Combinators.combine(Arbitraries.of(TIMERS), Arbitraries.integers().between(0, 3),
                Arbitraries.of("t1", "t2").map(Atom::of)).as((kind, op, content) -> switch (op) {
                    case 0 -> Tuple.of(kind, 0L, content);
                    case 1 -> Tuple.of(kind, 60_000L, content);
                    case 2 -> Tuple.of(kind, Atom.of("cancel"));
                    default -> Tuple.of(kind, Atom.of("update"), content);
                });
        return timer.list().ofMaxSize(3).map(l -> new ArrayList<Object>(l));
    }
}
