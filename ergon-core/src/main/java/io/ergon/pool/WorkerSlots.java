package io.ergon.pool;

import io.ergon.term.Pid;

/** A pool's workers by slot: each one's pid, the requests it holds, whether it is checked out; and the choice of one. */
final class WorkerSlots {
    private final Pid[] pids;
    private final int[] load;
    private final boolean[] checkedOut;
    private final int capacity;
    private int cursor;

    WorkerSlots(int size, int capacity) {
        this.pids = new Pid[size];
        this.load = new int[size];
        this.checkedOut = new boolean[size];
        this.capacity = capacity;
    }

    int size() {
        return pids.length;
    }

    Pid pid(int slot) {
        return pids[slot];
    }

    /** Puts a (re)started worker in {@code slot}, idle; null while it has none. */
    void fill(int slot, Pid pid) {
        pids[slot] = pid;
        load[slot] = 0;
        checkedOut[slot] = false;
    }

    int slotOf(Pid pid) {
        for (int i = 0; i < pids.length; i++) {
            if (pid.equals(pids[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The slot for one more request by {@code strategy}, or -1 if every worker is full or checked out. */
    int pick(PoolStrategy strategy) {
        int best = -1;
        for (int k = 0; k < pids.length; k++) {
            int i = (cursor + k) % pids.length;
            if (pids[i] == null || checkedOut[i] || load[i] >= capacity) {
                continue;
            }
            if (strategy == PoolStrategy.ROUND_ROBIN) {
                best = i;
                break;
            }
            if (best < 0 || load[i] < load[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            cursor = (best + 1) % pids.length;
        }
        return best;
    }

    /** An idle worker's slot to check out, or -1. */
    int pickIdle() {
        for (int k = 0; k < pids.length; k++) {
            int i = (cursor + k) % pids.length;
            if (pids[i] != null && !checkedOut[i] && load[i] == 0) {
                cursor = (i + 1) % pids.length;
                return i;
            }
        }
        return -1;
    }

    /** The next worker in turn, whatever its load (for casts, which the pool does not follow). */
    int next() {
        int i = cursor;
        cursor = (cursor + 1) % pids.length;
        return i;
    }

    void addRequest(int slot) {
        load[slot]++;
    }

    void requestDone(int slot) {
        load[slot]--;
    }

    void checkOut(int slot, boolean out) {
        checkedOut[slot] = out;
    }

    boolean isCheckedOut(int slot) {
        return checkedOut[slot];
    }

    int requests() {
        int sum = 0;
        for (int l : load) {
            sum += l;
        }
        return sum;
    }

    int checkedOutCount() {
        int n = 0;
        for (boolean b : checkedOut) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
