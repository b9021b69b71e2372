package io.ergon.gen.internal;

import io.ergon.gen.AutoShutdown;
import io.ergon.gen.ChildSpec;
import io.ergon.gen.Restart;
import io.ergon.gen.Strategy;
import io.ergon.gen.SupervisorSpec;
import io.ergon.node.CrashReason;
import io.ergon.node.NodeListener;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;

/**
 * A supervisor's children and the rules it applies to them: one subclass per {@link Strategy}. The supervisor
 * process ({@link io.ergon.gen.Supervisor}) owns one and calls it from its callbacks only.
 *
 * <p>What is common lives here: starting one child, what a child's exit means for its restart type (supervisor.erl
 * {@code do_restart/3}), the restart intensity ({@code restart/2}) and auto-shutdown ({@code do_auto_shutdown/2}).
 * Subclasses keep the children and say how a restart is done.
 */
public abstract sealed class RestartStrategy permits OrderedStrategy, SimpleOneForOne {
    static final Atom FAILED_TO_START_CHILD = Atom.of("failed_to_start_child");
    static final Atom NOT_FOUND = Atom.of("not_found");
    static final Atom RUNNING = Atom.of("running");
    static final Atom RESTARTING = Atom.of("restarting");
    static final Atom ALREADY_PRESENT = Atom.of("already_present");
    static final Atom ALREADY_STARTED = Atom.of("already_started");
    static final Atom SIMPLE_ONE_FOR_ONE = Atom.of("simple_one_for_one");

    protected final SupervisorSpec spec;
    protected final SupervisorContext ctx;
    private final RestartIntensity intensity;
    /** The exit reason behind the restart under way: a sibling whose start fails in it keeps it for its retry. */
    protected Object restartReason;

    RestartStrategy(SupervisorSpec spec, SupervisorContext ctx) {
        this.spec = spec;
        this.ctx = ctx;
        this.intensity = new RestartIntensity(spec.intensity(), spec.period());
    }

    /** The strategy {@code spec} asks for (the spec has been {@linkplain SpecCheck checked}). */
    public static RestartStrategy create(SupervisorSpec spec, SupervisorContext ctx) {
        return switch (spec.strategy()) {
            case ONE_FOR_ONE -> new OneForOne(spec, ctx);
            case ONE_FOR_ALL -> new OneForAll(spec, ctx);
            case REST_FOR_ONE -> new RestForOne(spec, ctx);
            case SIMPLE_ONE_FOR_ONE -> new SimpleOneForOne(spec, ctx);
        };
    }

    // ---------------------------------------------------------------- what the supervisor process calls

    /**
     * Starts the children of the spec, in order. If one fails, stops those already started (in reverse order) and
     * throws, as {@code init_children/2} does.
     *
     * @throws io.ergon.node.ExitException with {@code {shutdown, {failed_to_start_child, Id, Reason}}}
     */
    public abstract void startChildren();

    /** Answers a call. */
    public abstract SupervisorReply handle(SupervisorRequest request);

    /** A linked process exited; true if the supervisor must now shut down (intensity, auto-shutdown). */
    public abstract boolean childExited(Pid pid, Object reason);

    /** A failed restart's retry is due; true if the supervisor must now shut down. */
    public abstract boolean tryAgain(Object child);

    /** Stops every child (the supervisor is terminating): in reverse start order, or all at once. */
    public abstract void terminateChildren();

    // ---------------------------------------------------------------- for the strategies

    /** What a child's exit means for it ({@code do_restart/3}); true if the supervisor must shut down. */
    protected final boolean onChildExit(ChildRecord child, Object reason) {
        if (ctx.process().node().isShuttingDown()) {
            forget(child); // the node is stopping everything; restarting now would only fight it
            return false;
        }
        child.exitReason = reason;
        Restart type = child.spec.restart();
        if (type == Restart.PERMANENT) {
            reportTerminated(child, reason);
            return restart(child);
        }
        if (Reasons.isNormal(reason)) {
            forget(child);
            return autoShutdown(child);
        }
        reportTerminated(child, reason);
        if (type == Restart.TRANSIENT) {
            return restart(child);
        }
        forget(child);
        return autoShutdown(child);
    }

    /**
     * Counts a restart against the intensity and, within it, restarts as the strategy says ({@code restart/2});
     * true if the intensity is exceeded and the supervisor must shut down.
     */
    protected final boolean restart(ChildRecord child) {
        if (!intensity.recordRestart(ctx.process().node().options().clock().nanoTime())) {
            ctx.log().error("supervisor {}: reached the maximum restart intensity ({} restarts in {}) after {} "
                    + "terminated; shutting down", ctx.name(), spec.intensity(), periodText(spec.period()),
                    describe(child));
            forget(child);
            return true;
        }
        restartReason = child.exitReason == null ? Reasons.SHUTDOWN : child.exitReason;
        ctx.process().node().supervisorRestarted(new NodeListener.SupervisorRestart(ctx.process().self(), ctx.name(),
                child.id(), restartReason));
        Object retry = restartChild(child);
        if (retry != null) {
            ctx.sendSelf(new TryAgain(retry));
        }
        return false;
    }

    /**
     * Restarts after {@code child} terminated, as the strategy says.
     *
     * @return null if done, else the key of a child whose start failed, to be tried again
     */
    protected abstract Object restartChild(ChildRecord child);

    /** Forgets a child that terminated and is not restarted ({@code del_child/2}). */
    protected abstract void forget(ChildRecord child);

    /** True if no significant child is left running (for {@link AutoShutdown#ALL_SIGNIFICANT}). */
    protected abstract boolean noSignificantChildLeft();

    /** {@code do_auto_shutdown/2}: true if {@code child}'s termination shuts the supervisor down. */
    protected final boolean autoShutdown(ChildRecord child) {
        if (spec.autoShutdown() == AutoShutdown.NEVER || !child.spec.significant()) {
            return false;
        }
        boolean shut = spec.autoShutdown() == AutoShutdown.ANY_SIGNIFICANT || noSignificantChildLeft();
        if (shut) {
            ctx.log().info("supervisor {}: significant child {} terminated; shutting down ({})", ctx.name(),
                    describe(child), spec.autoShutdown());
        }
        return shut;
    }

    /** The outcome of starting one child. */
    sealed interface Started {
    }

    /** It runs. */
    record Running(Pid pid) implements Started {
    }

    /** Its init chose to start nothing (OTP's {@code ignore}). */
    record Ignored() implements Started {
    }

    /** It did not start. */
    record Failed(Object reason, Throwable cause) implements Started {
    }

    /** Starts one child, linked to the supervisor ({@code do_start_child/2}). */
    protected final Started start(ChildSpec child, Object arg) {
        try {
            Pid pid = child.remote() != null ? ctx.spawnRemoteLink(child.remote())
                    : ctx.spawnLink(() -> child.factory().apply(arg), child.registeredName());
            ctx.log().info("supervisor {}: started child '{}' as {}", ctx.name(), child.id(), pid);
            return new Running(pid);
        } catch (SpawnException e) {
            if (e.isIgnore()) {
                ctx.log().info("supervisor {}: child '{}' ignored its start", ctx.name(), child.id());
                return new Ignored();
            }
            return new Failed(e.reason(), e);
        } catch (RuntimeException e) {
            return new Failed(Reasons.of(e), e);
        }
    }

    /** Stops a running child and reports an unexpected exit reason. */
    protected final void shutdown(ChildRecord child) {
        if (child.pid == null) {
            return;
        }
        Object unexpected = ChildShutdown.stop(ctx.process(), child.pid, child.spec);
        if (unexpected != null) {
            ctx.log().error("supervisor {}: child {} did not stop cleanly: {}", ctx.name(), describe(child),
                    reasonText(unexpected));
        }
    }

    protected final void reportStartError(ChildSpec child, Failed failed) {
        ctx.log().error("supervisor {}: child '{}' failed to start: {}", ctx.name(), child.id(),
                reasonText(failed.reason()));
    }

    /** supervisor.erl's child_terminated report; the restart (or the giving up) is reported after it. */
    private void reportTerminated(ChildRecord child, Object reason) {
        if (Reasons.isNormal(reason)) {
            ctx.log().warn("supervisor {}: {} child {} exited: {}", ctx.name(),
                    child.spec.restart().name().toLowerCase(), describe(child), reasonText(reason));
        } else {
            ctx.log().error("supervisor {}: child {} terminated: {}", ctx.name(), describe(child), reasonText(reason));
        }
    }

    static String periodText(java.time.Duration period) {
        long ms = period.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** An exit reason for a log line: an exception as {@code Class: message}, any other term in Erlang syntax. */
    static String reasonText(Object reason) {
        return reason instanceof CrashReason c ? c.exceptionClass() + ": " + c.message() : TermFormat.print(reason);
    }

    static String describe(ChildRecord child) {
        return child.toString();
    }

    /** {@code {shutdown, {failed_to_start_child, Id, Reason}}}: why a supervisor did not start. */
    static Tuple failedToStart(String id, Object reason) {
        return Tuple.of(Reasons.SHUTDOWN, Tuple.of(FAILED_TO_START_CHILD, Atom.of(id), reason));
    }
}
