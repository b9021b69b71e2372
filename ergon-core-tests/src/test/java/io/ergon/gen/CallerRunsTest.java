package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ergon.node.Actor;
import io.ergon.node.CallException;
import io.ergon.node.CallTimeoutException;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.ProcessInfo;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Actor#callerRuns()}: a local caller runs an idle server's handlers on its own thread, gets the same
 * answers, failures and timeouts as from a server running elsewhere, and stops doing so once the server waits or
 * runs long.
 */
class CallerRunsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Node node = Node.start("caller_runs_test@localhost");

    @AfterEach
    void stop() {
        node.close();
    }

    /**
     * Asks the server whether its handler ran inside its caller's activation (the caller's handler is on the
     * handler's stack). Not the thread: a caller that waits for a reply gives its worker thread to the server it
     * called, so a default server runs on the caller's thread too, but after it, not inside it.
     */
    record WhichThread() {
    }

    /** Makes the server wait in a receive (nothing comes) for the given time. */
    record Wait(long millis) {
    }

    /** Makes the server sleep (blocking outside Ergon) for the given time, then answer as {@link WhichThread}. */
    record Sleep(long millis) {
    }

    record Crash() {
    }

    /** Makes the server call {@code next} with {@code request} and answer what it answers. */
    record Forward(Pid next, Object request) {
    }

    static class Server extends GenServer {
        private final boolean callerRuns;

        Server(boolean callerRuns) {
            this.callerRuns = callerRuns;
        }

        @Override
        protected boolean callerRuns() {
            return callerRuns;
        }

        @Override
        protected Object handleCall(Object request, From from) throws Exception {
            return switch (request) {
                case WhichThread w -> insideCaller();
                case Wait w -> {
                    receive(m -> false, Duration.ofMillis(w.millis()));
                    yield "waited";
                }
                case Sleep s -> {
                    Thread.sleep(s.millis()); // a handler that must be slow (and block its thread)
                    yield insideCaller();
                }
                case Crash c -> throw new IllegalStateException("asked to crash on thread "
                        + Thread.currentThread().threadId() + ";");
                case Forward f -> call(f.next(), f.request());
                default -> request;
            };
        }
    }

    /**
     * Whether the server runs on its calling process's own stack: a caller's handler (one that is not a GenServer's)
     * comes before any task loop (the frame a continuation of the scheduler's begins with) on the way down the stack.
     * A default server that a call runs nested in a continuation of its own (Scheduler.runCallee) has a task loop
     * between its frames and its caller's, and so does one that a worker runs after its caller suspended.
     */
    static boolean insideCaller() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> isTaskLoop(f) || isCallersHandler(f))
                .findFirst().map(CallerRunsTest::isCallersHandler).orElse(false));
    }

    private static boolean isTaskLoop(StackWalker.StackFrame f) {
        return f.getClassName().equals("io.ergon.node.internal.TaskLoops$TaskLoop") && f.getMethodName().equals("run");
    }

    private static boolean isCallersHandler(StackWalker.StackFrame f) {
        return f.getMethodName().equals("handleMessage") && Actor.class.isAssignableFrom(f.getDeclaringClass())
                && !GenServer.class.isAssignableFrom(f.getDeclaringClass());
    }

    /**
     * What one call gave the caller: the reply or the exception, whether the server ran inside the caller (the
     * reply says so), how long it took, and the caller's thread id.
     */
    record Outcome(Object reply, RuntimeException failure, boolean ranOnCallerThread, long millis, long callerThread) {
    }

    /** Calls {@code server} with each request in turn, from a process, and returns the outcomes. */
    private List<Outcome> callFromProcess(Pid server, Duration timeout, Object... requests) {
        try (Mailbox results = node.mailbox()) {
            Pid reportTo = results.pid();
            node.spawn(() -> new Actor() {
                @Override
                protected void init() {
                    send(self(), "go");
                }

                @Override
                protected void handleMessage(Object message) {
                    List<Outcome> outcomes = new ArrayList<>();
                    for (Object request : requests) {
                        long t0 = System.nanoTime();
                        try {
                            Object reply = call(server, request, timeout);
                            outcomes.add(new Outcome(reply, null, reply == Boolean.TRUE,
                                    (System.nanoTime() - t0) / 1_000_000, Thread.currentThread().threadId()));
                        } catch (RuntimeException e) {
                            outcomes.add(new Outcome(null, e, false, (System.nanoTime() - t0) / 1_000_000,
                                    Thread.currentThread().threadId()));
                        }
                    }
                    send(reportTo, outcomes);
                    Object stray = receive(Duration.ofMillis(50)); // a late reply would be here
                    send(reportTo, stray == null ? "nothing" : stray);
                    stop(io.ergon.node.Reasons.NORMAL);
                }
            });
            @SuppressWarnings("unchecked")
            List<Outcome> outcomes = (List<Outcome>) results.receive(WAIT);
            assertThat(outcomes).as("the caller reported").isNotNull();
            assertThat(results.receive(WAIT)).as("what the caller received after its calls").isEqualTo("nothing");
            return outcomes;
        }
    }

    private static Object[] times(int n, Object request) {
        Object[] requests = new Object[n];
        java.util.Arrays.fill(requests, request);
        return requests;
    }

    private static long onCallerThread(List<Outcome> outcomes) {
        return outcomes.stream().filter(Outcome::ranOnCallerThread).count();
    }

    /**
     * Runs {@code scenario} (which asserts what must hold either way, and answers whether the caller did run the
     * server where the scenario needs it) on fresh servers until it answers true, at most 5 times: a caller that
     * the operating system or the scheduler's monitor interrupts between its send and its run hands the request
     * over the usual way, rarely, but on a busy machine now and then.
     */
    private static void untilTheCallerRanTheServer(BooleanSupplier scenario) {
        for (int i = 0; i < 5; i++) {
            if (scenario.getAsBoolean()) {
                return;
            }
        }
        fail("in 5 tries, the caller never ran the server where the scenario needs it");
    }

    @Test
    void aServerThatAllowsItRunsOnItsCallersThread() {
        Pid server = node.spawn(() -> new Server(true));
        List<Outcome> outcomes = callFromProcess(server, WAIT, times(200, new WhichThread()));
        assertThat(outcomes).allMatch(o -> o.failure() == null && o.reply() instanceof Boolean);
        assertThat(onCallerThread(outcomes)).isPositive();
    }

    @Test
    void byDefaultAServerNeverRunsOnItsCallersThread() {
        Pid server = node.spawn(() -> new Server(false));
        List<Outcome> outcomes = callFromProcess(server, WAIT, times(200, new WhichThread()));
        assertThat(outcomes).allMatch(o -> o.failure() == null && o.reply() instanceof Boolean);
        assertThat(onCallerThread(outcomes)).isZero();
    }

    @Test
    void aServerThatWaitsInAReceiveIsNotRunByItsCallersAgain() {
        Pid server = node.spawn(() -> new Server(true));
        List<Outcome> before = callFromProcess(server, WAIT, times(50, new WhichThread()));
        assertThat(onCallerThread(before)).isPositive();
        assertThat(callFromProcess(server, WAIT, new Wait(5)).get(0).reply()).isEqualTo("waited");
        List<Outcome> after = callFromProcess(server, WAIT, times(50, new WhichThread()));
        assertThat(after).allMatch(o -> o.failure() == null);
        assertThat(onCallerThread(after)).isZero();
    }

    @Test
    void oneLongRunOnACallersThreadIsForgiven() {
        untilTheCallerRanTheServer(() -> {
            Pid server = node.spawn(() -> new Server(true));
            if (!callFromProcess(server, WAIT, new Sleep(20)).get(0).ranOnCallerThread()) {
                return false;
            }
            assertThat(onCallerThread(callFromProcess(server, WAIT, times(50, new WhichThread())))).isPositive();
            return true;
        });
    }

    @Test
    void aServerThatRanLongOnItsCallersThreadsThreeTimesIsNotRunThereAgain() {
        untilTheCallerRanTheServer(() -> {
            Pid server = node.spawn(() -> new Server(true));
            List<Outcome> sleeps = callFromProcess(server, WAIT, new Sleep(20), new Sleep(20), new Sleep(20));
            assertThat(sleeps).allMatch(o -> o.reply() instanceof Boolean);
            if (onCallerThread(sleeps) < 3) {
                return false;
            }
            assertThat(onCallerThread(callFromProcess(server, WAIT, times(50, new WhichThread())))).isZero();
            return true;
        });
    }

    @Test
    void aTimeoutThatExpiresWhileTheCallerRunsTheServerIsRaisedAndTheLateReplyDropped() {
        untilTheCallerRanTheServer(() -> {
            Pid server = node.spawn(() -> new Server(true));
            List<Outcome> outcomes = callFromProcess(server, Duration.ofMillis(50), new Sleep(300), new WhichThread());
            Outcome timedOut = outcomes.get(0);
            assertThat(timedOut.failure()).isInstanceOf(CallTimeoutException.class);
            if (timedOut.millis() < 300) {
                return false; // the server ran elsewhere, and the timeout came on time
            }
            // raised when the handler returned, late by its overrun, as the Javadoc of callerRuns() says; the next
            // call gets its own reply, not the stale one, and callFromProcess checks that no late reply came
            assertThat(outcomes.get(1).reply()).isInstanceOf(Boolean.class);
            return true;
        });
    }

    @Test
    void aServerThatCrashesOnTheCallersThreadFailsTheCallAndLeavesTheCallerAlive() {
        untilTheCallerRanTheServer(() -> {
            Pid server = node.spawn(() -> new Server(true));
            List<Outcome> outcomes = callFromProcess(server, WAIT, new WhichThread(), new Crash(), new WhichThread());
            Outcome crashed = outcomes.get(1);
            assertThat(crashed.failure()).isInstanceOf(CallException.class).hasMessageContaining("asked to crash");
            assertThat(outcomes.get(2).failure()).isInstanceOf(CallException.class);
            assertThat(node.info(server)).isNull();
            return crashed.failure().getMessage().contains("on thread " + crashed.callerThread() + ";");
        });
    }

    @Test
    void aChainOfServersDeeperThanTheNestingBoundStillAnswers() {
        Pid last = node.spawn(() -> new Server(true));
        Object request = new WhichThread();
        Pid head = last;
        for (int i = 0; i < 8; i++) {
            Pid next = head;
            head = node.spawn(() -> new Server(true));
            request = new Forward(next, request);
        }
        List<Outcome> outcomes = callFromProcess(head, WAIT, times(20, request));
        assertThat(outcomes).allMatch(o -> o.failure() == null && o.reply() instanceof Boolean);
    }

    @Test
    void processInfoStillShowsTheServerAlive() {
        Pid server = node.spawn(() -> new Server(true));
        callFromProcess(server, WAIT, times(10, new WhichThread()));
        ProcessInfo info = node.info(server);
        assertThat(info).isNotNull();
        assertThat(info.messageQueueLength()).isZero();
    }
}
