package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Actor;
import io.ergon.node.CallException;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import io.ergon.testing.RunsAlone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fairness: code that keeps a CPU busy without ever blocking must not stop the rest of the node from running. A
 * supervisor restarts a crashed, registered server within {@link #RESTART_LIMIT} even while 100 clients retry calls
 * to it as fast as they can, with no back-off (while the server is down each retry fails at once with
 * {@code noproc}, so the clients never wait), whether those clients are plain virtual threads or Ergon processes
 * that loop inside one activation; and processes spinning forever in a handler (more of them than there are cores)
 * do not keep a ping-pong, a spawn or a supervisor restart from completing within {@link #RESTART_LIMIT}. Every
 * wait is bounded: a restart that has not happened after {@link #TRIAL_DEADLINE} counts as a failed trial, and the
 * busy clients and spinners stop (a volatile flag, read on every turn of their loops) before the node closes,
 * however the test ended. The restart times are printed (min, median, p90, max) so that a reader of the build log
 * sees how far from the limit they are.
 *
 * <p>On a scheduler that relies on virtual threads giving up their carrier by themselves, these tests are expected
 * to fail: a virtual thread is not preempted, so busy clients or spinners can hold every carrier.
 */
@RunsAlone
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FairnessTest {
    private static final String SERVER = "fairness_server";
    private static final String PING = "ping";
    private static final String PONG = "pong";
    private static final int CLIENTS = 100;
    private static final int TRIALS = 50;
    /** What the tests promise: a restart (or a ping-pong, or a spawn) within this. */
    private static final Duration RESTART_LIMIT = Duration.ofSeconds(1);
    /** How long a trial waits for a restart before it counts as failed. */
    private static final Duration TRIAL_DEADLINE = Duration.ofSeconds(3);
    /** Trials stop after this many failed ones, or once this much time has gone: the test must end either way. */
    private static final int MAX_FAILED_TRIALS = 3;
    private static final Duration TRIALS_BUDGET = Duration.ofSeconds(60);
    /** The clients' call timeout: also how long they may take to notice the stop flag while a call waits. */
    private static final Duration CLIENT_CALL_TIMEOUT = Duration.ofSeconds(1);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final Node node = Node.start("fairness_test@localhost",
            NodeOptions.defaults().shutdownTimeout(Duration.ofSeconds(5)));
    /**
     * Set once a test has measured what it measures, and again after it whatever happened: every busy client and
     * spinner leaves its loop when it sees it.
     */
    private volatile boolean stop;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** A last bound on every busy loop, should the stop flag never be set (JUnit makes an instance per test). */
    private final long hardEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(110);

    @AfterEach
    void stopTheBusyOnesThenTheNode() throws InterruptedException {
        stop = true;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : threads) {
            t.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
        }
        node.close();
        List<Thread> alive = threads.stream().filter(Thread::isAlive).toList();
        assertThat(alive).as("busy client threads still running after the stop").isEmpty();
    }

    /** Answers every call at once. */
    static final class PingServer extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return PONG;
        }
    }

    /** How the busy clients fared: calls answered, calls failed (noproc, the exit reason, a timeout), and others. */
    static final class ClientStats {
        final AtomicInteger running = new AtomicInteger();
        final LongAdder answered = new LongAdder();
        final LongAdder failed = new LongAdder();
        final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

        /** One call and its outcome; what a client does on every turn of its loop. */
        void count(Runnable call) {
            try {
                call.run();
                answered.increment();
            } catch (CallException e) {
                failed.increment();
            } catch (RuntimeException e) {
                if (unexpected.size() < 10) {
                    unexpected.add(e);
                }
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d clients running, %d calls answered, %d failed, %d unexpected errors%s",
                    running.get(), answered.sum(), failed.sum(), unexpected.size(),
                    unexpected.isEmpty() ? "" : " (first: " + unexpected.get(0) + ")");
        }
    }

    /**
     * One registered, permanent {@link PingServer} under a supervisor whose intensity (1000 restarts a second) no
     * test reaches: 50 trials take at least a few milliseconds each.
     */
    private void startSupervisedServer(String name) {
        Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(1000, Duration.ofSeconds(1))
                .child(ChildSpec.worker("server", PingServer::new).restart(Restart.PERMANENT).register(name)));
        assertThat(awaitAnswering(name, null, System.nanoTime() + TRIAL_DEADLINE.toNanos()))
                .as("the server answers before any trial").isPositive();
    }

    /**
     * Polls {@code whereis(name)} until it names a pid other than {@code old} that answers a call (the call goes to
     * that pid, so the answer is the new server's); the {@code nanoTime} of the answer, or -1 if the deadline came
     * first.
     */
    private long awaitAnswering(String name, Pid old, long deadline) {
        while (true) {
            Pid now = node.whereis(name);
            if (now != null && !now.equals(old)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -1;
                }
                try {
                    if (PONG.equals(node.call(now, PING, Duration.ofNanos(left)))) {
                        return System.nanoTime();
                    }
                } catch (CallException e) {
                    // that one died, or did not answer in time: look again until the deadline
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                return -1;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** One trial's restart time, from the crash to the new server's answer. */
    record Timed(int trial, long nanos) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "trial %d: %.2f ms", trial, ms(nanos));
        }
    }

    /** Restart times of the trials that succeeded, and what went wrong in the others. */
    record Trials(List<Timed> restarts, List<String> failures) {
        List<Long> restartNanos() {
            return restarts.stream().map(Timed::nanos).toList();
        }
    }

    /** Kills the server {@link #TRIALS} times and times each restart, from the kill to the new server's answer. */
    private Trials crashAndTimeRestarts(String name) {
        List<Timed> times = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long budgetEnd = System.nanoTime() + TRIALS_BUDGET.toNanos();
        for (int trial = 1; trial <= TRIALS && failures.size() < MAX_FAILED_TRIALS; trial++) {
            if (System.nanoTime() - budgetEnd >= 0) {
                failures.add("stopped after " + (trial - 1) + " trials: the " + TRIALS_BUDGET.toSeconds()
                        + " s budget is spent");
                break;
            }
            Pid old = node.whereis(name);
            if (old == null) { // a failed trial left no server: wait for one before crashing it again
                if (awaitAnswering(name, null, System.nanoTime() + TRIAL_DEADLINE.toNanos()) < 0) {
                    failures.add("stopped before trial " + trial + ": no server answered within "
                            + TRIAL_DEADLINE.toSeconds() + " s");
                    break;
                }
                old = node.whereis(name);
                if (old == null) {
                    continue; // it has just died again; the next turn waits for its successor
                }
            }
            long t0 = System.nanoTime();
            node.exit(old, Reasons.KILL);
            long answered = awaitAnswering(name, old, t0 + TRIAL_DEADLINE.toNanos());
            if (answered < 0) {
                failures.add("trial " + trial + ": no new server answered within " + TRIAL_DEADLINE.toSeconds()
                        + " s of the crash");
            } else {
                times.add(new Timed(trial, answered - t0));
            }
        }
        return new Trials(times, failures);
    }

    private static String distribution(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "no restart completed";
        }
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format(Locale.ROOT, "%d restarts: min %.2f ms, median %.2f ms, p90 %.2f ms, max %.2f ms",
                sorted.size(), ms(sorted.get(0)), ms(rank(sorted, 0.5)), ms(rank(sorted, 0.9)),
                ms(sorted.get(sorted.size() - 1)));
    }

    /** The nearest-rank percentile. */
    private static long rank(List<Long> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Waits (bounded) until every client has entered its loop, so that the trials run against all of them. */
    private static void awaitRunning(ClientStats stats, int expected) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stats.running.get() < expected && System.nanoTime() - end < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private void report(String title, Trials trials, ClientStats stats) {
        System.out.printf(Locale.ROOT, "FairnessTest %s: %s; %d failed trials%s%n  clients: %s%n", title,
                distribution(trials.restartNanos()), trials.failures().size(),
                trials.failures().isEmpty() ? "" : " " + trials.failures(), stats);
    }

    private static void assertAllWithinLimit(Trials trials) {
        assertThat(trials.failures()).as("failed trials").isEmpty();
        assertThat(trials.restarts()).as("trials run").hasSize(TRIALS);
        assertThat(trials.restarts()).as("restarts slower than %d ms", RESTART_LIMIT.toMillis())
                .filteredOn(r -> r.nanos() >= RESTART_LIMIT.toNanos()).isEmpty();
    }

    @Test
    void aServerIsRestartedPromptlyWhileVirtualThreadsRetryCallsToItWithoutPause() {
        timeRestartsUnderBusyClients("virtual-thread clients", stats -> {
            for (int i = 0; i < CLIENTS; i++) {
                threads.add(Thread.ofVirtual().name("busy-client-" + i).start(() -> {
                    stats.running.incrementAndGet();
                    while (!stop && System.nanoTime() - hardEnd < 0) {
                        stats.count(() -> node.call(SERVER, PING, CLIENT_CALL_TIMEOUT));
                    }
                }));
            }
        });
    }

    /**
     * Starts the supervised server and {@link #CLIENTS} busy clients ({@code startClients}), crashes the server
     * {@link #TRIALS} times, and asserts every restart was within {@link #RESTART_LIMIT}.
     */
    private void timeRestartsUnderBusyClients(String title, Consumer<ClientStats> startClients) {
        startSupervisedServer(SERVER);
        ClientStats stats = new ClientStats();
        startClients.accept(stats);
        awaitRunning(stats, CLIENTS);

        Trials trials = crashAndTimeRestarts(SERVER);
        stop = true; // now, not only after the test: busy clients would slow the reporting down

        report(title, trials, stats);
        assertAllWithinLimit(trials);
    }

    /** A client process: one activation that calls the server in a loop, retrying at once, until the stop flag. */
    final class BusyClient extends Actor {
        private final ClientStats stats;

        BusyClient(ClientStats stats) {
            this.stats = stats;
        }

        @Override
        protected void handleMessage(Object message) {
            stats.running.incrementAndGet();
            while (!stop && System.nanoTime() - hardEnd < 0) {
                stats.count(() -> call(SERVER, PING, CLIENT_CALL_TIMEOUT));
            }
        }
    }

    @Test
    void aServerIsRestartedPromptlyWhileProcessesRetryCallsToItWithoutPause() {
        timeRestartsUnderBusyClients("process clients", stats -> {
            for (int i = 0; i < CLIENTS; i++) {
                node.send(node.spawn(() -> new BusyClient(stats)), "go");
            }
        });
    }

    // ---------------------------------------------------------------- endless loops

    /** Spins in its first message's handler until the stop flag: no call, no receive, no yield. */
    final class Spinner extends Actor {
        private final AtomicInteger spinning;

        Spinner(AtomicInteger spinning) {
            this.spinning = spinning;
        }

        @Override
        protected void handleMessage(Object message) {
            spinning.incrementAndGet();
            while (!stop && System.nanoTime() - hardEnd < 0) {
                // the endless loop
            }
        }
    }

    record Ball(Pid from, int n) {
    }

    record Serve(Pid pong, Pid report, int rounds) {
    }

    /** Serves a ball to {@code pong} and reports "done" once it has come back {@code rounds} times. */
    static final class Ping extends Actor {
        private Serve serve;

        @Override
        protected void handleMessage(Object message) {
            switch (message) {
                case Serve s -> {
                    serve = s;
                    send(s.pong(), new Ball(self(), 1));
                }
                case Ball b when b.n() >= serve.rounds() -> send(serve.report(), "done");
                case Ball b -> send(serve.pong(), new Ball(self(), b.n() + 1));
                default -> throw new IllegalArgumentException("unexpected " + message);
            }
        }
    }

    /** Returns every ball to the process that sent it. */
    static final class Pong extends Actor {
        @Override
        protected void handleMessage(Object message) {
            Ball b = (Ball) message;
            send(b.from(), new Ball(self(), b.n()));
        }
    }

    /** On a message, spawns a process and has it send "child ran" to the pid it was given, from its own handler. */
    static final class Spawner extends Actor {
        @Override
        protected void handleMessage(Object message) {
            Pid report = (Pid) message;
            Pid child = spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object m) {
                    send(report, m);
                }
            });
            send(child, "child ran");
        }
    }

    /** The time from {@code t0} to {@code message} arriving at {@code probe}, or -1 after the trial deadline. */
    private static long timeUntil(Mailbox probe, Object message, long t0) {
        long left = Math.max(0, TRIAL_DEADLINE.toNanos() - (System.nanoTime() - t0));
        Object got = probe.receive(message::equals, Duration.ofNanos(left));
        return got == null ? -1 : System.nanoTime() - t0;
    }

    private static String show(long nanos) {
        return nanos < 0 ? "not within " + TRIAL_DEADLINE.toSeconds() + " s" : String.format(Locale.ROOT, "%.2f ms",
                ms(nanos));
    }

    @Test
    void processesInEndlessLoopsDoNotStopOtherProcessesFromRunning() {
        String victim = "fairness_victim";
        startSupervisedServer(victim); // before the spinners: what is timed is the restart, not this start
        int cores = Runtime.getRuntime().availableProcessors();
        int spinners = 2 * cores + 2;
        AtomicInteger spinning = new AtomicInteger();
        for (int i = 0; i < spinners; i++) {
            node.send(node.spawn(() -> new Spinner(spinning)), "spin");
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (spinning.get() < spinners && System.nanoTime() - end < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        int startedSpinning = spinning.get();

        long pingPong;
        long spawn;
        try (Mailbox probe = node.mailbox()) {
            long t0 = System.nanoTime();
            Pid pong = node.spawn(Pong::new);
            node.send(node.spawn(Ping::new), new Serve(pong, probe.pid(), 100));
            pingPong = timeUntil(probe, "done", t0);

            t0 = System.nanoTime();
            node.send(node.spawn(Spawner::new), probe.pid());
            spawn = timeUntil(probe, "child ran", t0);
        }

        long restart;
        Pid old = node.whereis(victim);
        long t0 = System.nanoTime();
        if (old == null) {
            restart = -1;
        } else {
            node.exit(old, Reasons.KILL);
            long answered = awaitAnswering(victim, old, t0 + TRIAL_DEADLINE.toNanos());
            restart = answered < 0 ? -1 : answered - t0;
        }
        stop = true; // spinners on every core would slow the reporting down

        System.out.printf(Locale.ROOT, "FairnessTest endless loops: %d of %d spinners spinning (%d cores); "
                        + "100 ping-pong round trips: %s; spawn and first run of a parent and its child: %s; "
                        + "supervisor restart: %s%n", startedSpinning, spinners, cores, show(pingPong), show(spawn),
                show(restart));
        SoftAssertions soft = new SoftAssertions();
        long limit = RESTART_LIMIT.toNanos() - 1;
        soft.assertThat(pingPong).as("ping-pong: %s, in ns", show(pingPong)).isBetween(0L, limit);
        soft.assertThat(spawn).as("spawn: %s, in ns", show(spawn)).isBetween(0L, limit);
        soft.assertThat(restart).as("restart: %s, in ns", show(restart)).isBetween(0L, limit);
        soft.assertAll();
    }
}
