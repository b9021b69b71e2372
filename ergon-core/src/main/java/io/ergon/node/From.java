package io.ergon.node;

import io.ergon.api.InternalApi;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;
import java.util.Objects;

/**
 * Who is waiting for the reply to a call: Erlang's {@code {Pid, Tag}}. A GenServer gets one with each call and may
 * answer at once (by returning the reply) or later, from any thread or process, with {@link #reply(Object)}.
 *
 * <p>A reply to a caller that gave up (timed out) is dropped, as OTP does with aliases; replying twice sends two
 * messages, the second of which the caller ignores.
 */
public final class From implements TermConvertible {
    private final Pid pid;
    private final Object tag;
    private final transient Node node;

    /** A caller on the node {@code node}; built by the runtime (GenServer), not by users. */
    @InternalApi
    public From(Pid pid, Object tag, Node node) {
        this.pid = Objects.requireNonNull(pid, "pid");
        this.tag = Objects.requireNonNull(tag, "tag");
        this.node = node;
    }

    /** The calling process. */
    public Pid pid() {
        return pid;
    }

    /** The call's tag: a reference, or {@code [alias | Ref]} as OTP 24+ sends it. */
    public Object tag() {
        return tag;
    }

    /**
     * Sends the reply to the caller. A {@code null} reply is sent as the atom {@code undefined}, Erlang's "no value",
     * the same to a local caller and to one on another node; a typed call
     * ({@link ProcessContext#callAs(Object, Object, Class)}) turns it back into {@code null}.
     */
    public void reply(Object reply) {
        node.core().reply(pid, tag, reply == null ? Atom.UNDEFINED : reply);
    }

    @Override
    public Object toTerm() {
        return Tuple.of(pid, tag);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof From f && f.pid.equals(pid) && f.tag.equals(tag);
    }

    @Override
    public int hashCode() {
        return pid.hashCode() * 31 + tag.hashCode();
    }

    @Override
    public String toString() {
        return "{" + pid + "," + tag + "}";
    }
}
