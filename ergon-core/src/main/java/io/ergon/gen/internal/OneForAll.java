package io.ergon.gen.internal;

import io.ergon.gen.SupervisorSpec;
import java.util.ArrayList;

/**
 * one_for_all: when a child terminates, every other child is stopped (last started first) and all are started again
 * in order, including children that were not running (terminated through the API, or ignored their start): that is
 * what supervisor.erl's {@code restart_multiple_children/3} does.
 */
final class OneForAll extends OrderedStrategy {
    OneForAll(SupervisorSpec spec, SupervisorContext ctx) {
        super(spec, ctx);
    }

    @Override
    protected Object restartChild(ChildRecord child) {
        child.pid = null;
        return restartGroup(new ArrayList<>(children));
    }
}
