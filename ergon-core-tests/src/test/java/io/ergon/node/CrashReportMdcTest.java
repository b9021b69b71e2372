package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.testkit.LogCapture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A crash report carries the crashed process's node and pid in the MDC, as what the process logs itself does. */
class CrashReportMdcTest {
    static final class Faulty extends Actor {
        @Override
        protected void handleMessage(Object message) {
            throw new IllegalStateException("boom: " + message);
        }
    }

    @Test
    void theCrashLineNamesTheNodeAndThePidInTheMdc() {
        try (LogCapture log = LogCapture.of("io.ergon.node.Process").atLevel(org.slf4j.event.Level.WARN);
             Node node = Node.start("mdc_crash@localhost");
             Mailbox me = node.mailbox()) {
            Pid faulty = node.spawn(Faulty::new);
            me.monitor(faulty);
            node.send(faulty, "now");
            assertThat(me.receive(m -> m instanceof Down, Duration.ofSeconds(5))).isNotNull();
            int i = log.messages().indexOf(log.messages().stream().filter(m -> m.contains("crashed")).findFirst()
                    .orElseThrow());
            Map<String, String> mdc = log.events().get(i).mdc();
            assertThat(mdc).containsEntry("node", "mdc_crash@localhost")
                    .containsEntry("pid", TermFormat.format(faulty));
        }
    }
}
