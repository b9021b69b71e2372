package io.ergon.testing;

import io.ergon.gen.GenServer;
import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.Arrays;

/**
 * A GenServer that runs test workloads on the node it lives on, on request from a test on another node:
 * send numbered messages, count arriving ones in order, relay messages back, send a big message, make many calls.
 */
public final class TestAgent extends GenServer {
    /** A record the tests register on both nodes to check that records arrive typed. */
    public record Greeting(String text, long n) {
    }

    /** Echoes every call. */
    public static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    @Override
    protected Object handleCall(Object request, From from) {
        Tuple t = (Tuple) request;
        String op = ((Atom) t.get(0)).name();
        switch (op) {
            case "send_numbered" -> {
                Object dest = t.get(1);
                long n = (Long) t.get(2);
                spawn(() -> new Actor() {
                    @Override
                    protected void init() {
                        for (long i = 1; i <= n; i++) {
                            send(dest, i);
                        }
                    }
                });
                return Atom.OK;
            }
            case "count_in_order" -> {
                long n = (Long) t.get(1);
                Pid reportTo = (Pid) t.get(2);
                spawn(() -> new Actor() {
                    private long next = 1;

                    @Override
                    protected void init() {
                        node().register("counter", self());
                    }

                    @Override
                    protected void handleMessage(Object message) {
                        if (!(message instanceof Long i) || i != next) {
                            send(reportTo, Tuple.of(Atom.of("out_of_order"), next, message));
                            stop(io.ergon.node.Reasons.NORMAL);
                        } else if (++next > n) {
                            send(reportTo, Tuple.of(Atom.of("all_in_order"), n));
                            stop(io.ergon.node.Reasons.NORMAL);
                        }
                    }
                });
                return Atom.OK;
            }
            case "relay" -> {
                Pid reportTo = (Pid) t.get(1);
                spawn(() -> new Actor() {
                    @Override
                    protected void init() {
                        node().register("relay", self());
                    }

                    @Override
                    protected void handleMessage(Object message) {
                        send(reportTo, message);
                    }
                });
                return Atom.OK;
            }
            case "send_big" -> {
                Object dest = t.get(1);
                int size = ((Long) t.get(2)).intValue();
                byte[] bytes = new byte[size];
                Arrays.fill(bytes, (byte) 7);
                send(dest, Tuple.of(Atom.of("big"), Binary.of(bytes)));
                send(dest, Atom.of("small"));
                return Atom.OK;
            }
            case "call_many" -> {
                Object server = t.get(1);
                long n = (Long) t.get(2);
                long ok = 0;
                for (long i = 0; i < n; i++) {
                    Tuple req = Tuple.of(Atom.of("n"), i);
                    Object reply = call(server, req, Duration.ofSeconds(10));
                    if (req.equals(reply)) {
                        ok++;
                    }
                }
                return ok;
            }
            default -> throw new IllegalArgumentException("unknown request " + request);
        }
    }
}
