package io.ergon.bench.xnode;

import io.ergon.gen.GenServer;
import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;

/**
 * The receiving side of the cross-node benchmark on Ergon, the twin of {@code bench/erlang/xnode.escript server}:
 * a registered sink that counts {@code {msg, I}} and answers {@code {sync, From, Ref}} with {@code {Ref, Count}}
 * (then counts from 0 again), and a registered echo GenServer (the request back; its pid for {@code pid}). Prints
 * {@code READY node} and runs until its standard input closes. Usage: {@code XnodeServer NAME COOKIE EPMD_PORT}.
 */
public final class XnodeServer {
    private XnodeServer() {
    }

    public static void main(String[] args) throws Exception {
        try (Node node = Xnode.start(args[0], args[1], Integer.parseInt(args[2]))) {
            node.spawnRegister(Xnode.SINK, Sink::new);
            node.spawnRegister(Xnode.ECHO, Echo::new);
            System.out.println("READY " + node.name());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the driver closes our standard input
            }
        }
        System.exit(0);
    }

    private static final class Sink extends Actor {
        private long count;

        @Override
        protected void handleMessage(Object message) {
            if (message instanceof Tuple t && t.size() == 2 && t.get(0) == Xnode.MSG) {
                count++;
            } else if (message instanceof Tuple t && t.size() == 3 && t.get(0) == Xnode.SYNC) {
                send(t.get(1), Tuple.of(t.get(2), count));
                count = 0;
            }
        }
    }

    private static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request == Xnode.PID ? (Pid) self() : request;
        }
    }
}
