package io.ergon.term;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fun that is not an {@link ExportFun}: a closure made on an Erlang node ({@code NEW_FUN_EXT}). Java cannot call
 * it; Ergon keeps it so that it can travel on, byte for byte as it arrived, and shows its fields for display.
 *
 * <p>Two local funs are equal when all their fields are equal (free variables compared as with
 * {@link Terms#exactlyEqual}). A fun decoded from a standalone encoding keeps those bytes and is encoded with them
 * again; one built from fields is encoded from its fields.
 */
public final class LocalFun {
    private final int arity;
    private final byte[] uniq;
    private final int index;
    private final Atom module;
    private final long oldIndex;
    private final long oldUniq;
    private final Pid pid;
    private final List<Object> freeVars;
    private final byte[] encoding;

    /**
     * @param arity the fun's arity, 0..255
     * @param uniq the 16-byte MD5 of the module's code
     * @param index the fun's index in the module
     * @param module the module that defines the fun
     * @param oldIndex the old-style index
     * @param oldUniq the old-style hash
     * @param pid the process that made the fun
     * @param freeVars the captured variables
     * @param encoding the fun's exact {@code NEW_FUN_EXT} bytes (from the tag on), or null to encode from the fields
     */
    public LocalFun(int arity, byte[] uniq, int index, Atom module, long oldIndex, long oldUniq, Pid pid,
            List<?> freeVars, byte[] encoding) {
        if (arity < 0 || arity > 255) {
            throw new IllegalArgumentException("arity must be 0..255, not " + arity);
        }
        if (uniq.length != 16) {
            throw new IllegalArgumentException("uniq must be 16 bytes, not " + uniq.length);
        }
        this.arity = arity;
        this.uniq = uniq.clone();
        this.index = index;
        this.module = Objects.requireNonNull(module, "module");
        this.oldIndex = oldIndex;
        this.oldUniq = oldUniq;
        this.pid = Objects.requireNonNull(pid, "pid");
        this.freeVars = List.copyOf(freeVars);
        this.encoding = encoding == null ? null : encoding.clone();
    }

    public int arity() {
        return arity;
    }

    /** A copy of the 16-byte code hash. */
    public byte[] uniq() {
        return uniq.clone();
    }

    public int index() {
        return index;
    }

    public Atom module() {
        return module;
    }

    public long oldIndex() {
        return oldIndex;
    }

    public long oldUniq() {
        return oldUniq;
    }

    public Pid pid() {
        return pid;
    }

    public List<Object> freeVars() {
        return freeVars;
    }

    /** A copy of the bytes this fun arrived as (tag 112 first), or null if it was built from fields. */
    public byte[] encoding() {
        return encoding == null ? null : encoding.clone();
    }

    /** The same bytes without a copy, for the codec. */
    byte[] encodingNoCopy() {
        return encoding;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof LocalFun f)) {
            return false;
        }
        if (f.arity != arity || f.index != index || f.oldIndex != oldIndex || f.oldUniq != oldUniq
                || f.module != module || !Arrays.equals(f.uniq, uniq) || !f.pid.equals(pid)
                || f.freeVars.size() != freeVars.size()) {
            return false;
        }
        for (int i = 0; i < freeVars.size(); i++) {
            if (!Terms.exactlyEqual(freeVars.get(i), f.freeVars.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return (module.hashCode() * 31 + index) * 31 + Arrays.hashCode(uniq);
    }

    /** Erlang's rendering, {@code #Fun<Module.Index.Uniq>}. */
    @Override
    public String toString() {
        return TermFormat.format(this);
    }
}
