package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MonitorTest {
    private static final Atom BOOM = Atom.of("boom");
    private final Node node = Node.start("monitor_test@localhost");
    private final TestProbe probe = TestProbe.create(node);

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void monitorByPidDeliversDownWithTheReason() {
        Pid p = node.spawn(Actors.Idle::new);
        Ref ref = probe.mailbox().monitor(p);
        node.exit(p, BOOM);
        assertThat(probe.receiveMessage()).isEqualTo(new Down(ref, p, BOOM));
    }

    @Test
    void monitorByNameDeliversDownNamingTheName() {
        Pid p = node.spawnRegister("watched", Actors.Idle::new);
        Ref ref = probe.mailbox().monitor("watched");
        // the monitor signal is asynchronous, as in Erlang
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> node.info(p).monitoredBy().contains(probe.pid()));
        node.exit(p, BOOM);
        assertThat(probe.receiveMessage()).isEqualTo(new Down(ref, new Name(Atom.of("watched"), node.name()), BOOM));
    }

    @Test
    void monitoringAMissingTargetGivesNoprocAtOnce() {
        Ref byName = probe.mailbox().monitor("nobody_here");
        assertThat(probe.receiveMessage()).isEqualTo(new Down(byName, new Name(Atom.of("nobody_here"), node.name()),
                Reasons.NOPROC));
        Pid dead = node.spawn(Actors.Idle::new);
        Ref first = probe.mailbox().monitor(dead);
        node.exit(dead, Reasons.KILL);
        assertThat(probe.receiveMessage()).isEqualTo(new Down(first, dead, Reasons.KILLED));
        Ref byPid = probe.mailbox().monitor(dead);
        assertThat(probe.receiveMessage()).isEqualTo(new Down(byPid, dead, Reasons.NOPROC));
    }

    @Test
    void demonitorMeansSilence() {
        Pid p = node.spawn(Actors.Idle::new);
        Ref ref = probe.mailbox().monitor(p);
        probe.mailbox().demonitor(ref);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> node.info(p).monitoredBy().isEmpty());
        node.exit(p, BOOM);
        probe.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void demonitorRemovesADownAlreadyQueued() {
        Pid p = node.spawn(Actors.Idle::new);
        Ref ref = probe.mailbox().monitor(p);
        Ref other = probe.mailbox().monitor(node.spawn(Actors.Idle::new));
        node.exit(p, BOOM);
        // wait until the DOWN has been queued (it is behind nothing else)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !node.isAlive(p));
        // a selective receive that skips the DOWN moves it to the saved queue; demonitor must drop it there too
        assertThat(probe.mailbox().receive(m -> m.equals("never"), Duration.ofMillis(50))).isNull();
        probe.mailbox().demonitor(ref);
        probe.expectNoMessage(Duration.ofMillis(50));
        assertThat(other).isNotNull();
    }

    @Test
    void aProcessCanMonitorFromItsHandlers() {
        Pid target = node.spawn(Actors.Idle::new);
        Pid to = probe.pid();
        node.spawn(() -> new Actor() {
            @Override
            protected void init() {
                monitor(target);
            }

            @Override
            protected void handleMessage(Object message) {
                send(to, message);
            }
        });
        node.exit(target, BOOM);
        Down down = (Down) probe.receiveMessage();
        assertThat(down.item()).isEqualTo(target);
        assertThat(down.reason()).isEqualTo(BOOM);
    }

    @Test
    void spawnMonitorMonitorsFromTheStart() {
        Pid to = probe.pid();
        node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                if (message.equals("go")) {
                    Spawned child = spawnMonitor(() -> new Actor() {
                        @Override
                        protected void handleMessage(Object m) {
                            stop(BOOM);
                        }
                    });
                    send(to, child);
                    send(child.pid(), "stop");
                } else {
                    send(to, message);
                }
            }
        });
        node.send(node.processes().stream().filter(p -> !p.equals(to)).findFirst().orElseThrow(), "go");
        Spawned child = probe.expectMessageClass(Spawned.class);
        assertThat(probe.receiveMessage()).isEqualTo(new Down(child.monitor(), child.pid(), BOOM));
    }

    @Test
    void monitorsAndDownsKeepPerPairOrderWithMessages() {
        Pid p = node.spawn(() -> new Actors.Forwarder(probe.pid()));
        Ref ref = probe.mailbox().monitor(p);
        for (int i = 0; i < 50; i++) {
            node.send(p, i);
        }
        node.exit(p, BOOM);
        for (int i = 0; i < 50; i++) {
            assertThat(probe.receiveMessage()).isEqualTo(i);
        }
        assertThat(probe.receiveMessage()).isEqualTo(new Down(ref, p, BOOM));
    }
}
