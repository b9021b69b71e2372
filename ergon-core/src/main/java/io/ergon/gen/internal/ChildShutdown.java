package io.ergon.gen.internal;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.Restart;
import io.ergon.gen.Shutdown;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.NodeClock;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OTP's shutdown protocol (supervisor.erl {@code shutdown/1}, {@code terminate_dynamic_children/1}): monitor the
 * child, send it {@code shutdown} (or {@code kill}), wait for its DOWN up to the timeout, then {@code kill} it. The
 * DOWN, not the EXIT, is awaited, so that a child that unlinked itself cannot hang the supervisor; afterwards the
 * child's EXIT message, if any, is unlinked and flushed so it is not taken for a crash. It acts as the stopping
 * process (a supervisor, or the application controller stopping an application's root), on that process's thread.
 */
public final class ChildShutdown {
    private ChildShutdown() {
    }

    /**
     * Stops one child and waits for it.
     *
     * @return null if it ended as expected, else the unexpected exit reason (to be reported)
     */
    public static Object stop(ProcessContext ctx, Pid pid, ChildSpec spec) {
        Ref mon = ctx.monitor(pid);
        Object reason;
        switch (spec.shutdown()) {
            case Shutdown.BrutalKill k -> {
                ctx.exit(pid, Reasons.KILL);
                reason = awaitDown(ctx, mon, null);
            }
            case Shutdown.Infinity i -> {
                ctx.exit(pid, Reasons.SHUTDOWN);
                reason = awaitDown(ctx, mon, null);
            }
            case Shutdown.Timeout t -> {
                ctx.exit(pid, Reasons.SHUTDOWN);
                reason = awaitDown(ctx, mon, t.duration());
                if (reason == null) {
                    ctx.exit(pid, Reasons.KILL);
                    reason = awaitDown(ctx, mon, null);
                }
            }
        }
        reason = unlinkFlush(ctx, pid, reason);
        return expected(spec, reason) ? null : reason;
    }

    /**
     * Stops many children of one template at once (simple_one_for_one): all get the signal together, and after the
     * timeout those still alive are killed together.
     *
     * @return the children that ended with an unexpected reason, by pid
     */
    static Map<Pid, Object> stopAll(ProcessContext ctx, List<Pid> pids, ChildSpec spec) {
        Map<Ref, Pid> waiting = new HashMap<>();
        boolean brutal = spec.shutdown() instanceof Shutdown.BrutalKill;
        for (Pid pid : pids) {
            waiting.put(ctx.monitor(pid), pid);
            ctx.exit(pid, brutal ? Reasons.KILL : Reasons.SHUTDOWN);
        }
        NodeClock clock = ctx.node().options().clock(); // the receive below waits by it
        long deadline = spec.shutdown() instanceof Shutdown.Timeout t ? clock.nanoTime() + t.duration().toNanos() : 0;
        Map<Pid, Object> unexpected = new HashMap<>();
        boolean killed = deadline == 0;
        while (!waiting.isEmpty()) {
            Duration wait = killed ? null : Duration.ofNanos(Math.max(0, deadline - clock.nanoTime()));
            Object m = ctx.receive(x -> x instanceof Down d && waiting.containsKey(d.ref()), wait);
            if (m == null) {
                for (Pid pid : new ArrayList<>(waiting.values())) {
                    ctx.exit(pid, Reasons.KILL);
                }
                killed = true;
                continue;
            }
            Down down = (Down) m;
            Pid pid = waiting.remove(down.ref());
            Object reason = unlinkFlush(ctx, pid, down.reason());
            if (!expected(spec, reason)) {
                unexpected.put(pid, reason);
            }
        }
        return unexpected;
    }

    private static Object awaitDown(ProcessContext ctx, Ref mon, Duration timeout) {
        Object m = ctx.receive(x -> x instanceof Down d && d.ref().equals(mon), timeout);
        return m == null ? null : ((Down) m).reason();
    }

    /** supervisor.erl {@code unlink_flush/2}: the EXIT's reason if one came (it is the more precise), else the DOWN's. */
    private static Object unlinkFlush(ProcessContext ctx, Pid pid, Object downReason) {
        ctx.unlink(pid);
        Object m = ctx.receive(x -> x instanceof Exit e && e.from().equals(pid), Duration.ZERO);
        return m == null ? downReason : ((Exit) m).reason();
    }

    /** The reasons supervisor.erl accepts from a child it stopped. */
    private static boolean expected(ChildSpec spec, Object reason) {
        boolean permanent = spec.restart() == Restart.PERMANENT;
        if (reason == Reasons.NOPROC) {
            // it was already gone and its EXIT had not reached us yet: it did not resist the shutdown
            return true;
        }
        if (reason == Reasons.KILLED) {
            // expected after brutal_kill; after a timeout's kill OTP reports it (the child overstayed)
            return spec.shutdown() instanceof Shutdown.BrutalKill;
        }
        if (reason == Reasons.SHUTDOWN) {
            return !(spec.shutdown() instanceof Shutdown.BrutalKill) || !permanent;
        }
        if (reason == Reasons.NORMAL || (reason instanceof Tuple t && t.size() == 2 && t.get(0) == Reasons.SHUTDOWN)) {
            return !permanent;
        }
        return false;
    }
}
