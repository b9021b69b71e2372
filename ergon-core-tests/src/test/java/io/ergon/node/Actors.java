package io.ergon.node;

import io.ergon.term.Pid;
import java.util.function.Consumer;

/** Small actors the tests share. */
final class Actors {
    private Actors() {
    }

    /** Forwards every message it receives to {@code to}. */
    static final class Forwarder extends Actor {
        private final Pid to;
        private final boolean trap;

        Forwarder(Pid to) {
            this(to, false);
        }

        Forwarder(Pid to, boolean trap) {
            this.to = to;
            this.trap = trap;
        }

        @Override
        protected void init() {
            trapExit(trap);
        }

        @Override
        protected void handleMessage(Object message) {
            send(to, message);
        }
    }

    /** Runs a piece of code for each message, as this actor. */
    static final class Scripted extends Actor {
        private final Consumer<Scripted> onInit;
        private final Consumer<Object> onMessage;

        Scripted(Consumer<Scripted> onInit, Consumer<Object> onMessage) {
            this.onInit = onInit;
            this.onMessage = onMessage;
        }

        @Override
        protected void init() {
            if (onInit != null) {
                onInit.accept(this);
            }
        }

        @Override
        protected void handleMessage(Object message) {
            onMessage.accept(message);
        }

        Pid me() {
            return self();
        }

        void doLink(Pid pid) {
            link(pid);
        }

        void doTrap() {
            trapExit(true);
        }

        void doSend(Object to, Object msg) {
            send(to, msg);
        }

        void doExit(Pid pid, Object reason) {
            exit(pid, reason);
        }
    }

    /** Does nothing; waits. */
    static final class Idle extends Actor {
        @Override
        protected void handleMessage(Object message) {
        }
    }
}
