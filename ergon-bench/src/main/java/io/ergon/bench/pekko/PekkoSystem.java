package io.ergon.bench.pekko;

import io.ergon.bench.workloads.LocalSystem;
import io.ergon.bench.workloads.Measure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import scala.concurrent.Await;

/**
 * The local workloads on Apache Pekko classic actors, on the default dispatcher and default configuration: the same
 * process shapes and checks as {@link io.ergon.bench.workloads.ErgonSystem}. A "call" is Pekko's idiom for it, an
 * {@code ask} whose answer the client pipes to itself before asking again (blocking a dispatcher thread on a
 * future would be the wrong use of Pekko).
 */
public final class PekkoSystem implements LocalSystem {
    private enum Cmd { GO, PING, PONG, STOP }

    private final ActorSystem system = ActorSystem.create("bench");

    @Override
    public double pingPong(int pairs, int roundTrips) throws Exception {
        CountDownLatch done = new CountDownLatch(pairs);
        AtomicLong pings = new AtomicLong();
        List<ActorRef> pingers = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            ActorRef ponger = system.actorOf(Props.create(Ponger.class, () -> new Ponger(pings, done)));
            pingers.add(system.actorOf(Props.create(Pinger.class, () -> new Pinger(ponger, roundTrips))));
        }
        long t0 = System.nanoTime();
        for (ActorRef p : pingers) {
            p.tell(Cmd.GO, ActorRef.noSender());
        }
        Measure.await(done, "ping-pong");
        long t1 = System.nanoTime();
        Measure.check("pings answered", (long) pairs * roundTrips, pings.get());
        return Measure.rate((long) pairs * roundTrips, t0, t1);
    }

    static final class Pinger extends AbstractActor {
        private final ActorRef ponger;
        private int left;

        Pinger(ActorRef ponger, int roundTrips) {
            this.ponger = ponger;
            this.left = roundTrips;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> {
                if (left-- == 0) {
                    ponger.tell(Cmd.STOP, getSelf());
                    getContext().stop(getSelf());
                } else {
                    ponger.tell(Cmd.PING, getSelf());
                }
            }).build();
        }
    }

    static final class Ponger extends AbstractActor {
        private final AtomicLong pings;
        private final CountDownLatch done;
        private long count;

        Ponger(AtomicLong pings, CountDownLatch done) {
            this.pings = pings;
            this.done = done;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> {
                if (m == Cmd.PING) {
                    count++;
                    getSender().tell(Cmd.PONG, getSelf());
                } else if (m == Cmd.STOP) {
                    pings.addAndGet(count);
                    done.countDown();
                    getContext().stop(getSelf());
                }
            }).build();
        }
    }

    @Override
    public double stream(int senders, int total) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        int per = total / senders;
        AtomicLong outOfOrder = new AtomicLong(-1);
        ActorRef r = system.actorOf(Props.create(Receiver.class,
                () -> new Receiver(total, senders == 1 ? per : -1, outOfOrder, done)));
        List<ActorRef> ss = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            ss.add(system.actorOf(Props.create(Sender.class, () -> new Sender(r, per))));
        }
        long t0 = System.nanoTime();
        for (ActorRef s : ss) {
            s.tell(Cmd.GO, ActorRef.noSender());
        }
        Measure.await(done, "stream");
        long t1 = System.nanoTime();
        Measure.check("messages out of order", 0, outOfOrder.get());
        return Measure.rate(total, t0, t1);
    }

    static final class Sender extends AbstractActor {
        private final ActorRef receiver;
        private final int count;

        Sender(ActorRef receiver, int count) {
            this.receiver = receiver;
            this.count = count;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> {
                ActorRef self = getSelf();
                for (int i = count; i > 0; i--) {
                    receiver.tell(i, self);
                }
                getContext().stop(self);
            }).build();
        }
    }

    static final class Receiver extends AbstractActor {
        private final AtomicLong outOfOrder;
        private final CountDownLatch done;
        private int left;
        private int expected;
        private long bad;

        Receiver(int total, int expected, AtomicLong outOfOrder, CountDownLatch done) {
            this.left = total;
            this.expected = expected;
            this.outOfOrder = outOfOrder;
            this.done = done;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> {
                if (expected >= 0 && (Integer) m != expected--) {
                    bad++;
                }
                if (--left == 0) {
                    outOfOrder.set(bad);
                    done.countDown();
                    getContext().stop(getSelf());
                }
            }).build();
        }
    }

    @Override
    public SpawnFigures spawnIdle(int count) throws Exception {
        ActorRef[] refs = new ActorRef[count];
        AtomicLong started = new AtomicLong();
        long before = Measure.usedHeapAfterGc();
        ActorSystem fresh = ActorSystem.create("spawn");
        long t0 = System.nanoTime();
        Props props = Props.create(Idle.class, () -> new Idle(started));
        for (int i = 0; i < count; i++) {
            refs[i] = fresh.actorOf(props);
        }
        // actorOf returns before the actor exists; a spawn counts once its instance has been made
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Measure.TIMEOUT_SECONDS);
        while (started.get() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        long t1 = System.nanoTime();
        Measure.check("actors started", count, started.get());
        long after = Measure.usedHeapAfterGc();
        Await.result(fresh.terminate(), scala.concurrent.duration.Duration.create(120, TimeUnit.SECONDS));
        return new SpawnFigures(Measure.rate(count, t0, t1), (double) (after - before) / count);
    }

    static final class Idle extends AbstractActor {
        Idle(AtomicLong started) {
            started.incrementAndGet();
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> { }).build();
        }
    }

    @Override
    public double calls(int clients, int total) throws Exception {
        ActorRef server = system.actorOf(Props.create(Echo.class, Echo::new));
        int per = total / clients;
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong answered = new AtomicLong();
        List<ActorRef> cs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            cs.add(system.actorOf(Props.create(Caller.class, () -> new Caller(server, per, answered, done))));
        }
        long t0 = System.nanoTime();
        for (ActorRef c : cs) {
            c.tell(Cmd.GO, ActorRef.noSender());
        }
        Measure.await(done, "calls");
        long t1 = System.nanoTime();
        server.tell(PoisonPill.getInstance(), ActorRef.noSender());
        Measure.check("calls answered", (long) per * clients, answered.get());
        return Measure.rate((long) per * clients, t0, t1);
    }

    static final class Echo extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> getSender().tell(m, getSelf())).build();
        }
    }

    /**
     * Asks {@code server} {@code count} integers one at a time, piping each answer back to itself, on its first
     * message; then adds the answers that echoed their request to {@code answered} and counts {@code done} down.
     */
    public static final class Caller extends AbstractActor {
        private static final Duration TIMEOUT = Duration.ofSeconds(5);
        private final ActorRef server;
        private final AtomicLong answered;
        private final CountDownLatch done;
        private int left;
        private long ok;

        public Caller(ActorRef server, int count, AtomicLong answered, CountDownLatch done) {
            this.server = server;
            this.left = count;
            this.answered = answered;
            this.done = done;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> {
                if (m instanceof Integer n && n == left + 1) {
                    ok++;
                }
                if (left == 0) {
                    answered.addAndGet(ok);
                    done.countDown();
                    getContext().stop(getSelf());
                    return;
                }
                Patterns.pipe(Patterns.ask(server, left--, TIMEOUT), getContext().getDispatcher()).to(getSelf());
            }).build();
        }
    }

    @Override
    public void close() throws Exception {
        Await.result(system.terminate(), scala.concurrent.duration.Duration.create(60, TimeUnit.SECONDS));
    }
}
