package io.ergon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The extension's own contract, checked by running small test classes through JUnit's engine. */
class ErgonExtensionTest {
    static final AtomicReference<Node> LAST = new AtomicReference<>();

    /** Idles forever. */
    static final class Idler extends Actor {
        @Override
        protected void handleMessage(Object message) {
        }
    }

    /** Not run by itself (no "Test" suffix for the build); run by the engine below. */
    static class StrictExample {
        @RegisterExtension
        final ErgonExtension ergon = ErgonExtension.create().failOnLeftoverProcesses();

        @Test
        void leavesAProcess(Node node) {
            node.spawn(Idler::new);
        }

        @Test
        void cleansUp(Node node, TestProbe probe) {
            LAST.set(node);
            var pid = node.spawn(Idler::new);
            probe.watch(pid);
            node.exit(pid, io.ergon.term.Atom.of("kill"));
            probe.expectTerminated(pid);
        }
    }

    @Test
    void aLeftoverProcessFailsAStrictTestAndTheNodeStopsAfterEachTest() {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(StrictExample.class)).execute();
        results.testEvents().assertThatEvents().haveExactly(1,
                org.assertj.core.api.Assertions.allOf(test("leavesAProcess"),
                        finishedWithFailure(message(m -> m.contains("left 1 process(es) running")))));
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
        assertThat(LAST.get().isShuttingDown()).isTrue();
    }

    @Test
    void parametersAreTheExtensionsNodeAndNewProbes() {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ParameterExample.class)).execute();
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    static class ParameterExample {
        @RegisterExtension
        final ErgonExtension ergon = ErgonExtension.create().manualTime();

        @Test
        void sameNode(Node node, TestProbe a, TestProbe b, ManualTime time) {
            assertThat(node).isSameAs(ergon.node());
            assertThat(a.pid()).isNotEqualTo(b.pid());
            assertThat(time).isSameAs(ergon.time());
        }
    }
}
