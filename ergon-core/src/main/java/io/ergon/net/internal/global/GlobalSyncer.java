package io.ergon.net.internal.global;

import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.node.NodeDown;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code global:sync()} in progress (OTP's {@code sync_init/2} and {@code sync_loop/2}): it watches the nodes
 * this node is not yet in sync with, and answers the caller once each has either synced (the name server tells it
 * {@code {synced, Nodes}}) or gone down.
 */
final class GlobalSyncer extends Actor {
    private final Set<Atom> waiting;
    private final From from;
    private final GlobalNet net;

    /** @param nodes the nodes to wait for: not empty (the server answers at once when there are none) */
    GlobalSyncer(List<Atom> nodes, From from, GlobalNet net) {
        this.waiting = new LinkedHashSet<>(nodes);
        this.from = from;
        this.net = net;
    }

    @Override
    protected void init() {
        for (Atom n : List.copyOf(waiting)) {
            net.monitorNode(self(), n);
        }
    }

    @Override
    protected void handleMessage(Object message) {
        if (message instanceof NodeDown d) {
            forget(d.node());
        } else if (GlobalTerms.is(message, GlobalTerms.SYNCED, 2)) {
            for (Object n : GlobalTerms.list(((Tuple) message).get(1))) {
                if (n instanceof Atom a) {
                    forget(a);
                }
            }
        }
        doneIfNothingLeft();
    }

    private void forget(Atom node) {
        if (waiting.remove(node)) {
            net.demonitorNode(self(), node);
        }
    }

    private void doneIfNothingLeft() {
        if (waiting.isEmpty()) {
            from.reply(Atom.OK);
            stop(Reasons.NORMAL);
        }
    }
}
