package io.ergon.term;

import io.ergon.term.internal.LocalHandles;
import java.util.Objects;

/**
 * An Erlang process identifier: the node that created the process, a 32-bit id, a 32-bit serial and the node's
 * creation (its incarnation). Two pids are equal when all four are equal, so a pid of a restarted node (another
 * creation) never matches a pid of its previous incarnation.
 *
 * <p>A pid made by a node of this JVM also carries a direct handle to its process, which makes local sends fast;
 * the handle takes no part in equality.
 */
public final class Pid {
    static {
        LocalHandles.install(new LocalHandles.Bridge() {
            @Override
            public Pid localPid(Atom node, int id, int serial, int creation, Object process) {
                return new Pid(node, id, serial, creation, Objects.requireNonNull(process));
            }

            @Override
            public Object process(Pid pid) {
                return pid.process;
            }
        });
    }

    private final Atom node;
    private final int id;
    private final int serial;
    private final int creation;
    private final Object process;

    /** A pid as it travels between nodes. */
    public Pid(Atom node, int id, int serial, int creation) {
        this(node, id, serial, creation, null);
    }

    private Pid(Atom node, int id, int serial, int creation, Object process) {
        this.node = Objects.requireNonNull(node, "node");
        this.id = id;
        this.serial = serial;
        this.creation = creation;
        this.process = process;
    }

    /** The name of the node that created the process. */
    public Atom node() {
        return node;
    }

    /** The process number on its node (unsigned 32 bits). */
    public int id() {
        return id;
    }

    /** The serial, which grows when process numbers wrap (unsigned 32 bits). */
    public int serial() {
        return serial;
    }

    /** The creation (incarnation) of the node when it made this pid (unsigned 32 bits). */
    public int creation() {
        return creation;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof Pid pid && pid.id == id && pid.serial == serial
                && pid.creation == creation && pid.node.equals(node));
    }

    @Override
    public int hashCode() {
        return (id * 31 + serial) * 31 + creation;
    }

    /** Erlang's rendering, {@code <N.Id.Serial>}; see {@link TermFormat}. */
    @Override
    public String toString() {
        return TermFormat.format(this);
    }
}
