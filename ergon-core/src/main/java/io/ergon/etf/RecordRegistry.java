package io.ergon.etf;

import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import io.ergon.term.internal.TermInternals;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Java records that travel as tagged tuples: a registered record {@code Greet(String name)} encodes as
 * {@code {greet, <<"Ada">>}} and a decoder given this registry turns such a tuple back into a {@code Greet},
 * converting each element to its component's declared type (a binary to {@code String}, {@code true} to
 * {@code boolean}, an atom to an enum constant, a list to {@code List<X>} element by element, nested registered
 * records, and so on; the full table is in {@code docs/TERMS.md}).
 *
 * <p>The tag is the class's simple name in snake case ({@code GetUser} is {@code get_user}, {@code HTTPError}
 * {@code http_error}) unless given. A tag may be shared by records of different arity, but a tag and arity name one
 * record. A tuple whose elements do not fit the record's component types (or that its constructor refuses) stays a
 * {@link Tuple}. A {@code null} component encodes as {@code undefined}, and {@code undefined} decodes to {@code null}
 * for components of reference type other than {@link Atom} and {@code Object}.
 *
 * <p>Thread-safe. A node owns a registry; {@link #global()} is the one used where none is given.
 */
public final class RecordRegistry {
    private static final RecordRegistry GLOBAL = new RecordRegistry();
    /** Every class registered anywhere, so that formatting and equality can see records as tuples. */
    private static final ConcurrentHashMap<Class<?>, RecordType> ANY = new ConcurrentHashMap<>();

    static {
        TermInternals.installRecordConverter(r -> {
            RecordType t = ANY.get(r.getClass());
            return t == null ? null : t.toTuple(r);
        });
    }

    private final ConcurrentHashMap<Class<?>, RecordType> byClass = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Atom, RecordType[]> byTag = new ConcurrentHashMap<>();

    /** An empty registry. */
    public RecordRegistry() {
    }

    /** The registry used by encoders and decoders made without one. */
    public static RecordRegistry global() {
        return GLOBAL;
    }

    /** Registers a record under its snake-case name. */
    public <R extends Record> RecordRegistry register(Class<R> type) {
        return register(type, snakeCase(type.getSimpleName()));
    }

    /** Registers a record under the given tag. */
    public <R extends Record> RecordRegistry register(Class<R> type, String tag) {
        return register(type, tag, null);
    }

    /**
     * Registers a record under the given tag, reaching its constructor and accessors through {@code lookup} (for a
     * record in a named module whose package is not open to {@code io.ergon.core}: pass
     * {@code MethodHandles.lookup()} from that package).
     *
     * @throws IllegalArgumentException if the class is already registered, the tag and arity are taken by another
     *     record, a component type cannot be mapped, or the record cannot be reached
     */
    public synchronized <R extends Record> RecordRegistry register(Class<R> type, String tag,
            MethodHandles.Lookup lookup) {
        Objects.requireNonNull(type, "type");
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        Atom atom = Atom.of(tag);
        RecordType existing = byClass.get(type);
        if (existing != null) {
            if (existing.tag == atom) {
                return this;
            }
            throw new IllegalArgumentException(type.getName() + " is already registered as '" + existing.tag.name()
                    + "'");
        }
        for (var component : type.getRecordComponents()) {
            String problem = TypeConversion.unsupported(component.getGenericType());
            if (problem != null) {
                throw new IllegalArgumentException("record " + type.getName() + " component " + component.getName()
                        + ": " + problem);
            }
        }
        RecordType rt;
        try {
            rt = new RecordType(type, atom, lookup != null ? lookup : lookupFor(type));
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot reach record " + type.getName() + ": open its package to "
                    + "io.ergon.core or register it with a MethodHandles.Lookup from its package", e);
        }
        RecordType[] sameTag = byTag.getOrDefault(atom, new RecordType[0]);
        for (RecordType other : sameTag) {
            if (other.arity == rt.arity) {
                throw new IllegalArgumentException("tag '" + tag + "' with " + rt.arity + " components is already "
                        + "taken by " + other.type.getName());
            }
        }
        RecordType[] updated = java.util.Arrays.copyOf(sameTag, sameTag.length + 1);
        updated[sameTag.length] = rt;
        byTag.put(atom, updated);
        byClass.put(type, rt);
        ANY.putIfAbsent(type, rt);
        return this;
    }

    private static MethodHandles.Lookup lookupFor(Class<?> type) throws IllegalAccessException {
        RecordRegistry.class.getModule().addReads(type.getModule());
        return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    }

    /** True if the class is registered here. */
    public boolean isRegistered(Class<?> type) {
        return byClass.containsKey(type);
    }

    /** The tag a registered record class encodes with. */
    public Atom tagOf(Class<? extends Record> type) {
        RecordType rt = byClass.get(type);
        if (rt == null) {
            throw notRegistered(type);
        }
        return rt.tag;
    }

    /**
     * The tagged tuple a record stands for (its components left as Java values, which the encoder maps).
     *
     * @throws IllegalArgumentException if the record's class is not registered here
     */
    public Tuple toTerm(Record record) {
        RecordType rt = byClass.get(record.getClass());
        if (rt == null) {
            throw notRegistered(record.getClass());
        }
        return rt.toTuple(record);
    }

    /** The mapping for a record class, or null. */
    RecordType typeOf(Class<?> type) {
        return byClass.get(type);
    }

    /**
     * Converts a term, as decoded, to a Java type: registered records from their tuples, {@code String} from a
     * binary or a character list, numbers, booleans, enums, lists and maps element by element (see
     * {@code docs/TERMS.md}).
     *
     * @throws IllegalArgumentException if the term does not fit the type
     */
    public <T> T fromTerm(Object term, Class<T> type) {
        Object v = convert(term, type);
        @SuppressWarnings("unchecked")
        T t = (T) (type.isPrimitive() ? v : type.cast(v));
        return t;
    }

    /** Like {@link #fromTerm(Object, Class)} for a generic type such as {@code List<String>}. */
    public Object convert(Object term, Type type) {
        Object v = TypeConversion.convert(term, type, this, true);
        if (v == TypeConversion.NO) {
            throw new IllegalArgumentException("cannot convert " + io.ergon.term.TermFormat.format(term) + " to "
                    + type.getTypeName());
        }
        return v;
    }

    /** The record a decoded tuple's elements stand for, or null if none fits. */
    Object fromTuple(Object[] elements) {
        RecordType[] candidates = byTag.get((Atom) elements[0]);
        if (candidates == null) {
            return null;
        }
        for (RecordType rt : candidates) {
            if (rt.arity == elements.length - 1) {
                return build(rt, elements, false);
            }
        }
        return null;
    }

    /** Builds the record from tuple elements ({@code elements[0]} is the tag), or null / an exception. */
    Object build(RecordType rt, Object[] elements, boolean strict) {
        Object[] values = new Object[rt.arity];
        for (int i = 0; i < rt.arity; i++) {
            Object v = TypeConversion.convert(elements[i + 1], rt.componentTypes[i], this, strict);
            if (v == TypeConversion.NO) {
                if (strict) {
                    throw new IllegalArgumentException("element " + (i + 2) + " of {" + rt.tag.name() + ", ...}, "
                            + io.ergon.term.TermFormat.format(elements[i + 1]) + ", does not fit "
                            + rt.componentTypes[i].getTypeName());
                }
                return null;
            }
            values[i] = v;
        }
        return strict ? rt.constructOrThrow(values) : rt.construct(values);
    }

    private static IllegalArgumentException notRegistered(Class<?> type) {
        return new IllegalArgumentException("record " + type.getName() + " is not registered: call "
                + "registry.register(" + type.getSimpleName() + ".class) first");
    }

    /** The snake-case form of a class name: {@code GetUserById} is {@code get_user_by_id}, {@code HTTPError} is
     * {@code http_error}. */
    public static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && (Character.isLowerCase(name.charAt(i - 1))
                        || Character.isDigit(name.charAt(i - 1)));
                boolean endsAcronym = i > 0 && Character.isUpperCase(name.charAt(i - 1)) && i + 1 < name.length()
                        && Character.isLowerCase(name.charAt(i + 1));
                if (afterLower || endsAcronym) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
