package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

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

    /** Asks the server what thread its handler ran on. */
    record WhichThread() {
    }

    /** Makes the server wait in a receive (nothing comes) for the given time. */
    record Wait(long millis) {
    }

    /** Makes the server sleep (blocking outside Ergon) for the given time, then answer {@code slept}. */
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
                case WhichThread w -> Thread.currentThread();
                case Wait w -> {
                    receive(m -> false, Duration.ofMillis(w.millis()));
                    yield "waited";
                }
                case Sleep s -> {
                    Thread.sleep(s.millis());
                    yield "slept";
                }
                case Crash c -> throw new IllegalStateException("asked to crash");
                case Forward f -> call(f.next(), f.request());
                default -> request;
            };
        }
    }

    /** What one call gave the caller: the reply or the exception, and whether the caller's thread ran the server. */
    record Outcome(Object reply, RuntimeException failure, boolean ranOnCallerThread, long millis) {
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
                            outcomes.add(new Outcome(reply, null, reply == Thread.currentThread(),
                                    (System.nanoTime() - t0) / 1_000_000));
                        } catch (RuntimeException e) {
                            outcomes.add(new Outcome(null, e, false, (System.nanoTime() - t0) / 1_000_000));
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

    @Test
    void aServerThatAllowsItRunsOnItsCallersThread() {
        Pid server = node.spawn(() -> new Server(true));
        List<Outcome> outcomes = callFromProcess(server, WAIT, times(200, new WhichThread()));
        assertThat(outcomes).allMatch(o -> o.failure() == null && o.reply() instanceof Thread);
        // a call goes the usual way when the scheduler's monitor moved the woken server off the caller's worker
        // first (it does so for activations longer than a millisecond), so most, not all
        assertThat(onCallerThread(outcomes)).isGreaterThan(100);
    }

    @Test
    void byDefaultAServerNeverRunsOnItsCallersThread() {
        Pid server = node.spawn(() -> new Server(false));
        List<Outcome> outcomes = callFromProcess(server, WAIT, times(200, new WhichThread()));
        assertThat(outcomes).allMatch(o -> o.failure() == null && o.reply() instanceof Thread);
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
        Pid server = node.spawn(() -> new Server(true));
        assertThat(callFromProcess(server, WAIT, new Sleep(20)).get(0).reply()).isEqualTo("slept");
        assertThat(onCallerThread(callFromProcess(server, WAIT, times(50, new WhichThread())))).isPositive();
    }

    @Test
    void aServerThatRanLongOnItsCallersThreadsThreeTimesIsNotRunThereAgain() {
        Pid server = node.spawn(() -> new Server(true));
        List<Outcome> sleeps = callFromProcess(server, WAIT, new Sleep(20), new Sleep(20), new Sleep(20));
        assertThat(sleeps).allMatch(o -> "slept".equals(o.reply()));
        List<Outcome> after = callFromProcess(server, WAIT, times(50, new WhichThread()));
        assertThat(onCallerThread(after)).isZero();
    }

    @Test
    void aTimeoutThatExpiresWhileTheCallerRunsTheServerIsRaisedAndTheLateReplyDropped() {
        Pid server = node.spawn(() -> new Server(true));
        List<Outcome> outcomes = callFromProcess(server, Duration.ofMillis(50), new Sleep(300), new WhichThread());
        Outcome timedOut = outcomes.get(0);
        assertThat(timedOut.failure()).isInstanceOf(CallTimeoutException.class);
        // raised when the handler returned: late by its overrun, which the Javadoc of callerRuns() states
        assertThat(timedOut.millis()).isGreaterThanOrEqualTo(300);
        // the next call gets its own reply, not the stale one, and callFromProcess checks that no late reply came
        assertThat(outcomes.get(1).reply()).isInstanceOf(Thread.class);
    }

    @Test
    void aServerThatCrashesOnTheCallersThreadFailsTheCallAndLeavesTheCallerAlive() {
        Pid server = node.spawn(() -> new Server(true));
        List<Outcome> outcomes = callFromProcess(server, WAIT, new WhichThread(), new Crash(), new WhichThread());
        assertThat(outcomes.get(0).ranOnCallerThread()).isTrue();
        assertThat(outcomes.get(1).failure()).isInstanceOf(CallException.class)
                .hasMessageContaining("asked to crash");
        assertThat(outcomes.get(2).failure()).isInstanceOf(CallException.class);
        assertThat(node.info(server)).isNull();
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
        assertThat(outcomes).allMatch(o -> o.failure() == null && o.reply() instanceof Thread);
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
