package io.ergon.gen.internal;

import io.ergon.gen.ChildCounts;
import io.ergon.gen.ChildInfo;
import io.ergon.gen.ChildSpec;
import io.ergon.gen.ChildType;
import io.ergon.gen.SupervisorSpec;
import io.ergon.term.Pid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * simple_one_for_one: any number of children made from one template, each started on demand with an argument and,
 * if it terminates and must be restarted, restarted alone with the same argument. Children are known by pid only
 * (no ids: restart, delete and terminate-by-id are refused with {@code simple_one_for_one}), and are stopped all at
 * once when the supervisor terminates.
 */
final class SimpleOneForOne extends RestartStrategy {
    private final ChildSpec template;
    /** By pid, in start order; a child waiting to be restarted keeps its old pid as key. */
    private final Map<Pid, ChildRecord> children = new LinkedHashMap<>();

    SimpleOneForOne(SupervisorSpec spec, SupervisorContext ctx) {
        super(spec, ctx);
        this.template = spec.children().get(0);
    }

    @Override
    public void startChildren() {
        // the template starts nothing by itself
    }

    @Override
    public SupervisorReply handle(SupervisorRequest request) {
        return switch (request) {
            case SupervisorRequest.StartDynamic d -> startChild(d.arg());
            case SupervisorRequest.TerminateChild t -> terminateChild(t.child());
            case SupervisorRequest.StartChild s -> SupervisorReply.error(SIMPLE_ONE_FOR_ONE);
            case SupervisorRequest.RestartChild r -> SupervisorReply.error(SIMPLE_ONE_FOR_ONE);
            case SupervisorRequest.DeleteChild d -> SupervisorReply.error(SIMPLE_ONE_FOR_ONE);
            case SupervisorRequest.GetChildSpec g -> new SupervisorReply.Ok(template);
            case SupervisorRequest.WhichChildren w -> new SupervisorReply.Ok(whichChildren());
            case SupervisorRequest.CountChildren c -> new SupervisorReply.Ok(countChildren());
            case SupervisorRequest.Stop s -> throw new IllegalStateException("the supervisor handles Stop itself");
        };
    }

    private SupervisorReply startChild(Object arg) {
        return switch (start(template, arg)) {
            case Running r -> {
                ChildRecord child = new ChildRecord(template, arg);
                child.pid = r.pid();
                file(child, r.pid());
                yield new SupervisorReply.Ok(r.pid());
            }
            case Ignored i -> SupervisorReply.OK;
            case Failed f -> {
                reportStartError(template, f);
                yield new SupervisorReply.Error(f.reason(), f.cause());
            }
        };
    }

    /** Only by pid; a pid that is not a child but is dead counts as terminated already, as in supervisor.erl. */
    private SupervisorReply terminateChild(Object key) {
        if (!(key instanceof Pid pid)) {
            return SupervisorReply.error(SIMPLE_ONE_FOR_ONE);
        }
        ChildRecord child = children.get(pid);
        if (child == null) {
            return ctx.process().node().isAlive(pid) ? SupervisorReply.error(NOT_FOUND) : SupervisorReply.OK;
        }
        shutdown(child);
        children.remove(pid);
        return SupervisorReply.OK;
    }

    @Override
    public boolean childExited(Pid pid, Object reason) {
        ChildRecord child = children.get(pid);
        return child != null && !child.restarting && onChildExit(child, reason);
    }

    @Override
    public boolean tryAgain(Object key) {
        ChildRecord child = children.get((Pid) key);
        return child != null && child.restarting && restart(child);
    }

    /** supervisor.erl {@code restart(simple_one_for_one, Child, State)}. */
    @Override
    protected Object restartChild(ChildRecord child) {
        Pid old = child.key;
        children.remove(old);
        return switch (start(template, child.arg)) {
            case Running r -> {
                ChildRecord fresh = new ChildRecord(template, child.arg);
                fresh.pid = r.pid();
                file(fresh, r.pid());
                yield null;
            }
            case Ignored i -> null;
            case Failed f -> {
                reportStartError(template, f);
                child.pid = null;
                child.restarting = true;
                file(child, old);
                yield old;
            }
        };
    }

    @Override
    protected void forget(ChildRecord child) {
        children.remove(child.key);
    }

    @Override
    protected boolean noSignificantChildLeft() {
        return children.isEmpty();
    }

    @Override
    public void terminateChildren() {
        List<Pid> running = new ArrayList<>();
        children.forEach((pid, child) -> {
            if (child.pid != null) {
                running.add(pid);
            }
        });
        ChildShutdown.stopAll(ctx.process(), running, template).forEach((pid, reason) -> ctx.log().error(
                "supervisor {}: child {} did not stop cleanly: {}", ctx.name(), pid, reasonText(reason)));
        children.clear();
    }

    /**
     * Files {@code child} under {@code key}, and keeps the key on it: its pid is gone by the time it is forgotten or
     * restarted, and a search of the children for it cost a TCP server's supervisor of 10,000 connections a scan of
     * all of them at every exit.
     */
    private void file(ChildRecord child, Pid key) {
        child.key = key;
        children.put(key, child);
    }

    private List<ChildInfo> whichChildren() {
        List<ChildInfo> out = new ArrayList<>(children.size());
        children.values().forEach(c -> out.add(c.info(null)));
        return List.copyOf(out);
    }

    private ChildCounts countChildren() {
        int size = children.size();
        int restarting = (int) children.values().stream().filter(c -> c.restarting).count();
        boolean sup = template.type() == ChildType.SUPERVISOR;
        return new ChildCounts(1, size - restarting, sup ? size : 0, sup ? 0 : size);
    }
}
