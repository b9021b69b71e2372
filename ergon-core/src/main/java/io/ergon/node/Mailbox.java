package io.ergon.node;

import io.ergon.node.internal.ProcessContextImpl;
import io.ergon.node.internal.ProcessCore;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A process for a thread that is not one (main, a test, a servlet): a pid with a blocking, optionally selective,
 * receive, like JInterface's {@code OtpMbox}. It is a {@link ProcessContext}: it sends, calls, links, monitors and
 * spawns as that process, and processes send to it, link to it and monitor it as to any process.
 *
 * <p>Any thread may use a mailbox, one at a time (operations take an internal lock). If the mailbox does not trap
 * exits, an exit signal closes it: the next (or current) receive throws {@link ExitException} with the reason.
 * {@link #close()} ends it with reason {@code normal}.
 */
public final class Mailbox implements ProcessContext, AutoCloseable {
    private final ProcessCore core;
    private final ProcessContext context;

    Mailbox(ProcessCore core) {
        this.core = core;
        this.context = new ProcessContextImpl(core);
    }

    /** The mailbox's pid (the same as {@link #self()}). */
    public Pid pid() {
        return core.pid();
    }

    @Override
    public Pid self() {
        return core.pid();
    }

    /** The node this mailbox belongs to. */
    @Override
    public Node node() {
        return context.node();
    }

    /** Null: a mailbox has no parent process. */
    @Override
    public Pid parent() {
        return context.parent();
    }

    /**
     * The first message that matches, leaving the others queued in order; null if none matched in time.
     *
     * @throws ExitException if an exit signal closed the mailbox
     */
    @Override
    public Object receive(Predicate<Object> match, Duration timeout) {
        return context.receive(match, timeout);
    }

    /** Sends a message (see {@link Node#send}). */
    @Override
    public void send(Object to, Object message) {
        context.send(to, message);
    }

    @Override
    public void cast(Object to, Object message) {
        context.cast(to, message);
    }

    /** Calls a GenServer from this mailbox (see {@link ProcessContext#call(Object, Object, Duration)}). */
    @Override
    public <T> T call(Object to, Object request, Duration timeout) {
        return context.call(to, request, timeout);
    }

    @Override
    public void link(Pid pid) {
        context.link(pid);
    }

    @Override
    public void unlink(Pid pid) {
        context.unlink(pid);
    }

    @Override
    public Ref monitor(Object target) {
        return context.monitor(target);
    }

    @Override
    public void demonitor(Ref ref) {
        context.demonitor(ref);
    }

    /** Sends an exit signal (Erlang's {@code exit/2}) from this mailbox. */
    @Override
    public void exit(Pid pid, Object reason) {
        context.exit(pid, reason);
    }

    /** Turns exit signals into {@link Exit} messages instead of closing the mailbox. */
    @Override
    public void trapExit(boolean trap) {
        context.trapExit(trap);
    }

    @Override
    public boolean trapsExit() {
        return context.trapsExit();
    }

    @Override
    public Spawned spawn(Supplier<? extends Actor> factory, SpawnOptions options) {
        return context.spawn(factory, options);
    }

    @Override
    public Spawned spawnRemote(String node, String module, String function, List<?> args, SpawnOptions options,
                               Duration timeout) {
        return context.spawnRemote(node, module, function, args, options, timeout);
    }

    @Override
    public void register(String name) {
        context.register(name);
    }

    @Override
    public Ref makeRef() {
        return context.makeRef();
    }

    @Override
    public TimerRef sendAfter(Object to, Object message, Duration delay) {
        return context.sendAfter(to, message, delay);
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
        ReentrantLock lock = core.ownerLock();
        lock.lock();
        try {
            core.exitNow(reason);
        } finally {
            lock.unlock();
        }
    }

    /** Whether it may serve another call as it is (see {@link ProcessCore#isPristine()}). */
    boolean isPristine() {
        ReentrantLock lock = core.ownerLock();
        lock.lock();
        try {
            return core.isPristine();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Mailbox" + core.pid();
    }
}
