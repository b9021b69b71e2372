package io.ergon.sample;

import io.ergon.gen.GenServer;
import io.ergon.node.From;

/** Greets whoever asks, Java or Erlang, and numbers the greetings: {@code "Hello Ada (#3)"}. */
final class Greeter extends GenServer {
    static final String NAME = "greeter";
    private long count;

    @Override
    protected Object handleCall(Object request, From from) {
        if (request instanceof Greet(String name)) {
            count++;
            return "Hello " + name + " (#" + count + ")";
        }
        throw new IllegalArgumentException("the greeter takes {greet, Name}, not " + request);
    }
}
