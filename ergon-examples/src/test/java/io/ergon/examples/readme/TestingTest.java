package io.ergon.examples.readme;

import io.ergon.gen.GenServer;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import io.ergon.testkit.ErgonExtension;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TermPattern;
import io.ergon.testkit.TestCluster;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's section on testing, as a user's test of their own code would read (regions for the README). */
class TestingTest {
    // [snippet testkit]
    record Remind(Pid who, String what, Duration in) {
    }

    /** Sends a reminder when it is due. */
    static final class Reminder extends GenServer {
        @Override
        protected void handleCast(Object message) {
            if (message instanceof Remind(Pid who, String what, Duration in)) {
                sendAfter(who, what, in);
            }
        }
    }

    @Nested
    class OnManualTime {
        @RegisterExtension
        final ErgonExtension ergon = ErgonExtension.create().manualTime();

        @Test
        void remindsAfterAnHourWithoutWaitingAnHour(Node node, TestProbe probe) {
            Pid reminder = node.spawn(Reminder::new);
            node.cast(reminder, new Remind(probe.pid(), "stand up", Duration.ofHours(1)));
            ergon.awaitQuiet(reminder); // it has handled the cast, so its timer is set
            ergon.time().expectNoMessageFor(Duration.ofMinutes(59), Duration.ofMillis(50), probe);
            ergon.time().advance(Duration.ofMinutes(1));
            probe.expectMessage("stand up");
        }
    }
    // [end]

    // [snippet testkit-erlang]
    @Nested
    class WithAnErlangNode {
        @RegisterExtension
        final TestCluster cluster = TestCluster.create(); // its own EPMD and cookie, on loopback

        @Test
        void anErlangProcessGetsTheReminder() {
            Node node = cluster.ergon("app");
            ErlangNode erl = cluster.erlang("peer"); // skipped, with a message, where 'erl' is not installed
            try (TestProbe probe = TestProbe.create(node, "inbox")) {
                erl.eval("{inbox, 'app@localhost'} ! {ready, self()}.");
                Object ready = probe.expectMessage(TermPattern.of("{ready, _}"));
                Pid shell = (Pid) ((io.ergon.term.Tuple) ready).get(1);
                node.cast(node.spawn(Reminder::new), new Remind(shell, "stand up", Duration.ofMillis(10)));
                erl.eval("receive <<\"stand up\">> -> ok after 5000 -> exit(no_reminder) end.");
            }
        }
    }
    // [end]
}
