package io.ergon.net.internal.global;

import io.ergon.node.Actor;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar (OTP's {@code the_registrar}): runs registrations one at a time under global's own lock
 * ({@code {global, Registrar}}) taken on every known node, so that a name is registered on all of them or on none,
 * and never while names are being exchanged with a connecting node ({@code trans_all_known/1}).
 */
final class GlobalRegistrar extends Actor {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalRegistrar.class);

    private final GlobalLocks locks;

    GlobalRegistrar(GlobalLocks locks) {
        this.locks = locks;
    }

    @Override
    protected void handleMessage(Object message) {
        if (message instanceof GlobalCalls.TransAllKnown t) {
            Object result;
            try {
                result = transAllKnown(t);
            } catch (RuntimeException e) {
                LOG.error("global: a registration failed", e);
                result = Tuple.of(GlobalTerms.EXIT, Reasons.of(e));
            }
            t.from().reply(result);
        } else if (!GlobalCalls.isLateReply(message)) {
            LOG.warn("The global_name_server registrar process received an unexpected message: {}", message);
        }
    }

    private Object transAllKnown(GlobalCalls.TransAllKnown t) {
        Tuple id = Tuple.of(GlobalTerms.GLOBAL, self());
        List<Atom> nodes = setLockKnown(id);
        try {
            return t.fun().apply(context(), nodes);
        } finally {
            Atom boss = GlobalTerms.max(nodes);
            GlobalCalls.delLock(context(), id, GlobalTerms.minus(nodes, List.of(boss)));
            GlobalCalls.delLock(context(), id, List.of(boss));
        }
    }

    /** OTP's {@code set_lock_known/2}: global's lock on the boss, then on all known nodes, until none were added. */
    private List<Atom> setLockKnown(Tuple id) {
        Atom self = node().name();
        for (int times = 0; ; times++) {
            List<Atom> known = known();
            List<Atom> nodes = new ArrayList<>();
            nodes.add(self);
            nodes.addAll(known);
            List<Atom> boss = List.of(GlobalTerms.max(nodes));
            if (GlobalCalls.setLockOnNodes(context(), id, boss, locks, self)) {
                if (GlobalCalls.setLockOnNodes(context(), id, nodes, locks, self)
                        && GlobalTerms.minus(known(), known).isEmpty()) {
                    return nodes;
                }
                GlobalCalls.delLock(context(), id, boss);
            }
            GlobalCalls.randomSleep(context(), times);
        }
    }

    private List<Atom> known() {
        List<Atom> out = new ArrayList<>();
        for (Object n : GlobalTerms.list(call(GlobalTerms.SERVER, GlobalTerms.GET_KNOWN, null))) {
            out.add((Atom) n);
        }
        return out;
    }
}
