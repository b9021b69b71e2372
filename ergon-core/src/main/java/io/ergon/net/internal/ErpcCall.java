package io.ergon.net.internal;

import io.ergon.etf.RecordRegistry;
import io.ergon.net.Rpc;
import io.ergon.node.Actor;
import io.ergon.node.ExitException;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.util.List;

/**
 * The process that stands for {@code erpc:execute_call(Res, M, F, A)} on this node: it runs the registered function
 * and exits with {@code {Res, return, Value}}, {@code {Res, throw, Value}}, {@code {Res, exit, Reason}} or
 * {@code {Res, error, Reason, Stack}}, which its caller's monitor delivers, exactly as {@code erpc.erl} does.
 */
final class ErpcCall extends Actor {
    private final Rpc rpc;
    private final RecordRegistry records;
    private final Object res;
    private final Atom module;
    private final Atom function;
    private final List<Object> args;

    ErpcCall(Rpc rpc, RecordRegistry records, Object res, Atom module, Atom function, List<Object> args) {
        this.rpc = rpc;
        this.records = records;
        this.res = res;
        this.module = module;
        this.function = function;
        this.args = args;
    }

    @Override
    protected void init() {
        Invocation.Outcome o = Invocation.invoke(rpc, module, function, args, records);
        Object reason = o.kind() == Invocation.Outcome.ERROR
                ? Tuple.of(res, o.kind(), o.value(), o.stack())
                : Tuple.of(res, o.kind(), o.value());
        throw new ExitException(reason);
    }
}
