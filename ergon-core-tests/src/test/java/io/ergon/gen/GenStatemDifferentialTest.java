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
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GenStatem against OTP's gen_statem on random scenarios: {@value #SCENARIOS} sequences of casts and messages that
 * postpone, change state, repeat it, insert events and start or cancel zero and long timeouts, in every mix, run on
 * {@code ergon_statem_lab.erl} in a real Erlang node and on {@link StatemLab}; each must handle the same events in the
 * same order. Timers that would fire during the run are zero ones only, so the order is deterministic in both. The
 * seed is printed; {@code -Dstatem.seed=N} replays a run.
 *
 * <p>No generated event both postpones and inserts events, and inserted events neither postpone nor insert, so
 * every scenario ends (a postponed event that inserts one bringing the state back could loop forever, in OTP too).
 */
class GenStatemDifferentialTest {
    private static final int SCENARIOS = 300;
    private static final Atom[] STATES = {Atom.of("a"), Atom.of("b"), Atom.of("c")};
    private static final Atom[] NEXT = {Atom.of("keep"), Atom.of("repeat"), Atom.of("a"), Atom.of("b"), Atom.of("c")};

    @Test
    void randomScenariosHandleTheSameEventsInTheSameOrderAsErlang() throws Exception {
        long seed = Long.getLong("statem.seed", System.nanoTime());
        System.out.println("GenStatemDifferentialTest seed: " + seed);
        Random random = new Random(seed);
        Map<String, List<?>> scenarios = new LinkedHashMap<>();
        StringBuilder terms = new StringBuilder();
        for (int i = 0; i < SCENARIOS; i++) {
            List<Object> steps = scenario(random);
            scenarios.put("s" + i, steps);
            terms.append(TermFormat.format(Tuple.of(Atom.of("s" + i), steps))).append(".\n");
        }
        Map<String, String> erlang = StatemLab.runOnErlang(terms.toString(), scenarios.keySet());
        try (Node node = Node.start("statem_differential@localhost")) {
            for (var s : scenarios.entrySet()) {
                assertThat(StatemLab.runScenario(node, s.getValue()))
                        .as("scenario %s (seed %d): %s", s.getKey(), seed, TermFormat.format(s.getValue()))
                        .isEqualTo(erlang.get(s.getKey()));
            }
        }
    }

    private static List<Object> scenario(Random random) {
        List<Object> steps = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            steps.add(Tuple.of(Atom.of("start"), actions(random, false, true)));
        }
        int n = 3 + random.nextInt(10);
        for (int i = 0; i < n; i++) {
            Atom kind = Atom.of(random.nextBoolean() ? "cast" : "info");
            steps.add(Tuple.of(kind, random.nextInt(4) == 0 ? Atom.of("x" + i) : doIn(random, true, i)));
        }
        return steps;
    }

    private static Tuple doIn(Random random, boolean topLevel, int tag) {
        return Tuple.of(Atom.of("do_in"), pick(random, STATES), pick(random, NEXT), actions(random, topLevel, false));
    }

    /** Up to four actions; postpone and next_event only at the top level, and never both. */
    private static List<Object> actions(Random random, boolean topLevel, boolean init) {
        List<Object> actions = new ArrayList<>();
        boolean inserts = topLevel && !init ? random.nextBoolean() : init && random.nextBoolean();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(9);
            switch (k) {
                case 0 -> {
                    if (topLevel && !inserts && !init) {
                        actions.add(Atom.of("postpone"));
                    }
                }
                case 1 -> {
                    if (inserts) {
                        actions.add(Tuple.of(Atom.of("next_event"), Atom.of(random.nextBoolean() ? "internal" : "cast"),
                                random.nextBoolean() ? Atom.of("i" + i) : doIn(random, false, i)));
                    }
                }
                case 2 -> actions.add(Tuple.of(Atom.of("state_timeout"), 0L, Atom.of("s" + i)));
                case 3 -> actions.add(Tuple.of(Atom.of("timeout"), 0L, Atom.of("e" + i)));
                case 4 -> actions.add(Tuple.of(Tuple.of(Atom.of("timeout"), pick(random, STATES)), 0L,
                        Atom.of("g" + i)));
                case 5 -> actions.add(Tuple.of(Atom.of("state_timeout"), 60_000L, Atom.of("never")));
                case 6 -> actions.add(Tuple.of(Atom.of("state_timeout"), Atom.of("cancel")));
                case 7 -> actions.add(Tuple.of(Atom.of("timeout"), Atom.of("cancel")));
                default -> actions.add(Tuple.of(Tuple.of(Atom.of("timeout"), pick(random, STATES)), Atom.of("cancel")));
            }
        }
        return actions;
    }

    private static Atom pick(Random random, Atom[] from) {
        return from[random.nextInt(from.length)];
    }
}
