package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.TermParser;
import io.ergon.term.Tuple;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * GenStatem against OTP's gen_statem: the scenarios of {@code statem_scenarios.terms} (postpone ordering, inserted
 * events, the three timeouts and their cancelling, zero timeouts, state enter calls, init actions) run on
 * {@code ergon_statem_lab.erl} in a real Erlang node and on its Java twin {@link StatemLab}; each must handle the
 * same events in the same order. A few of Erlang's answers are also pinned below, so the rules hold without Erlang.
 */
class GenStatemErlangComparisonTest {
    private static final String SCENARIOS = "/erlang/statem_scenarios.terms";
    private static final Node node = Node.start("statem_comparison@localhost");
    private static Map<String, String> erlang;

    @AfterAll
    static void stop() {
        node.close();
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioHandlesTheSameEventsInTheSameOrderAsErlang() throws Exception {
        Map<String, List<?>> scenarios = scenarios();
        Map<String, String> expected = erlangResults();
        return scenarios.entrySet().stream().map(s -> DynamicTest.dynamicTest(s.getKey(), () ->
                assertThat(StatemLab.runScenario(node, s.getValue())).as(s.getKey()).isEqualTo(expected.get(s.getKey()))));
    }

    @Test
    void postponedEventsComeBackAfterInsertedOnesOnAChangeOfState() throws Exception {
        assertThat(StatemLab.runScenario(node, scenarios().get("inserted_events_before_postponed_ones"))).isEqualTo(String.join(";",
                "a/enter/a", "a/cast/{do_in,a,keep,[postpone]}",
                "a/cast/{do_in,a,b,[{next_event,internal,i1},{next_event,cast,i2},postpone]}",
                "b/enter/a", "b/internal/i1", "b/cast/i2", "b/cast/{do_in,a,keep,[postpone]}",
                "b/cast/{do_in,a,b,[{next_event,internal,i1},{next_event,cast,i2},postpone]}", "b/cast/x"));
    }

    @Test
    void zeroTimeoutsFireAfterInsertedEventsAndBeforeTheMailbox() throws Exception {
        assertThat(StatemLab.runScenario(node, scenarios().get("zero_timeouts_after_inserted_events_before_mailbox")))
                .isEqualTo(String.join(";", "a/enter/a",
                        "a/cast/{do_in,a,keep,[{state_timeout,0,s0},{{timeout,g},0,g0},{next_event,internal,i1}]}",
                        "a/internal/i1", "a/state_timeout/s0", "a/timeout:g/g0", "a/cast/x"));
    }

    @Test
    void aChangeOfStateCancelsTheStateTimeoutAndAnyEventTheEventTimeout() throws Exception {
        assertThat(StatemLab.runScenario(node, scenarios().get("state_timeout_cancelled_by_state_change")))
                .doesNotContain("state_timeout/st1");
        assertThat(StatemLab.runScenario(node, scenarios().get("state_timeout_survives_keep_and_repeat")))
                .contains("a/state_timeout/st1");
        assertThat(StatemLab.runScenario(node, scenarios().get("event_timeout_cancelled_by_any_event"))).doesNotContain("a/timeout/et1");
        assertThat(StatemLab.runScenario(node, scenarios().get("generic_timeout_survives_state_change"))).contains("c/timeout:g/gt1");
    }

    private static synchronized Map<String, String> erlangResults() throws Exception {
        if (erlang == null) {
            ErlangRunner.assumeErlang();
            erlang = StatemLab.runOnErlang(scenarioText(), scenarios().keySet());
        }
        return erlang;
    }

    private static Map<String, List<?>> scenarios() throws Exception {
        Map<String, List<?>> out = new LinkedHashMap<>();
        String text = scenarioText().lines().filter(l -> !l.startsWith("%")).reduce("", (a, b) -> a + b + "\n");
        for (String term : text.split("(?<=})\\.\\s*(\n|$)")) {
            if (!term.isBlank()) {
                Tuple t = (Tuple) TermParser.parse(term.strip());
                out.put(((Atom) t.get(0)).name(), (List<?>) t.get(1));
            }
        }
        return out;
    }

    private static String scenarioText() throws Exception {
        try (InputStream in = GenStatemErlangComparisonTest.class.getResourceAsStream(SCENARIOS)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
