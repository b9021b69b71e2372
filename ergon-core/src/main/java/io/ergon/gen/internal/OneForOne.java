package io.ergon.gen.internal;

import io.ergon.gen.SupervisorSpec;

/** one_for_one: only the child that terminated is restarted; its siblings are not touched. */
final class OneForOne extends OrderedStrategy {
    OneForOne(SupervisorSpec spec, SupervisorContext ctx) {
        super(spec, ctx);
    }

    /** supervisor.erl {@code restart(one_for_one, Child, State)}: a failed start is tried again later. */
    @Override
    protected Object restartChild(ChildRecord child) {
        if (startRecorded(child) == null) {
            return null;
        }
        child.pid = null;
        child.restarting = true;
        return child.id();
    }
}
