package io.ergon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Actor;
import io.ergon.term.Pid;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class LogCaptureTest {
    @RegisterExtension
    final ErgonExtension ergon = ErgonExtension.create();

    /** Crashes on its first message. */
    static final class Crasher extends Actor {
        @Override
        protected void handleMessage(Object message) {
            throw new IllegalStateException("boom: " + message);
        }
    }

    @Test
    void aCrashIsLoggedOnceWithItsReason(TestProbe probe) {
        // crash reports go to io.ergon.node.Process, which this module's test configuration silences: atLevel lifts it
        try (LogCapture log = LogCapture.of("io.ergon.node.Process").atLevel(Level.INFO)) {
            Pid crasher = ergon.node().spawn(Crasher::new);
            probe.watch(crasher);
            ergon.node().send(crasher, "kaput");
            probe.expectTerminated(crasher);
            LogCapture.Event crash = log.expectLoggedOnce(Level.ERROR, "boom: kaput");
            assertThat(crash.throwable()).contains("IllegalStateException");
        }
    }

    @Test
    void anEventThatNeverComesFailsWithWhatWasLogged() {
        try (LogCapture log = LogCapture.of("test.quiet")) {
            LoggerFactory.getLogger("test.quiet").warn("something else");
            assertThatThrownBy(() -> log.expectLogged(e -> e.message().contains("never"), "never",
                    Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("something else");
            assertThatThrownBy(() -> log.expectNothingAtOrAbove(Level.WARN)).isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void closingStopsTheCapture() {
        LogCapture log = LogCapture.of("test.closed");
        log.close();
        LoggerFactory.getLogger("test.closed").warn("after close");
        assertThat(log.events()).isEmpty();
    }
}
