package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's exit hooks ({@link Node#addExitHook}, internal: how ergon-io closes a socket with its owner): a hook
 * runs exactly once, with the reason, once the process is no longer alive and before its links and monitors learn
 * of the exit; never for a process already gone, never once removed.
 */
class ExitHookTest {
    private static final Atom BOOM = Atom.of("boom");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Node node = Node.start("exit_hook_test@localhost");
    private final TestProbe probe = TestProbe.create(node);

    @AfterEach
    void stop() {
        node.close();
    }

    /** A hook that records each run: the reason, and whether the process was still alive then. */
    private final class Recorder implements Consumer<Object> {
        final List<Object> reasons = new CopyOnWriteArrayList<>();
        final List<Boolean> aliveThen = new CopyOnWriteArrayList<>();
        private final Pid pid;

        Recorder(Pid pid) {
            this.pid = pid;
        }

        @Override
        public void accept(Object reason) {
            aliveThen.add(node.isAlive(pid));
            reasons.add(reason);
        }
    }

    private Pid stoppable() {
        return node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                if (message instanceof Atom reason) {
                    stop(reason);
                }
            }
        });
    }

    @Test
    void aHookRunsOnceOnANormalExitBeforeTheMonitorsLearnOfIt() {
        Pid p = stoppable();
        Recorder hook = new Recorder(p);
        assertThat(node.addExitHook(p, hook)).isTrue();
        probe.mailbox().monitor(p);
        node.send(p, Reasons.NORMAL);
        assertThat(probe.expectMessageClass(Down.class).reason()).isEqualTo(Reasons.NORMAL);
        // the DOWN comes after the hook: it has run by now, once, with the process no longer alive
        assertThat(hook.reasons).containsExactly(Reasons.NORMAL);
        assertThat(hook.aliveThen).containsExactly(false);
    }

    @Test
    void aHookRunsOnAKillAndOnACrash() {
        Pid killed = node.spawn(Actors.Idle::new);
        Recorder onKill = new Recorder(killed);
        node.addExitHook(killed, onKill);
        probe.mailbox().monitor(killed);
        node.exit(killed, Reasons.KILL);
        assertThat(probe.expectMessageClass(Down.class).reason()).isEqualTo(Reasons.KILLED);
        assertThat(onKill.reasons).containsExactly(Reasons.KILLED);

        Pid crashed = stoppable();
        Recorder onCrash = new Recorder(crashed);
        node.addExitHook(crashed, onCrash);
        probe.mailbox().monitor(crashed);
        node.send(crashed, BOOM);
        assertThat(probe.expectMessageClass(Down.class).reason()).isEqualTo(BOOM);
        assertThat(onCrash.reasons).containsExactly(BOOM);
    }

    @Test
    void aHookRunsBeforeALinkedProcessLearnsOfTheExit() {
        Pid p = stoppable();
        Recorder hook = new Recorder(p);
        node.addExitHook(p, hook);
        try (Mailbox linked = node.mailbox()) {
            linked.trapExit(true);
            linked.link(p);
            node.send(p, BOOM);
            assertThat(linked.receive(WAIT)).isEqualTo(new Exit(p, BOOM));
            assertThat(hook.reasons).containsExactly(BOOM);
        }
    }

    @Test
    void aMailboxsExitRunsItsHooks() {
        Mailbox owner = node.mailbox();
        Recorder hook = new Recorder(owner.pid());
        node.addExitHook(owner.pid(), hook);
        owner.close(Reasons.KILL);
        assertThat(hook.reasons).containsExactly(Reasons.KILL);
    }

    @Test
    void noHookIsKeptForAProcessAlreadyGone() {
        Pid p = stoppable();
        probe.mailbox().monitor(p);
        node.send(p, Reasons.NORMAL);
        probe.expectMessageClass(Down.class);
        Recorder hook = new Recorder(p);
        assertThat(node.addExitHook(p, hook)).as("added to a process that has exited").isFalse();
        assertThat(node.removeExitHook(p, hook)).isFalse();
        assertThat(hook.reasons).isEmpty();
    }

    @Test
    void aRemovedHookNeverRunsAndTheOthersStill() {
        Pid p = stoppable();
        Recorder removed = new Recorder(p);
        Recorder kept = new Recorder(p);
        Recorder alsoKept = new Recorder(p);
        node.addExitHook(p, removed);
        node.addExitHook(p, kept);
        node.addExitHook(p, alsoKept);
        assertThat(node.removeExitHook(p, removed)).isTrue();
        assertThat(node.removeExitHook(p, removed)).as("removed twice").isFalse();
        probe.mailbox().monitor(p);
        node.send(p, BOOM);
        probe.expectMessageClass(Down.class);
        assertThat(removed.reasons).isEmpty();
        assertThat(kept.reasons).containsExactly(BOOM);
        assertThat(alsoKept.reasons).containsExactly(BOOM);
        assertThat(node.removeExitHook(p, kept)).as("removed after it ran").isFalse();
    }

    @Test
    void aHookThatThrowsStopsNeitherTheOtherHooksNorTheExitSignals() {
        Pid p = stoppable();
        node.addExitHook(p, reason -> {
            throw new IllegalStateException("a failing hook");
        });
        Recorder after = new Recorder(p);
        node.addExitHook(p, after);
        probe.mailbox().monitor(p);
        node.send(p, BOOM);
        assertThat(probe.expectMessageClass(Down.class).reason()).isEqualTo(BOOM);
        assertThat(after.reasons).containsExactly(BOOM);
        assertThat(node.isAlive(p)).isFalse();
    }

    @Test
    void hooksAddedWhileTheProcessExitsRunOnceOrAreRefused() throws Exception {
        for (int round = 0; round < 50; round++) {
            Pid p = node.spawn(Actors.Idle::new);
            int adders = 4;
            int perAdder = 200;
            AtomicInteger kept = new AtomicInteger();
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(adders);
            for (int a = 0; a < adders; a++) {
                Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perAdder; i++) {
                            if (node.addExitHook(p, reason -> runs.incrementAndGet())) {
                                kept.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                });
            }
            probe.mailbox().monitor(p);
            start.countDown();
            node.exit(p, Reasons.KILL);
            probe.expectMessageClass(Down.class);
            assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(runs.get()).as("round %d: hooks run, each once, against hooks kept", round)
                    .isEqualTo(kept.get());
        }
    }
}
