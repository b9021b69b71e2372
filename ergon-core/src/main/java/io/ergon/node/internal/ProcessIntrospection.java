package io.ergon.node.internal;

import io.ergon.node.ProcessInfo;
import io.ergon.node.ProcessStatus;
import io.ergon.term.Pid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A process seen from outside, from any thread: a {@link ProcessInfo} snapshot (its links and monitors copied under
 * the process's monitor, its queue length approximate), and whether a mailbox process is still as it opened.
 * Read-only and stateless.
 */
final class ProcessIntrospection {
    /** Counting the queue for a snapshot stops here: a runaway mailbox is not walked to its end. */
    private static final int QUEUE_COUNT_LIMIT = 10_000_000;

    private ProcessIntrospection() {
    }

    /** A snapshot of {@code p}, or null once it has exited. */
    static ProcessInfo info(ProcessCore p) {
        int s = p.state();
        if (s == ProcessCore.EXITED) {
            return null;
        }
        ProcessStatus status = switch (s) {
            case ProcessCore.IDLE -> ProcessStatus.IDLE;
            case ProcessCore.WAITING, ProcessCore.SUSPENDING, ProcessCore.SUSPENDED -> ProcessStatus.WAITING;
            default -> ProcessStatus.RUNNABLE;
        };
        int queued = queuedDepth(p, QUEUE_COUNT_LIMIT);
        List<Pid> links;
        List<Object> monitors = new ArrayList<>();
        List<Pid> monitoredBy = new ArrayList<>();
        synchronized (p) {
            Relations r = p.relationsOrNull();
            links = r == null ? List.of() : r.activeLinks();
            if (r != null) {
                r.monitors().values().forEach(o -> monitors.add(o.target()));
                r.monitoredBy().values().forEach(i -> monitoredBy.add(i.from()));
            }
        }
        var actor = p.actor;
        return new ProcessInfo(p.pid(), p.registeredName, status, queued, List.copyOf(links), List.copyOf(monitors),
                List.copyOf(monitoredBy), p.trapsExit(), actor == null ? "Mailbox" : actor.getClass().getName(),
                p.parent(), p.handled);
    }

    /**
     * Messages and signals waiting for {@code p}: its queue, counted up to {@code limit}, and the messages its
     * receives passed over. Racy (the save queue is the owner's), as any count of a running process is.
     */
    static int queuedDepth(ProcessCore p, int limit) {
        ArrayDeque<Object> saved = p.saved;
        return (p.hasQueued() ? p.queuedCount(limit) : 0) + (saved == null ? 0 : saved.size());
    }

    /**
     * Whether mailbox process {@code p} is as it was when it opened: alive, nothing queued or saved, no links or
     * monitors either way, not trapping exits. Such a one may serve another call ({@code Node.call} keeps a few).
     */
    static boolean isPristine(ProcessCore p) {
        Relations r = p.relationsOrNull();
        return p.isAlive() && p.exiting == null && !p.trapsExit() && !p.hasQueued() && !SelectiveReceive.hasSaved(p)
                && (r == null || (!r.hasLinks() && r.monitors().isEmpty() && r.monitoredBy().isEmpty()));
    }
}
