package io.ergon.bench.workloads;

import io.ergon.gen.GenServer;
import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local workloads on Ergon: processes are {@link Actor}s and {@link GenServer}s on one node with default options
 * (one worker per core), driven from the main thread as Erlang's harness drives them from its main process. With
 * {@code callerRuns}, the call workloads' echo server declares {@code callerRuns()} (its handler is short and never
 * waits), so its callers run it on their own threads. With {@code fromThreads}, the call workloads' clients are not
 * processes but plain threads calling through {@link Node#call}, as a servlet or a test would: one platform thread for
 * one client, virtual threads (the JDK's own) for more.
 */
public final class ErgonSystem implements LocalSystem {
    private enum Cmd { GO, PONG, STOP }

    private record Ping(Pid from) {
    }

    private final Node node = Node.start("bench@localhost");
    private final boolean callerRuns;
    private final boolean fromThreads;

    public ErgonSystem(boolean callerRuns) {
        this(callerRuns, false);
    }

    public ErgonSystem(boolean callerRuns, boolean fromThreads) {
        this.callerRuns = callerRuns;
        this.fromThreads = fromThreads;
    }

    @Override
    public double pingPong(int pairs, int roundTrips) throws Exception {
        CountDownLatch done = new CountDownLatch(pairs);
        AtomicLong pings = new AtomicLong();
        List<Pid> pingers = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            Pid ponger = node.spawn(() -> new Ponger(pings, done));
            pingers.add(node.spawn(() -> new Pinger(ponger, roundTrips)));
        }
        long t0 = System.nanoTime();
        for (Pid p : pingers) {
            node.send(p, Cmd.GO);
        }
        Measure.await(done, "ping-pong");
        long t1 = System.nanoTime();
        Measure.check("pings answered", (long) pairs * roundTrips, pings.get());
        return Measure.rate((long) pairs * roundTrips, t0, t1);
    }

    private static final class Pinger extends Actor {
        private final Pid ponger;
        private int left;
        private Ping ping;

        Pinger(Pid ponger, int roundTrips) {
            this.ponger = ponger;
            this.left = roundTrips;
        }

        @Override
        protected void init() {
            ping = new Ping(self());
        }

        @Override
        protected void handleMessage(Object message) {
            if (left-- == 0) {
                send(ponger, Cmd.STOP);
                stop(Reasons.NORMAL);
            } else {
                send(ponger, ping);
            }
        }
    }

    private static final class Ponger extends Actor {
        private final AtomicLong pings;
        private final CountDownLatch done;
        private long count;

        Ponger(AtomicLong pings, CountDownLatch done) {
            this.pings = pings;
            this.done = done;
        }

        @Override
        protected void handleMessage(Object message) {
            if (message instanceof Ping(Pid from)) {
                count++;
                send(from, Cmd.PONG);
            } else if (message == Cmd.STOP) {
                pings.addAndGet(count);
                done.countDown();
                stop(Reasons.NORMAL);
            }
        }
    }

    @Override
    public double stream(int senders, int total) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        int per = total / senders;
        Receiver receiver = new Receiver(total, senders == 1 ? per : -1, done);
        Pid r = node.spawn(() -> receiver);
        List<Pid> ss = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            ss.add(node.spawn(() -> new Sender(r, per)));
        }
        long t0 = System.nanoTime();
        for (Pid s : ss) {
            node.send(s, Cmd.GO);
        }
        Measure.await(done, "stream");
        long t1 = System.nanoTime();
        Measure.check("messages out of order", 0, receiver.outOfOrder);
        return Measure.rate(total, t0, t1);
    }

    private static final class Sender extends Actor {
        private final Pid receiver;
        private final int count;

        Sender(Pid receiver, int count) {
            this.receiver = receiver;
            this.count = count;
        }

        @Override
        protected void handleMessage(Object message) {
            for (int i = count; i > 0; i--) {
                send(receiver, i);
            }
            stop(Reasons.NORMAL);
        }
    }

    /** Counts to {@code total}; with {@code expected >= 0} checks the values come in as expected, expected - 1, ... */
    private static final class Receiver extends Actor {
        private final CountDownLatch done;
        private int left;
        private int expected;
        volatile long outOfOrder;
        private long bad;

        Receiver(int total, int expected, CountDownLatch done) {
            this.left = total;
            this.expected = expected;
            this.done = done;
        }

        @Override
        protected void handleMessage(Object message) {
            if (expected >= 0 && (Integer) message != expected--) {
                bad++;
            }
            if (--left == 0) {
                outOfOrder = bad;
                done.countDown();
                stop(Reasons.NORMAL);
            }
        }
    }

    @Override
    public SpawnFigures spawnIdle(int count) throws Exception {
        Pid[] pids = new Pid[count];
        long before = Measure.usedHeapAfterGc();
        long t0;
        long t1;
        long after;
        try (Node fresh = Node.start("spawn@localhost")) {
            t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                pids[i] = fresh.spawn(Idle::new);
            }
            t1 = System.nanoTime();
            after = Measure.usedHeapAfterGc();
            Measure.check("processes alive", count, fresh.processCount());
            fresh.shutdown(Duration.ofSeconds(120));
        }
        return new SpawnFigures(Measure.rate(count, t0, t1), (double) (after - before) / count);
    }

    /** Waits for a message it never gets. */
    private static final class Idle extends Actor {
        @Override
        protected void handleMessage(Object message) {
        }
    }

    @Override
    public double calls(int clients, int total) throws Exception {
        Pid server = node.spawn(() -> new Echo(callerRuns));
        int per = total / clients;
        if (fromThreads) {
            return callsFromThreads(server, clients, per);
        }
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong answered = new AtomicLong();
        List<Pid> cs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            cs.add(node.spawn(() -> new Caller(server, per, answered, done)));
        }
        long t0 = System.nanoTime();
        for (Pid c : cs) {
            node.send(c, Cmd.GO);
        }
        Measure.await(done, "calls");
        long t1 = System.nanoTime();
        node.exit(server, Reasons.KILL);
        Measure.check("calls answered", (long) per * clients, answered.get());
        return Measure.rate((long) per * clients, t0, t1);
    }

    private double callsFromThreads(Pid server, int clients, int per) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong answered = new AtomicLong();
        Thread.Builder builder = clients == 1 ? Thread.ofPlatform() : Thread.ofVirtual();
        for (int c = 0; c < clients; c++) {
            builder.start(() -> {
                long ok = 0;
                try {
                    start.await();
                    for (int i = per; i > 0; i--) {
                        Object reply = node.call(server, i);
                        if (reply instanceof Integer n && n == i) {
                            ok++;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    answered.addAndGet(ok);
                    done.countDown();
                }
            });
        }
        long t0 = System.nanoTime();
        start.countDown();
        Measure.await(done, "calls");
        long t1 = System.nanoTime();
        node.exit(server, Reasons.KILL);
        Measure.check("calls answered", (long) per * clients, answered.get());
        return Measure.rate((long) per * clients, t0, t1);
    }

    private static final class Echo extends GenServer {
        private final boolean callerRuns;

        Echo(boolean callerRuns) {
            this.callerRuns = callerRuns;
        }

        @Override
        protected boolean callerRuns() {
            return callerRuns;
        }

        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    /**
     * Calls {@code server} with {@code count} integers one after another on its first message; then adds the replies
     * that echoed their request to {@code answered}, counts {@code done} down and stops.
     */
    public static final class Caller extends Actor {
        private final Pid server;
        private final int count;
        private final AtomicLong answered;
        private final CountDownLatch done;

        public Caller(Pid server, int count, AtomicLong answered, CountDownLatch done) {
            this.server = server;
            this.count = count;
            this.answered = answered;
            this.done = done;
        }

        @Override
        protected void handleMessage(Object message) {
            long ok = 0;
            for (int i = count; i > 0; i--) {
                Object reply = call(server, i);
                if (reply instanceof Integer n && n == i) {
                    ok++;
                }
            }
            answered.addAndGet(ok);
            done.countDown();
            stop(Reasons.NORMAL);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
