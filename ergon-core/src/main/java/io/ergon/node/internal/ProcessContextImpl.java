package io.ergon.node.internal;

import io.ergon.node.Actor;
import io.ergon.node.ExitException;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.node.TimerRef;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one implementation of {@link ProcessContext}, over a {@link ProcessCore}: used by an actor (from its callbacks)
 * and by a mailbox (from any thread, one at a time).
 *
 * <p>For a mailbox the operations that use the process's own state hold its owner lock, fail with
 * {@link ExitException} once it is closed, and turn a {@link ProcessExit} (an exit signal that ended it while it
 * waited) into that {@code ExitException}. For an actor there is no lock, and a {@code ProcessExit} goes on up to
 * its activation, which ends the process.
 */
public final class ProcessContextImpl implements ProcessContext {
    /* One field only: an actor's context is a 16-byte object. */
    private final ProcessCore process;

    public ProcessContextImpl(ProcessCore process) {
        this.process = Objects.requireNonNull(process, "process");
    }

    @Override
    public Pid self() {
        return process.pid();
    }

    @Override
    public Node node() {
        return process.node().facade();
    }

    @Override
    public Pid parent() {
        return process.parent();
    }

    @Override
    public void send(Object to, Object message) {
        Scheduler.reductionPoint();
        process.node().send(process.pid(), to, message);
    }

    @Override
    public void cast(Object to, Object message) {
        Scheduler.reductionPoint();
        process.node().cast(process.pid(), to, message);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T call(Object to, Object request, Duration timeout) {
        ReentrantLock lock = enter();
        try {
            return (T) process.call(to, request, timeout);
        } catch (ProcessExit e) {
            throw exited(e, lock);
        } finally {
            leave(lock);
        }
    }

    @Override
    public Object receive(Predicate<Object> match, Duration timeout) {
        Objects.requireNonNull(match, "match");
        ReentrantLock lock = enter();
        try {
            return process.receive(match, timeout);
        } catch (ProcessExit e) {
            throw exited(e, lock);
        } finally {
            leave(lock);
        }
    }

    @Override
    public void link(Pid pid) {
        ReentrantLock lock = enter();
        try {
            process.link(pid);
        } catch (ProcessExit e) {
            throw exited(e, lock);
        } finally {
            leave(lock);
        }
    }

    @Override
    public void unlink(Pid pid) {
        ReentrantLock lock = enter();
        try {
            process.unlink(pid);
        } catch (ProcessExit e) {
            throw exited(e, lock);
        } finally {
            leave(lock);
        }
    }

    @Override
    public Ref monitor(Object target) {
        ReentrantLock lock = enter();
        try {
            return process.monitor(target, false);
        } catch (ProcessExit e) {
            throw exited(e, lock);
        } finally {
            leave(lock);
        }
    }

    @Override
    public void demonitor(Ref ref) {
        ReentrantLock lock = enter();
        try {
            process.demonitor(ref, true);
        } catch (ProcessExit e) {
            throw exited(e, lock);
        } finally {
            leave(lock);
        }
    }

    @Override
    public void exit(Pid pid, Object reason) {
        process.exitSignal(pid, reason);
    }

    @Override
    public void trapExit(boolean trap) {
        ReentrantLock lock = enter();
        try {
            process.trapExit(trap);
        } finally {
            leave(lock);
        }
    }

    @Override
    public boolean trapsExit() {
        ReentrantLock lock = enter();
        try {
            return process.trapsExit();
        } finally {
            leave(lock);
        }
    }

    @Override
    public Spawned spawn(Supplier<? extends Actor> factory, SpawnOptions options) {
        ReentrantLock lock = enter();
        try {
            return process.spawn(factory, options);
        } catch (ProcessExit e) {
            throw exited(e, lock);
        } finally {
            leave(lock);
        }
    }

    @Override
    public Spawned spawnRemote(String node, String module, String function, List<?> args, SpawnOptions options,
                               Duration timeout) {
        if (options.name() != null) {
            throw new IllegalArgumentException("a process spawned on another node cannot be registered from here");
        }
        ReentrantLock lock = enter();
        try {
            return process.spawnRemote(Atom.of(node), Atom.of(module), Atom.of(function), List.copyOf(args),
                    options.linked(), options.monitored(), timeout);
        } catch (ProcessExit e) {
            throw exited(e, lock);
        } finally {
            leave(lock);
        }
    }

    @Override
    public void register(String name) {
        node().register(name, process.pid());
    }

    @Override
    public Ref makeRef() {
        return process.node().newRef();
    }

    @Override
    public TimerRef sendAfter(Object to, Object message, Duration delay) {
        return process.node().sendAfter(process.pid(), to, message, delay);
    }

    /**
     * Begins an operation on the process's own state. A mailbox's: takes its owner lock and fails if it is closed;
     * returns the lock to {@link #leave}. An actor's: nothing to do (its callbacks are its only user), null.
     */
    private ReentrantLock enter() {
        ReentrantLock lock = process.ownerLock();
        if (lock != null) {
            lock.lock();
            if (!process.isAlive()) {
                lock.unlock();
                throw new ExitException(process.exitReason());
            }
        }
        return lock;
    }

    private static void leave(ReentrantLock lock) {
        if (lock != null) {
            lock.unlock();
        }
    }

    /** An exit signal ended the process while it waited: a mailbox's user gets the reason; an actor unwinds. */
    private RuntimeException exited(ProcessExit e, ReentrantLock lock) {
        if (lock == null) {
            throw e;
        }
        return new ExitException(process.completeExitFromReceive());
    }
}
