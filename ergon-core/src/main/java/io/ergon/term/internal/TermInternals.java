package io.ergon.term.internal;

import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.BitString;
import io.ergon.term.ByteList;
import io.ergon.term.LocalFun;
import io.ergon.term.Tuple;

/**
 * Runtime-only, copy-free access to the insides of term values for the codec. Not exported: the arrays it hands
 * out and takes in are shared with immutable values, so only code that never changes them may use it.
 */
public final class TermInternals {
    /** Implemented in {@code io.ergon.term}, installed when the term classes initialise. */
    public interface Access {
        byte[] atomUtf8(Atom atom);

        byte[] binaryBytes(Binary binary);

        Binary wrapBinary(byte[] bytes);

        byte[] bitStringBytes(BitString bits);

        BitString wrapBitString(byte[] bytes, int bitsInLastByte);

        Tuple wrapTuple(Object[] elements);

        Object[] tupleElements(Tuple tuple);

        ByteList wrapByteList(byte[] bytes);

        byte[] byteListBytes(ByteList list);

        byte[] localFunEncoding(LocalFun fun);
    }

    private static volatile Access access;
    private static volatile java.util.function.Function<Object, Object> recordToTerm = r -> null;

    private TermInternals() {
    }

    public static void install(Access a) {
        access = a;
    }

    /**
     * Installs how a Java record becomes a term (the record registries do this); the function returns null for a
     * record it does not know.
     */
    public static void installRecordConverter(java.util.function.Function<Object, Object> converter) {
        recordToTerm = converter;
    }

    /** The tagged tuple a registered record stands for, or null if no registry knows its class. */
    public static Object recordToTerm(Object record) {
        return recordToTerm.apply(record);
    }

    /** The installed access; forces the term classes to initialise on first use. */
    public static Access access() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName("io.ergon.term.Terms", true, TermInternals.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }
}
