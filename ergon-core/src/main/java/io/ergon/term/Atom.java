package io.ergon.term;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An Erlang atom: a named constant. Atoms are interned, so two atoms with the same name are the same object and
 * {@code ==} works as well as {@code equals}.
 *
 * <p>An atom's name is at most {@value #MAX_CHARACTERS} Unicode characters (code points), as in Erlang; longer names
 * are refused with {@link IllegalArgumentException}. Like Erlang's atom table, interned atoms are never freed, so
 * create atoms from trusted text only. Names must be well-formed Unicode (no unpaired surrogates).
 */
public final class Atom implements Comparable<Atom> {
    /** The most characters an atom may have (Erlang's limit). */
    public static final int MAX_CHARACTERS = 255;
    /**
     * The most atoms the table holds: the system property {@code ergon.atoms.max}, else 1,048,576 (Erlang's
     * default). Past it, new atoms are refused, so a peer sending ever new atoms cannot exhaust memory.
     */
    public static final int MAX_ATOMS = Integer.getInteger("ergon.atoms.max", 1 << 20);

    private static final ConcurrentHashMap<String, Atom> TABLE = new ConcurrentHashMap<>();

    /** {@code true} */
    public static final Atom TRUE = of("true");
    /** {@code false} */
    public static final Atom FALSE = of("false");
    /** {@code undefined} */
    public static final Atom UNDEFINED = of("undefined");
    /** {@code ok} */
    public static final Atom OK = of("ok");
    /** {@code error} */
    public static final Atom ERROR = of("error");

    private final String name;
    /** The name in UTF-8, as the External Term Format carries it (shared with the codec, never changed). */
    final byte[] utf8;

    private Atom(String name) {
        this.name = name;
        this.utf8 = name.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns the atom with this name.
     *
     * @throws IllegalArgumentException if the name has more than {@value #MAX_CHARACTERS} characters
     * @throws IllegalStateException if the atom is new and the table already holds {@link #MAX_ATOMS} atoms
     * @throws NullPointerException if the name is null
     */
    public static Atom of(String name) {
        Atom atom = TABLE.get(Objects.requireNonNull(name, "name"));
        if (atom != null) {
            return atom;
        }
        check(name);
        if (TABLE.size() >= MAX_ATOMS) {
            atom = TABLE.get(name);
            if (atom == null) {
                throw new IllegalStateException("the atom table is full (" + MAX_ATOMS + " atoms; raise "
                        + "-Dergon.atoms.max): refusing the new atom '" + name + "'");
            }
            return atom;
        }
        return TABLE.computeIfAbsent(name, Atom::new);
    }

    /**
     * The atom with this name if the table has it, else one outside the table, equal to the atom the name would
     * make but not the same object: for a name a stranger sent (a node name before its cookie is proved), which
     * must not fill the table. Intern it with {@link #of(String)} once it may stay.
     *
     * @throws IllegalArgumentException as {@link #of(String)}
     */
    @io.ergon.api.InternalApi
    public static Atom provisional(String name) {
        Atom atom = TABLE.get(Objects.requireNonNull(name, "name"));
        if (atom != null) {
            return atom;
        }
        check(name);
        return new Atom(name);
    }

    private static void check(String name) {
        if (name.length() > MAX_CHARACTERS && name.codePointCount(0, name.length()) > MAX_CHARACTERS) {
            throw new IllegalArgumentException("atom too long: " + name.codePointCount(0, name.length())
                    + " characters, the limit is " + MAX_CHARACTERS);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("atom name has an unpaired surrogate at index " + i);
                }
            }
        }
    }

    /** How many atoms exist. */
    public static int count() {
        return TABLE.size();
    }

    /** Returns {@link #TRUE} or {@link #FALSE}. */
    public static Atom of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** The atom's name, without quotes. */
    public String name() {
        return name;
    }

    /** Compares names as Erlang orders atoms: by their text, code point by code point. */
    @Override
    public int compareTo(Atom other) {
        return TermOrder.compareText(name, other.name);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof Atom atom && atom.name.equals(name));
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** The atom in Erlang syntax, quoted where Erlang would quote it. */
    @Override
    public String toString() {
        return TermFormat.format(this);
    }
}
