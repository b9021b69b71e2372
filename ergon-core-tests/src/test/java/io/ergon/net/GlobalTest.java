package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.BadArgumentException;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import io.ergon.testing.TestProc;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code global} among Ergon nodes only (issue 14), three of them in this JVM: a connects to b, then c to b, and c
 * must mesh with a by itself. The same properties as {@link ErlangGlobalTest}, with Ergon on every side.
 */
class GlobalTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static EpmdServer epmd;
    static Node a;
    static Node b;
    static Node c;
    /** {@code Global.sync} on c right after it connected to b, in milliseconds. */
    static long firstSyncMillis;

    @BeforeAll
    static void start() {
        epmd = startEpmd();
        a = Node.start("gt_a@localhost", options());
        b = Node.start("gt_b@localhost", options());
        c = Node.start("gt_c@localhost", options());
        assertThat(a.connect(b.name().name())).isTrue();
        assertThat(Global.of(a).sync(WAIT)).isTrue();
        assertThat(c.connect(b.name().name())).isTrue();
        long t0 = System.nanoTime();
        assertThat(Global.of(c).sync(Duration.ofSeconds(30))).as("sync on c right after it connected").isTrue();
        firstSyncMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    static EpmdServer startEpmd() {
        try {
            return EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static NodeOptions options() {
        return NodeOptions.defaults().distributed(true).cookie("ergon_gt").epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void stop() {
        for (Node n : new Node[] {c, b, a}) {
            if (n != null) {
                n.close();
            }
        }
        if (epmd != null) {
            epmd.close();
        }
    }

    static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    static long syncMillis(Node n) {
        long t0 = System.nanoTime();
        assertThat(Global.of(n).sync(Duration.ofSeconds(30))).as("sync on " + n.name()).isTrue();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void syncReturnsWithinASecondOnEveryNode() {
        assertThat(firstSyncMillis).as("sync on c right after it connected, ms").isLessThan(1000);
        await("c meshed with a", () -> c.nodes().contains(a.name()));
        for (Node n : List.of(a, b, c)) {
            assertThat(syncMillis(n)).as("sync on " + n.name() + ", ms").isLessThan(1000);
        }
    }

    @Test
    void theThirdNodeMeshesWithTheFirstByItself() {
        await("a and c connected, though only b was told", () -> a.nodes().contains(c.name())
                && c.nodes().contains(a.name()));
        assertThat(c.nodes()).containsExactlyInAnyOrder(a.name(), b.name());
    }

    @Test
    void aNameRegisteredOnOneNodeResolvesOnEvery() {
        try (Mailbox m = a.mailbox(); Mailbox other = c.mailbox()) {
            assertThat(Global.of(a).register("gt_name", m.pid())).isTrue();
            for (Node n : List.of(a, b, c)) {
                assertThat(Global.of(n).whereis("gt_name")).as("on " + n.name()).isEqualTo(m.pid());
                assertThat(Global.of(n).registeredNames()).contains(Atom.of("gt_name"));
            }
            assertThat(Global.of(c).send("gt_name", "hello from c")).isEqualTo(m.pid());
            assertThat(m.receive(WAIT)).isEqualTo(io.ergon.term.Binary.of("hello from c"));
            assertThat(Global.of(b).register("gt_name", other.pid())).as("taken").isFalse();
            assertThat(Global.of(c).register("gt_other", m.pid())).as("one name per process").isFalse();

            Global.of(c).reRegister("gt_name", other.pid());
            for (Node n : List.of(a, b, c)) {
                assertThat(Global.of(n).whereis("gt_name")).as("re-registered, on " + n.name()).isEqualTo(other.pid());
            }
            Global.of(b).unregister("gt_name");
            for (Node n : List.of(a, b, c)) {
                assertThat(Global.of(n).whereis("gt_name")).as("unregistered, on " + n.name()).isNull();
            }
            assertThatThrownBy(() -> Global.of(a).send("gt_name", "x")).isInstanceOf(BadArgumentException.class);

            Tuple tupleName = Tuple.of(Atom.of("gt"), 1L);
            assertThat(Global.of(b).register(tupleName, other.pid())).isTrue();
            assertThat(Global.of(a).whereis(Tuple.of(Atom.of("gt"), 1))).isEqualTo(other.pid());
            Global.of(a).unregister(tupleName);
            assertThat(Global.of(c).whereis(tupleName)).isNull();
        }
    }

    @Test
    void namesAndLocksGoWhenTheirProcessExitsOrTheirNodeGoesDown() {
        Mailbox m = b.mailbox();
        assertThat(Global.of(b).register("gt_exit", m.pid())).isTrue();
        assertThat(Global.of(a).whereis("gt_exit")).isEqualTo(m.pid());
        m.close();
        await("the name of an exited process gone everywhere", () -> Global.of(a).whereis("gt_exit") == null
                && Global.of(c).whereis("gt_exit") == null && Global.of(b).whereis("gt_exit") == null
                && !Global.of(a).registeredNames().contains(Atom.of("gt_exit")));

        Node d = Node.start("gt_d@localhost", options());
        try (Mailbox dm = d.mailbox()) {
            assertThat(d.connect(a.name().name())).isTrue();
            assertThat(Global.of(d).sync(WAIT)).isTrue();
            assertThat(Global.of(d).register("gt_down", dm.pid())).isTrue();
            assertThat(Global.of(c).whereis("gt_down")).isEqualTo(dm.pid());
            assertThat(Global.of(d).setLock(dm, Global.LockId.of("gt_down_lock", dm.pid()))).isTrue();
        } finally {
            d.close();
        }
        await("the name of a closed node's process gone everywhere", () -> Global.of(a).whereis("gt_down") == null
                && Global.of(b).whereis("gt_down") == null && Global.of(c).whereis("gt_down") == null);
        try (Mailbox taker = a.mailbox()) {
            Global.LockId id = Global.LockId.of("gt_down_lock", taker.pid());
            await("its lock released on every node", () -> Global.of(a).setLock(taker, id, null, 0));
            Global.of(a).delLock(taker, id);
        }
        await("a, b and c still connected to each other", () -> a.nodes().containsAll(List.of(b.name(), c.name()))
                && b.nodes().containsAll(List.of(a.name(), c.name())) && !a.nodes().contains(d.name()));
        for (Node n : List.of(a, b, c)) {
            assertThat(syncMillis(n)).as("sync on " + n.name() + " after d left, ms").isLessThan(1000);
        }
    }

    /**
     * A name registered on a, and on a lone node x that then connects to b: b (the smaller of the pair) resolves,
     * calling the method of its own entry (a's) on a, over rpc.
     */
    @Test
    void aNameClashIsResolvedAsOtpResolvesIt() {
        // the default kills the process of the greater node (x > a)
        try (Clash k = new Clash("gt_x1", "gt_clash1", Global.Resolve.RANDOM_EXIT)) {
            await("x's process killed", () -> !k.x.isAlive(k.onX));
            k.assertNameEverywhere(k.onA);
            assertThat(a.isAlive(k.onA)).isTrue();
        }
        // notify tells x's process; a's keeps the name
        try (Clash k = new Clash("gt_x2", "gt_clash2", Global.Resolve.RANDOM_NOTIFY)) {
            assertThat(k.xReports.receive(WAIT)).isEqualTo(Tuple.of(Atom.of("got"), k.onX,
                    Tuple.of(Atom.of("global_name_conflict"), Atom.of("gt_clash2"))));
            k.assertNameEverywhere(k.onA);
            assertThat(k.x.isAlive(k.onX)).isTrue();
        }
        // a Java function, on a, keeps x's process
        List<List<Object>> calls = new CopyOnWriteArrayList<>();
        Rpc.of(a).register("gt_resolve", "keep_first", 3, args -> {
            calls.add(args);
            return args.get(1);
        });
        try (Clash k = new Clash("gt_x3", "gt_clash3", Global.Resolve.of("gt_resolve", "keep_first"))) {
            k.assertNameEverywhere(k.onX);
            assertThat(calls).containsExactly(List.of(Atom.of("gt_clash3"), k.onX, k.onA));
            assertThat(a.isAlive(k.onA)).as("not killed").isTrue();
        }
        // notify_all: the name goes, both are told
        try (Clash k = new Clash("gt_x4", "gt_clash4", Global.Resolve.NOTIFY_ALL)) {
            assertThat(k.aReports.receive(WAIT)).isEqualTo(Tuple.of(Atom.of("got"), k.onA,
                    Tuple.of(Atom.of("global_name_conflict"), Atom.of("gt_clash4"), k.onX)));
            assertThat(k.xReports.receive(WAIT)).isEqualTo(Tuple.of(Atom.of("got"), k.onX,
                    Tuple.of(Atom.of("global_name_conflict"), Atom.of("gt_clash4"), k.onA)));
            for (Node n : List.of(a, b, c, k.x)) {
                await("no gt_clash4 on " + n.name(), () -> Global.of(n).whereis("gt_clash4") == null);
            }
        }
    }

    /** A name registered on a with {@code method}, and on a lone node x that then joins through b. */
    static final class Clash implements AutoCloseable {
        final String name;
        final Node x;
        final Mailbox aReports;
        final Mailbox xReports;
        final Pid onA;
        final Pid onX;

        Clash(String xName, String name, Global.Resolve method) {
            this.name = name;
            aReports = a.mailbox();
            onA = a.spawn(() -> new TestProc(false, aReports.pid()));
            assertThat(aReports.receive(WAIT)).isEqualTo(Tuple.of(Atom.of("ready"), onA));
            assertThat(Global.of(a).register(name, onA, method)).isTrue();
            x = Node.start(xName + "@localhost", options());
            xReports = x.mailbox();
            onX = x.spawn(() -> new TestProc(false, xReports.pid()));
            assertThat(xReports.receive(WAIT)).isEqualTo(Tuple.of(Atom.of("ready"), onX));
            assertThat(Global.of(x).register(name, onX)).isTrue();
            assertThat(x.connect(b.name().name())).isTrue();
            assertThat(Global.of(x).sync(WAIT)).isTrue();
            await(xName + " meshed", () -> x.nodes().containsAll(List.of(a.name(), b.name(), c.name())));
            for (Node n : List.of(a, b, c)) {
                assertThat(Global.of(n).sync(WAIT)).isTrue();
            }
        }

        void assertNameEverywhere(Pid pid) {
            for (Node n : List.of(a, b, c, x)) {
                await(name + " is " + pid + " on " + n.name(), () -> pid.equals(Global.of(n).whereis(name)));
            }
        }

        @Override
        public void close() {
            a.exit(onA, Atom.of("kill"));
            aReports.close();
            x.close();
            await(x.name() + " gone", () -> !a.nodes().contains(x.name()) && !b.nodes().contains(x.name()));
        }
    }

    /**
     * {@code trans} on every node: four contenders (on a, b and twice on c) take the same resource with their own
     * requester ids, 1,000 rounds in all, around a counter that notices two inside at once and lost updates.
     */
    @Test
    void transExcludesContendersOnEveryNode() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger counter = new AtomicInteger(); // read, then written: a lost update shows an overlap
        int rounds = 250;
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<?>> contenders = new ArrayList<>();
            for (Node n : List.of(a, b, c, c)) {
                contenders.add(threads.submit(() -> {
                    try (Mailbox m = n.mailbox()) {
                        for (int r = 0; r < rounds; r++) {
                            Global.of(n).trans(m, Global.LockId.of("gt_counter", m.pid()), () -> {
                                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                                int v = counter.get();
                                Thread.yield();
                                counter.set(v + 1);
                                inside.decrementAndGet();
                                return null;
                            });
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : contenders) {
                f.get(3, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(mostInside.get()).as("most contenders inside at once").isEqualTo(1);
        assertThat(counter.get()).isEqualTo(4 * rounds);
    }

    @Test
    void aLockHoldsOnEveryNodeUntilItsHolderReleasesItOrExits() {
        try (Mailbox holder = a.mailbox(); Mailbox other = c.mailbox()) {
            Global.LockId held = Global.LockId.of("gt_res", holder.pid());
            assertThat(Global.of(a).setLock(holder, held)).isTrue();
            Global.LockId wanted = Global.LockId.of("gt_res", other.pid());
            for (Node n : List.of(a, b, c)) {
                assertThat(Global.of(c).setLock(other, wanted, List.of(n.name().name()), 0)).as("on " + n.name())
                        .isFalse();
            }
            assertThatThrownBy(() -> Global.of(c).trans(other, wanted, () -> "never", null, 0))
                    .isInstanceOf(Global.Aborted.class);
            assertThat(Global.of(b).trans(Global.LockId.of("gt_res", holder.pid()), () -> "shared", null, 0))
                    .as("the same requester id shares the lock").isEqualTo("shared");
            Global.of(a).delLock(holder, held);
            assertThat(Global.of(c).setLock(other, wanted, null, 0)).isTrue();
            Global.of(c).delLock(other, wanted);

            Mailbox dies = b.mailbox();
            assertThat(Global.of(b).setLock(dies, Global.LockId.of("gt_res", dies.pid()))).isTrue();
            assertThat(Global.of(c).setLock(other, wanted, null, 0)).isFalse();
            dies.close();
            await("the lock released with its holder", () -> Global.of(c).setLock(other, wanted, null, 0));
            Global.of(c).delLock(other, wanted);
        }
    }

    /** A peer's malformed global messages are dropped: the name server stays up, with what it knew. */
    @Test
    void malformedMessagesLeaveTheNameServerUp() {
        Pid server = b.whereis("global_name_server");
        io.ergon.node.Name onB = io.ergon.node.Name.of("global_name_server", b.name().name());
        Atom gen = Atom.of("$gen_cast");
        for (Object junk : List.of(
                Tuple.of(gen, Tuple.of(Atom.of("new_nodes"), a.name(), List.of(Tuple.of(Atom.of("insert"),
                        Tuple.of(Atom.of("n"), "not a pid", Atom.of("m")))), Atom.of("x"), List.of(1L), 7L)),
                Tuple.of(gen, Tuple.of(Atom.of("init_connect"), Atom.of("no_version"), a.name(), 1L)),
                Tuple.of(gen, Tuple.of(Atom.of("resolved"), a.name(), 1L, 2L, 3L, 4L, 5L)),
                Tuple.of(gen, Tuple.of(Atom.of("in_sync"))),
                Tuple.of(Atom.of("lost_connection"), 1L, 2L, 3L, 4L),
                Tuple.of(Atom.of("cancel_connect"), a.name(), Atom.of("stale")),
                "not even a tuple")) {
            a.send(onB, junk);
        }
        assertThat(Global.of(a).sync(WAIT)).isTrue();
        try (Mailbox m = a.mailbox()) {
            assertThat(Global.of(a).register("gt_after_junk", m.pid())).isTrue();
            assertThat(Global.of(b).whereis("gt_after_junk")).isEqualTo(m.pid());
        }
        assertThat(b.whereis("global_name_server")).as("the same server, never restarted").isEqualTo(server);
    }
}
