package io.ergon.testing;

import io.ergon.node.Actor;
import io.ergon.node.ExitException;
import io.ergon.node.Name;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;
import java.util.List;

/**
 * The Java twin of {@code ergon_ft.erl}'s test process: it traps exits if told to, sends {@code {ready, Self}} to
 * its report destination, obeys {@code {cmd, Op, ...}} messages (answering {@code {done, Op, Result}}) and reports
 * every other message as {@code {got, Self, Msg}}.
 */
public final class TestProc extends Actor {
    private static final Atom CMD = Atom.of("cmd");
    private final boolean trap;
    private final Object report;

    public TestProc(boolean trap, Object report) {
        this.trap = trap;
        this.report = report;
    }

    /** For remote spawns: args are {@code [Trap, Report]}. */
    public static TestProc fromArgs(List<Object> args) {
        return new TestProc(args.get(0) == Atom.TRUE, args.get(1));
    }

    @Override
    protected void init() {
        trapExit(trap);
        send(report, Tuple.of(Atom.of("ready"), self()));
    }

    @Override
    protected void handleMessage(Object message) {
        if (message instanceof Tuple t && t.size() >= 2 && t.get(0) == CMD) {
            String op = ((Atom) t.get(1)).name();
            Object result = Atom.TRUE;
            switch (op) {
                case "link" -> link((Pid) t.get(2));
                case "unlink" -> unlink((Pid) t.get(2));
                case "monitor" -> result = monitor(Name.destination(t.get(2)));
                case "demonitor" -> demonitor((Ref) t.get(2));
                case "exit" -> exit((Pid) t.get(2), t.get(3));
                case "register" -> node().register(((Atom) t.get(2)).name(), self());
                case "stop" -> throw new ExitException(t.get(2));
                case "crash" -> throw new IllegalStateException("crashed on purpose");
                default -> result = Atom.of("unknown");
            }
            send(report, Tuple.of(Atom.of("done"), t.get(1), result));
        } else {
            send(report, Tuple.of(Atom.of("got"), self(), message instanceof TermConvertible c ? c.toTerm() : message));
        }
    }
}
