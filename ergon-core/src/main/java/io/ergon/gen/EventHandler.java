package io.ergon.gen;

import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler in a {@link GenEvent} manager, as a module implementing OTP's {@code gen_event} behaviour: the manager
 * calls it for every event ({@link #handleEvent}), for calls addressed to it ({@link #handleCall}) and for other
 * messages ({@link #handleInfo}), one at a time, on the manager's process. Its fields are its state.
 *
 * <p>An exception from a callback removes the handler: {@link #terminate} gets {@code {error, {'EXIT', Reason}}},
 * the crash is logged, and the manager goes on with the others. A handler leaves by itself with
 * {@link #removeHandler()}, or hands over to another with {@link #swapHandler}. Never block in a callback: the
 * manager and all its handlers wait with it.
 */
public abstract class EventHandler {
    /** What the handler asked for in its last callback: go on, leave, or hand over. */
    sealed interface Next {
    }

    record Remove() implements Next {
    }

    record Swap(Object args1, Object id2, Supplier<? extends EventHandler> factory, Object args2) implements Next {
    }

    private Next next;
    private ProcessContext manager;

    /**
     * Runs when the handler is added ({@code args} as given to {@code addHandler}) or swapped in (then
     * {@code {Args2, Result}}, {@code Result} being what the old handler's {@link #terminate} returned); throw to
     * refuse, and the adder gets {@code {'EXIT', Reason}}.
     */
    protected void init(Object args) throws Exception {
    }

    /** Handles an event from {@code notify} or {@code sync_notify}. */
    protected void handleEvent(Object event) throws Exception {
    }

    /** Answers a call addressed to this handler ({@code gen_event:call(Manager, Handler, Request)}). */
    protected Object handleCall(Object request) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not handle calls; got "
                + request);
    }

    /** Handles any other message the manager receives. The default logs and drops it, as OTP does. */
    protected void handleInfo(Object message) throws Exception {
        log().warn("{} dropped an unexpected message: {}", getClass().getSimpleName(), message);
    }

    /**
     * Runs when the handler leaves, with why: the {@code Args} of {@code deleteHandler} or of a swap,
     * {@code remove_handler}, {@code stop} (the manager stops), {@code {stop, Reason}} (its supervising process
     * died), or {@code {error, {'EXIT', Reason}}} (it crashed). What it returns is {@code deleteHandler}'s reply, or
     * the new handler's state in a swap. The default returns {@code ok}.
     */
    protected Object terminate(Object why) {
        return Atom.of("ok");
    }

    /** After the current callback, this handler leaves the manager ({@code remove_handler}). */
    protected final void removeHandler() {
        next = new Remove();
    }

    /**
     * After the current callback, this handler leaves ({@link #terminate} with {@code args1}) and a new one,
     * {@code id2} made by {@code factory}, takes its place, initialised with {@code {args2, Result}}
     * ({@code swap_handler}).
     */
    protected final void swapHandler(Object args1, Object id2, Supplier<? extends EventHandler> factory,
            Object args2) {
        next = new Swap(args1, Objects.requireNonNull(id2, "id2"), Objects.requireNonNull(factory, "factory"), args2);
    }

    /** The manager's process, to act as it: send, link, timers ({@code self()} in an Erlang handler). */
    protected final ProcessContext manager() {
        if (manager == null) {
            throw new IllegalStateException("this handler is not in a manager yet");
        }
        return manager;
    }

    /** A logger named after this handler's class. */
    protected final Logger log() {
        return LoggerFactory.getLogger(getClass());
    }

    void attach(ProcessContext manager) {
        this.manager = manager;
    }

    /** What the last callback asked for, cleared. */
    Next takeNext() {
        Next n = next;
        next = null;
        return n;
    }
}
