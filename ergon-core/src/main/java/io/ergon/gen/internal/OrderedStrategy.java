package io.ergon.gen.internal;

import io.ergon.gen.ChildCounts;
import io.ergon.gen.ChildInfo;
import io.ergon.gen.ChildSpec;
import io.ergon.gen.ChildType;
import io.ergon.gen.SupervisorSpec;
import io.ergon.node.ExitException;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The children of a one_for_one, one_for_all or rest_for_one supervisor: an ordered list, each child known by its
 * id, started in list order and stopped in reverse. Dynamic children are added at the end (they start last and
 * stop first). The three strategies differ only in {@link #restartChild}.
 */
abstract sealed class OrderedStrategy extends RestartStrategy permits OneForOne, OneForAll, RestForOne {
    /** The error for a simple_one_for_one request sent to another strategy. */
    private static final Atom SIMPLE_ONE_FOR_ONE_ONLY = Atom.of("not_simple_one_for_one");

    /** In start order (OTP keeps the reverse: termination order). */
    protected final List<ChildRecord> children = new ArrayList<>();
    /** Why the last {@link #startInOrder} failed. */
    private Failed lastFailure;

    OrderedStrategy(SupervisorSpec spec, SupervisorContext ctx) {
        super(spec, ctx);
    }

    @Override
    public void startChildren() {
        for (ChildSpec child : spec.children()) {
            children.add(new ChildRecord(child, null));
        }
        ChildRecord failed = startInOrder(new ArrayList<>(children));
        if (failed != null) {
            Failed why = lastFailure;
            terminateInReverse(new ArrayList<>(children));
            throw new ExitException(failedToStart(failed.id(), why.reason()), why.cause());
        }
    }

    /**
     * {@code start_children/2}: starts each child of {@code group} in order. A temporary child that ignores its start
     * is forgotten; another one stays, not running.
     *
     * @return null if all started, else the child that failed (those after it were not started)
     */
    protected final ChildRecord startInOrder(List<ChildRecord> group) {
        for (ChildRecord child : group) {
            Failed failed = startRecorded(child);
            if (failed != null) {
                lastFailure = failed;
                return child;
            }
        }
        return null;
    }

    /**
     * Starts one known child and records the outcome: its pid, or not running (a temporary child that ignores its
     * start is forgotten).
     *
     * @return null, or the failure (reported already)
     */
    protected final Failed startRecorded(ChildRecord child) {
        switch (start(child.spec, null)) {
            case Running r -> {
                child.pid = r.pid();
                child.restarting = false;
            }
            case Ignored i -> {
                child.pid = null;
                child.restarting = false;
                if (child.isTemporary()) {
                    children.remove(child);
                }
            }
            case Failed f -> {
                reportStartError(child.spec, f);
                return f;
            }
        }
        return null;
    }

    /**
     * {@code terminate_children/2}: stops the running children of {@code group}, last started first; temporary ones
     * are forgotten, the others kept, not running.
     *
     * @return the children of {@code group} still known, in start order
     */
    protected final List<ChildRecord> terminateInReverse(List<ChildRecord> group) {
        for (int i = group.size() - 1; i >= 0; i--) {
            ChildRecord child = group.get(i);
            shutdown(child);
            child.pid = null;
            child.restarting = false;
            if (child.isTemporary()) {
                children.remove(child);
            }
        }
        List<ChildRecord> kept = new ArrayList<>(group);
        kept.retainAll(children);
        return kept;
    }

    /**
     * {@code restart_multiple_children/3}: stops {@code group} (in reverse) and starts it again (in order).
     *
     * @return null, or the id of the child whose start failed (it is marked restarting; those after it stay down)
     */
    protected final Object restartGroup(List<ChildRecord> group) {
        List<ChildRecord> kept = terminateInReverse(group);
        ChildRecord failed = startInOrder(kept);
        if (failed == null) {
            return null;
        }
        failed.restarting = true;
        failed.exitReason = restartReason; // its retry is reported with the exit that began the restart
        return failed.id();
    }

    @Override
    public final boolean childExited(Pid pid, Object reason) {
        for (ChildRecord child : children) {
            if (pid.equals(child.pid)) {
                return onChildExit(child, reason);
            }
        }
        return false; // not (or no longer) a child: e.g. the EXIT of a child whose start failed
    }

    @Override
    public final boolean tryAgain(Object id) {
        ChildRecord child = find((String) id);
        return child != null && child.restarting && restart(child);
    }

    @Override
    protected final void forget(ChildRecord child) {
        child.pid = null;
        child.restarting = false;
        if (child.isTemporary()) {
            children.remove(child);
        }
    }

    @Override
    protected final boolean noSignificantChildLeft() {
        return children.stream().noneMatch(c -> c.spec.significant() && !c.isIdle());
    }

    @Override
    public final void terminateChildren() {
        terminateInReverse(new ArrayList<>(children));
    }

    // ---------------------------------------------------------------- calls

    @Override
    public final SupervisorReply handle(SupervisorRequest request) {
        return switch (request) {
            case SupervisorRequest.StartChild s -> startChild(s.spec());
            case SupervisorRequest.StartDynamic d -> SupervisorReply.error(SIMPLE_ONE_FOR_ONE_ONLY);
            case SupervisorRequest.TerminateChild t -> terminateChild(t.child());
            case SupervisorRequest.RestartChild r -> restartById(r.id());
            case SupervisorRequest.DeleteChild d -> deleteChild(d.id());
            case SupervisorRequest.GetChildSpec g -> {
                ChildRecord child = find(g.id());
                yield child == null ? SupervisorReply.error(NOT_FOUND) : new SupervisorReply.Ok(child.spec);
            }
            case SupervisorRequest.WhichChildren w -> new SupervisorReply.Ok(whichChildren());
            case SupervisorRequest.CountChildren c -> new SupervisorReply.Ok(countChildren());
            case SupervisorRequest.Stop s -> throw new IllegalStateException("the supervisor handles Stop itself");
        };
    }

    /** {@code handle_start_child/2}. */
    private SupervisorReply startChild(ChildSpec child) {
        Object problem = SpecCheck.child(child, spec.autoShutdown());
        if (problem != null) {
            return SupervisorReply.error(problem);
        }
        ChildRecord existing = find(child.id());
        if (existing != null) {
            return existing.pid != null
                    ? SupervisorReply.error(Tuple.of(ALREADY_STARTED, existing.pid))
                    : SupervisorReply.error(ALREADY_PRESENT);
        }
        ChildRecord record = new ChildRecord(child, null);
        return switch (start(child, null)) {
            case Running r -> {
                record.pid = r.pid();
                children.add(record);
                yield new SupervisorReply.Ok(r.pid());
            }
            case Ignored i -> {
                if (!record.isTemporary()) {
                    children.add(record);
                }
                yield SupervisorReply.OK;
            }
            case Failed f -> {
                reportStartError(child, f);
                yield new SupervisorReply.Error(f.reason(), f.cause());
            }
        };
    }

    private SupervisorReply terminateChild(Object key) {
        if (!(key instanceof String id)) {
            return SupervisorReply.error(NOT_FOUND);
        }
        ChildRecord child = find(id);
        if (child == null) {
            return SupervisorReply.error(NOT_FOUND);
        }
        shutdown(child);
        forget(child);
        return SupervisorReply.OK;
    }

    private SupervisorReply restartById(String id) {
        ChildRecord child = find(id);
        SupervisorReply refused = unlessIdle(child);
        if (refused != null) {
            return refused;
        }
        Failed failed = startRecorded(child);
        return failed == null ? new SupervisorReply.Ok(child.pid) : new SupervisorReply.Error(failed.reason(),
                failed.cause());
    }

    private SupervisorReply deleteChild(String id) {
        ChildRecord child = find(id);
        SupervisorReply refused = unlessIdle(child);
        if (refused != null) {
            return refused;
        }
        children.remove(child);
        return SupervisorReply.OK;
    }

    /** What restart_child and delete_child answer for a child that is missing, restarting or running; else null. */
    private static SupervisorReply unlessIdle(ChildRecord child) {
        if (child == null) {
            return SupervisorReply.error(NOT_FOUND);
        }
        if (child.restarting) {
            return SupervisorReply.error(RESTARTING);
        }
        return child.pid != null ? SupervisorReply.error(RUNNING) : null;
    }

    /** Newest first, as OTP's {@code which_children} lists them. */
    private List<ChildInfo> whichChildren() {
        List<ChildInfo> out = new ArrayList<>(children.size());
        for (int i = children.size() - 1; i >= 0; i--) {
            ChildRecord c = children.get(i);
            out.add(c.info(c.id()));
        }
        return List.copyOf(out);
    }

    private ChildCounts countChildren() {
        int active = 0;
        int supervisors = 0;
        for (ChildRecord c : children) {
            if (c.pid != null && ctx.process().node().isAlive(c.pid)) {
                active++;
            }
            if (c.spec.type() == ChildType.SUPERVISOR) {
                supervisors++;
            }
        }
        return new ChildCounts(children.size(), active, supervisors, children.size() - supervisors);
    }

    protected final ChildRecord find(String id) {
        for (ChildRecord c : children) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }
}
