package io.ergon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.gen.GenStatem;
import io.ergon.gen.StateEvent;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.gen.Transition;
import io.ergon.node.Actor;
import io.ergon.node.CallTimeoutException;
import io.ergon.node.Node;
import io.ergon.node.TimerRef;
import io.ergon.term.Pid;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Timeouts of minutes and hours, tested in milliseconds: each would take its full time on real time, and each fires
 * here only once the test moves the clock past it (the probe hears nothing just before). A test waits for the process
 * to be quiet before it moves the clock, so that the process has set its timeout by then.
 */
class ManualTimeTest {
    @RegisterExtension
    final ErgonExtension ergon = ErgonExtension.create().manualTime();

    @Test
    void sendAfterFiresOnlyWhenTheClockPassesItsDelay() {
        TestProbe probe = ergon.probe();
        ergon.node().sendAfter(probe.pid(), "ding", Duration.ofMinutes(10));
        ergon.time().expectNoMessageFor(Duration.ofMinutes(9).plusSeconds(59), Duration.ofMillis(50), probe);
        ergon.time().advance(Duration.ofSeconds(1));
        probe.expectMessage("ding");
    }

    @Test
    void timersDueInOneJumpFireInDeadlineOrder() {
        TestProbe probe = ergon.probe();
        Node node = ergon.node();
        node.sendAfter(probe.pid(), "third", Duration.ofMinutes(3));
        node.sendAfter(probe.pid(), "first", Duration.ofMinutes(1));
        node.sendAfter(probe.pid(), "second", Duration.ofMinutes(2));
        ergon.time().advance(Duration.ofHours(1));
        assertThat(probe.receiveMessages(3)).containsExactly("first", "second", "third");
    }

    @Test
    void aCancelledTimerNeverFires() {
        TestProbe probe = ergon.probe();
        TimerRef timer = ergon.node().sendAfter(probe.pid(), "never", Duration.ofSeconds(30));
        assertThat(timer.cancel()).isTrue();
        ergon.time().expectNoMessageFor(Duration.ofMinutes(1), Duration.ofMillis(50), probe);
        assertThat(timer.cancel()).isFalse();
    }

    /** A GenServer that reports its idle timeout of five minutes. */
    static final class Idle extends GenServer {
        private final Pid report;

        Idle(Pid report) {
            this.report = report;
        }

        @Override
        protected void init() {
            idleTimeout(Duration.ofMinutes(5));
        }

        @Override
        protected void handleInfo(Object message) {
            send(report, message);
        }
    }

    @Test
    void aGenServerIdleTimeoutOfFiveMinutes() {
        TestProbe probe = ergon.probe();
        ergon.awaitQuiet(ergon.node().spawn(() -> new Idle(probe.pid())));
        ergon.time().expectNoMessageFor(Duration.ofMinutes(4), Duration.ofMillis(50), probe);
        ergon.time().advance(Duration.ofMinutes(1));
        probe.expectMessage(GenServer.TIMEOUT);
    }

    enum Door { OPEN, LOCKED }

    /** A door that locks itself after an hour open (a state timeout), and reports it. */
    static final class AutoLock extends GenStatem<Door, Pid> {
        private final Pid report;

        AutoLock(Pid report) {
            this.report = report;
        }

        @Override
        protected Transition<Door, Pid> initialState() {
            return Transition.<Door, Pid>next(Door.OPEN, report).stateTimeout(Duration.ofHours(1), "lock");
        }

        @Override
        protected Transition<Door, Pid> handleEvent(StateEvent event, Door state, Pid data) {
            if (event instanceof StateEvent.StateTimeout(var content)) {
                send(data, content);
                return next(Door.LOCKED);
            }
            return keep();
        }
    }

    @Test
    void aGenStatemStateTimeoutOfAnHour() {
        TestProbe probe = ergon.probe();
        ergon.awaitQuiet(ergon.node().spawn(() -> new AutoLock(probe.pid())));
        ergon.time().expectNoMessageFor(Duration.ofMinutes(59), Duration.ofMillis(50), probe);
        ergon.time().advance(Duration.ofMinutes(1));
        probe.expectMessage("lock");
    }

    /** A server that never answers. */
    static final class Silent extends GenServer {
        @Override
        protected Object handleCall(Object request, io.ergon.node.From from) {
            return noReply();
        }
    }

    /** Calls {@code server} with a ten-minute timeout and reports how the call ended. */
    static final class Caller extends Actor {
        private final Pid server;
        private final Pid report;

        Caller(Pid server, Pid report) {
            this.server = server;
            this.report = report;
        }

        @Override
        protected void init() {
            send(self(), "go");
        }

        @Override
        protected void handleMessage(Object message) {
            try {
                call(server, "anyone there?", Duration.ofMinutes(10));
                send(report, "answered");
            } catch (CallTimeoutException e) {
                send(report, "timed out");
            }
        }
    }

    @Test
    void aProcessCallTimesOutWhenTheClockPassesItsTimeout() {
        TestProbe probe = ergon.probe();
        Pid server = ergon.node().spawn(Silent::new);
        ergon.awaitQuiet(ergon.node().spawn(() -> new Caller(server, probe.pid())));
        ergon.time().expectNoMessageFor(Duration.ofMinutes(9), Duration.ofMillis(100), probe);
        ergon.time().advance(Duration.ofMinutes(1));
        probe.expectMessage("timed out");
    }

    /** Waits in a receive with a timeout of a day and reports whether it timed out. */
    static final class Waiter extends Actor {
        private final Pid report;

        Waiter(Pid report) {
            this.report = report;
        }

        @Override
        protected void init() {
            send(self(), "wait");
        }

        @Override
        protected void handleMessage(Object message) {
            Object got = receive(m -> m.equals("never sent"), Duration.ofDays(1));
            send(report, got == null ? "after a day" : got);
        }
    }

    @Test
    void aReceiveAfterADay() {
        TestProbe probe = ergon.probe();
        ergon.awaitQuiet(ergon.node().spawn(() -> new Waiter(probe.pid())));
        ergon.time().expectNoMessageFor(Duration.ofHours(23), Duration.ofMillis(100), probe);
        ergon.time().advance(Duration.ofHours(1));
        probe.expectMessage("after a day");
    }

    /** A child that crashes when told. */
    static final class Fragile extends GenServer {
        @Override
        protected void handleCast(Object message) {
            throw new IllegalStateException("told to crash");
        }
    }

    @Test
    void aSupervisorsIntensityWindowRunsByTheClock() {
        Node node = ergon.node();
        TestProbe probe = ergon.probe();
        Pid sup = Supervisor.start(node, "sup", Supervisor.spec(Strategy.ONE_FOR_ONE)
                .intensity(1, Duration.ofHours(1)).child(ChildSpec.worker("fragile", Fragile::new)));
        probe.watch(sup);
        // one restart an hour is within the budget, however many hours: the window moves with the clock
        Pid child = childOf(node, sup, null);
        for (int hour = 0; hour < 3; hour++) {
            child = crash(node, sup, child, probe);
            ergon.time().advance(Duration.ofMinutes(61));
        }
        assertThat(node.isAlive(sup)).isTrue();
        // a second restart within the hour exceeds it
        child = crash(node, sup, child, probe);
        probe.watch(child);
        node.cast(child, "crash");
        assertThat(probe.expectTerminated(sup)).isEqualTo(io.ergon.term.Atom.of("shutdown"));
    }

    /** Crashes {@code child} and returns the supervisor's new one. */
    private static Pid crash(Node node, Pid sup, Pid child, TestProbe probe) {
        probe.watch(child);
        node.cast(child, "crash");
        probe.expectTerminated(child);
        return childOf(node, sup, child);
    }

    /** The supervisor's child once it is another than {@code old} (the supervisor may not have restarted it yet). */
    private static Pid childOf(Node node, Pid sup, Pid old) {
        long deadline = System.nanoTime() + TestProbe.DEFAULT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Pid pid = Supervisor.client(node, sup).whichChildren().get(0).pid();
            if (pid != null && !pid.equals(old)) {
                return pid;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the supervisor did not restart " + old);
    }

    @Test
    void timeDoesNotGoBack() {
        assertThatThrownBy(() -> ergon.time().advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
