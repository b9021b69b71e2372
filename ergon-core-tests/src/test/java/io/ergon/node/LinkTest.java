package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Links and exit signals, against Erlang's rules. */
class LinkTest {
    private static final Atom BOOM = Atom.of("boom");
    private final Node node = Node.start("link_test@localhost");
    private final TestProbe probe = TestProbe.create(node);

    @AfterEach
    void stop() {
        node.close();
    }

    /** A process that links to {@code peer} in init, optionally traps exits, and forwards what it receives. */
    private Pid linkedForwarder(Pid peer, boolean trap) {
        Pid to = probe.pid();
        return node.spawn(() -> new Actor() {
            @Override
            protected void init() {
                trapExit(trap);
                link(peer);
            }

            @Override
            protected void handleMessage(Object message) {
                send(to, message);
            }
        });
    }

    @Test
    void anAbnormalExitKillsALinkedProcessInBothDirections() {
        Pid a = node.spawn(Actors.Idle::new);
        Pid b = linkedForwarder(a, false);
        probe.mailbox().monitor(b);
        node.exit(a, BOOM);
        Down down = probe.expectMessageClass(Down.class);
        assertThat(down.item()).isEqualTo(b);
        assertThat(down.reason()).isEqualTo(BOOM);

        Pid c = node.spawn(Actors.Idle::new);
        Pid d = linkedForwarder(c, false);
        probe.mailbox().monitor(c);
        node.exit(d, BOOM);
        assertThat(probe.expectMessageClass(Down.class).item()).isEqualTo(c);
    }

    @Test
    void aNormalExitDoesNotKillALinkedProcess() {
        Pid a = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                stop(Reasons.NORMAL);
            }
        });
        Pid b = linkedForwarder(a, false);
        probe.mailbox().monitor(a);
        node.send(a, "stop");
        assertThat(probe.expectMessageClass(Down.class).reason()).isEqualTo(Reasons.NORMAL);
        node.send(b, "still alive");
        assertThat(probe.receiveMessage()).isEqualTo("still alive");
        assertThat(node.info(b).links()).isEmpty();
    }

    @Test
    void aTrappingProcessReceivesExitMessages() {
        Pid a = node.spawn(Actors.Idle::new);
        Pid b = linkedForwarder(a, true);
        node.exit(a, BOOM);
        assertThat(probe.receiveMessage()).isEqualTo(new Exit(a, BOOM));
        // normal exits arrive as messages too when trapping
        Pid c = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                stop(Reasons.NORMAL);
            }
        });
        Pid d = linkedForwarder(c, true);
        node.send(c, "stop");
        assertThat(probe.receiveMessage()).isEqualTo(new Exit(c, Reasons.NORMAL));
        assertThat(node.isAlive(b)).isTrue();
        assertThat(node.isAlive(d)).isTrue();
    }

    @Test
    void killCannotBeTrappedAndBecomesKilled() {
        Pid trapper = linkedForwarder(probe.pid(), true);
        probe.mailbox().trapExit(true);
        node.exit(trapper, Reasons.KILL);
        assertThat(probe.receiveMessage()).isEqualTo(new Exit(trapper, Reasons.KILLED));
    }

    @Test
    void killThroughALinkIsAnOrdinaryTrappableReason() {
        // a process that exits with reason kill itself sends 'kill' over its links, which a trapper may trap
        Pid a = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                stop(Reasons.KILL);
            }
        });
        Pid trapper = linkedForwarder(a, true);
        node.send(a, "go");
        assertThat(probe.receiveMessage()).isEqualTo(new Exit(a, Reasons.KILL));
        assertThat(node.isAlive(trapper)).isTrue();
        // and a non-trapping one dies with reason kill (not killed)
        Pid b = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                stop(Reasons.KILL);
            }
        });
        Pid victim = linkedForwarder(b, false);
        probe.mailbox().monitor(victim);
        node.send(b, "go");
        assertThat(probe.expectMessageClass(Down.class).reason()).isEqualTo(Reasons.KILL);
    }

    @Test
    void exitNormalIsIgnoredUnlessSentToSelf() {
        Pid p = linkedForwarder(probe.pid(), false);
        probe.mailbox().trapExit(true);
        node.exit(p, Reasons.NORMAL);
        node.send(p, "alive");
        assertThat(probe.receiveMessage()).isEqualTo("alive");
        Pid q = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                exit(self(), Reasons.NORMAL);
            }
        });
        probe.mailbox().monitor(q);
        node.send(q, "exit yourself");
        assertThat(probe.expectMessageClass(Down.class).reason()).isEqualTo(Reasons.NORMAL);
    }

    @Test
    void anExitSignalToATrapperFromANonLinkedProcessIsAMessageToo() {
        Pid trapper = linkedForwarder(probe.pid(), true);
        node.exit(trapper, BOOM);
        Object m = probe.receiveMessage();
        assertThat(m).isInstanceOf(Exit.class);
        assertThat(((Exit) m).reason()).isEqualTo(BOOM);
    }

    @Test
    void unlinkStopsExitSignals() {
        probe.mailbox().trapExit(true);
        Pid p = node.spawn(() -> new Actor() {
            @Override
            protected void init() {
                link(LinkTest.this.probe.pid());
            }

            @Override
            protected void handleMessage(Object message) {
                if (message.equals("unlink")) {
                    unlink(LinkTest.this.probe.pid());
                    send(LinkTest.this.probe.pid(), "unlinked");
                } else {
                    throw new IllegalStateException("crash");
                }
            }
        });
        node.send(p, "unlink");
        assertThat(probe.receiveMessage()).isEqualTo("unlinked");
        assertThat(node.info(p).links()).isEmpty();
        Ref mon = probe.mailbox().monitor(p);
        node.send(p, "crash");
        Down down = probe.expectMessageClass(Down.class);
        assertThat(down.ref()).isEqualTo(mon);
        probe.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void linkingToANonexistentProcessFailsWithNoproc() throws Exception {
        Pid dead = node.spawn(Actors.Idle::new);
        probe.mailbox().monitor(dead);
        node.exit(dead, Reasons.KILL);
        probe.expectMessageClass(Down.class);
        // not trapping: link raises noproc
        CompletableFuture<Object> failure = new CompletableFuture<>();
        node.spawn(() -> new Actor() {
            @Override
            protected void init() {
                try {
                    link(dead);
                    failure.complete("linked");
                } catch (ExitException e) {
                    failure.complete(e.reason());
                }
            }
        });
        assertThat(failure.get(5, TimeUnit.SECONDS)).isEqualTo(Reasons.NOPROC);
        // trapping: {'EXIT', Pid, noproc}
        Pid to = probe.pid();
        node.spawn(() -> new Actor() {
            @Override
            protected void init() {
                trapExit(true);
                link(dead);
            }

            @Override
            protected void handleMessage(Object message) {
                send(to, message);
            }
        });
        assertThat(probe.receiveMessage()).isEqualTo(new Exit(dead, Reasons.NOPROC));
    }

    @Test
    void anExceptionEndsTheProcessWithAReadableReason() {
        Pid p = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                throw new IllegalArgumentException("bad input: " + message);
            }
        });
        Pid watcher = linkedForwarder(p, true);
        node.send(p, 42);
        Exit exit = (Exit) probe.receiveMessage();
        assertThat(exit.from()).isEqualTo(p);
        CrashReason reason = (CrashReason) exit.reason();
        assertThat(reason.exceptionClass()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(reason.message()).isEqualTo("bad input: 42");
        assertThat(reason.exception()).isInstanceOf(IllegalArgumentException.class);
        assertThat(reason.toString()).isEqualTo("{java_exception,'java.lang.IllegalArgumentException',<<\"bad input: 42\">>}");
        assertThat(io.ergon.term.TermFormat.format(reason)).isEqualTo(
                "{java_exception,'java.lang.IllegalArgumentException',<<98,97,100,32,105,110,112,117,116,58,32,52,50>>}");
        assertThat(node.isAlive(watcher)).isTrue();
    }

    @Test
    void aMessageFollowedByAnExitSignalFromTheSameSenderArriveInOrder() {
        // trapping receiver: the message, then the EXIT message
        Pid trapper = node.spawn(() -> new Actors.Forwarder(probe.pid(), true));
        Pid sender = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                for (int i = 0; i < 100; i++) {
                    send(trapper, i);
                }
                exit(trapper, BOOM);
            }
        });
        node.send(sender, "go");
        for (int i = 0; i < 100; i++) {
            assertThat(probe.receiveMessage()).isEqualTo(i);
        }
        assertThat(probe.receiveMessage()).isEqualTo(new Exit(sender, BOOM));

        // non-trapping receiver: it handles every message sent before the signal, then dies
        Pid victim = node.spawn(() -> new Actors.Forwarder(probe.pid(), false));
        Ref mon = probe.mailbox().monitor(victim);
        Pid sender2 = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                for (int i = 0; i < 100; i++) {
                    send(victim, i);
                }
                exit(victim, BOOM);
            }
        });
        node.send(sender2, "go");
        for (int i = 0; i < 100; i++) {
            assertThat(probe.receiveMessage()).isEqualTo(i);
        }
        Down down = probe.expectMessageClass(Down.class);
        assertThat(down.ref()).isEqualTo(mon);
        assertThat(down.reason()).isEqualTo(BOOM);
    }

    @Test
    void exitsPropagateAlongAChainOfLinks() {
        Pid first = node.spawn(Actors.Idle::new);
        Pid previous = first;
        Pid last = null;
        for (int i = 0; i < 100; i++) {
            Pid prev = previous;
            last = node.spawn(() -> new Actors.Scripted(a -> a.doLink(prev), m -> { }));
            previous = last;
        }
        probe.mailbox().monitor(last);
        node.exit(first, BOOM);
        assertThat(probe.expectMessageClass(Down.class).reason()).isEqualTo(BOOM);
    }
}
