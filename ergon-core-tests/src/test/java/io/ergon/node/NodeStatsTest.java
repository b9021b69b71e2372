package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.gen.Restart;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Node#stats()}, {@link Node#largestMailboxes(int)} and {@link NodeListener}: each count moves as the runtime
 * does, and each event reaches the listeners with what it names.
 */
class NodeStatsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final Node node = Node.start("node_stats_test@localhost");

    @AfterEach
    void stop() {
        node.close();
    }

    /** A server that answers calls, crashes on "crash", stops on "stop", and sleeps on {"sleep", Millis}. */
    static final class Server extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            if ("crash".equals(request)) {
                throw new IllegalStateException("asked to crash");
            }
            if ("stop".equals(request)) {
                stop(Reasons.NORMAL);
                return "stopping";
            }
            return request;
        }

        @Override
        protected void handleCast(Object message) {
        }
    }

    @Test
    void spawnsExitsAndCrashesAreCounted() {
        NodeStats before = node.stats();
        assertThat(before.node()).isEqualTo(node.name());
        assertThat(before.connections()).isEmpty();
        List<Pid> pids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            pids.add(node.spawn(Server::new));
        }
        NodeStats spawned = node.stats();
        assertThat(spawned.spawned() - before.spawned()).isEqualTo(25);
        assertThat(spawned.processes() - before.processes()).isEqualTo(25);

        for (int i = 0; i < 20; i++) {
            node.exit(pids.get(i), Reasons.SHUTDOWN); // normal: exited, not crashed
        }
        for (int i = 20; i < 25; i++) {
            Pid p = pids.get(i);
            assertThatThrownBy(() -> node.call(p, "crash")).isInstanceOf(CallException.class);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            NodeStats now = node.stats();
            assertThat(now.exited() - before.exited()).isEqualTo(25);
            assertThat(now.crashed() - before.crashed()).isEqualTo(5);
            assertThat(now.processes()).isEqualTo(before.processes());
        });
    }

    @Test
    void mailboxHandlesAreProcessesButNotCountedAsSpawned() {
        NodeStats before = node.stats();
        try (Mailbox m = node.mailbox()) {
            assertThat(node.isAlive(m.pid())).isTrue();
            NodeStats open = node.stats();
            assertThat(open.processes() - before.processes()).isEqualTo(1);
            assertThat(open.spawned()).isEqualTo(before.spawned());
        }
        assertThat(node.stats().exited()).isEqualTo(before.exited());
    }

    @Test
    void messagesHandledCountPerProcessAndForTheNode() {
        AtomicInteger seen = new AtomicInteger();
        Pid counter = node.spawn(() -> new Actors.Scripted(null, m -> seen.incrementAndGet()));
        long before = node.stats().messagesHandled();
        for (int i = 0; i < 500; i++) {
            node.send(counter, i);
        }
        await().atMost(WAIT).until(() -> seen.get() == 500);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(node.info(counter).messagesHandled()).isEqualTo(500);
            assertThat(node.stats().messagesHandled() - before).isGreaterThanOrEqualTo(500);
        });

        // a call: the server handles the request, the calling mailbox receives the reply
        Pid server = node.spawn(Server::new);
        long beforeCalls = node.stats().messagesHandled();
        for (int i = 0; i < 10; i++) {
            assertThat(node.<Object>call(server, i)).isEqualTo(i);
        }
        assertThat(node.info(server).messagesHandled()).isEqualTo(10);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(node.stats().messagesHandled() - beforeCalls).isGreaterThanOrEqualTo(20));
    }

    /** Calls {@code server} with each message it gets. */
    static final class Client extends Actor {
        private final Pid server;
        private final AtomicInteger done;

        Client(Pid server, AtomicInteger done) {
            this.server = server;
            this.done = done;
        }

        @Override
        protected void handleMessage(Object message) {
            call(server, message);
            done.incrementAndGet();
        }
    }

    @Test
    void aProcessThatWaitsInACallCountsTheMessagesItHandledBeforeAndAfter() {
        // the client's turn is cut in two by the suspended call: both halves count
        Pid server = node.spawn(Server::new);
        AtomicInteger done = new AtomicInteger();
        Pid client = node.spawn(() -> new Client(server, done));
        long before = node.stats().messagesHandled();
        for (int i = 0; i < 50; i++) {
            node.send(client, i);
        }
        await().atMost(WAIT).until(() -> done.get() == 50);
        // the client: 50 messages and 50 replies received; the server: 50 requests
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(node.info(client).messagesHandled()).isEqualTo(100);
            assertThat(node.info(server).messagesHandled()).isEqualTo(50);
            assertThat(node.stats().messagesHandled() - before).isGreaterThanOrEqualTo(150);
        });
    }

    @Test
    void aGrowingMailboxShowsInTheLargest() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        Pid stuck = node.spawnRegister("stuck", () -> new Actors.Scripted(null, m -> {
            holding.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Pid small = node.spawn(() -> new Actors.Scripted(null, m -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Pid idle = node.spawn(Actors.Idle::new);
        try {
            node.send(stuck, "first");
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 100; i++) {
                node.send(stuck, i);
            }
            node.send(small, "a");
            node.send(small, "b");
            node.send(small, "c");
            await().atMost(WAIT).untilAsserted(() -> {
                List<NodeStats.MailboxDepth> top = node.largestMailboxes(2);
                assertThat(top).hasSize(2);
                assertThat(top.get(0).pid()).isEqualTo(stuck);
                assertThat(top.get(0).registeredName()).isEqualTo(Atom.of("stuck"));
                assertThat(top.get(0).depth()).isEqualTo(100);
                assertThat(top.get(1).pid()).isEqualTo(small);
                assertThat(top.get(1).depth()).isBetween(2, 3);
            });
            assertThat(node.largestMailboxes(1)).extracting(NodeStats.MailboxDepth::pid).containsExactly(stuck);
            assertThat(node.largestMailboxes(50)).extracting(NodeStats.MailboxDepth::pid).doesNotContain(idle);
            assertThat(node.largestMailboxes(0)).isEmpty();
            assertThatThrownBy(() -> node.largestMailboxes(-1)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            release.countDown();
        }
        await().atMost(WAIT).until(() -> node.largestMailboxes(10).isEmpty());
    }

    /** Records every event. */
    static final class Recorder implements NodeListener {
        final ConcurrentLinkedQueue<ProcessCrash> crashes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<SupervisorRestart> restarts = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Object[]> calls = new ConcurrentLinkedQueue<>();
        private final boolean timesCalls;

        Recorder(boolean timesCalls) {
            this.timesCalls = timesCalls;
        }

        @Override
        public void processCrashed(ProcessCrash crash) {
            crashes.add(crash);
        }

        @Override
        public void supervisorRestarted(SupervisorRestart restart) {
            restarts.add(restart);
        }

        @Override
        public boolean timesCalls() {
            return timesCalls;
        }

        @Override
        public void callCompleted(Object callee, long nanos, Throwable failure) {
            calls.add(new Object[] {callee, nanos, failure});
        }
    }

    @Test
    void aCrashReachesTheListenersWithItsReasonAndCause() {
        Recorder r = new Recorder(false);
        node.addListener(r);
        Pid p = node.spawnRegister("crasher", Server::new);
        assertThatThrownBy(() -> node.call(p, "crash")).isInstanceOf(CallException.class);
        await().atMost(WAIT).until(() -> !r.crashes.isEmpty());
        NodeListener.ProcessCrash crash = r.crashes.peek();
        assertThat(crash.pid()).isEqualTo(p);
        assertThat(crash.registeredName()).isEqualTo(Atom.of("crasher"));
        assertThat(crash.behaviour()).isEqualTo(Server.class.getName());
        assertThat(crash.reason()).isInstanceOf(CrashReason.class);
        assertThat(((CrashReason) crash.reason()).message()).isEqualTo("asked to crash");
        assertThat(crash.cause()).isInstanceOf(IllegalStateException.class);

        // killed: a crash with no exception; a normal stop: none
        Pid q = node.spawn(Server::new);
        node.exit(q, Reasons.KILL);
        await().atMost(WAIT).until(() -> r.crashes.size() == 2);
        assertThat(r.crashes).last().satisfies(c -> {
            assertThat(c.pid()).isEqualTo(q);
            assertThat(c.reason()).isEqualTo(Reasons.KILLED);
            assertThat(c.cause()).isNull();
        });
        Pid s = node.spawn(Server::new);
        node.call(s, "stop");
        await().atMost(WAIT).until(() -> !node.isAlive(s));
        assertThat(r.crashes).hasSize(2);
        assertThat(r.calls).as("a listener that does not time calls gets none").isEmpty();
        assertThat(node.removeListener(r)).isTrue();
        assertThat(node.removeListener(r)).isFalse();
    }

    @Test
    void supervisorRestartsAreCountedAndReported() {
        Recorder r = new Recorder(false);
        node.addListener(r);
        long before = node.stats().supervisorRestarts();
        Pid sup = Supervisor.start(node, "stats_sup", Supervisor.spec(Strategy.ONE_FOR_ONE)
                .intensity(10, Duration.ofSeconds(10))
                .child(ChildSpec.worker("flaky", Server::new).register("flaky").restart(Restart.PERMANENT)));
        Pid first = node.whereis("flaky");
        assertThatThrownBy(() -> node.call("flaky", "crash")).isInstanceOf(CallException.class);
        await().atMost(WAIT).until(() -> node.whereis("flaky") != null && !node.whereis("flaky").equals(first));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(node.stats().supervisorRestarts() - before).isEqualTo(1));
        assertThat(r.restarts).singleElement().satisfies(e -> {
            assertThat(e.supervisor()).isEqualTo(sup);
            assertThat(e.supervisorName()).isEqualTo("stats_sup");
            assertThat(e.childId()).isEqualTo("flaky");
            assertThat(e.reason()).isInstanceOf(CrashReason.class);
        });
        assertThat(r.crashes).extracting(NodeListener.ProcessCrash::pid).contains(first);
    }

    @Test
    void callsAreTimedOnlyForAListenerThatAsks() {
        Recorder timing = new Recorder(true);
        Recorder notTiming = new Recorder(false);
        node.addListener(timing);
        node.addListener(notTiming);
        Pid server = node.spawn(Server::new);
        assertThat(node.<Object>call(server, "hello")).isEqualTo("hello");
        assertThat(timing.calls).singleElement().satisfies(c -> {
            assertThat(c[0]).isEqualTo(server);
            assertThat((long) c[1]).isPositive();
            assertThat(c[2]).isNull();
        });
        Pid dead = node.spawn(Server::new);
        node.exit(dead, Reasons.KILL);
        await().atMost(WAIT).until(() -> !node.isAlive(dead));
        assertThatThrownBy(() -> node.call(dead, "x")).isInstanceOf(CallException.class);
        assertThat(timing.calls).hasSize(2).last().satisfies(c -> assertThat(c[2]).isInstanceOf(CallException.class));
        assertThat(notTiming.calls).isEmpty();

        node.removeListener(timing);
        node.call(server, "untimed");
        assertThat(timing.calls).hasSize(2);
    }

    @Test
    void aListenerThatThrowsDoesNotHurtTheProcessNorTheOthers() {
        NodeListener bad = new NodeListener() {
            @Override
            public void processCrashed(ProcessCrash crash) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public boolean timesCalls() {
                return true;
            }

            @Override
            public void callCompleted(Object callee, long nanos, Throwable failure) {
                throw new IllegalStateException("listener bug");
            }
        };
        Recorder good = new Recorder(false);
        node.addListener(bad);
        node.addListener(good);
        Pid server = node.spawn(Server::new);
        assertThat(node.<Object>call(server, "still answered")).isEqualTo("still answered");
        try (Mailbox m = node.mailbox()) {
            m.monitor(server);
            assertThatThrownBy(() -> node.call(server, "crash")).isInstanceOf(CallException.class);
            assertThat(m.receive(msg -> msg instanceof Down, Duration.ofSeconds(30))).isInstanceOf(Down.class);
        }
        await().atMost(WAIT).until(() -> good.crashes.size() == 1);
    }
}
