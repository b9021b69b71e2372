package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ergon.gen.GenServer;
import io.ergon.node.internal.NodeCore;
import io.ergon.node.internal.TaskLoops;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A process that waits in a receive or a call on a worker suspends its continuation and gives the worker back
 * (where the JVM allows it, {@link NodeCore#suspendsWaitingProcesses()}): waiting processes hold no threads, the
 * workers go on with other processes, and a suspended process resumes, on the worker it suspended on, with its
 * stack, its timeouts and its exit signals as before.
 */
class SuspendedReceiveTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Node node;

    @BeforeEach
    void start() {
        node = Node.start("suspended@localhost", NodeOptions.defaults().parallelism(2));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** Holds every call until told to open, then answers them all. */
    static final class Gate extends GenServer {
        private final List<From> waiting = new ArrayList<>();

        @Override
        protected Object handleCall(Object request, From from) {
            if ("count".equals(request)) {
                return waiting.size();
            }
            if ("open".equals(request)) {
                waiting.forEach(f -> reply(f, "through"));
                int n = waiting.size();
                waiting.clear();
                return n;
            }
            waiting.add(from);
            return noReply();
        }
    }

    @Test
    void aThousandProcessesWaitingInCallsHoldNoThreads() throws Exception {
        assumeThat(NodeCore.suspendsWaitingProcesses()).as("continuations available in this JVM").isTrue();
        Pid gate = node.spawn(Gate::new);
        int clients = 1000;
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong through = new AtomicLong();
        for (int i = 0; i < clients; i++) {
            Pid client = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    if ("through".equals(call(gate, "let me through", Duration.ofSeconds(30)))) {
                        through.incrementAndGet();
                    }
                    done.countDown();
                }
            });
            node.send(client, "go");
        }
        Awaitility.await().atMost(WAIT).until(() -> node.<Integer>call(gate, "count") == clients);
        // parked in their calls, each would hold a worker's virtual thread (a thousand); suspended, they hold none,
        // though a busy machine makes the monitor start a few extra workers for activations it finds slow
        assertThat(node.core().workerThreads()).as("worker threads with %d processes waiting", clients)
                .isLessThanOrEqualTo(64);
        assertThat(pingPong(100)).as("round trips while they wait").isEqualTo(100);
        assertThat(node.<Integer>call(gate, "open")).isEqualTo(clients);
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every caller got its answer").isTrue();
        assertThat(through.get()).isEqualTo(clients);
    }

    private int pingPong(int n) throws Exception {
        Pid echo = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                if (message instanceof Object[] m) {
                    send((Pid) m[0], m[1]);
                }
            }
        });
        try (Mailbox me = node.mailbox()) {
            int answered = 0;
            for (int i = 0; i < n; i++) {
                node.send(echo, new Object[] {me.pid(), i});
                if (Integer.valueOf(i).equals(me.receive(WAIT))) {
                    answered++;
                }
            }
            return answered;
        }
    }

    /** Answers {@code n + 1}. */
    static final class Increment extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return (Integer) request + 1;
        }
    }

    @Test
    void aProcessThatWaitsDeepInItsStackResumesWithItsStack() throws Exception {
        Pid inc = node.spawn(Increment::new);
        AtomicReference<Object> result = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Pid deep = node.spawn(() -> new Actor() {
            int descend(int depth, int acc) {
                if (depth == 0) {
                    return acc;
                }
                int local = depth * 7; // on this frame across the suspension below
                int next = call(inc, acc, WAIT);
                return descend(depth - 1, next) + local - local;
            }

            @Override
            protected void handleMessage(Object message) {
                result.set(descend(200, 0));
                done.countDown();
            }
        });
        // other processes keep both workers busy meanwhile, so the deep one is resumed wherever a worker is free
        List<Pid> busy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            busy.add(node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    for (int k = 0; k < 2000; k++) {
                        call(inc, k, WAIT);
                    }
                }
            }));
        }
        busy.forEach(p -> node.send(p, "go"));
        node.send(deep, "go");
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(result.get()).isEqualTo(200);
    }

    @Test
    void aSuspendedTimedReceiveEndsAtItsTimeoutWhileTheWorkersGoOn() throws Exception {
        AtomicReference<Object> got = new AtomicReference<>("unset");
        AtomicLong tookMillis = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        Pid waiter = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                long t0 = System.nanoTime();
                got.set(receive(m -> "never".equals(m), Duration.ofMillis(100)));
                tookMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                done.countDown();
            }
        });
        node.send(waiter, "go");
        assertThat(pingPong(50)).isEqualTo(50);
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(got.get()).as("a receive that timed out").isNull();
        assertThat(tookMillis.get()).as("not before its timeout").isGreaterThanOrEqualTo(100L);
    }

    @Test
    void anExitSignalEndsAProcessSuspendedInAReceive() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Pid sleeper = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                waiting.countDown();
                receive(m -> false, null);
            }
        });
        node.send(sleeper, "go");
        assertThat(waiting.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Awaitility.await().atMost(WAIT).until(() -> node.info(sleeper).status() == ProcessStatus.WAITING);
        try (Mailbox me = node.mailbox()) {
            var ref = me.monitor(sleeper);
            node.exit(sleeper, io.ergon.term.Atom.of("stop_now"));
            Object down = me.receive(m -> m instanceof Down d && d.ref().equals(ref), WAIT);
            assertThat(down).isInstanceOf(Down.class);
            assertThat(((Down) down).reason()).isEqualTo(io.ergon.term.Atom.of("stop_now"));
        }
    }

    /** Reads the current thread where the JIT cannot inline it (the call site sees three classes), so afresh. */
    private static final List<java.util.function.Supplier<Thread>> FRESH = List.of(
            Thread::currentThread, () -> Thread.currentThread(), new java.util.function.Supplier<>() {
                @Override
                public Thread get() {
                    return Thread.currentThread();
                }
            });

    /**
     * Processes that wait in a receive tens of thousands of times, woken from either worker, always resume on the
     * thread they suspended on, and {@code Thread.currentThread()} in their compiled code is the thread they run on.
     * Compiled code keeps {@code Thread.currentThread()} across a suspension (C2 holds it constant across calls,
     * right for a virtual thread's own continuation only), so a continuation resumed on another worker's thread went
     * on using the first one's: its thread locals, its locks, and the scheduler's note of the worker, whose loss showed
     * as continuations coming back unexplained (seen 2026-12-02, before a suspended process was resumed only on its
     * own worker).
     */
    @Test
    void aSuspendedProcessResumesOnTheThreadItSuspendedOn() throws Exception {
        assumeThat(NodeCore.suspendsWaitingProcesses()).as("continuations available in this JVM").isTrue();
        long faultsBefore = TaskLoops.unexplainedYields();
        int pairs = 4;
        int rounds = 20_000;
        CountDownLatch done = new CountDownLatch(2 * pairs);
        AtomicLong moved = new AtomicLong();
        AtomicLong stale = new AtomicLong();
        AtomicLong suspensions = new AtomicLong();
        for (int i = 0; i < pairs; i++) {
            Actor[] both = new Actor[2];
            Pid[] pids = new Pid[2];
            for (int side = 0; side < 2; side++) {
                int me = side;
                pids[side] = node.spawn(() -> both[me] = new Actor() {
                    @Override
                    protected void handleMessage(Object message) {
                        Pid other = (Pid) message;
                        int k = 0;
                        for (int n = 0; n < rounds; n++) {
                            if (me == 0) {
                                send(other, n);
                            }
                            Thread before = FRESH.get(k++ % 3).get();
                            Object got = receive(Duration.ofSeconds(60));
                            Thread direct = Thread.currentThread();
                            Thread real = FRESH.get(k++ % 3).get();
                            if (real != before) {
                                moved.incrementAndGet();
                            }
                            if (direct != real) {
                                stale.incrementAndGet();
                            }
                            if (got == null) {
                                break;
                            }
                            suspensions.incrementAndGet();
                            if (me == 1) {
                                send(other, got);
                            }
                        }
                        done.countDown();
                    }
                });
            }
            node.send(pids[1], pids[0]); // first: side 0 sends to side 1 as soon as it has side 1's pid
            node.send(pids[0], pids[1]);
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).as("every pair finished its rounds").isTrue();
        assertThat(suspensions.get()).isEqualTo(2L * pairs * rounds);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(moved.get()).as("receives that returned on another thread than they began on").isZero();
        soft.assertThat(stale.get()).as("receives after which Thread.currentThread() named another thread").isZero();
        soft.assertThat(TaskLoops.unexplainedYields() - faultsBefore)
                .as("continuations that came back to a worker with no receive having suspended them").isZero();
        soft.assertAll();
    }

    /**
     * A worker parked in a high-priority process's receive (such a process parks rather than suspends) still
     * resumes the processes suspended on it: here the one that receive waits for. Before a parked worker resumed its
     * own, the waiter waited out its timeout.
     */
    @Test
    void aWorkerParkedInAHighPriorityReceiveStillResumesTheProcessesSuspendedOnIt() throws Exception {
        assumeThat(NodeCore.suspendsWaitingProcesses()).as("continuations available in this JVM").isTrue();
        try (Node one = Node.start("oneworker@localhost", NodeOptions.defaults().parallelism(1));
             Mailbox probe = one.mailbox()) {
            Pid gate = one.spawn(Gate::new);
            AtomicReference<Thread> callerThread = new AtomicReference<>();
            AtomicReference<Thread> waiterThread = new AtomicReference<>();
            Pid waiter = one.spawn(() -> new Actor() {
                @Override
                protected boolean highPriority() {
                    return true;
                }

                @Override
                protected void handleMessage(Object message) {
                    waiterThread.set(Thread.currentThread());
                    send(probe.pid(), receive(m -> "from the caller".equals(m), Duration.ofSeconds(10)));
                }
            });
            Pid caller = one.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    callerThread.set(Thread.currentThread());
                    call(gate, "let me through", Duration.ofSeconds(30)); // suspends on the node's one worker
                    send(waiter, "from the caller");
                }
            });
            one.send(caller, "go");
            Awaitility.await().atMost(WAIT).until(() -> one.<Integer>call(gate, "count") == 1);
            // the caller has suspended: the worker is free, and the waiter's activation goes to it
            Awaitility.await().atMost(WAIT).until(() -> one.info(caller).status() == ProcessStatus.WAITING);
            one.send(waiter, "wait");
            Awaitility.await().atMost(WAIT).until(() -> waiterThread.get() != null
                    && one.info(waiter).status() == ProcessStatus.WAITING);
            assumeThat(waiterThread.get()).as("the scenario: the waiter parks the worker the caller suspended on")
                    .isSameAs(callerThread.get());
            assertThat(one.<Integer>call(gate, "open")).isEqualTo(1);
            assertThat(probe.receive(Duration.ofSeconds(5))).as("what the parked receive got")
                    .isEqualTo("from the caller");
        }
    }
}
