package io.ergon.io.tcp;

import io.ergon.gen.GenServer;
import io.ergon.io.Active;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;

/** Connection handlers the TCP tests run under a server. */
final class Handlers {
    private Handlers() {
    }

    /** Echoes every packet back, one at a time ({@code {active, once}}); stops when the peer closes. */
    static final class Echo extends GenServer {
        private final TcpSocket socket;

        Echo(TcpSocket socket) {
            this.socket = socket;
        }

        @Override
        protected void init() {
            socket.setActive(Active.once());
        }

        @Override
        protected void handleInfo(Object message) {
            switch (message) {
                case TcpData d -> {
                    if (d.text().startsWith("crash")) {
                        throw new IllegalStateException("the handler crashes on purpose");
                    }
                    socket.send(d.data());
                    socket.setActive(Active.once());
                }
                case TcpClosed c -> stop(Reasons.NORMAL);
                default -> { }
            }
        }
    }

    /** Tells {@code probe} its socket when it starts, and forwards everything it gets there; it never reads by itself. */
    static final class Forward extends GenServer {
        private final TcpSocket socket;
        private final Pid probe;

        Forward(TcpSocket socket, Pid probe) {
            this.socket = socket;
            this.probe = probe;
        }

        @Override
        protected void init() {
            send(probe, new Started(self(), socket));
        }

        @Override
        protected void handleInfo(Object message) {
            send(probe, message);
        }
    }

    record Started(Pid handler, TcpSocket socket) {
    }
}
