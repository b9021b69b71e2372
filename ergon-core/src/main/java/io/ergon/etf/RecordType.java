package io.ergon.etf;

import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import io.ergon.term.internal.TermInternals;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;

/** How one registered record class maps to its tagged tuple: the tag, the accessors and the constructor. */
final class RecordType {
    final Class<?> type;
    final Atom tag;
    final int arity;
    final Type[] componentTypes;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;

    RecordType(Class<?> type, Atom tag, MethodHandles.Lookup lookup) throws IllegalAccessException {
        this.type = type;
        this.tag = tag;
        RecordComponent[] components = type.getRecordComponents();
        this.arity = components.length;
        this.componentTypes = new Type[arity];
        this.accessors = new MethodHandle[arity];
        Class<?>[] raw = new Class<?>[arity];
        for (int i = 0; i < arity; i++) {
            componentTypes[i] = components[i].getGenericType();
            raw[i] = components[i].getType();
            accessors[i] = lookup.unreflect(components[i].getAccessor())
                    .asType(MethodType.methodType(Object.class, Object.class));
        }
        try {
            this.constructor = lookup.findConstructor(type, MethodType.methodType(void.class, raw))
                    .asType(MethodType.methodType(Object.class, raw).generic())
                    .asSpreader(Object[].class, arity);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
        }
    }

    /** The tagged tuple {@code {tag, C1, ..., Cn}}; null components become {@code undefined}. */
    Tuple toTuple(Object record) {
        Object[] elements = new Object[arity + 1];
        elements[0] = tag;
        for (int i = 0; i < arity; i++) {
            Object v;
            try {
                v = (Object) accessors[i].invokeExact(record);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("reading a component of " + type.getName() + " failed", e);
            }
            elements[i + 1] = v == null ? Atom.UNDEFINED : v;
        }
        return TermInternals.access().wrapTuple(elements);
    }

    /** Builds the record from converted component values (in order), or returns null if its constructor refuses. */
    Object construct(Object[] values) {
        try {
            return (Object) constructor.invokeExact(values);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Like {@link #construct} but says why it failed. */
    Object constructOrThrow(Object[] values) {
        try {
            return (Object) constructor.invokeExact(values);
        } catch (RuntimeException | Error e) {
            throw new IllegalArgumentException("the constructor of " + type.getName() + " refused the values: "
                    + e.getMessage(), e);
        } catch (Throwable e) {
            throw new IllegalArgumentException("the constructor of " + type.getName() + " failed", e);
        }
    }
}
