package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.ergon.node.Actor;
import io.ergon.node.CallException;
import io.ergon.node.CallTimeoutException;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.node.ProcessStatus;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call from a process to an idle local server runs the server's activation nested in the caller's, in a
 * continuation of its own (the scheduler's {@code runCallee}), instead of suspending the caller and resuming it after
 * the server. The server is then a process like any other: it may wait in a receive (it suspends alone, and its
 * caller waits, times out and takes exit signals as usual), crash (the call fails with its reason), call further
 * servers. Its caller counts as running until it waits in its receive for the reply.
 */
class NestedCalleeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Node node = Node.start("nested_callee_test@localhost");
    private final TestProbe probe = TestProbe.create(node);

    @AfterEach
    void stop() {
        probe.close();
        node.close();
    }

    /** Whether the caller's handler is on this server's stack, with a continuation of the server's between them. */
    static boolean nestedInCaller() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames.anyMatch(f ->
                f.getMethodName().equals("handleMessage") && Actor.class.isAssignableFrom(f.getDeclaringClass())
                        && !GenServer.class.isAssignableFrom(f.getDeclaringClass())))
                && !CallerRunsTest.insideCaller();
    }

    record Where() {
    }

    /** Tells {@code reportTo} whether it runs nested, then waits for {@code message}. */
    record WaitFor(Object message, Pid reportTo) {
    }

    /** Tells {@code reportTo} whether it runs nested, then runs (never waiting) until released. */
    record SpinUntil(AtomicBoolean released, Pid reportTo) {
    }

    record Forward(Pid next, Object request) {
    }

    /** Tells {@code reportTo} whether it runs nested, then throws. */
    record Crash(Pid reportTo) {
    }

    private static final AtomicReference<Throwable> lastCrash = new AtomicReference<>();

    /** A server of the default kind (it does not declare {@code callerRuns}). */
    static final class Server extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return switch (request) {
                case Where w -> nestedInCaller();
                case WaitFor w -> {
                    send(w.reportTo(), nestedInCaller());
                    receive(m -> m.equals(w.message()), null);
                    yield "waited";
                }
                case SpinUntil s -> {
                    send(s.reportTo(), nestedInCaller());
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!s.released().get() && System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    yield "released";
                }
                case Forward f -> call(f.next(), f.request());
                case Crash c -> {
                    send(c.reportTo(), nestedInCaller());
                    IllegalStateException crash = new IllegalStateException("asked to crash");
                    lastCrash.set(crash);
                    throw crash;
                }
                default -> request;
            };
        }
    }

    /** A process that makes one call when told to and reports the reply or the exception to the probe. */
    private Pid caller(Pid server, Object request, Duration timeout) {
        return node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                try {
                    send(probe.pid(), call(server, request, timeout));
                } catch (RuntimeException e) {
                    send(probe.pid(), e);
                }
            }
        });
    }

    /** Runs {@code attempt} up to 20 times until it answers true (the caller was preempted before its call ran it). */
    private static void untilNested(Supplier<Boolean> attempt) {
        assumeContinuations();
        for (int i = 0; i < 20; i++) {
            if (attempt.get()) {
                return;
            }
        }
        fail("in 20 tries, no call ran its idle server nested in the caller");
    }

    /** Nesting needs the JDK's continuations, which the suite's second run of these tests turns off. */
    private static void assumeContinuations() {
        assumeFalse("false".equals(System.getProperty("ergon.continuations")),
                "workers park instead of suspending (-Dergon.continuations=false): no callee runs nested");
    }

    @Test
    void aCallRunsItsIdleServerNestedInTheCallersActivation() {
        assumeContinuations();
        Pid server = node.spawn(Server::new);
        int nested = 0;
        for (int i = 0; i < 50; i++) {
            node.send(caller(server, new Where(), WAIT), "go");
            if (probe.receiveMessage() == Boolean.TRUE) {
                nested++;
            }
        }
        assertThat(nested).isPositive(); // not every time: a caller the monitor preempts hands over as before
    }

    @Test
    void aNestedServerThatWaitsSuspendsAloneAndItsCallerTimesOut() {
        untilNested(() -> {
            Pid server = node.spawn(Server::new);
            node.send(caller(server, new WaitFor("go", probe.pid()), Duration.ofMillis(200)), "go");
            boolean nested = probe.receiveMessage() == Boolean.TRUE;
            assertThat(probe.receiveMessage()).isInstanceOf(CallTimeoutException.class);
            assertThat(node.info(server).status()).isEqualTo(ProcessStatus.WAITING);
            releaseAndCallAgain(server); // its late reply goes into the void
            return nested;
        });
    }

    /** Lets {@code server} out of its wait for "go", and checks that it goes on and serves the next call. */
    private void releaseAndCallAgain(Pid server) {
        node.send(server, "go");
        node.send(caller(server, "ping", WAIT), "go");
        assertThat(probe.receiveMessage()).isEqualTo("ping");
    }

    @Test
    void aCallerWhoseNestedServerWaitsTakesAnExitSignal() {
        untilNested(() -> {
            Pid server = node.spawn(Server::new);
            Pid caller = caller(server, new WaitFor("go", probe.pid()), null); // waits for ever
            probe.watch(caller);
            node.send(caller, "go");
            boolean nested = probe.receiveMessage() == Boolean.TRUE;
            Awaitility.await().atMost(WAIT).until(() -> node.info(server).status() == ProcessStatus.WAITING
                    && node.info(caller).status() == ProcessStatus.WAITING);
            node.exit(caller, Reasons.KILL);
            assertThat(probe.expectTerminated(caller)).isEqualTo(Reasons.KILLED);
            releaseAndCallAgain(server);
            return nested;
        });
    }

    @Test
    void aKillReachesACallerOnceTheServerItRunsNestedLetsGo() {
        untilNested(() -> {
            Pid server = node.spawn(Server::new);
            AtomicBoolean released = new AtomicBoolean();
            Pid caller = caller(server, new SpinUntil(released, probe.pid()), WAIT);
            probe.watch(caller);
            node.send(caller, "go");
            boolean nested;
            try {
                nested = probe.receiveMessage() == Boolean.TRUE;
                Awaitility.await().atMost(WAIT).until(() -> node.info(server).status() == ProcessStatus.RUNNABLE);
                // a kill while the server runs on the caller's stack takes effect once the server lets go
                node.exit(caller, Reasons.KILL);
            } finally {
                released.set(true);
            }
            assertThat(probe.expectTerminated(caller)).isEqualTo(Reasons.KILLED);
            assertThat(node.info(server)).isNotNull();
            return nested;
        });
    }

    @Test
    void aNestedServerThatCrashesFailsTheCallWithItsReasonAndReportsItsOwnFrames() {
        untilNested(() -> {
            Pid server = node.spawn(Server::new);
            Pid caller = caller(server, new Crash(probe.pid()), WAIT);
            node.send(caller, "go");
            boolean nested = probe.receiveMessage() == Boolean.TRUE;
            assertThat(probe.receiveMessage()).isInstanceOfSatisfying(CallException.class,
                    e -> assertThat(e.failure().toString()).contains("asked to crash"));
            assertThat(node.info(caller)).isNotNull(); // the caller lives on: only its call failed
            // its crash report shows the server's frames, not those of the caller it ran nested in
            assertThat(lastCrash.get().getStackTrace()).noneMatch(f -> f.getClassName().startsWith(
                    NestedCalleeTest.class.getName() + "$") && f.getMethodName().equals("handleMessage"));
            return nested;
        });
    }

    @Test
    void aChainOfCallsDeeperThanTheNestingLimitIsAnswered() {
        Pid last = node.spawn(Server::new);
        Object request = "deep";
        Pid first = last;
        for (int i = 0; i < 10; i++) {
            Pid next = first;
            first = node.spawn(Server::new);
            request = new Forward(next, request);
        }
        for (int i = 0; i < 20; i++) {
            node.send(caller(first, request, WAIT), "go");
            assertThat(probe.receiveMessage()).isEqualTo("deep");
        }
        assertThat((Object) node.call(last, Atom.of("still_here"))).isEqualTo(Atom.of("still_here"));
    }
}
