package io.ergon.etf;

/**
 * Bounds on what the decoder accepts, so that hostile input fails with an {@link EtfException} instead of
 * exhausting memory or time. Every count is also bounded by the input itself: the decoder allocates nothing larger
 * than the bytes in front of it could fill.
 *
 * @param maxBytes the longest encoding accepted (the slice given to the decoder)
 * @param maxDepth how deeply containers (tuples, lists, maps, fun environments) may nest
 * @param maxTupleArity the most elements in one tuple
 * @param maxListLength the most elements in one list (before its tail)
 * @param maxMapSize the most pairs in one map
 * @param maxBinaryBytes the most bytes in one binary, bitstring or string
 * @param maxBigIntegerBytes the most magnitude bytes in one big integer (large ones are slow to print)
 * @param maxDecompressedBytes the largest uncompressed size a compressed term may declare
 * @param maxAtomCharacters the most characters in an atom (Erlang's own limit is 255)
 * @param maxMapKeyDepth how deeply a map key may nest: keys are hashed and compared by Java's recursive
 *     {@code hashCode}/{@code equals} while the map is built, so this bounds the stack that takes
 */
public record DecodeLimits(int maxBytes, int maxDepth, int maxTupleArity, int maxListLength, int maxMapSize,
        int maxBinaryBytes, int maxBigIntegerBytes, int maxDecompressedBytes, int maxAtomCharacters,
        int maxMapKeyDepth) {
    private static final int MIB = 1 << 20;

    /**
     * 64 MiB in, 64 MiB decompressed, nesting 4096 deep (map keys 256), 16M elements, 64 KiB big integers,
     * 255-character atoms.
     */
    public static final DecodeLimits DEFAULT = new DecodeLimits(64 * MIB, 4096, 16 * MIB, 16 * MIB, 16 * MIB,
            64 * MIB, 64 * 1024, 64 * MIB, 255, 256);

    /**
     * For messages from a peer that has proved the cookie: what OTP itself sends in normal use, bounded by memory
     * rather than by suspicion. 512 MiB in (a frame, or a binary or string in it), 512 MiB decompressed, 4 MiB big
     * integers (OTP's largest is about 2 MiB), nesting 4096 deep (map keys 256), 64M elements, 255-character atoms.
     */
    public static final DecodeLimits DISTRIBUTION = new DecodeLimits(512 * MIB, 4096, 64 * MIB, 64 * MIB, 64 * MIB,
            512 * MIB, 4 * MIB, 512 * MIB, 255, 256);

    public DecodeLimits {
        if (maxBytes < 1 || maxDepth < 1 || maxTupleArity < 0 || maxListLength < 0 || maxMapSize < 0
                || maxBinaryBytes < 0 || maxBigIntegerBytes < 1 || maxDecompressedBytes < 0 || maxAtomCharacters < 0
                || maxAtomCharacters > 255 || maxMapKeyDepth < 0) {
            throw new IllegalArgumentException("limits must be positive (atoms at most 255 characters): " + this);
        }
    }

    /** The defaults. */
    public static DecodeLimits defaults() {
        return DEFAULT;
    }

    public DecodeLimits withMaxBytes(int v) {
        return new DecodeLimits(v, maxDepth, maxTupleArity, maxListLength, maxMapSize, maxBinaryBytes,
                maxBigIntegerBytes, maxDecompressedBytes, maxAtomCharacters, maxMapKeyDepth);
    }

    public DecodeLimits withMaxDepth(int v) {
        return new DecodeLimits(maxBytes, v, maxTupleArity, maxListLength, maxMapSize, maxBinaryBytes,
                maxBigIntegerBytes, maxDecompressedBytes, maxAtomCharacters, maxMapKeyDepth);
    }

    public DecodeLimits withMaxTupleArity(int v) {
        return new DecodeLimits(maxBytes, maxDepth, v, maxListLength, maxMapSize, maxBinaryBytes,
                maxBigIntegerBytes, maxDecompressedBytes, maxAtomCharacters, maxMapKeyDepth);
    }

    public DecodeLimits withMaxListLength(int v) {
        return new DecodeLimits(maxBytes, maxDepth, maxTupleArity, v, maxMapSize, maxBinaryBytes,
                maxBigIntegerBytes, maxDecompressedBytes, maxAtomCharacters, maxMapKeyDepth);
    }

    public DecodeLimits withMaxMapSize(int v) {
        return new DecodeLimits(maxBytes, maxDepth, maxTupleArity, maxListLength, v, maxBinaryBytes,
                maxBigIntegerBytes, maxDecompressedBytes, maxAtomCharacters, maxMapKeyDepth);
    }

    public DecodeLimits withMaxBinaryBytes(int v) {
        return new DecodeLimits(maxBytes, maxDepth, maxTupleArity, maxListLength, maxMapSize, v,
                maxBigIntegerBytes, maxDecompressedBytes, maxAtomCharacters, maxMapKeyDepth);
    }

    public DecodeLimits withMaxBigIntegerBytes(int v) {
        return new DecodeLimits(maxBytes, maxDepth, maxTupleArity, maxListLength, maxMapSize, maxBinaryBytes, v,
                maxDecompressedBytes, maxAtomCharacters, maxMapKeyDepth);
    }

    public DecodeLimits withMaxDecompressedBytes(int v) {
        return new DecodeLimits(maxBytes, maxDepth, maxTupleArity, maxListLength, maxMapSize, maxBinaryBytes,
                maxBigIntegerBytes, v, maxAtomCharacters, maxMapKeyDepth);
    }

    public DecodeLimits withMaxMapKeyDepth(int v) {
        return new DecodeLimits(maxBytes, maxDepth, maxTupleArity, maxListLength, maxMapSize, maxBinaryBytes,
                maxBigIntegerBytes, maxDecompressedBytes, maxAtomCharacters, v);
    }

    public DecodeLimits withMaxAtomCharacters(int v) {
        return new DecodeLimits(maxBytes, maxDepth, maxTupleArity, maxListLength, maxMapSize, maxBinaryBytes,
                maxBigIntegerBytes, maxDecompressedBytes, v, maxMapKeyDepth);
    }
}
