package io.ergon.node.internal;

/**
 * Unwinds a process's handler stack once the process has to exit (killed while blocked in a receive, or the node
 * shutting down). An {@link Error} so that ordinary {@code catch (Exception e)} blocks in handlers let it pass; the
 * runtime does not rely on it arriving, since it also checks {@link ProcessCore}'s exit flag after each callback.
 */
public final class ProcessExit extends Error {
    final Object reason;
    final boolean runTerminate;

    ProcessExit(Object reason, boolean runTerminate) {
        super(null, null, false, false);
        this.reason = reason;
        this.runTerminate = runTerminate;
    }
}
