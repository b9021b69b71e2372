package io.ergon.node.internal;

import io.ergon.node.CrashReason;
import io.ergon.term.TermFormat;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR's record of a process that exited abnormally ({@code io.ergon.ProcessCrash}): the same exits that
 * {@code NodeStats.crashed} counts. Enabled by default in a recording; without a recording it costs one check of
 * {@link #shouldCommit()}, which is false (exits are not a hot path anyway).
 */
@Name(CrashEvent.NAME)
@Label("Process Crash")
@Category({"Ergon", "Processes"})
@Description("A process with a behaviour exited with an abnormal reason (a handler threw, it was killed, it did not "
        + "trap an exit signal, or its init failed)")
@StackTrace(false)
final class CrashEvent extends jdk.jfr.Event {
    static final String NAME = "io.ergon.ProcessCrash";
    /** A reason longer than this is cut in the event (a large term would bloat the recording). */
    private static final int MAX_REASON = 1024;

    @Label("Node")
    String node;

    @Label("Pid")
    String pid;

    @Label("Registered Name")
    String registeredName;

    @Label("Behaviour")
    Class<?> behaviour;

    @Label("Reason")
    @Description("The exit reason in Erlang's syntax")
    String reason;

    @Label("Exception")
    @Description("The class of the exception a handler threw, if one did")
    Class<?> exception;

    @Label("Message")
    @Description("The exception's message")
    String message;

    static void record(ProcessCore p, Class<?> behaviour, Object reason, Throwable cause) {
        CrashEvent e = new CrashEvent();
        if (!e.shouldCommit()) {
            return;
        }
        e.node = p.node().name().name();
        e.pid = TermFormat.format(p.pid());
        e.registeredName = p.registeredName == null ? null : p.registeredName.name();
        e.behaviour = behaviour;
        String text = reason instanceof CrashReason c ? c.exceptionClass() + ": " + c.message()
                : TermFormat.print(reason);
        e.reason = text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "..." : text;
        if (cause != null) {
            e.exception = cause.getClass();
            e.message = cause.getMessage();
        }
        e.commit();
    }
}
