package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Name;
import io.ergon.node.spi.LocalNode;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What each incoming control message does here: {@link Control#dispatch} against a recording {@link LocalNode} and
 * connection, one opcode at a time, in the tuple shapes of OTP's distribution protocol.
 */
class ControlDispatchTest {
    private static final Atom HERE = Atom.of("here@host");
    private static final Atom PEER = Atom.of("peer@host");
    private static final Pid LOCAL = new Pid(HERE, 5, 0, 1);
    private static final Pid REMOTE = new Pid(PEER, 9, 0, 2);
    private static final Pid ELSEWHERE = new Pid(Atom.of("third@host"), 1, 0, 1);
    private static final Ref REF = new Ref(PEER, 2, 1, 2, 3);
    private static final Atom REASON = Atom.of("boom");
    private static final Atom SRV = Atom.of("srv");

    private final List<List<Object>> calls = new ArrayList<>();
    private final LocalNode node = (LocalNode) Proxy.newProxyInstance(LocalNode.class.getClassLoader(),
            new Class<?>[] {LocalNode.class}, (proxy, method, args) -> switch (method.getName()) {
                case "name" -> HERE;
                case "isLocal" -> ((Pid) args[0]).node() == HERE;
                case "whereis" -> args[0] == SRV ? LOCAL : null;
                default -> {
                    record(method.getName(), args);
                    yield null;
                }
            });
    private boolean payloadExits = true;
    private final Control.Origin origin = new Control.Origin() {
        @Override
        public Atom peer() {
            return PEER;
        }

        @Override
        public void involve(Pid local) {
            record("involve", local);
        }

        @Override
        public boolean payloadExits() {
            return payloadExits;
        }

        @Override
        public void reply(Pid to, Control.Encoded e) {
            record("reply", to, e.control(), e.payload());
        }

        @Override
        public void spawnRequest(Tuple control, Object payload) {
            record("spawnRequest", control, payload);
        }

        @Override
        public Object inbound(Object message, int bytes) {
            record("inbound", message, bytes);
            return message;
        }
    };

    private void record(String what, Object... args) {
        List<Object> call = new ArrayList<>();
        call.add(what);
        call.addAll(Arrays.asList(args == null ? new Object[0] : args));
        calls.add(call);
    }

    private List<List<Object>> dispatch(Tuple control, Object payload) throws Exception {
        calls.clear();
        Control.dispatch(node, origin, new FrameReader.Message(control, payload, 100));
        calls.removeIf(c -> c.get(0).equals("inbound")); // what messagesAreChargedOnlyWhenWellFormed looks at
        return calls;
    }

    private static List<Object> call(Object... parts) {
        return Arrays.asList(parts);
    }

    @Test
    void messagesToPidsNamesAndAliases() throws Exception {
        assertThat(dispatch(Tuple.of(2L, Atom.of(""), LOCAL), "m")).containsExactly(call("send", LOCAL, "m"));
        assertThat(dispatch(Tuple.of(12L, Atom.of(""), LOCAL, Atom.of("token")), "m"))
                .containsExactly(call("send", LOCAL, "m"));
        assertThat(dispatch(Tuple.of(22L, REMOTE, LOCAL), "m")).containsExactly(call("send", LOCAL, "m"));
        assertThat(dispatch(Tuple.of(6L, REMOTE, Atom.of(""), SRV), "m"))
                .containsExactly(call("sendToName", REMOTE, SRV, "m"));
        assertThat(dispatch(Tuple.of(33L, REMOTE, REF), "m")).containsExactly(call("sendToAlias", REF, "m"));
    }

    /**
     * A message for a local process is charged to the connection (inbound backpressure) once its control tuple has
     * proved well formed, never for a malformed one (the connection closes, and the charge would never come back)
     * nor for a pid of a third node.
     */
    @Test
    void messagesAreChargedOnlyWhenWellFormedAndForHere() throws Exception {
        for (Tuple control : List.of(Tuple.of(2L, Atom.of(""), LOCAL), Tuple.of(6L, REMOTE, Atom.of(""), SRV),
                Tuple.of(33L, REMOTE, REF))) {
            calls.clear();
            Control.dispatch(node, origin, new FrameReader.Message(control, "m", 100));
            assertThat(calls.get(0)).as("for %s", control).isEqualTo(call("inbound", "m", 100));
        }
        for (Tuple malformed : List.of(Tuple.of(2L, Atom.of(""), "not a pid"),
                Tuple.of(6L, REMOTE, Atom.of(""), "not an atom"), Tuple.of(33L, REMOTE, "not a ref"))) {
            calls.clear();
            assertThatThrownBy(() -> Control.dispatch(node, origin, new FrameReader.Message(malformed, "m", 100)))
                    .isInstanceOf(FrameReader.ProtocolException.class);
            assertThat(calls).as("for %s", malformed).isEmpty();
        }
        calls.clear();
        Control.dispatch(node, origin, new FrameReader.Message(Tuple.of(2L, Atom.of(""), ELSEWHERE), "m", 100));
        assertThat(calls).isEmpty();
    }

    @Test
    void aPeerCannotAddressAThirdNodesProcessesThroughUs() throws Exception {
        assertThat(dispatch(Tuple.of(2L, Atom.of(""), ELSEWHERE), "m")).isEmpty();
        assertThat(dispatch(Tuple.of(3L, REMOTE, ELSEWHERE, REASON), null)).isEmpty();
    }

    @Test
    void linksAndExitsInEveryForm() throws Exception {
        assertThat(dispatch(Tuple.of(1L, REMOTE, LOCAL), null))
                .containsExactly(call("involve", LOCAL), call("link", REMOTE, LOCAL));
        assertThat(dispatch(Tuple.of(3L, REMOTE, LOCAL, REASON), null))
                .containsExactly(call("exit", REMOTE, LOCAL, REASON, true));
        assertThat(dispatch(Tuple.of(13L, REMOTE, LOCAL, Atom.of("token"), REASON), null))
                .containsExactly(call("exit", REMOTE, LOCAL, REASON, true));
        assertThat(dispatch(Tuple.of(24L, REMOTE, LOCAL), REASON))
                .containsExactly(call("exit", REMOTE, LOCAL, REASON, true));
        assertThat(dispatch(Tuple.of(8L, REMOTE, LOCAL, REASON), null))
                .containsExactly(call("exit", REMOTE, LOCAL, REASON, false));
        assertThat(dispatch(Tuple.of(18L, REMOTE, LOCAL, Atom.of("token"), REASON), null))
                .containsExactly(call("exit", REMOTE, LOCAL, REASON, false));
        assertThat(dispatch(Tuple.of(26L, REMOTE, LOCAL), REASON))
                .containsExactly(call("exit", REMOTE, LOCAL, REASON, false));
        assertThat(dispatch(Tuple.of(35L, 7L, REMOTE, LOCAL), null)).containsExactly(call("unlink", REMOTE, LOCAL, 7L));
        assertThat(dispatch(Tuple.of(36L, 7L, REMOTE, LOCAL), null))
                .containsExactly(call("unlinkAck", REMOTE, LOCAL, 7L));
        assertThat(dispatch(Tuple.of(4L, REMOTE, LOCAL), null)).as("old UNLINK, gone in OTP 26").isEmpty();
    }

    @Test
    void monitorsByPidAndByName() throws Exception {
        assertThat(dispatch(Tuple.of(19L, REMOTE, LOCAL, REF), null))
                .containsExactly(call("involve", LOCAL), call("monitor", REMOTE, LOCAL, REF, null));
        assertThat(dispatch(Tuple.of(19L, REMOTE, SRV, REF), null))
                .containsExactly(call("involve", LOCAL), call("monitor", REMOTE, LOCAL, REF, SRV));
        assertThat(dispatch(Tuple.of(20L, REMOTE, LOCAL, REF), null))
                .containsExactly(call("demonitor", REMOTE, LOCAL, REF));
        assertThat(dispatch(Tuple.of(20L, REMOTE, SRV, REF), null))
                .containsExactly(call("demonitor", REMOTE, LOCAL, REF));
        assertThat(dispatch(Tuple.of(20L, REMOTE, Atom.of("nobody"), REF), null)).isEmpty();
    }

    @Test
    void aMonitorOfANameNobodyHasIsAnsweredAtOnceWithNoproc() throws Exception {
        Atom nobody = Atom.of("nobody");
        assertThat(dispatch(Tuple.of(19L, REMOTE, nobody, REF), null)).containsExactly(
                call("reply", REMOTE, Tuple.of(28, nobody, REMOTE, REF), Atom.of("noproc")));
        payloadExits = false;
        assertThat(dispatch(Tuple.of(19L, REMOTE, nobody, REF), null)).containsExactly(
                call("reply", REMOTE, Tuple.of(21, nobody, REMOTE, REF, Atom.of("noproc")), null));
    }

    @Test
    void downNamesTheMonitoredProcessByPidOrByNameOnThePeer() throws Exception {
        assertThat(dispatch(Tuple.of(21L, REMOTE, LOCAL, REF, REASON), null))
                .containsExactly(call("down", LOCAL, REF, REMOTE, REASON));
        assertThat(dispatch(Tuple.of(28L, SRV, LOCAL, REF), REASON))
                .containsExactly(call("down", LOCAL, REF, new Name(SRV, PEER), REASON));
    }

    @Test
    void spawnRequestsAndReplies() throws Exception {
        Tuple request = Tuple.of(29L, REF, REMOTE, REMOTE, Tuple.of(Atom.of("m"), Atom.of("f"), 0L), List.of());
        assertThat(dispatch(request, List.of())).containsExactly(call("spawnRequest", request, List.of()));
        assertThat(dispatch(Tuple.of(31L, REF, LOCAL, 2L, REMOTE), null))
                .containsExactly(call("involve", LOCAL), call("spawnReply", LOCAL, REF, 2, REMOTE));
        assertThat(dispatch(Tuple.of(31L, REF, LOCAL, 0L, Atom.of("not_allowed")), null))
                .containsExactly(call("spawnReply", LOCAL, REF, 0, Atom.of("not_allowed")));
    }

    @Test
    void unknownAndIgnoredOpcodesDoNothing() throws Exception {
        assertThat(dispatch(Tuple.of(7L, REMOTE, LOCAL), null)).isEmpty();
        assertThat(dispatch(Tuple.of(99L, REMOTE), null)).isEmpty();
    }

    @Test
    void malformedControlMessagesAreProtocolErrors() {
        assertThatThrownBy(() -> dispatch(Tuple.of(2L, Atom.of(""), LOCAL), null))
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("without its payload");
        assertThatThrownBy(() -> dispatch(Tuple.of(1L, Atom.of("not_a_pid"), LOCAL), null))
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("malformed control message");
        assertThatThrownBy(() -> dispatch(Tuple.of(3L, REMOTE), null))
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("malformed control message");
        assertThatThrownBy(() -> dispatch(Tuple.of(Atom.of("x")), null))
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("opcode");
    }
}
