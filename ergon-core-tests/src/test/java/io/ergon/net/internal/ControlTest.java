package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.etf.EtfBuffer;
import io.ergon.etf.EtfDecoder;
import io.ergon.etf.EtfEncoder;
import io.ergon.node.Name;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The control messages Ergon sends, checked against the tuple shapes of OTP's distribution protocol
 * (erl_dist_protocol, "Protocol between connected nodes"), after a trip through the term encoder and decoder as
 * they travel. What incoming ones do is ControlDispatchTest's.
 */
class ControlTest {
    private static final Atom NODE = Atom.of("here@host");
    private static final Pid FROM = new Pid(NODE, 1, 0, 3);
    private static final Pid TO = new Pid(Atom.of("peer@host"), 2, 0, 4);
    private static final Pid SYSTEM = new Pid(NODE, 0, 0, 3);
    private static final Ref REF = new Ref(NODE, 3, 1, 2, 3);

    /** What the peer decodes: the control tuple and payload, integers as longs. */
    private static Object[] wire(Control.Encoded e) throws Exception {
        EtfEncoder enc = new EtfEncoder();
        EtfDecoder dec = new EtfDecoder();
        Object control = dec.decode(enc.encode(e.control()), 0, enc.encode(e.control()).length, true, null).term();
        Object payload = e.payload() == null ? null
                : dec.decode(enc.encode(e.payload()), 0, enc.encode(e.payload()).length, true, null).term();
        return new Object[] {control, payload};
    }

    private static void assertWire(Control.Encoded e, Tuple control, Object payload) throws Exception {
        Object[] w = wire(e);
        assertThat(w[0]).isEqualTo(control);
        assertThat(w[1]).isEqualTo(payload);
    }

    @Test
    void sendIsOpTwoWithAnEmptyAtomAndThePayload() throws Exception {
        assertWire(Control.send(TO, Atom.of("msg")), Tuple.of(2L, Atom.of(""), TO), Atom.of("msg"));
    }

    @Test
    void regSendNamesTheTarget() throws Exception {
        assertWire(Control.regSend(FROM, Atom.of("rex"), 1L), Tuple.of(6L, FROM, Atom.of(""), Atom.of("rex")), 1L);
    }

    @Test
    void link() throws Exception {
        assertWire(Control.link(FROM, TO), Tuple.of(1L, FROM, TO), null);
    }

    @Test
    void exitsWithoutPayloadExitsCarryTheReasonInTheTuple() throws Exception {
        Atom reason = Atom.of("boom");
        assertWire(Control.exit(false, FROM, TO, reason, true), Tuple.of(3L, FROM, TO, reason), null);
        assertWire(Control.exit(false, FROM, TO, reason, false), Tuple.of(8L, FROM, TO, reason), null);
    }

    @Test
    void payloadExitsCarryTheReasonAsPayload() throws Exception {
        Atom reason = Atom.of("boom");
        assertWire(Control.exit(true, FROM, TO, reason, true), Tuple.of(24L, FROM, TO), reason);
        assertWire(Control.exit(true, FROM, TO, reason, false), Tuple.of(26L, FROM, TO), reason);
    }

    @Test
    void unlinkIdAndItsAck() throws Exception {
        assertWire(Control.unlinkId(FROM, TO, 77), Tuple.of(35L, 77L, FROM, TO), null);
        assertWire(Control.unlinkAck(FROM, TO, 77), Tuple.of(36L, 77L, FROM, TO), null);
    }

    @Test
    void monitorAndDemonitorByPidAndByName() throws Exception {
        assertWire(Control.monitor(FROM, TO, REF), Tuple.of(19L, FROM, TO, REF), null);
        assertWire(Control.demonitor(FROM, TO, REF), Tuple.of(20L, FROM, TO, REF), null);
        assertWire(Control.monitorName(FROM, Atom.of("srv"), REF), Tuple.of(19L, FROM, Atom.of("srv"), REF), null);
        assertWire(Control.demonitorName(FROM, Atom.of("srv"), REF), Tuple.of(20L, FROM, Atom.of("srv"), REF), null);
    }

    @Test
    void downNamesTheMonitoredProcessByPidOrByName() throws Exception {
        Atom reason = Atom.of("noproc");
        assertWire(Control.down(false, TO, REF, FROM, reason), Tuple.of(21L, FROM, TO, REF, reason), null);
        assertWire(Control.down(true, TO, REF, FROM, reason), Tuple.of(28L, FROM, TO, REF), reason);
        Name byName = new Name(Atom.of("srv"), NODE);
        assertWire(Control.down(false, TO, REF, byName, reason),
                Tuple.of(21L, Atom.of("srv"), TO, REF, reason), null);
    }

    @Test
    void aliasSend() throws Exception {
        assertWire(Control.aliasSend(FROM, REF, 5L), Tuple.of(33L, FROM, REF), 5L);
        // a reply to an alias of a remote caller goes from the node's system process (see RemoteSignalRouterTest)
        assertWire(Control.aliasSend(SYSTEM, REF, 5L), Tuple.of(33L, SYSTEM, REF), 5L);
    }

    @Test
    void spawnRequestAndReplyShapes() throws Exception {
        // built by Routing.spawnRequest and Spawns; the opcodes and shapes are the protocol's
        Tuple mfa = Tuple.of(Atom.of("erlang"), Atom.of("node"), 0L);
        Control.Encoded request = new Control.Encoded(Tuple.of(Control.SPAWN_REQUEST, REF, FROM, FROM, mfa,
                List.of()), List.of());
        assertWire(request, Tuple.of(29L, REF, FROM, FROM, mfa, List.of()), List.of());
        Control.Encoded reply = new Control.Encoded(Tuple.of(Control.SPAWN_REPLY, REF, TO, 1, FROM), null);
        assertWire(reply, Tuple.of(31L, REF, TO, 1L, FROM), null);
    }

    @Test
    void theOpcodesAreOtps() {
        assertThat(new int[] {Control.LINK, Control.SEND, Control.EXIT, Control.UNLINK, Control.REG_SEND,
                Control.GROUP_LEADER, Control.EXIT2, Control.SEND_TT, Control.EXIT_TT, Control.REG_SEND_TT,
                Control.EXIT2_TT, Control.MONITOR_P, Control.DEMONITOR_P, Control.MONITOR_P_EXIT,
                Control.SEND_SENDER, Control.SEND_SENDER_TT, Control.PAYLOAD_EXIT, Control.PAYLOAD_EXIT_TT,
                Control.PAYLOAD_EXIT2, Control.PAYLOAD_EXIT2_TT, Control.PAYLOAD_MONITOR_P_EXIT,
                Control.SPAWN_REQUEST, Control.SPAWN_REQUEST_TT, Control.SPAWN_REPLY, Control.SPAWN_REPLY_TT,
                Control.ALIAS_SEND, Control.ALIAS_SEND_TT, Control.UNLINK_ID, Control.UNLINK_ID_ACK})
                .containsExactly(1, 2, 3, 4, 6, 7, 8, 12, 13, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
                        30, 31, 32, 33, 34, 35, 36);
    }

    @Test
    void aControlMessageThatIsNoOpcodeTupleIsAProtocolError() {
        assertThatThrownBy(() -> Control.dispatch(null, null, new FrameReader.Message(Atom.of("x"), null)))
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("not a tuple starting with an opcode");
        assertThatThrownBy(() -> Control.dispatch(null, null, new FrameReader.Message(Tuple.of(Atom.of("x")), null)))
                .isInstanceOf(FrameReader.ProtocolException.class);
    }
}
