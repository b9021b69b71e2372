package io.ergon.io.tcp;

import io.ergon.gen.GenServer;
import io.ergon.io.bench.EchoServerMain;
import io.ergon.term.Pid;

/** Connection handlers the TCP tests run under a server. */
final class Handlers {
    private Handlers() {
    }

    /** The benchmark's echo handler ({@code {active, once}}), which crashes on a packet that starts with "crash". */
    static final class Echo extends EchoServerMain.Echo {
        Echo(TcpSocket socket) {
            super(socket);
        }

        @Override
        protected void handleInfo(Object message) throws Exception {
            if (message instanceof TcpData d && d.text().startsWith("crash")) {
                throw new IllegalStateException("the handler crashes on purpose");
            }
            super.handleInfo(message);
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
