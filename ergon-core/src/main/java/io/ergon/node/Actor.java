package io.ergon.node;

import io.ergon.node.internal.ActorAccess;
import io.ergon.node.internal.ProcessContextImpl;
import io.ergon.node.internal.ProcessCore;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The behaviour of a process, and the base of every other behaviour (GenServer, Supervisor, ...).
 *
 * <p>Subclass it, override the callbacks you need and spawn it with a factory:
 * {@code node.spawn(Logger::new)}. Each spawn makes a fresh instance, which belongs to exactly one process.
 * <ul>
 *   <li>{@link #init()} runs first, on the spawner's thread, before {@code spawn} returns: if it throws or calls
 *       {@link #stop(Object)}, the spawn fails with a {@link SpawnException} and the process never runs.</li>
 *   <li>{@link #handleMessage(Object)} then receives every message, one at a time and in arrival order, on a
 *       virtual thread; the process has no thread while its mailbox is empty. Handlers may block (call another
 *       process, sleep, do I/O): only this process waits.</li>
 *   <li>{@link #terminate(Object)} runs when the process ends by its own doing: {@link #stop(Object)}, an exception
 *       from a callback, or the node shutting down. It does not run when an exit signal kills the process.</li>
 * </ul>
 * An exception thrown by a callback ends the process with a {@link CrashReason} (or the reason of an
 * {@link ExitException}) and is logged once with its stack trace.
 *
 * <p>The {@code protected final} methods act for this process; most are shorthands for its {@link #context()}. Call
 * them from the callbacks only (they use the process's state, which is not thread-safe), except {@link #send},
 * {@link #cast} and {@link #self()}, which any thread may call.
 */
public abstract class Actor {
    static {
        ActorAccess.install(new ActorAccess.Bridge() {
            @Override
            public void bind(Actor actor, ProcessCore process) {
                if (actor.process != null) {
                    throw new IllegalStateException("this actor instance already belongs to process "
                            + actor.process.pid() + "; a factory must return a new instance for every spawn");
                }
                actor.process = process;
            }

            @Override
            public boolean callerRuns(Actor actor) {
                return actor.callerRuns();
            }

            @Override
            public boolean highPriority(Actor actor) {
                return actor.highPriority();
            }

            @Override
            public void init(Actor actor) throws Exception {
                actor.init();
            }

            @Override
            public void handle(Actor actor, Object message) throws Exception {
                actor.handleMessage(message);
            }

            @Override
            public void terminate(Actor actor, Object reason) {
                actor.terminate(reason);
            }
        });
    }

    private ProcessCore process;
    private ProcessContextImpl context;
    private Logger log;

    /** Runs before anything else, on the spawner's thread; throw or {@link #stop(Object)} to refuse to start. */
    protected void init() throws Exception {
    }

    /** Receives each message. The default logs it at warn level and drops it. */
    protected void handleMessage(Object message) throws Exception {
        log().warn("{} dropped an unexpected message: {}", self(), message);
    }

    /**
     * Runs when the process ends by its own doing, with the exit reason. It may still receive and call (a supervisor
     * waits here for its children to stop); an exit signal it does not trap, or {@code kill}, ends it early and
     * becomes the exit reason.
     */
    protected void terminate(Object reason) {
    }

    /**
     * Whether a process of this node that calls this one ({@code call}, {@code gen:call}'s protocol) while this one
     * is idle may run this process's handlers on its own stack, as {@code ThreadPoolExecutor.CallerRunsPolicy}
     * does. By default such a caller runs this process's activation nested in its own but in a continuation of this
     * process's own, so that this one may still wait in a receive; on the caller's stack the call costs about a third
     * fewer nanoseconds again. Read once, when the process is spawned. Off by default.
     *
     * <p>Turn it on only for servers whose handlers are short and never wait: while a caller runs them it cannot
     * take exit signals, and its call's timeout is raised only when they return (late by as much as they overran).
     * Ergon stops running a process on its callers' threads for good once it blocks in a receive or a call that
     * waits, or once three such runs out of 1024 took more than a millisecond (one may be a pause of the JVM); a
     * handler that blocks outside Ergon only now and then can go unnoticed. Its handlers also see the caller's
     * thread-locals, and a lock the caller holds is theirs to re-enter: do not turn it on for handlers that use
     * either.
     */
    protected boolean callerRuns() {
        return false;
    }

    /**
     * Whether this process runs at high priority, as Erlang's {@code process_flag(priority, high)}: when it becomes
     * runnable it goes ahead of every process of normal priority, on a worker and a carrier thread of its own if all
     * are busy. Read once, when the process is spawned. Off by default; {@link io.ergon.gen.Supervisor} turns it on,
     * so that a supervisor restarts its children promptly even while the node is saturated. Keep it for processes
     * that keep the node healthy and do little: a busy high-priority process delays all the others.
     */
    protected boolean highPriority() {
        return false;
    }

    // ---- acting as this process: each method delegates to context()

    /**
     * This process's {@link ProcessContext}: what it can do as a process. The methods below are shorthands for it;
     * pass it to code that acts for this process (a helper, {@code Supervisor.client(context(), sup)}). Its
     * owner-only operations may be called from this actor's callbacks only.
     */
    protected final ProcessContext context() {
        ProcessContextImpl c = context;
        if (c == null) {
            // made on first use, so that a process that only waits costs no more than its core and this actor;
            // two threads racing here make two equal contexts, and either will do
            c = new ProcessContextImpl(core());
            context = c;
        }
        return c;
    }

    /** This process's pid. */
    protected final Pid self() {
        return context().self();
    }

    /** The node this process runs on. */
    protected final Node node() {
        return context().node();
    }

    /** The process that spawned this one, or null if it was spawned from outside any process. */
    protected final Pid parent() {
        return context().parent();
    }

    /** See {@link ProcessContext#send}. @throws BadArgumentException if a local name is not registered */
    protected final void send(Object to, Object message) {
        context().send(to, message);
    }

    /** See {@link ProcessContext#cast}. */
    protected final void cast(Object to, Object message) {
        context().cast(to, message);
    }

    /** Calls a GenServer (or anything that answers {@code '$gen_call'}) and waits up to 5 seconds for the reply. */
    protected final <T> T call(Object to, Object request) {
        return context().call(to, request);
    }

    /** See {@link ProcessContext#call(Object, Object, Duration)}. */
    protected final <T> T call(Object to, Object request, Duration timeout) {
        return context().call(to, request, timeout);
    }

    /** See {@link ProcessContext#callAs(Object, Object, Class)}. */
    protected final <T> T callAs(Object to, Object request, Class<T> type) {
        return context().callAs(to, request, type);
    }

    /** See {@link ProcessContext#callAs(Object, Object, Class, Duration)}. */
    protected final <T> T callAs(Object to, Object request, Class<T> type, Duration timeout) {
        return context().callAs(to, request, type, timeout);
    }

    /** See {@link ProcessContext#receive(Predicate, Duration)}. */
    protected final Object receive(Predicate<Object> match, Duration timeout) {
        return context().receive(match, timeout);
    }

    /** Waits for the next message; null if none came in time (null timeout waits forever). */
    protected final Object receive(Duration timeout) {
        return context().receive(timeout);
    }

    /** Spawns a process (its {@code init} runs before this returns). */
    protected final Pid spawn(Supplier<? extends Actor> factory) {
        return context().spawn(factory);
    }

    /** Spawns a process linked to this one (the link exists before its {@code init} runs). */
    protected final Pid spawnLink(Supplier<? extends Actor> factory) {
        return context().spawnLink(factory);
    }

    /** Spawns a process monitored by this one. */
    protected final Spawned spawnMonitor(Supplier<? extends Actor> factory) {
        return context().spawnMonitor(factory);
    }

    /** Spawns a process with options (name, link, monitor). */
    protected final Spawned spawn(Supplier<? extends Actor> factory, SpawnOptions options) {
        return context().spawn(factory, options);
    }

    /**
     * Spawns {@code module:function(args)} on another node and waits up to 15 seconds for its pid: see
     * {@link ProcessContext#spawnRemote(String, String, String, List, SpawnOptions, Duration)}.
     */
    protected final Spawned spawnRemote(String node, String module, String function, List<?> args,
                                        SpawnOptions options) {
        return context().spawnRemote(node, module, function, args, options);
    }

    /** Erlang's {@code make_ref()}: a reference unique on this node's incarnation. */
    protected final Ref makeRef() {
        return context().makeRef();
    }

    /** See {@link ProcessContext#link}. */
    protected final void link(Pid pid) {
        context().link(pid);
    }

    /** Removes the link to {@code pid}, if any; no exit signal from it arrives afterwards. */
    protected final void unlink(Pid pid) {
        context().unlink(pid);
    }

    /** See {@link ProcessContext#monitor}. */
    protected final Ref monitor(Object target) {
        return context().monitor(target);
    }

    /** Removes a monitor; no {@link Down} for it arrives afterwards, and one already queued is removed. */
    protected final void demonitor(Ref ref) {
        context().demonitor(ref);
    }

    /** Turns exit signals into {@link Exit} messages (true) or lets them kill this process (false). */
    protected final void trapExit(boolean trap) {
        context().trapExit(trap);
    }

    /** Whether this process traps exits. */
    protected final boolean trapsExit() {
        return context().trapsExit();
    }

    /** See {@link ProcessContext#exit}. */
    protected final void exit(Pid pid, Object reason) {
        context().exit(pid, reason);
    }

    /** Ends this process with {@code reason} once the current callback returns; {@link #terminate} runs first. */
    protected final void stop(Object reason) {
        core().requestStop(Objects.requireNonNull(reason, "reason"));
    }

    /** From {@link #init()}: start nothing; the spawn fails with {@link SpawnException#isIgnore()} true. */
    protected final void ignore() {
        core().requestStop(SpawnException.IGNORE);
    }

    /** Sends {@code message} to {@code to} after {@code delay}. */
    protected final TimerRef sendAfter(Object to, Object message, Duration delay) {
        return context().sendAfter(to, message, delay);
    }

    /**
     * A logger named after this behaviour's class; what it logs carries this process's node and pid in the MDC
     * (keys {@code node} and {@code pid}).
     */
    protected final Logger log() {
        Logger l = log;
        if (l == null) {
            ProcessCore p = core();
            l = new io.ergon.node.internal.ProcessLogger(LoggerFactory.getLogger(getClass()), p.node().name().name(),
                    io.ergon.term.TermFormat.format(p.pid()));
            log = l;
        }
        return l;
    }

    private ProcessCore core() {
        ProcessCore p = process;
        if (p == null) {
            throw new IllegalStateException("this actor has not been spawned; use node.spawn(" + getClass().getSimpleName()
                    + "::new)");
        }
        return p;
    }
}
