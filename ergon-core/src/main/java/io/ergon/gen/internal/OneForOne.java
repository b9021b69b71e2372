package io.ergon.gen.internal;

import io.ergon.gen.SupervisorSpec;

/** one_for_one: only the child that terminated is restarted; its siblings are not touched. */
final class OneForOne extends OrderedStrategy {
    OneForOne(SupervisorSpec spec, SupervisorContext ctx) {
        super(spec, ctx);
    }

    /** supervisor.erl {@code restart(one_for_one, Child, State)}. */
    @Override
    protected Object restartChild(ChildRecord child) {
        switch (start(child.spec, null)) {
            case Running r -> {
                child.pid = r.pid();
                child.restarting = false;
            }
            case Ignored i -> {
                child.pid = null;
                child.restarting = false;
            }
            case Failed f -> {
                reportStartError(child.spec, f);
                child.pid = null;
                child.restarting = true;
                return child.id();
            }
        }
        return null;
    }
}
