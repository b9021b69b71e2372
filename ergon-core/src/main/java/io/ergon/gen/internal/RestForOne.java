package io.ergon.gen.internal;

import io.ergon.gen.SupervisorSpec;
import java.util.ArrayList;

/**
 * rest_for_one: when a child terminates, the children started after it are stopped (last started first) and it and
 * they are started again in order; the children started before it are not touched (supervisor.erl
 * {@code split_child/2}).
 */
final class RestForOne extends OrderedStrategy {
    RestForOne(SupervisorSpec spec, SupervisorContext ctx) {
        super(spec, ctx);
    }

    @Override
    protected Object restartChild(ChildRecord child) {
        child.pid = null;
        int from = children.indexOf(child);
        return restartGroup(new ArrayList<>(children.subList(from, children.size())));
    }
}
