package io.ergon.term.internal;

import io.ergon.term.Atom;
import io.ergon.term.Pid;

/**
 * Runtime-only access to the direct process handle a local {@link Pid} carries. Not exported: the node's runtime uses
 * it to make pids for the processes it spawns and to reach a process from its pid without a table lookup.
 */
public final class LocalHandles {
    /** Implemented by {@link Pid}, which installs it when its class initialises. */
    public interface Bridge {
        Pid localPid(Atom node, int id, int serial, int creation, Object process);

        Object process(Pid pid);
    }

    private static volatile Bridge bridge;

    private LocalHandles() {
    }

    public static void install(Bridge b) {
        bridge = b;
    }

    private static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            try {
                Class.forName(Pid.class.getName(), true, Pid.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = bridge;
        }
        return b;
    }

    /** A pid for a process of this JVM, carrying its handle. */
    public static Pid localPid(Atom node, int id, int serial, int creation, Object process) {
        return bridge().localPid(node, id, serial, creation, process);
    }

    /** The handle the pid carries, or null for a pid that came from elsewhere. */
    public static Object process(Pid pid) {
        return bridge().process(pid);
    }
}
