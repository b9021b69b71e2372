package io.ergon.etf;

import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.BitString;
import io.ergon.term.ExportFun;
import io.ergon.term.ImproperList;
import io.ergon.term.LocalFun;
import io.ergon.term.Pid;
import io.ergon.term.Port;
import io.ergon.term.Ref;
import io.ergon.term.TermConvertible;
import io.ergon.term.Terms;
import io.ergon.term.Tuple;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Converts decoded terms to the Java types of record components (the table in docs/TERMS.md). */
final class TypeConversion {
    /** The result of a conversion that does not fit. */
    static final Object NO = new Object();

    private static final Set<Class<?>> DIRECT = Set.of(Object.class, Atom.class, Binary.class, BitString.class,
            Pid.class, Ref.class, Port.class, Tuple.class, ImproperList.class, ExportFun.class, LocalFun.class,
            String.class, byte[].class, BigInteger.class, Number.class, Long.class, Integer.class, Short.class,
            Byte.class, Character.class, Double.class, Float.class, Boolean.class, List.class, Collection.class,
            Iterable.class, Map.class);

    private static final ClassValue<Map<String, Object>> ENUM_CONSTANTS = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            Map<String, Object> byName = new HashMap<>();
            for (Object c : type.getEnumConstants()) {
                byName.put(((Enum<?>) c).name().toLowerCase(Locale.ROOT), c);
            }
            return byName;
        }
    };

    private TypeConversion() {
    }

    /** Why a component type cannot be mapped, or null if it can. */
    static String unsupported(Type type) {
        if (type instanceof Class<?> c) {
            if (c.isPrimitive() || DIRECT.contains(c) || c.isEnum() || c.isRecord()) {
                return null;
            }
            if (c.isArray()) {
                return "arrays other than byte[] are not mapped (use a List)";
            }
            if (TermConvertible.class.isAssignableFrom(c)) {
                return "TermConvertible types encode but cannot be decoded back (use Object)";
            }
            return "type " + c.getName() + " has no term mapping";
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (raw == List.class || raw == Collection.class || raw == Iterable.class || raw == Map.class) {
                for (Type arg : p.getActualTypeArguments()) {
                    String problem = unsupported(arg);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            return "type " + p.getTypeName() + " has no term mapping (use List or Map)";
        }
        if (type instanceof WildcardType w) {
            return unsupported(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?>) {
            return null;
        }
        return "type " + type.getTypeName() + " has no term mapping";
    }

    /** The term converted to the type, or {@link #NO}. */
    static Object convert(Object term, Type type, RecordRegistry registry, boolean strict) {
        if (type instanceof Class<?> c) {
            return convertClass(term, c, registry, strict);
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == Map.class) {
                if (!(term instanceof Map<?, ?> map)) {
                    return undefinedOr(term);
                }
                Map<Object, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Object k = convert(e.getKey(), args[0], registry, strict);
                    Object v = convert(e.getValue(), args[1], registry, strict);
                    if (k == NO || v == NO) {
                        return NO;
                    }
                    out.put(k, v);
                }
                return Collections.unmodifiableMap(out);
            }
            if (!(term instanceof List<?> list)) {
                return undefinedOr(term);
            }
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                Object v = convert(e, args[0], registry, strict);
                if (v == NO) {
                    return NO;
                }
                out.add(v);
            }
            return Collections.unmodifiableList(out);
        }
        if (type instanceof WildcardType w) {
            return convert(term, w.getUpperBounds()[0], registry, strict);
        }
        return term; // a type variable: anything goes
    }

    private static Object undefinedOr(Object term) {
        return term == Atom.UNDEFINED ? null : NO;
    }

    private static Object convertClass(Object term, Class<?> c, RecordRegistry registry, boolean strict) {
        if (c == Object.class) {
            return term;
        }
        if (c.isPrimitive()) {
            return primitive(term, c);
        }
        if (c.isInstance(term) && c != Number.class) {
            return term;
        }
        if (c == String.class) {
            if (term instanceof Binary b) {
                return b.utf8();
            }
            Object s = Terms.asString(term).orElse(null);
            return s != null ? s : undefinedOr(term);
        }
        if (c == byte[].class) {
            return term instanceof Binary b ? b.toByteArray() : undefinedOr(term);
        }
        if (c == Long.class || c == Integer.class || c == Short.class || c == Byte.class || c == Character.class
                || c == Double.class || c == Float.class || c == Boolean.class) {
            Object v = primitive(term, unboxed(c));
            return v == NO ? undefinedOr(term) : v;
        }
        if (c == BigInteger.class) {
            return term instanceof Long l ? BigInteger.valueOf(l) : undefinedOr(term);
        }
        if (c == Number.class) {
            return term instanceof Long || term instanceof BigInteger || term instanceof Double ? term
                    : undefinedOr(term);
        }
        if (c.isEnum()) {
            if (term instanceof Atom a) {
                Object constant = ENUM_CONSTANTS.get(c).get(a.name());
                return constant != null ? constant : (a == Atom.UNDEFINED ? null : NO);
            }
            return NO;
        }
        if (c.isRecord()) {
            RecordType rt = registry.typeOf(c);
            if (rt != null && term instanceof Tuple t && t.size() == rt.arity + 1 && t.get(0) == rt.tag) {
                Object r = registry.build(rt, t.elements().toArray(), strict);
                return r == null ? NO : r;
            }
            return undefinedOr(term);
        }
        if (term == Atom.UNDEFINED && c != Atom.class) {
            return null;
        }
        if ((c == List.class || c == Collection.class || c == Iterable.class) && term instanceof List<?>) {
            return term;
        }
        return NO;
    }

    private static Class<?> unboxed(Class<?> c) {
        if (c == Long.class) {
            return long.class;
        }
        if (c == Integer.class) {
            return int.class;
        }
        if (c == Short.class) {
            return short.class;
        }
        if (c == Byte.class) {
            return byte.class;
        }
        if (c == Character.class) {
            return char.class;
        }
        if (c == Double.class) {
            return double.class;
        }
        if (c == Float.class) {
            return float.class;
        }
        return boolean.class;
    }

    private static Object primitive(Object term, Class<?> c) {
        if (c == boolean.class) {
            return term == Atom.TRUE ? Boolean.TRUE : term == Atom.FALSE ? Boolean.FALSE : NO;
        }
        if (c == double.class || c == float.class) {
            double d;
            if (term instanceof Double x) {
                d = x;
            } else if (term instanceof Long l) {
                d = l;
            } else {
                return NO;
            }
            return c == double.class ? (Object) d : (Object) (float) d;
        }
        if (!(term instanceof Long l)) {
            return NO;
        }
        long v = l;
        if (c == long.class) {
            return l;
        }
        if (c == int.class) {
            return v == (int) v ? (Object) (int) v : NO;
        }
        if (c == short.class) {
            return v == (short) v ? (Object) (short) v : NO;
        }
        if (c == byte.class) {
            return v == (byte) v ? (Object) (byte) v : NO;
        }
        if (c == char.class) {
            return v >= 0 && v <= Character.MAX_VALUE ? (Object) (char) v : NO;
        }
        return NO;
    }
}
