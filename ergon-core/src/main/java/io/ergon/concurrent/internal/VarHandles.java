package io.ergon.concurrent.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Looks up the {@link VarHandle} of a field in a static initializer without a try/catch at every use. */
public final class VarHandles {
    private VarHandles() {
    }

    /**
     * The handle of field {@code name} of type {@code type} in {@code owner}.
     *
     * @param lookup the caller's {@code MethodHandles.lookup()}, which may see the (private) field
     * @throws ExceptionInInitializerError if there is no such field: a programming error found at class load
     */
    public static VarHandle field(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
