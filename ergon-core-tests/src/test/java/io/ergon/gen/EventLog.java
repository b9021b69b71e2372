package io.ergon.gen;

import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java twin of {@code ergon_event_log.erl}, for the GenEvent tests: it keeps the events it saw (appending each
 * to a shared trace as well, with its tag), crashes on {@code crash}, answers {@code seen}, and reports how it left.
 */
class EventLog extends EventHandler {
    private final List<String> trace;
    private Object tag;
    private final List<Object> seen = new ArrayList<>();
    volatile Object terminatedWith;

    EventLog(List<String> trace) {
        this.trace = trace;
    }

    @Override
    protected void init(Object args) {
        tag = args;
    }

    @Override
    protected void handleEvent(Object event) {
        if (event == Atom.of("crash")) {
            throw new IllegalStateException("asked to crash");
        }
        if (event == Atom.of("leave")) {
            removeHandler();
        }
        trace.add(tag + ":" + event);
        seen.add(event);
    }

    @Override
    protected Object handleCall(Object request) {
        if (request == Atom.of("seen")) {
            return List.copyOf(seen);
        }
        throw new IllegalArgumentException("unknown call " + request);
    }

    @Override
    protected Object terminate(Object why) {
        terminatedWith = why;
        trace.add(tag + " terminated: " + why);
        return Tuple.of(Atom.of("terminated"), tag, why, (long) seen.size());
    }
}
