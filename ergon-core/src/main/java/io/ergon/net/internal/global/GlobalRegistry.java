package io.ergon.net.internal.global;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * What the name server does to its table of names (OTP's {@code ins_name}, {@code delete_global_name},
 * {@code do_ops}): every name it inserts is monitored through the server ({@link Relations}), the monitor goes with
 * the name, and a name inserted under a global lock that has gone since is deleted again ({@code lock_still_set}).
 * The name server's own state: called only from it.
 */
final class GlobalRegistry {
    /** The name server's links and monitors. */
    interface Relations {
        Ref monitor(Pid pid);

        void demonitor(Ref ref);

        void link(Pid pid);

        void unlink(Pid pid);
    }

    private final GlobalNames names;
    private final GlobalLocks locks;
    private final Atom self;
    private final Relations relations;

    GlobalRegistry(GlobalNames names, GlobalLocks locks, Atom self, Relations relations) {
        this.names = names;
        this.locks = locks;
        this.self = self;
        this.relations = relations;
    }

    /** The process monitored by {@code ref} exited: its name goes (OTP's {@code del_name/2}). */
    void down(Ref ref) {
        Object name = names.nameMonitoredBy(ref);
        if (name != null) {
            deleteName(name);
        }
    }

    /** OTP's {@code do_ops/5}: the inserts (external names first) and deletes of an exchange. */
    void doOps(List<Object> ops, Atom connNode, Object namesExt, Object extraInfo) {
        List<Object> extInserted = new ArrayList<>();
        for (Object e : GlobalTerms.list(namesExt)) {
            if (!(e instanceof Tuple x) || x.size() != 3 || !(x.get(2) instanceof Atom regNode)) {
                continue;
            }
            for (Object op : ops) {
                Tuple ins = insertOp(op);
                if (ins != null && GlobalTerms.same(ins.get(0), x.get(0)) && GlobalTerms.same(ins.get(1), x.get(1))) {
                    insNameExt(ins.get(0), (Pid) ins.get(1), ins.get(2), regNode, connNode, extraInfo);
                    extInserted.add(ins.get(0));
                }
            }
        }
        for (Object op : ops) {
            Tuple ins = insertOp(op);
            if (ins != null && extInserted.stream().noneMatch(n -> GlobalTerms.same(n, ins.get(0)))) {
                insName(ins.get(0), (Pid) ins.get(1), ins.get(2), connNode, extraInfo);
            }
        }
        for (Object op : ops) {
            if (GlobalTerms.is(op, GlobalTerms.DELETE, 2)) {
                deleteName(((Tuple) op).get(1));
            }
        }
    }

    /** The {@code {Name, Pid, Method}} of an {@code {insert, ...}} operation, or null. */
    private static Tuple insertOp(Object op) {
        if (GlobalTerms.is(op, GlobalTerms.INSERT, 2) && ((Tuple) op).get(1) instanceof Tuple x && x.size() == 3
                && x.get(1) instanceof Pid) {
            return x;
        }
        return null;
    }

    void insName(Object name, Pid pid, Object method, Object fromPidOrNode, Object extraInfo) {
        deleteNameKeepPid(name);
        insertName(name, pid, method, fromPidOrNode, extraInfo);
    }

    void insNameExt(Object name, Pid pid, Object method, Atom regNode, Object fromPidOrNode,
                            Object extraInfo) {
        deleteNameKeepPid(name);
        if (regNode == self) {
            relations.link(pid);
        }
        names.putExt(name, pid, regNode);
        insertName(name, pid, method, fromPidOrNode, extraInfo);
    }

    private void insertName(Object name, Pid pid, Object method, Object fromPidOrNode, Object extraInfo) {
        Ref ref = relations.monitor(pid);
        names.put(name, pid, method, ref);
        if (!lockStillSet(fromPidOrNode, extraInfo)) {
            // the node that took the lock went down and came back, and this came late: the DOWN removed the lock
            deleteName(name);
        }
    }

    /** OTP's {@code lock_still_set/3}: was global's lock, under which this change was made, still held? */
    private boolean lockStillSet(Object fromPidOrNode, Object extraInfo) {
        GlobalLocks.Lock lock = locks.get(GlobalTerms.GLOBAL);
        if (lock == null) {
            return !locks.globalLockDown();
        }
        if (fromPidOrNode instanceof Pid p) {
            return lock.heldBy(p);
        }
        for (Object x : GlobalTerms.list(extraInfo)) {
            if (GlobalTerms.is(x, GlobalTerms.LOCK, 2)) {
                if (((Tuple) x).get(1) instanceof Tuple id && id.size() == 2) {
                    return GlobalTerms.same(lock.requester(), id.get(1));
                }
            }
        }
        return true;
    }

    private void deleteNameKeepPid(Object name) {
        GlobalNames.Entry e = names.get(name);
        if (e != null) {
            forgetName(name, e.pid(), e.ref());
        }
    }

    void deleteName(Object name) {
        GlobalNames.Entry e = names.remove(name);
        if (e != null) {
            forgetName(name, e.pid(), e.ref());
        }
    }

    private void forgetName(Object name, Pid pid, Ref ref) {
        relations.demonitor(ref);
        names.unindex(name, pid, ref);
        GlobalNames.ExtEntry ext = names.getExt(name);
        if (ext != null && ext.pid().equals(pid)) {
            names.removeExt(name);
            if (ext.regNode() == self && !names.hasName(pid)) {
                relations.unlink(pid);
            }
        }
    }
}
