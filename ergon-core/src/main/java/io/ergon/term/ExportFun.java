package io.ergon.term;

import java.util.Objects;

/**
 * An external fun, {@code fun Module:Function/Arity}: a reference to an exported function by name, meaningful on
 * any node that has the module.
 *
 * @param module the module
 * @param function the function name
 * @param arity the number of arguments, 0..255
 */
public record ExportFun(Atom module, Atom function, int arity) {
    public ExportFun {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(function, "function");
        if (arity < 0 || arity > 255) {
            throw new IllegalArgumentException("arity must be 0..255, not " + arity);
        }
    }

    /** Erlang's rendering, {@code fun m:f/1}. */
    @Override
    public String toString() {
        return TermFormat.format(this);
    }
}
