package io.ergon.net.internal;

import io.ergon.net.Rpc;
import io.ergon.node.Actor;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the spawn requests other nodes send here ({@code SPAWN_REQUEST}): {@code erpc:execute_call/4} (how
 * {@code rpc:call} and {@code erpc:call} arrive since OTP 23) runs a registered function; any other
 * {@code {M, F, A}} is spawned only if the node granted a permission for {@code {M, F}}, else refused with
 * {@code not_allowed}. The reply goes out before the new process can send anything.
 */
final class Spawns {
    private static final Logger LOG = LoggerFactory.getLogger(Spawns.class);
    static final Atom NOT_ALLOWED = Atom.of("not_allowed");
    private static final Atom BADOPT = Atom.of("badopt");
    private static final Atom ERPC = Atom.of("erpc");
    private static final Atom EXECUTE_CALL = Atom.of("execute_call");
    private static final Atom LINK = Atom.of("link");
    private static final Atom MONITOR = Atom.of("monitor");

    private Spawns() {
    }

    @SuppressWarnings("unchecked")
    static void request(Distribution dist, Connection c, Tuple control, Object payload) {
        Ref reqId = (Ref) control.get(1);
        Pid from = (Pid) control.get(2);
        Tuple mfa = (Tuple) control.get(4);
        Atom module = (Atom) mfa.get(0);
        Atom function = (Atom) mfa.get(1);
        if (!(payload instanceof List<?> argList) || !(control.get(5) instanceof List<?> options)) {
            reply(dist, c, reqId, from, 0, BADOPT);
            return;
        }
        List<Object> args = (List<Object>) argList;
        boolean link = false;
        boolean monitor = false;
        for (Object o : options) {
            if (o == LINK) {
                link = true;
            } else if (o == MONITOR || (o instanceof Tuple t && t.size() == 2 && t.get(0) == MONITOR)) {
                monitor = true;
            }
        }
        Rpc rpc = dist.rpc();
        Supplier<? extends Actor> factory;
        if (module == ERPC && function == EXECUTE_CALL && args.size() == 4 && args.get(1) instanceof Atom m
                && args.get(2) instanceof Atom f && args.get(3) instanceof List<?> a) {
            factory = () -> new ErpcCall(rpc, dist.records(), args.get(0), m, f, (List<Object>) a);
        } else {
            Rpc.SpawnFactory permitted = rpc == null ? null : rpc.spawnPermission(module, function);
            if (permitted == null) {
                LOG.info("{} asked to spawn {}:{}/{}, which this node does not allow", from, module.name(),
                        function.name(), args.size());
                reply(dist, c, reqId, from, 0, NOT_ALLOWED);
                return;
            }
            factory = () -> permitted.create(args);
        }
        int flags = (link ? Control.SPAWN_LINKED : 0) | (monitor ? Control.SPAWN_MONITORED : 0);
        boolean linked = link;
        Ref monitorRef = monitor ? reqId : null;
        // init may block or call back across this very connection: run it off the connection's reader
        Thread.ofVirtual().name("ergon-remote-spawn").start(() -> {
            try {
                dist.node().spawnFor(factory, from, linked, monitorRef, pid -> {
                    if (flags != 0) {
                        c.involve(pid);
                    }
                    reply(dist, c, reqId, from, flags, pid);
                });
            } catch (RuntimeException e) {
                LOG.warn("spawning {}:{} for {} failed: {}", module.name(), function.name(), from, e.toString());
                reply(dist, c, reqId, from, 0, Atom.of("system_limit"));
            }
        });
    }

    private static void reply(Distribution dist, Connection c, Ref reqId, Pid to, int flags, Object result) {
        dist.send(c, to, new Control.Encoded(Tuple.of(Control.SPAWN_REPLY, reqId, to, flags, result), null));
    }
}
