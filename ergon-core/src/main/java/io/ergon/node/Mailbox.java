package io.ergon.node;

import io.ergon.node.internal.ProcessCore;
import io.ergon.node.internal.ProcessExit;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A pid for a thread that is not a process (main, a test, a servlet), with a blocking receive, like JInterface's
 * {@code OtpMbox}. Processes send to it, link to it and monitor it as to any process.
 *
 * <p>Any thread may use a mailbox, one at a time (operations take an internal lock). If the mailbox does not trap
 * exits, an exit signal closes it: the next (or current) receive throws {@link ExitException} with the reason.
 * {@link #close()} ends it with reason {@code normal}.
 */
public final class Mailbox implements AutoCloseable {
    private final Node node;
    private final ProcessCore core;
    private final ReentrantLock lock;

    Mailbox(Node node, ProcessCore core) {
        this.node = node;
        this.core = core;
        this.lock = core.ownerLock();
    }

    /** The mailbox's pid. */
    public Pid pid() {
        return core.pid();
    }

    /** The next message; null if none arrives within {@code timeout} (null waits forever). */
    public Object receive(Duration timeout) {
        return receive(m -> true, timeout);
    }

    /**
     * The first message that matches, leaving the others queued in order; null if none matched in time.
     *
     * @throws ExitException if an exit signal closed the mailbox
     */
    public Object receive(Predicate<Object> match, Duration timeout) {
        Objects.requireNonNull(match, "match");
        return act(() -> core.receive(match, timeout));
    }

    /** Sends a message (see {@link Node#send}). */
    public void send(Object to, Object message) {
        core.node().send(core.pid(), to, message);
    }

    /** Sends {@code {'$gen_cast', Message}}. */
    public void cast(Object to, Object message) {
        core.node().cast(core.pid(), to, message);
    }

    /** Calls a GenServer from this mailbox (see {@link Actor#call(Object, Object, Duration)}). */
    @SuppressWarnings("unchecked")
    public <T> T call(Object to, Object request, Duration timeout) {
        return (T) act(() -> core.call(to, request, timeout));
    }

    /** Links to a process. */
    public void link(Pid pid) {
        act(() -> {
            core.link(pid);
            return null;
        });
    }

    /** Removes a link. */
    public void unlink(Pid pid) {
        act(() -> {
            core.unlink(pid);
            return null;
        });
    }

    /** Monitors a process (pid, name or {@link Name}); a {@link Down} message arrives when it exits. */
    public Ref monitor(Object target) {
        return act(() -> core.monitor(target, false));
    }

    /** Removes a monitor and any of its DOWN messages already queued. */
    public void demonitor(Ref ref) {
        act(() -> {
            core.demonitor(ref, true);
            return null;
        });
    }

    /**
     * Spawns {@code module:function(args)} on another node, linked to or monitored by this mailbox as
     * {@code options} say, and waits up to {@code timeout} for the new pid.
     *
     * @throws SpawnException with the other node's error ({@code noconnection}, {@code not_allowed}, ...) or
     *     {@code timeout}
     */
    public Spawned spawnRemote(String node, String module, String function, java.util.List<?> args,
                               SpawnOptions options, Duration timeout) {
        if (options.name() != null) {
            throw new IllegalArgumentException("a process spawned on another node cannot be registered from here");
        }
        return act(() -> core.spawnRemote(io.ergon.term.Atom.of(node), io.ergon.term.Atom.of(module),
                io.ergon.term.Atom.of(function), java.util.List.copyOf(args), options.linked(), options.monitored(),
                timeout));
    }

    /** Turns exit signals into {@link Exit} messages instead of closing the mailbox. */
    public void trapExit(boolean trap) {
        act(() -> {
            core.trapExit(trap);
            return null;
        });
    }

    /** Sends an exit signal (Erlang's {@code exit/2}) from this mailbox. */
    public void exit(Pid pid, Object reason) {
        core.exitSignal(pid, reason);
    }

    /** True once closed, by {@link #close()} or by an exit signal. */
    public boolean isClosed() {
        return !core.isAlive();
    }

    /** Closes the mailbox with reason {@code normal}: linked processes get an exit signal, monitors a DOWN. */
    @Override
    public void close() {
        close(Reasons.NORMAL);
    }

    /** Closes the mailbox with {@code reason}. */
    public void close(Object reason) {
        lock.lock();
        try {
            core.exitNow(reason);
        } finally {
            lock.unlock();
        }
    }

    /** Whether it may serve another call as it is (see {@link ProcessCore#isPristine()}). */
    boolean isPristine() {
        lock.lock();
        try {
            return core.isPristine();
        } finally {
            lock.unlock();
        }
    }

    /** The node this mailbox belongs to. */
    public Node node() {
        return node;
    }

    private <T> T act(Supplier<T> action) {
        lock.lock();
        try {
            if (!core.isAlive()) {
                throw new ExitException(core.exitReason());
            }
            return action.get();
        } catch (ProcessExit e) {
            throw new ExitException(core.completeExitFromReceive());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Mailbox" + core.pid();
    }
}
