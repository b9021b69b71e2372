package io.ergon.io.http;

import io.ergon.io.Active;
import io.ergon.node.Actor;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;

/** WebSocket session processes the HTTP tests run. */
final class Sessions {
    private Sessions() {
    }

    /** Echoes each message back (upper-cased text), one at a time; crashes on "crash"; ends when the session ends. */
    static final class Echo extends Actor {
        private final WebSocket ws;

        Echo(WebSocket ws) {
            this.ws = ws;
        }

        @Override
        protected void handleMessage(Object message) {
            switch (message) {
                case WebSocketText t when t.text().equals("crash") ->
                        throw new IllegalStateException("the session crashes on purpose");
                case WebSocketText t when t.text().equals("bye") -> ws.close(1000, "bye");
                case WebSocketText t -> {
                    ws.sendText(t.text().toUpperCase());
                    ws.setActive(Active.once());
                }
                case WebSocketBinary b -> {
                    ws.sendBinary(b.data());
                    ws.setActive(Active.once());
                }
                case WebSocketClosed c -> stop(Reasons.NORMAL);
                default -> { }
            }
        }
    }

    /** Tells {@code probe} its pid, then forwards everything it gets there and never asks for more by itself. */
    static final class Forward extends Actor {
        private final WebSocket ws;
        private final Pid probe;

        Forward(WebSocket ws, Pid probe) {
            this.ws = ws;
            this.probe = probe;
        }

        @Override
        protected void init() {
            send(probe, new Opened(self(), ws));
        }

        @Override
        protected void handleMessage(Object message) {
            send(probe, message);
        }
    }

    record Opened(Pid session, WebSocket ws) {
    }
}
