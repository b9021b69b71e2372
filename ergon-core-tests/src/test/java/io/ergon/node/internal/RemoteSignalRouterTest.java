package io.ergon.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Name;
import io.ergon.node.spi.RemoteSignals;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each signal for another node reaches the distribution layer as the {@link RemoteSignals} call it stands for. */
class RemoteSignalRouterTest {
    private static final Atom HERE = Atom.of("here@host");
    private static final Pid FROM = new Pid(HERE, 1, 0, 3);
    private static final Pid TO = new Pid(Atom.of("peer@host"), 2, 0, 4);
    private static final Ref REF = new Ref(HERE, 3, 1, 2, 3);

    private final List<List<Object>> calls = new ArrayList<>();
    private final RemoteRouter router = new RemoteSignalRouter((RemoteSignals) Proxy.newProxyInstance(
            RemoteSignals.class.getClassLoader(), new Class<?>[] {RemoteSignals.class}, (proxy, method, args) -> {
                List<Object> call = new ArrayList<>();
                call.add(method.getName());
                call.addAll(Arrays.asList(args));
                calls.add(call);
                return null;
            }));

    private List<Object> routed(Object item) {
        calls.clear();
        router.route(null, TO, item);
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    @Test
    void messagesAndSignalsBecomeTheirCalls() {
        Atom reason = Atom.of("boom");
        assertThat(routed("hello")).containsExactly("send", TO, "hello");
        assertThat(routed(new Signal.Link(FROM))).containsExactly("link", FROM, TO);
        assertThat(routed(new Signal.Exit(FROM, reason, true))).containsExactly("exit", FROM, TO, reason, true);
        assertThat(routed(new Signal.Exit(FROM, reason, false))).containsExactly("exit", FROM, TO, reason, false);
        assertThat(routed(new Signal.UnlinkId(FROM, 7))).containsExactly("unlink", FROM, TO, 7L);
        assertThat(routed(new Signal.UnlinkAck(FROM, 7))).containsExactly("unlinkAck", FROM, TO, 7L);
        assertThat(routed(new Signal.Monitor(FROM, REF, null))).containsExactly("monitor", FROM, TO, REF);
        assertThat(routed(new Signal.Demonitor(FROM, REF))).containsExactly("demonitor", FROM, TO, REF);
        Name byName = new Name(Atom.of("srv"), HERE);
        assertThat(routed(new Signal.Down(REF, byName, reason))).containsExactly("down", TO, REF, byName, reason);
    }

    @Test
    void nodeLocalSignalsDoNotTravel() {
        router.route(null, TO, new Signal.NodeDown(Atom.of("x@y")));
        router.route(null, TO, new Signal.Shutdown(Atom.of("normal")));
        router.route(null, TO, new Signal.SpawnReply(REF, 0, Atom.of("noconnection")));
        assertThat(calls).isEmpty();
    }

    @Test
    void namedAndSpawnRequestsPassThrough() {
        Name srv = new Name(Atom.of("srv"), TO.node());
        router.sendToName(null, FROM, srv, 1L);
        router.monitorName(null, FROM, srv, REF);
        router.demonitorName(null, FROM, srv, REF);
        router.sendToAlias(null, FROM, REF, 2L);
        router.spawnRequest(null, FROM, TO.node(), REF, Atom.of("m"), Atom.of("f"), List.of(), List.of());
        assertThat(calls).extracting(c -> c.get(0))
                .containsExactly("sendToName", "monitorName", "demonitorName", "sendToAlias", "spawnRequest");
    }
}
