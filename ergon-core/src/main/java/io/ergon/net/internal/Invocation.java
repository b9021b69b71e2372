package io.ergon.net.internal;

import io.ergon.etf.EtfBuffer;
import io.ergon.etf.EtfEncoder;
import io.ergon.etf.RecordRegistry;
import io.ergon.net.Rpc;
import io.ergon.node.CrashReason;
import io.ergon.node.ExitException;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a registered {@link Rpc.Function} for a remote caller and classifies the outcome the way Erlang's
 * {@code try apply(M, F, A) catch Class:Reason:Stack} would: a value, a throw, an exit, or an error with a stack
 * (Java frames become {@code {'Class', method, 0, [{file, F}, {line, L}]}}). An unknown function is
 * {@code error:undef} with the stack {@code [{M, F, Args, []}]}, as in Erlang.
 */
final class Invocation {
    /** How the call ended: {@code kind} is return, throw, exit or error; {@code stack} only for errors. */
    record Outcome(Atom kind, Object value, List<Object> stack) {
        static final Atom RETURN = Atom.of("return");
        static final Atom THROW = Atom.of("throw");
        static final Atom EXIT = Atom.of("exit");
        static final Atom ERROR = Atom.of("error");
    }

    private static final Atom UNDEF = Atom.of("undef");
    private static final Atom FILE = Atom.of("file");
    private static final Atom LINE = Atom.of("line");
    private static final Atom UNENCODABLE = Atom.of("unencodable_result");

    private Invocation() {
    }

    static Outcome invoke(Rpc rpc, Atom module, Atom function, List<Object> args, RecordRegistry records) {
        Rpc.Function fn = rpc.find(module, function, args.size());
        if (fn == null) {
            return new Outcome(Outcome.ERROR, UNDEF, List.of(Tuple.of(module, function, args, List.of())));
        }
        try {
            Object value = fn.apply(args);
            if (value == null) {
                value = Atom.UNDEFINED;
            }
            if (!encodable(value, records)) {
                return new Outcome(Outcome.ERROR, Tuple.of(UNENCODABLE, Atom.of(value.getClass().getName())),
                        List.of());
            }
            return new Outcome(Outcome.RETURN, value, null);
        } catch (Rpc.Throw t) {
            return new Outcome(Outcome.THROW, t.value(), null);
        } catch (Rpc.ErlangError e) {
            return new Outcome(Outcome.ERROR, e.reason(), List.of());
        } catch (ExitException e) {
            return new Outcome(Outcome.EXIT, e.reason(), null);
        } catch (Exception | Error e) {
            return new Outcome(Outcome.ERROR, new CrashReason(e).toTerm(), stack(e));
        }
    }

    private static boolean encodable(Object value, RecordRegistry records) {
        try {
            new EtfEncoder(records).encode(value, new EtfBuffer(64));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The Java stack as Erlang stack frames (at most 20). */
    static List<Object> stack(Throwable t) {
        List<Object> out = new ArrayList<>();
        for (StackTraceElement e : t.getStackTrace()) {
            if (out.size() == 20) {
                break;
            }
            List<Object> location = new ArrayList<>();
            if (e.getFileName() != null) {
                location.add(Tuple.of(FILE, e.getFileName()));
            }
            if (e.getLineNumber() > 0) {
                location.add(Tuple.of(LINE, (long) e.getLineNumber()));
            }
            out.add(Tuple.of(Atom.of(e.getClassName()), Atom.of(e.getMethodName()), 0L, location));
        }
        return out;
    }
}
