package io.ergon.bench.pool;

/** The work a request costs its worker: a spin of a given length on the CPU, the same for every system. */
final class Work {
    private Work() {
    }

    /** Spins for {@code micros} microseconds; returns {@code n} so the JIT cannot drop it. */
    static int spin(int n, int micros) {
        if (micros == 0) {
            return n;
        }
        long end = System.nanoTime() + micros * 1_000L;
        long x = n;
        while (System.nanoTime() < end) {
            x = x * 31 + 7;
        }
        return x == 42 ? -n : n; // never true in practice; keeps the loop's result alive
    }
}
