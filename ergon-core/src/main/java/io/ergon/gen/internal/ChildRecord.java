package io.ergon.gen.internal;

import io.ergon.gen.ChildInfo;
import io.ergon.gen.ChildSpec;
import io.ergon.gen.Restart;
import io.ergon.term.Pid;

/**
 * A supervisor's record of one child: its spec and, while it runs, its pid (OTP's {@code #child{}}). A child that
 * is not running keeps its spec (unless it is temporary) so that it can be restarted; {@code restarting} marks one
 * whose restart failed and will be tried again.
 */
final class ChildRecord {
    final ChildSpec spec;
    /** The start argument (simple_one_for_one children), else null. */
    final Object arg;
    Pid pid;
    /** The pid it is filed under in a simple_one_for_one supervisor: its own, or its last while it waits to restart. */
    Pid key;
    boolean restarting;
    /** The reason it last exited with, for the restart's report to the node's listeners; null before it exited. */
    Object exitReason;

    ChildRecord(ChildSpec spec, Object arg) {
        this.spec = spec;
        this.arg = arg;
    }

    String id() {
        return spec.id();
    }

    boolean isTemporary() {
        return spec.restart() == Restart.TEMPORARY;
    }

    /** Not running and no restart pending: what OTP's {@code pid = undefined} means. */
    boolean isIdle() {
        return pid == null && !restarting;
    }

    ChildInfo info(String id) {
        return new ChildInfo(id, pid, restarting, spec.type());
    }

    @Override
    public String toString() {
        return "'" + spec.id() + "'" + (pid == null ? "" : " " + pid);
    }
}
