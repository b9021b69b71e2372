package io.ergon.gen;

import io.ergon.node.From;

/**
 * An event a {@link GenStatem} handles, one record per event type of OTP's {@code gen_statem}: switch over it with
 * record patterns ({@code case StateEvent.Call(var request, var from) -> ...}).
 *
 * <p>{@link Call}, {@link Cast} and {@link Info} come from the mailbox; the three timeouts from the machine's own
 * timers; {@link Internal} (and any other type) from a {@link Transition#nextEvent} action; {@link Enter} only to a
 * machine that asks for state enter calls ({@link GenStatem#stateEnter()}).
 */
public sealed interface StateEvent {
    /** {@code {call, From}}: a {@code gen_statem:call} or {@code call} from Ergon; answer through {@code from}. */
    record Call(Object request, From from) implements StateEvent {
    }

    /** {@code cast}: a {@code gen_statem:cast}, Ergon's {@code cast}. */
    record Cast(Object message) implements StateEvent {
    }

    /** {@code info}: any other message, including an {@link io.ergon.node.Exit} when trapping exits. */
    record Info(Object message) implements StateEvent {
    }

    /** {@code timeout}: the event timeout expired (no other event came in time). */
    record EventTimeout(Object content) implements StateEvent {
    }

    /** {@code state_timeout}: the state timeout expired (the machine stayed in the state long enough). */
    record StateTimeout(Object content) implements StateEvent {
    }

    /** {@code {timeout, Name}}: the generic timeout of that name expired. */
    record Timeout(Object name, Object content) implements StateEvent {
    }

    /** {@code internal}: an event the machine inserted itself ({@link Transition#nextEvent}). */
    record Internal(Object content) implements StateEvent {
    }

    /**
     * {@code enter}: the state enter call, made after the state changed (or was repeated) and before any other
     * event; {@code previousState} is the state left (the initial state itself on the first call). What it may
     * return is limited as in OTP: no state change, no postpone, no inserted events.
     */
    record Enter(Object previousState) implements StateEvent {
    }
}
