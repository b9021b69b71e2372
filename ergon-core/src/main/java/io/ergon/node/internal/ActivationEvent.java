package io.ergon.node.internal;

import io.ergon.term.TermFormat;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * JFR's record of a process that held a worker of the scheduler for long in one go ({@code io.ergon.Activation}):
 * one turn of its activation, from when a worker started or resumed it until it ended, or suspended in a receive
 * (see {@link Turns}). Only turns longer than the threshold are recorded, 20 ms unless the recording's settings say
 * otherwise ({@code +io.ergon.Activation#threshold=5ms}, or {@code RecordingStream.enable(NAME).withThreshold(...)}):
 * a handler that computes or blocks without calling Ergon, which keeps other processes of that worker waiting. A
 * process parked in a receive that could not suspend (a supervisor, a JVM without continuations) holds its worker too,
 * and counts.
 *
 * <p><b>Off unless asked for</b> ({@code @Enabled(false)}), even in a recording with JFR's default settings:
 * {@code -XX:StartFlightRecording:...,+io.ergon.Activation#enabled=true}, or {@code enabled} in a {@code .jfc} file.
 * While it is on, every turn allocates an event and reads JFR's clock twice (not measured here), which a node that
 * runs millions of short activations a second may feel; the JDK keeps its events of that frequency (virtual thread
 * start and end) off by default for the same reason. While it is off, each turn checks
 * {@link #PROBE}{@code .isEnabled()}, which JFR's instrumentation keeps a read of a static flag, and allocates nothing.
 */
@Name(ActivationEvent.NAME)
@Label("Long Process Activation")
@Category({"Ergon", "Processes"})
@Description("A process held a scheduler worker longer than the threshold in one turn, without returning or "
        + "suspending in a receive")
@Threshold("20 ms")
@Enabled(false)
@StackTrace(false)
final class ActivationEvent extends jdk.jfr.Event {
    static final String NAME = "io.ergon.Activation";
    /** Never committed: asked whether the event type is enabled, which is per type, not per instance. */
    private static final ActivationEvent PROBE = new ActivationEvent();

    @Label("Node")
    String node;

    @Label("Pid")
    String pid;

    @Label("Registered Name")
    String registeredName;

    @Label("Behaviour")
    Class<?> behaviour;

    /** A turn's event with its clock started, or null if no recording asks for these events. */
    static ActivationEvent begin(ProcessCore p) {
        if (!PROBE.isEnabled()) {
            return null;
        }
        ActivationEvent e = new ActivationEvent();
        e.begin();
        if (p != null) {
            var actor = p.actor;
            e.behaviour = actor == null ? null : actor.getClass();
            e.process = p;
        }
        return e;
    }

    /** The process, kept until the turn ends (to name it only if the event is committed). */
    private transient ProcessCore process;

    /** Ends a turn's event: committed if it lasted longer than the threshold. */
    static void end(ActivationEvent e) {
        e.end();
        if (e.shouldCommit()) {
            ProcessCore p = e.process;
            if (p != null) {
                e.node = p.node().name().name();
                e.pid = TermFormat.format(p.pid());
                e.registeredName = p.registeredName == null ? null : p.registeredName.name();
            }
            e.process = null;
            e.commit();
        }
    }
}
