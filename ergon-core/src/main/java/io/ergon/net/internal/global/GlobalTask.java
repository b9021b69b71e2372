package io.ergon.net.internal.global;

import io.ergon.node.Actor;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import java.util.function.Consumer;

/** A process that runs one piece of work and ends, as OTP's {@code spawn(fun() -> ... end)}. */
final class GlobalTask extends Actor {
    private static final Object RUN = new Object();
    private final Consumer<ProcessContext> body;

    GlobalTask(Consumer<ProcessContext> body) {
        this.body = body;
    }

    @Override
    protected void init() {
        send(self(), RUN);
    }

    @Override
    protected void handleMessage(Object message) {
        if (message == RUN) {
            body.accept(context());
            stop(Reasons.NORMAL);
        }
    }
}
