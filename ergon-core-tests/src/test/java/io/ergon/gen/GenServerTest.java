package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Actor;
import io.ergon.node.CallException;
import io.ergon.node.CallTimeoutException;
import io.ergon.node.CrashReason;
import io.ergon.node.Down;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.term.Atom;
import io.ergon.term.ImproperList;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import io.ergon.testkit.ManualTime;
import io.ergon.testkit.Quiescence;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GenServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Node node = Node.start("gen_server_test@localhost");
    private final List<Object> terminated = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        node.close();
    }

    record Get() {
    }

    record Put(long value) {
    }

    record Defer() {
    }

    record CallOther(Pid other, Object request) {
    }

    record StopWith(Object reason, Object reply) {
    }

    record Sleep(long millis) {
    }

    /** A counter server that records its terminate reason. */
    class Counter extends GenServer {
        private long value;
        private From deferred;

        @Override
        protected Object handleCall(Object request, From from) throws Exception {
            return switch (request) {
                case Get g -> value;
                case Put p -> {
                    value = p.value();
                    if (deferred != null) {
                        deferred.reply(value);
                        deferred = null;
                    }
                    yield Atom.OK;
                }
                case Defer d -> {
                    deferred = from;
                    yield noReply();
                }
                case CallOther c -> call(c.other(), c.request());
                case StopWith s -> {
                    stop(s.reason());
                    yield s.reply();
                }
                case Sleep s -> {
                    Thread.sleep(s.millis()); // a handler that must be slow (and block its thread)
                    yield "slept";
                }
                default -> throw new IllegalArgumentException("unknown request " + request);
            };
        }

        @Override
        protected void handleCast(Object message) {
            if (message instanceof Put p) {
                value += p.value();
            }
        }

        @Override
        protected void handleInfo(Object message) {
            if (message instanceof Put p) {
                value *= p.value();
            }
        }

        @Override
        protected void terminate(Object reason) {
            terminated.add(reason);
        }
    }

    @Test
    void callsCastsAndInfosReachTheirCallbacks() {
        Pid counter = node.spawn(Counter::new);
        Atom ok = node.call(counter, new Put(5));
        assertThat(ok).isEqualTo(Atom.OK);
        node.cast(counter, new Put(3));
        node.send(counter, new Put(10));
        assertThat((Long) node.call(counter, new Get())).isEqualTo(80L);
    }

    @Test
    void initRunsBeforeSpawnReturns() {
        List<String> events = new CopyOnWriteArrayList<>();
        node.spawn(() -> new GenServer() {
            @Override
            protected void init() {
                events.add("init");
            }
        });
        events.add("spawned");
        assertThat(events).containsExactly("init", "spawned");
    }

    @Test
    void aFailedInitFailsTheSpawnWithTheReason() {
        assertThatThrownBy(() -> node.spawn(() -> new GenServer() {
            @Override
            protected void init() {
                throw new IllegalStateException("no database");
            }
        })).isInstanceOfSatisfying(SpawnException.class, e -> {
            assertThat(e.reason()).isInstanceOf(CrashReason.class);
            assertThat(((CrashReason) e.reason()).message()).isEqualTo("no database");
            assertThat(e.getCause()).hasMessage("no database");
        });
        Atom why = Atom.of("bad_config");
        assertThatThrownBy(() -> node.spawn(() -> new GenServer() {
            @Override
            protected void init() {
                stop(why);
            }
        })).isInstanceOfSatisfying(SpawnException.class, e -> assertThat(e.reason()).isEqualTo(why));
        assertThatThrownBy(() -> node.spawn(() -> new GenServer() {
            @Override
            protected void init() {
                ignore();
            }
        })).isInstanceOfSatisfying(SpawnException.class, e -> assertThat(e.isIgnore()).isTrue());
        assertThat(node.processCount()).isZero();
    }

    @Test
    void aTakenNameFailsTheSpawnWithAlreadyStarted() {
        Pid first = node.spawnRegister("counter", Counter::new);
        assertThatThrownBy(() -> node.spawnRegister("counter", Counter::new))
                .isInstanceOfSatisfying(SpawnException.class, e -> assertThat(e.reason())
                        .isEqualTo(Tuple.of(Atom.of("already_started"), first)));
    }

    @Test
    void aDeferredReplyArrivesWhenGiven() throws Exception {
        Pid counter = node.spawn(Counter::new);
        CompletableFuture<Long> deferred = node.callAsync(counter, new Defer(), Long.class, WAIT);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> node.info(counter).monitoredBy().size() == 1);
        Quiescence.awaitProcesses(node, WAIT, counter); // it has handled the call and answered nothing
        assertThat(deferred).isNotDone();
        node.call(counter, new Put(42));
        assertThat(deferred.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(42L);
    }

    @Test
    void stopWithAReplyRepliesThenTerminates() {
        Pid counter = node.spawn(Counter::new);
        Atom reason = Atom.of("done");
        String bye = node.call(counter, new StopWith(reason, "bye"));
        assertThat(bye).isEqualTo("bye");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !node.isAlive(counter));
        assertThat(terminated).containsExactly(reason);
    }

    @Test
    void aCrashInACallbackRunsTerminateAndFailsTheCaller() {
        Pid counter = node.spawn(Counter::new);
        assertThatThrownBy(() -> node.call(counter, "nonsense")).isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.failure()).isInstanceOf(CrashReason.class);
            assertThat(((CrashReason) e.failure()).message()).isEqualTo("unknown request nonsense");
        });
        assertThat(terminated).hasSize(1);
        assertThat(terminated.get(0)).isInstanceOf(CrashReason.class);
    }

    @Test
    void aTrappedExitFromTheParentTerminatesTheServer() throws Exception {
        try (Mailbox probe = node.mailbox()) {
            Pid parent = node.spawn(() -> new Actor() {
                @Override
                protected void init() {
                    Pid child = spawnLink(() -> new Counter() {
                        @Override
                        protected void init() {
                            trapExit(true);
                        }
                    });
                    send(probe.pid(), child);
                }

                @Override
                protected void handleMessage(Object message) {
                    stop(Reasons.SHUTDOWN);
                }
            });
            Pid child = (Pid) probe.receive(WAIT);
            probe.monitor(child);
            node.send(parent, "stop");
            Down down = (Down) probe.receive(WAIT);
            assertThat(down.reason()).isEqualTo(Reasons.SHUTDOWN);
            assertThat(terminated).containsExactly(Reasons.SHUTDOWN);
        }
    }

    @Test
    void nodeShutdownTerminatesServers() {
        node.spawn(Counter::new);
        node.spawn(Counter::new);
        node.close();
        assertThat(terminated).containsExactly(Reasons.SHUTDOWN, Reasons.SHUTDOWN);
    }

    @Test
    void aCallTimesOutWithAClearException() {
        Pid counter = node.spawn(Counter::new);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> node.call(counter, new Sleep(2_000), Duration.ofMillis(100)))
                .isInstanceOfSatisfying(CallTimeoutException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Reasons.TIMEOUT);
                    assertThat(e.reason()).isEqualTo(Tuple.of(Reasons.TIMEOUT, Tuple.of(Atom.of("gen_server"),
                            Atom.of("call"), List.of(counter, new Sleep(2_000), 100L))));
                    assertThat(e.getMessage()).startsWith("exit: {timeout,{gen_server,call,[" + counter + ",");
                });
        assertThat(System.nanoTime() - t0).as("not before its timeout")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void theDefaultCallTimeoutIsFiveSeconds() {
        Pid silent = node.spawn(() -> new GenServer() {
            @Override
            protected Object handleCall(Object request, From from) {
                return noReply();
            }
        });
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> node.call(silent, "anything")).isInstanceOf(CallTimeoutException.class);
        long elapsed = System.nanoTime() - t0;
        assertThat(elapsed).as("not before five seconds").isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aLateReplyIsDropped() throws Exception {
        Pid counter = node.spawn(Counter::new);
        try (Mailbox box = node.mailbox()) {
            assertThatThrownBy(() -> box.call(counter, new Sleep(200), Duration.ofMillis(20)))
                    .isInstanceOf(CallTimeoutException.class);
            Quiescence.awaitProcesses(node, WAIT, counter); // it has slept and answered: the answer is dropped
            assertThat(box.receive(Duration.ZERO)).isNull();
        }
    }

    @Test
    void aCallToAMissingProcessFailsAtOnceWithNoproc() {
        Pid dead = node.spawn(Counter::new);
        node.exit(dead, Reasons.KILL);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !node.isAlive(dead));
        assertThatThrownBy(() -> node.call(dead, new Get())).isInstanceOfSatisfying(CallException.class,
                e -> assertThat(e.failure()).isEqualTo(Reasons.NOPROC));
        assertThatThrownBy(() -> node.call("no_such_server", new Get())).isInstanceOfSatisfying(CallException.class,
                e -> {
                    assertThat(e.failure()).isEqualTo(Reasons.NOPROC);
                    assertThat(e.reason()).isEqualTo(Tuple.of(Reasons.NOPROC, Tuple.of(Atom.of("gen_server"),
                            Atom.of("call"), List.of(Atom.of("no_such_server"), new Get(), 5000L))));
                }); // noproc, not timeout: it failed at once, without waiting out the 5 s
    }

    @Test
    void aCallToAProcessThatDiesMidCallFailsWithItsExitReason() {
        Atom reason = Atom.of("database_gone");
        Pid dying = node.spawn(() -> new GenServer() {
            @Override
            protected Object handleCall(Object request, From from) {
                stop(reason);
                return noReply();
            }
        });
        assertThatThrownBy(() -> node.call(dying, "work")).isInstanceOfSatisfying(CallException.class,
                e -> assertThat(e.failure()).isEqualTo(reason)); // its reason, not timeout: the DOWN ended the call
    }

    @Test
    void aServerCanCallAnotherFromInsideACall() {
        Pid inner = node.spawn(Counter::new);
        Pid outer = node.spawn(Counter::new);
        node.call(inner, new Put(7));
        assertThat((Long) node.call(outer, new CallOther(inner, new Get()))).isEqualTo(7L);
        // a chain of calls: outer -> middle -> inner
        Pid middle = node.spawn(Counter::new);
        assertThat((Long) node.call(outer, new CallOther(middle, new CallOther(inner, new Get()))))
                .isEqualTo(7L);
    }

    @Test
    void messagesArrivingDuringACallWaitTheirTurn() throws Exception {
        Pid busy = node.spawn(Counter::new);
        try (Mailbox slow = node.mailbox()) {
            Thread caller = Thread.ofVirtual().start(() -> node.call(busy, new CallOther(slow.pid(), "hold")));
            // busy is in its call to slow until slow answers, however long the machine takes to get there
            Tuple request = (Tuple) slow.receive(WAIT);
            assertThat(request).as("busy's call to slow").isNotNull();
            node.cast(busy, new Put(1));
            node.cast(busy, new Put(2));
            Tuple from = (Tuple) request.get(1);
            slow.send(from.get(0), Tuple.of(from.get(1), "done"));
            caller.join(WAIT.toMillis());
            assertThat(caller.isAlive()).isFalse();
        }
        assertThat((Long) node.call(busy, new Get())).isEqualTo(3L);
    }

    @Test
    void callsUseOtpsWireShapes() {
        try (Mailbox fake = node.mailbox("fake_server")) {
            Thread caller = Thread.ofVirtual().start(() -> {
                String pong = node.call("fake_server", "ping");
                assertThat(pong).isEqualTo("pong");
            });
            Tuple request = (Tuple) fake.receive(WAIT);
            assertThat(request.get(0)).isEqualTo(Atom.of("$gen_call"));
            Tuple from = (Tuple) request.get(1);
            assertThat(from.get(0)).isInstanceOf(Pid.class);
            ImproperList tag = (ImproperList) from.get(1);
            assertThat(tag.elements()).containsExactly(Atom.of("alias"));
            assertThat(tag.tail()).isInstanceOf(Ref.class);
            assertThat(request.get(2)).isEqualTo("ping");
            // an Erlang-style server replies {Tag, Reply} straight to the pid
            fake.send(from.get(0), Tuple.of(tag, "pong"));
            try {
                caller.join(WAIT.toMillis());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(caller.isAlive()).isFalse();
        }
    }

    @Test
    void anIdleTimeoutDeliversTimeoutWhenNothingArrives() {
        ManualTime time = ManualTime.create();
        try (Node timed = Node.start("idle_timeout@localhost", time.on(NodeOptions.defaults()));
             TestProbe probe = TestProbe.create(timed)) {
            Pid p = timed.spawn(() -> new GenServer() {
                @Override
                protected void init() {
                    idleTimeout(Duration.ofSeconds(1));
                }

                @Override
                protected void handleCast(Object message) {
                    idleTimeout(Duration.ofSeconds(1));
                }

                @Override
                protected void handleInfo(Object message) {
                    send(probe.pid(), message);
                }
            });
            // each keep-alive, 900 ms after the last, re-arms the 1 s timeout
            for (int i = 0; i < 5; i++) {
                time.advance(Duration.ofMillis(900));
                timed.cast(p, "keep alive");
                Quiescence.awaitProcesses(timed, WAIT, p);
            }
            time.expectNoMessageFor(Duration.ofMillis(999), Duration.ofMillis(50), probe);
            time.advance(Duration.ofMillis(1));
            probe.expectMessage(GenServer.TIMEOUT);
        }
    }
}
