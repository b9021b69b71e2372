package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.CrashReason;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GenEvent's manager with Java handlers: the order handlers see events in, calls, crashes, removal, deletion, swaps,
 * supervised handlers and stopping, each with OTP's answers. {@link GenEventInteropTest} checks the same against a
 * real Erlang manager.
 */
class GenEventTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Atom ERROR = Atom.of("error");
    private final Node node = Node.start("gen_event_test@localhost");
    private final List<String> trace = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        node.close();
    }

    private EventManagerClient managerWithTwoLogs() {
        Pid manager = GenEvent.start(node, "events");
        EventManagerClient events = GenEvent.client(node, manager);
        events.addHandler(Atom.of("first"), () -> new EventLog(trace), "first");
        events.addHandler(Atom.of("second"), () -> new EventLog(trace), "second");
        return events;
    }

    @Test
    void everyHandlerGetsEachEventTheMostRecentlyAddedFirst() {
        EventManagerClient events = managerWithTwoLogs();
        events.notify(Atom.of("a"));
        events.syncNotify(Atom.of("b"));
        assertThat(trace).containsExactly("second:a", "first:a", "second:b", "first:b");
        assertThat(events.whichHandlers()).containsExactly(Atom.of("second"), Atom.of("first"));
        assertThat(events.call(Atom.of("first"), Atom.of("seen"))).isEqualTo(List.of(Atom.of("a"), Atom.of("b")));
        assertThat(events.call(Atom.of("nobody"), Atom.of("seen"))).isEqualTo(Tuple.of(ERROR, Atom.of("bad_module")));
    }

    @Test
    void aHandlerThatCrashesIsTakenOutAndTheOthersGoOn() {
        EventManagerClient events = managerWithTwoLogs();
        events.syncNotify(Atom.of("crash"));
        events.syncNotify(Atom.of("after"));
        assertThat(events.whichHandlers()).isEmpty();
        assertThat(trace).hasSize(2).allMatch(line -> line.contains("terminated: {error,{'EXIT',"));
        Pid manager = node.whereis("events");
        EventManagerClient again = GenEvent.client(node, manager);
        again.addHandler(Atom.of("calm"), () -> new EventLog(trace), "calm");
        Object reply = again.call(Atom.of("calm"), Atom.of("unknown"));
        assertThat(reply).as("a handler that crashes in a call: {error, {'EXIT', Reason}}, and it is taken out")
                .isInstanceOf(Tuple.class);
        assertThat(((Tuple) reply).get(0)).isEqualTo(ERROR);
        assertThat(((Tuple) ((Tuple) reply).get(1)).get(1)).isInstanceOf(CrashReason.class);
        assertThat(again.whichHandlers()).isEmpty();
        assertThat(node.isAlive(manager)).isTrue();
    }

    @Test
    void deleteReturnsWhatTerminateReturnsAndAHandlerCanLeaveByItself() {
        EventManagerClient events = managerWithTwoLogs();
        events.syncNotify(Atom.of("x"));
        assertThat(events.deleteHandler(Atom.of("first"), Atom.of("bye")))
                .isEqualTo(Tuple.of(Atom.of("terminated"), "first", Atom.of("bye"), 1L));
        assertThat(events.deleteHandler(Atom.of("first"), Atom.of("bye")))
                .isEqualTo(Tuple.of(ERROR, Atom.of("module_not_found")));
        events.syncNotify(Atom.of("leave"));
        assertThat(events.whichHandlers()).isEmpty();
        assertThat(trace).contains("second terminated: remove_handler");
    }

    /** A handler swapped in: it keeps what its predecessor's terminate gave it. */
    static final class Successor extends EventHandler {
        volatile Object initArgs;

        @Override
        protected void init(Object args) {
            initArgs = args;
        }

        @Override
        protected Object handleCall(Object request) {
            return initArgs;
        }
    }

    @Test
    void aSwapPassesTheOldHandlersTerminateResultToTheNewOnesInit() {
        EventManagerClient events = managerWithTwoLogs();
        events.syncNotify(Atom.of("x"));
        events.swapHandler(Atom.of("first"), Atom.of("swapping"), Atom.of("next"), Successor::new, Atom.of("args2"));
        assertThat(events.whichHandlers()).containsExactly(Atom.of("next"), Atom.of("second"));
        assertThat(events.call(Atom.of("next"), Atom.of("what"))).isEqualTo(Tuple.of(Atom.of("args2"),
                Tuple.of(Atom.of("terminated"), "first", Atom.of("swapping"), 1L)));
        assertThatThrownBy(() -> events.addHandler(Atom.of("bad"), () -> new EventHandler() {
            @Override
            protected void init(Object args) {
                throw new IllegalArgumentException("no");
            }
        }, null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("'EXIT'");
    }

    @Test
    void aSupervisedHandlerReportsHowItLeftAndLeavesWhenItsOwnerDies() throws Exception {
        Pid manager = GenEvent.start(node, "events");
        try (Mailbox owner = node.mailbox()) {
            EventManagerClient events = GenEvent.client(owner, manager);
            events.addSupHandler(Atom.of("watched"), () -> new EventLog(trace), "watched");
            events.syncNotify(Atom.of("crash"));
            Object exit = owner.receive(m -> m instanceof Tuple t && t.get(0) == Atom.of("gen_event_EXIT"), WAIT);
            assertThat(((Tuple) exit).get(1)).isEqualTo(Atom.of("watched"));
            assertThat(((Tuple) ((Tuple) exit).get(2)).get(0)).isEqualTo(Atom.of("EXIT"));

            events.addSupHandler(Atom.of("watched"), () -> new EventLog(trace), "watched");
            events.deleteHandler(Atom.of("watched"), Atom.of("done"));
            assertThat(owner.receive(m -> m instanceof Tuple t && t.get(0) == Atom.of("gen_event_EXIT"), WAIT))
                    .isEqualTo(Tuple.of(Atom.of("gen_event_EXIT"), Atom.of("watched"), Atom.of("normal")));
            events.addSupHandler(Atom.of("watched"), () -> new EventLog(trace), "watched2");
        }
        // the owner's mailbox closed: the manager hears its exit and takes the handler out with {stop, Reason}
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> GenEvent.client(node, manager).whichHandlers()
                .isEmpty());
        assertThat(trace).anyMatch(l -> l.startsWith("watched2 terminated: {stop,"));
    }

    @Test
    void stopTerminatesEveryHandlerWithStopAndTheManagerExitsNormally() throws Exception {
        EventManagerClient events = managerWithTwoLogs();
        Pid manager = node.whereis("events");
        try (Mailbox probe = node.mailbox()) {
            probe.monitor(manager);
            events.stop();
            assertThat(((Down) probe.receive(m -> m instanceof Down, WAIT)).reason()).isEqualTo(Atom.of("normal"));
        }
        assertThat(trace).containsExactly("second terminated: stop", "first terminated: stop");
        assertThatThrownBy(events::stop).as("gen_event:stop of a manager that is gone exits noproc")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no event manager");
    }

    @Test
    void javaHandlersGoOnlyToManagersOfThisNode() {
        assertThatThrownBy(() -> GenEvent.client(node, io.ergon.node.Name.of("events", "other@host"))
                .addHandler(Atom.of("h"), () -> new EventLog(trace), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only to a manager on this node");
    }
}
