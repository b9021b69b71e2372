package io.ergon.net.internal;

import io.ergon.etf.RecordRegistry;
import io.ergon.gen.GenServer;
import io.ergon.net.Rpc;
import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.util.List;

/**
 * The part of Erlang's {@code rex} server (kernel's {@code rpc.erl}) that other nodes use, registered as
 * {@code rex}: it answers {@code features_request} (so OTP nodes know to use erpc), and serves
 * {@code {call, M, F, A, GL}}, {@code {block_call, ...}}, {@code {cast, ...}} and the erl_interface style
 * {@code {Pid, {call, M, F, A, GL}}}. Each call runs in a process of its own, so a slow function does not hold rex;
 * the answers are rpc's: the value, a thrown value, or {@code {badrpc, {'EXIT', Reason}}}.
 */
public final class RexServer extends GenServer {
    /** The registered name. */
    public static final Atom NAME = Atom.of("rex");
    private static final Atom FEATURES_REQUEST = Atom.of("features_request");
    private static final Atom FEATURES_REPLY = Atom.of("features_reply");
    private static final Atom CALL = Atom.of("call");
    private static final Atom BLOCK_CALL = Atom.of("block_call");
    private static final Atom CAST = Atom.of("cast");
    private static final Atom BADRPC = Atom.of("badrpc");
    private static final Atom EXIT = Atom.of("EXIT");

    private final Rpc rpc;
    private final RecordRegistry records;

    public RexServer(Rpc rpc, RecordRegistry records) {
        this.rpc = rpc;
        this.records = records;
    }

    @Override
    protected Object handleCall(Object request, From from) {
        if (request instanceof Tuple t && t.size() >= 4 && (t.get(0) == CALL || t.get(0) == BLOCK_CALL)) {
            run(t, from::reply);
            return noReply();
        }
        return Tuple.of(BADRPC, Tuple.of(EXIT, Tuple.of(Atom.of("unsupported_request"), request)));
    }

    @Override
    protected void handleCast(Object message) {
        if (message instanceof Tuple t && t.size() >= 4 && t.get(0) == CAST) {
            run(t, result -> { });
        }
    }

    @Override
    protected void handleInfo(Object message) {
        if (message instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Pid caller) {
            if (t.get(1) == FEATURES_REQUEST) {
                send(caller, Tuple.of(FEATURES_REPLY, node().name(), List.of(Atom.of("erpc"))));
            } else if (t.get(1) instanceof Tuple req && req.size() >= 4 && req.get(0) == CALL) {
                run(req, result -> node().send(caller, Tuple.of(NAME, result)));
            }
        }
    }

    /** Runs {@code {_, M, F, A, ...}} in a fresh process and hands rpc's answer to {@code answer}. */
    @SuppressWarnings("unchecked")
    private void run(Tuple request, java.util.function.Consumer<Object> answer) {
        if (!(request.get(1) instanceof Atom m) || !(request.get(2) instanceof Atom f)
                || !(request.get(3) instanceof List<?> a)) {
            answer.accept(Tuple.of(BADRPC, Tuple.of(EXIT, Atom.of("badarg"))));
            return;
        }
        List<Object> args = (List<Object>) a;
        spawn(() -> new Actor() {
            @Override
            protected void init() {
                Invocation.Outcome o = Invocation.invoke(rpc, m, f, args, records);
                Object result;
                if (o.kind() == Invocation.Outcome.RETURN || o.kind() == Invocation.Outcome.THROW) {
                    result = o.value();
                } else if (o.kind() == Invocation.Outcome.EXIT) {
                    result = Tuple.of(BADRPC, Tuple.of(EXIT, o.value()));
                } else {
                    result = Tuple.of(BADRPC, Tuple.of(EXIT, Tuple.of(o.value(), o.stack())));
                }
                answer.accept(result);
            }
        });
    }
}
