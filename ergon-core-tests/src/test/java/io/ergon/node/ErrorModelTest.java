package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.ApplicationException;
import io.ergon.gen.SupervisorException;
import io.ergon.net.Rpc;
import io.ergon.net.RpcException;
import io.ergon.term.Atom;
import io.ergon.term.ErlangException;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The error model the README promises: every reason-carrying exception is an unchecked ErlangException. */
class ErrorModelTest {
    private static final Atom REASON = Atom.of("some_reason");

    @Test
    void everyReasonCarryingExceptionIsAnUncheckedErlangExceptionWithItsReason() {
        List<ErlangException> all = List.of(
                new ExitException(REASON),
                new SpawnException(REASON, null),
                new SupervisorException("start_child", REASON, null),
                new ApplicationException("start", REASON, null),
                new RpcException(RpcException.Kind.EXIT, REASON, null),
                new Rpc.Throw(REASON));
        for (ErlangException e : all) {
            assertThat(e).as(e.getClass().getName()).isInstanceOf(RuntimeException.class);
            assertThat(e.reason()).as(e.getClass().getName()).isEqualTo(REASON);
        }
    }

    @Test
    void aFailedCallCarriesGenServersExitShape() {
        CallException e = new CallException(Atom.of("noproc"), REASON, "req", Duration.ofMillis(5));
        assertThat(e).isInstanceOf(ErlangException.class);
        assertThat(e.failure()).isEqualTo(Atom.of("noproc"));
        assertThat(e.reason()).isEqualTo(Tuple.of(Atom.of("noproc"),
                Tuple.of(Atom.of("gen_server"), Atom.of("call"), List.of(REASON, "req", 5L))));
    }

    @Test
    void aSendToANameThatIsNotRegisteredIsBadargFromTheNodeAMailboxAndAnActor() {
        try (Node node = Node.start("badarg@localhost", NodeOptions.defaults().distributed(false));
             Mailbox me = node.mailbox()) {
            BadArgumentException fromNode = org.junit.jupiter.api.Assertions.assertThrows(BadArgumentException.class,
                    () -> node.send("nobody_here", "hi"));
            assertThat(fromNode).isInstanceOf(ErlangException.class).isInstanceOf(RuntimeException.class);
            assertThat(fromNode.reason()).isEqualTo(Atom.of("badarg"));
            assertThat(fromNode).hasMessageContaining("badarg").hasMessageContaining("nobody_here");

            BadArgumentException fromMailbox = org.junit.jupiter.api.Assertions.assertThrows(
                    BadArgumentException.class, () -> me.send(Name.of("nobody_here", node.name().name()), "hi"));
            assertThat(fromMailbox.reason()).isEqualTo(Atom.of("badarg"));

            node.spawn(() -> new Actor() {
                @Override
                protected void init() {
                    try {
                        send("nobody_here", "hi");
                        send(me.pid(), "no exception");
                    } catch (BadArgumentException e) {
                        send(me.pid(), e.reason());
                    }
                }
            });
            assertThat(me.receive(Duration.ofSeconds(5))).isEqualTo(Atom.of("badarg"));
        }
    }

    @Test
    void aCallToANameThatIsNotRegisteredFailsAsAnErlangException() {
        try (Node node = Node.start("errors@localhost", NodeOptions.defaults().distributed(false))) {
            ErlangException e = org.junit.jupiter.api.Assertions.assertThrows(ErlangException.class,
                    () -> node.call("nobody_here", "hello", Duration.ofSeconds(1)));
            assertThat(e).isInstanceOf(CallException.class);
            assertThat(((CallException) e).failure()).isEqualTo(Atom.of("noproc"));
        }
    }
}
