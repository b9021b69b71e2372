package io.ergon.net.internal.global;

import io.ergon.net.internal.global.GlobalTerms.Key;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The lock table of one node: OTP's {@code global_locks} ({@code {ResourceId, LockRequesterId, [{Pid, Ref}]}}) and
 * its index {@code global_pid_ids}. A lock id is {@code {ResourceId, LockRequesterId}}: a resource is locked by one
 * requester id at a time, which any number of processes may hold together; each holder is monitored, and the lock
 * goes when its last holder releases it or exits. Only the name server changes the table (through the methods that
 * take its monitor functions); the locker and lock-taking processes read it ({@link #canSetLock}), as OTP's do.
 */
final class GlobalLocks {
    /** A process holding a lock, and the server's monitor of it. */
    record Holder(Pid pid, Ref ref) {
    }

    /** One locked resource. */
    record Lock(Object resource, Object requester, List<Holder> holders) {
        boolean heldBy(Pid pid) {
            for (Holder h : holders) {
                if (h.pid().equals(pid)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final ConcurrentHashMap<Key, Lock> locks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Ref, Key> byRef = new ConcurrentHashMap<>();
    /** OTP's {@code global_lock_down}: global's own lock went because its holder exited. */
    private volatile boolean globalLockDown;

    /** The lock on {@code resource}, or null. */
    Lock get(Object resource) {
        return locks.get(new Key(resource));
    }

    /** Whether {@code resource} is locked. */
    boolean isLockSet(Object resource) {
        return locks.containsKey(new Key(resource));
    }

    /** Whether global's own resource ({@code global}) is locked: names are being changed or exchanged. */
    boolean isGlobalLockSet() {
        return isLockSet(GlobalTerms.GLOBAL);
    }

    boolean globalLockDown() {
        return globalLockDown;
    }

    /**
     * OTP's {@code can_set_lock/1}: the holders so far if {@code id} may take its resource (free, or locked by the
     * same requester id), null if another requester holds it.
     */
    List<Holder> canSetLock(Object id) {
        if (!(id instanceof Tuple t) || t.size() != 2) {
            return null;
        }
        Lock l = get(t.get(0));
        if (l == null) {
            return List.of();
        }
        return GlobalTerms.same(l.requester(), t.get(1)) ? l.holders() : null;
    }

    /** OTP's {@code handle_set_lock/3}: {@code pid} takes {@code id} if it can; true if it holds it now. */
    boolean setLock(Object id, Pid pid, Function<Pid, Ref> monitor) {
        List<Holder> holders = canSetLock(id);
        if (holders == null) {
            return false;
        }
        for (Holder h : holders) {
            if (h.pid().equals(pid)) {
                return true;
            }
        }
        Tuple t = (Tuple) id;
        Ref ref = monitor.apply(pid);
        List<Holder> now = new ArrayList<>(holders.size() + 1);
        now.add(new Holder(pid, ref));
        now.addAll(holders);
        Key k = new Key(t.get(0));
        locks.put(k, new Lock(t.get(0), t.get(1), List.copyOf(now)));
        byRef.put(ref, k);
        return true;
    }

    /** OTP's {@code handle_del_lock/3}: {@code pid} releases {@code id} (nothing if another requester holds it). */
    void delLock(Object id, Pid pid, Consumer<Ref> demonitor) {
        if (!(id instanceof Tuple t) || t.size() != 2) {
            return;
        }
        Lock l = get(t.get(0));
        if (l != null && GlobalTerms.same(l.requester(), t.get(1))) {
            remove(l, pid, false, demonitor);
        }
    }

    /** OTP's {@code delete_lock/2}: the holder monitored by {@code ref} exited; it releases what it held. */
    void holderDown(Ref ref, Consumer<Ref> demonitor) {
        Key k = byRef.get(ref);
        if (k == null) {
            return;
        }
        Lock l = locks.get(k);
        if (l == null) {
            byRef.remove(ref);
            return;
        }
        for (Holder h : l.holders()) {
            if (h.ref().equals(ref)) {
                remove(l, h.pid(), true, demonitor);
                return;
            }
        }
        byRef.remove(ref);
    }

    /** OTP's {@code remove_lock/6}. */
    private void remove(Lock l, Pid pid, boolean down, Consumer<Ref> demonitor) {
        Key k = new Key(l.resource());
        if (l.holders().size() == 1 && l.holders().get(0).pid().equals(pid)) {
            Ref ref = l.holders().get(0).ref();
            demonitor.accept(ref);
            byRef.remove(ref);
            locks.remove(k);
            if (GlobalTerms.same(l.resource(), GlobalTerms.GLOBAL)) {
                globalLockDown = down;
            }
            return;
        }
        List<Holder> rest = new ArrayList<>(l.holders().size());
        for (Holder h : l.holders()) {
            if (h.pid().equals(pid)) {
                demonitor.accept(h.ref());
                byRef.remove(h.ref());
            } else {
                rest.add(h);
            }
        }
        locks.put(k, new Lock(l.resource(), l.requester(), List.copyOf(rest)));
    }
}
