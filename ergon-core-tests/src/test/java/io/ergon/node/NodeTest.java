package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeTest {
    private final Node node = Node.start("node_test@localhost");

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void validatesNodeNames() {
        assertThatThrownBy(() -> Node.start("nohost")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alive@host");
        assertThatThrownBy(() -> Node.start("a b@host")).isInstanceOf(IllegalArgumentException.class);
        assertThat(node.name()).isEqualTo(Atom.of("node_test@localhost"));
        assertThat(node.creation()).isNotZero();
    }

    @Test
    void spawnedProcessReceivesMessagesByPidAndName() {
        try (TestProbe probe = TestProbe.create(node)) {
            Pid fwd = node.spawn(() -> new Actors.Forwarder(probe.pid()));
            node.send(fwd, "by pid");
            assertThat(probe.receiveMessage()).isEqualTo("by pid");

            Pid named = node.spawnRegister("forwarder", () -> new Actors.Forwarder(probe.pid()));
            assertThat(node.whereis("forwarder")).isEqualTo(named);
            node.send("forwarder", "by name");
            node.send(Atom.of("forwarder"), "by atom");
            node.send(new Name(Atom.of("forwarder"), node.name()), "by Name");
            assertThat(probe.receiveMessage()).isEqualTo("by name");
            assertThat(probe.receiveMessage()).isEqualTo("by atom");
            assertThat(probe.receiveMessage()).isEqualTo("by Name");
        }
    }

    @Test
    void registerUnregisterWhereis() {
        Pid a = node.spawn(Actors.Idle::new);
        Pid b = node.spawn(Actors.Idle::new);
        node.register("worker", a);
        assertThat(node.whereis("worker")).isEqualTo(a);
        assertThat(node.registered()).contains(Atom.of("worker"));
        assertThatThrownBy(() -> node.register("worker", b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered");
        assertThatThrownBy(() -> node.register("other", a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered as worker");
        assertThat(node.info(a).registeredName()).isEqualTo(Atom.of("worker"));
        assertThat(node.unregister("worker")).isTrue();
        assertThat(node.unregister("worker")).isFalse();
        assertThat(node.whereis("worker")).isNull();
        node.register("worker", b);
        assertThat(node.whereis("worker")).isEqualTo(b);
    }

    @Test
    void sendingToAnUnregisteredNameIsBadarg() {
        assertThatThrownBy(() -> node.send("nobody", "hi")).isInstanceOf(BadArgumentException.class)
                .hasMessageContaining("badarg").hasMessageContaining("nobody");
        node.cast("nobody", "casts never fail");
    }

    @Test
    void sendingToADeadPidDropsTheMessage() {
        try (TestProbe probe = TestProbe.create(node)) {
            Pid p = node.spawn(() -> new Actors.Forwarder(probe.pid()));
            Ref mon = probe.mailbox().monitor(p);
            node.exit(p, Reasons.KILL);
            assertThat(probe.expectMessageClass(Down.class).ref()).isEqualTo(mon);
            node.send(p, "into the void");
            probe.expectNoMessage(Duration.ofMillis(50));
        }
    }

    @Test
    void theNameIsReleasedWhenItsProcessExits() {
        try (TestProbe probe = TestProbe.create(node)) {
            Pid p = node.spawnRegister("short_lived", Actors.Idle::new);
            probe.mailbox().monitor(p);
            node.exit(p, Reasons.KILL);
            probe.expectMessageClass(Down.class);
            assertThat(node.whereis("short_lived")).isNull();
            node.spawnRegister("short_lived", Actors.Idle::new);
        }
    }

    @Test
    void listsProcessesAndDescribesThem() {
        try (TestProbe probe = TestProbe.create(node)) {
            Pid p = node.spawnRegister("described", () -> new Actors.Forwarder(probe.pid(), true));
            probe.mailbox().link(p);
            Ref ref = probe.mailbox().monitor(p);
            assertThat(node.processes()).contains(p, probe.pid());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> node.info(p).monitoredBy().size() == 1 && node.info(p).links().size() == 1);
            ProcessInfo info = node.info(p);
            assertThat(info.pid()).isEqualTo(p);
            assertThat(info.registeredName()).isEqualTo(Atom.of("described"));
            assertThat(info.links()).containsExactly(probe.pid());
            assertThat(info.monitoredBy()).containsExactly(probe.pid());
            assertThat(info.trapExit()).isTrue();
            assertThat(info.behaviour()).isEqualTo(Actors.Forwarder.class.getName());
            assertThat(info.status()).isEqualTo(ProcessStatus.IDLE);
            assertThat(node.info(probe.pid()).monitors()).containsExactly(p);
            assertThat(ref).isNotNull();
        }
    }

    @Test
    void infoCountsQueuedMessages() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Pid p = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) throws Exception {
                release.await();
            }
        });
        for (int i = 0; i < 10; i++) {
            node.send(p, i);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> node.info(p).messageQueueLength() == 9);
        assertThat(node.info(p).status()).isEqualTo(ProcessStatus.RUNNABLE);
        release.countDown();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> node.info(p).messageQueueLength() == 0 && node.info(p).status() == ProcessStatus.IDLE);
    }

    @Test
    void aFactoryMustMakeANewActorForEachSpawn() {
        Actors.Idle shared = new Actors.Idle();
        node.spawn(() -> shared);
        assertThatThrownBy(() -> node.spawn(() -> shared)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("new instance");
    }

    @Test
    void anActorNotSpawnedCannotAct() {
        assertThatThrownBy(() -> new Actors.Scripted(null, m -> { }).me()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not been spawned");
    }

    @Test
    void spawningAfterShutdownIsRefused() {
        node.close();
        assertThatThrownBy(() -> node.spawn(Actors.Idle::new)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void anActorsLogCarriesItsNodeAndPidInTheMdc() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Talker.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (TestProbe probe = TestProbe.create(node)) {
            Pid talker = node.spawn(() -> new Talker(probe.pid()));
            node.send(talker, "say something");
            assertThat(probe.receiveMessage()).isEqualTo("said");
            var event = appender.list.get(0);
            assertThat(event.getFormattedMessage()).isEqualTo("hello from " + talker);
            assertThat(event.getMDCPropertyMap()).containsEntry("node", "node_test@localhost")
                    .containsEntry("pid", io.ergon.term.TermFormat.format(talker));
            assertThat(org.slf4j.MDC.get("pid")).isNull();
        } finally {
            logger.detachAppender(appender);
        }
    }

    static final class Talker extends Actor {
        private final Pid to;

        Talker(Pid to) {
            this.to = to;
        }

        @Override
        protected void handleMessage(Object message) {
            log().warn("hello from {}", self());
            send(to, "said");
        }
    }
}
