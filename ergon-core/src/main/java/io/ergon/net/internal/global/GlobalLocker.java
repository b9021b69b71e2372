package io.ergon.net.internal.global;

import io.ergon.node.Actor;
import io.ergon.node.Name;
import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locker (OTP's {@code the_locker}): when this node and another connect, it takes global's own lock
 * ({@code {global, [ThisLocker, HisLocker]}}, sorted) on every node of this partition and on the other node, agrees
 * with the other side's locker (through the name servers) that both partitions are locked, tells the name server
 * {@code lock_is_set}, and holds the lock until the server cancels it once the names are exchanged. Holding the
 * lock on both sides keeps registrations out while names move; locking the other node too keeps two partitions
 * from deadlocking.
 *
 * <p>It runs as one loop, as OTP's does, with selective receives and the same timing: it tries a pending node
 * after 200 ms when it knows no other node, after 1 s plus 100 ms per known node (3 s at most) otherwise, at once
 * right after a success. Requests between lockers go through the name servers ({@code {lock_set, ...}} casts).
 */
final class GlobalLocker extends Actor {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalLocker.class);
    private static final Object START = new Object();

    /** What the locker runs before it releases the lock, when the server cancels it with one ({@code Fun}). */
    @FunctionalInterface
    interface BeforeRelease extends Consumer<ProcessContext> {
    }

    /** A node being connected: its locker, version and the two sync tags (OTP's {@code #him{}}). */
    private record Him(Atom node, Pid locker, int vsn, Object myTag, Object hisTag) {
    }

    private final GlobalLocks locks;
    private final GlobalNet net;
    private final List<Him> others = new ArrayList<>();
    private final List<Atom> known = new ArrayList<>();
    private Atom boss;
    private boolean justSynced;

    GlobalLocker(GlobalLocks locks, GlobalNet net) {
        this.locks = locks;
        this.net = net;
    }

    @Override
    protected void init() {
        boss = node().name();
        send(self(), START);
    }

    @Override
    protected void handleMessage(Object message) {
        if (message == START) {
            loop();
        }
    }

    /** OTP's {@code loop_the_locker/1}: never returns; the process ends with the name server it is linked to. */
    private void loop() {
        while (true) {
            Object m = receive(Duration.ZERO);
            if (m == null) {
                Duration timeout;
                if (others.isEmpty()) {
                    timeout = null;
                } else if (justSynced) {
                    timeout = Duration.ZERO;
                } else if (known.isEmpty()) {
                    timeout = Duration.ofMillis(200);
                } else {
                    timeout = Duration.ofMillis(Math.min(1000 + 100L * known.size(), 3000));
                }
                justSynced = false;
                m = receive(timeout);
                if (m == null) {
                    if (!locks.isGlobalLockSet()) {
                        selectNode();
                    }
                    continue;
                }
            }
            handle(m);
        }
    }

    /** OTP's {@code the_locker_message/2}. */
    private void handle(Object m) {
        if (GlobalTerms.is(m, GlobalTerms.HIS_THE_LOCKER, 5)) {
            Tuple t = (Tuple) m;
            if (t.get(1) instanceof Pid his && t.get(2) instanceof Tuple v && v.get(0) instanceof Long vsn) {
                others.add(0, new Him(his.node(), his, (int) (long) vsn, t.get(4), t.get(3)));
            }
        } else if (GlobalTerms.is(m, GlobalTerms.CANCEL, 4)) {
            Tuple t = (Tuple) m;
            if (t.get(3) == GlobalTerms.NO_FUN) {
                if (t.get(2) != Atom.UNDEFINED && t.get(1) instanceof Atom n) {
                    removeNode(n, t.get(2));
                }
            } else {
                LOG.warn("The global_name_server locker process received an unexpected message: {}", m);
            }
        } else if ((GlobalTerms.is(m, GlobalTerms.LOCK_SET, 5) || GlobalTerms.is(m, GlobalTerms.LOCK_SET, 4))
                && ((Tuple) m).get(1) instanceof Pid his) {
            Tuple t = (Tuple) m;
            if (t.get(2) != Atom.TRUE) {
                return; // a spurious lock_set false
            }
            if (t.size() == 5) {
                spontaneous(his, t.get(4));
            } else {
                Him him = find(his.node());
                if (him != null) {
                    spontaneous(his, him.myTag());
                } else {
                    sendLockSet(false, his, 5, 0L);
                }
            }
        } else if (GlobalTerms.is(m, GlobalTerms.ADD_TO_KNOWN, 2)) {
            addKnown(((Tuple) m).get(1));
        } else if (GlobalTerms.is(m, GlobalTerms.REMOVE_FROM_KNOWN, 2)) {
            removeKnown(((Tuple) m).get(1));
        } else if (!GlobalCalls.isLateReply(m)) {
            LOG.warn("The global_name_server locker process received an unexpected message: {}", m);
        }
    }

    /** The other side's locker locked its partition first and asks us to lock ours. */
    private void spontaneous(Pid his, Object myTag) {
        Atom node = his.node();
        Him him = find(node);
        if (him == null || !GlobalTerms.same(him.myTag(), myTag)) {
            sendLockSet(false, his, 5, 0L);
            return;
        }
        Tuple lockId = lockId(his);
        boolean set = lockNodesSafely(lockId, List.of());
        sendLockSet(set, his, him.vsn(), him.hisTag());
        if (set) {
            List<Atom> known2 = new ArrayList<>();
            known2.add(node().name());
            known2.addAll(known);
            cast(GlobalTerms.SERVER, Tuple.of(GlobalTerms.LOCK_IS_SET, node, myTag, lockId));
            waitCancelLock(node, lockId, myTag, known2);
            justSynced = true;
            removeNode(node, myTag);
        } else {
            justSynced = false;
        }
    }

    /** OTP's {@code select_node/1}: picks a pending node at random and tries to lock both partitions. */
    private void selectNode() {
        others.removeIf(h -> known.contains(h.node()));
        if (others.isEmpty()) {
            return;
        }
        Him him = others.get(ThreadLocalRandom.current().nextInt(others.size()));
        Tuple lockId = lockId(him.locker());
        if (lockNodesSafely(lockId, List.of(him.node()))) {
            List<Atom> known1 = new ArrayList<>();
            known1.add(node().name());
            known1.add(him.node());
            known1.addAll(known);
            sendLockSet(true, him.locker(), him.vsn(), him.hisTag());
            lockIsSet(him, known1, lockId);
        }
    }

    /** OTP's {@code lock_is_set/5}: waits for the other locker's answer, or a cancel. */
    private void lockIsSet(Him him, List<Atom> known1, Tuple lockId) {
        Atom node = him.node();
        Object myTag = him.myTag();
        while (true) {
            Object m = receive(x -> isLockSetFrom(x, node) || isCancel(x, node, myTag), null);
            Tuple t = (Tuple) m;
            if (t.get(0) == GlobalTerms.CANCEL) {
                callFun(t.get(3));
                deleteGlobalLock(lockId, known1);
                removeNode(node, myTag);
                return;
            }
            if (t.size() == 5 && !GlobalTerms.same(t.get(4), myTag)) {
                continue; // an answer to an older attempt
            }
            if (t.get(2) == Atom.TRUE) {
                cast(GlobalTerms.SERVER, Tuple.of(GlobalTerms.LOCK_IS_SET, node, myTag, lockId));
                waitCancelLock(node, lockId, myTag, known1);
                justSynced = true;
                others.remove(him);
                return;
            }
            if (t.get(2) == Atom.FALSE) {
                deleteGlobalLock(lockId, known1);
                return;
            }
        }
    }

    private static boolean isLockSetFrom(Object x, Atom node) {
        return (GlobalTerms.is(x, GlobalTerms.LOCK_SET, 5) || GlobalTerms.is(x, GlobalTerms.LOCK_SET, 4))
                && ((Tuple) x).get(1) instanceof Pid p && p.node() == node;
    }

    private static boolean isCancel(Object x, Atom node, Object tag) {
        return GlobalTerms.is(x, GlobalTerms.CANCEL, 4) && ((Tuple) x).get(1) == node
                && GlobalTerms.same(((Tuple) x).get(2), tag);
    }

    /** OTP's {@code wait_cancel_lock/6}: holds the lock until the server cancels this connect. */
    private void waitCancelLock(Atom node, Tuple lockId, Object myTag, List<Atom> nodes) {
        Tuple t = (Tuple) receive(x -> isCancel(x, node, myTag), null);
        callFun(t.get(3));
        deleteGlobalLock(lockId, nodes);
    }

    private void callFun(Object fun) {
        if (fun instanceof BeforeRelease f) {
            f.accept(context());
        }
    }

    /**
     * OTP's {@code lock_nodes_safely/3}: the boss (the greatest known node) first, then this node and
     * {@code extra}, then the other known nodes; what was locked is released if a step fails.
     */
    private boolean lockNodesSafely(Tuple lockId, List<Atom> extra) {
        Atom self = node().name();
        List<Atom> first = List.of(boss);
        if (!(boss == self || locks.canSetLock(lockId) != null)) {
            return false;
        }
        if (!setLock(lockId, first)) {
            return false;
        }
        updateKnown();
        List<Atom> second = new ArrayList<>();
        second.add(self);
        second.addAll(extra);
        second = GlobalTerms.minus(second, first);
        if (!setLock(lockId, second)) {
            delLock(lockId, first);
            return false;
        }
        if (!setLock(lockId, GlobalTerms.minus(known, first))) {
            List<Atom> soFar = new ArrayList<>(first);
            soFar.addAll(second);
            delLock(lockId, soFar);
            return false;
        }
        return true;
    }

    private boolean setLock(Tuple lockId, List<Atom> nodes) {
        return GlobalCalls.setLock(context(), lockId, nodes, 0, locks, node().name(), this::reachable);
    }

    private void delLock(Tuple lockId, List<Atom> nodes) {
        GlobalCalls.delLock(context(), lockId, nodes, this::reachable);
    }

    /**
     * The nodes the locker calls: this one and those connected now. OTP's locker would connect again to a node that
     * went down while it was locking; a node disconnected on purpose must stay so (the server cancels the locker's
     * work for it as soon as it hears).
     */
    private boolean reachable(Atom n) {
        return n == node().name() || net.isConnected(n);
    }

    /** OTP's {@code delete_global_lock/2}: the boss last. */
    private void deleteGlobalLock(Tuple lockId, List<Atom> nodes) {
        Atom theBoss = GlobalTerms.max(nodes);
        delLock(lockId, GlobalTerms.minus(nodes, List.of(theBoss)));
        delLock(lockId, List.of(theBoss));
    }

    private void sendLockSet(boolean set, Pid his, int vsn, Object hisTag) {
        Object message = vsn < GlobalTerms.VERIFY_CONNECT_VSN
                ? Tuple.of(GlobalTerms.LOCK_SET, self(), Atom.of(set), List.copyOf(known))
                : Tuple.of(GlobalTerms.LOCK_SET, self(), Atom.of(set), List.copyOf(known), hisTag);
        if (!reachable(his.node())) {
            return; // gone meanwhile: the server cancels this attempt when it hears
        }
        if (vsn < 6) {
            send(his, message);
        } else {
            cast(new Name(GlobalTerms.SERVER, his.node()), message);
        }
    }

    private Tuple lockId(Pid his) {
        return Tuple.of(GlobalTerms.GLOBAL, GlobalTerms.sorted(self(), his));
    }

    private Him find(Atom node) {
        for (Him h : others) {
            if (h.node() == node) {
                return h;
            }
        }
        return null;
    }

    private void removeNode(Atom node, Object tag) {
        for (int i = 0; i < others.size(); i++) {
            Him h = others.get(i);
            if (h.node() == node && GlobalTerms.same(h.myTag(), tag)) {
                others.remove(i);
                return;
            }
        }
    }

    /** OTP's {@code update_locker_known/1}: takes in the changes of the known nodes queued so far. */
    private void updateKnown() {
        while (true) {
            Object m = receive(x -> GlobalTerms.is(x, GlobalTerms.ADD_TO_KNOWN, 2)
                    || GlobalTerms.is(x, GlobalTerms.REMOVE_FROM_KNOWN, 2), Duration.ZERO);
            if (m == null) {
                return;
            }
            if (((Tuple) m).get(0) == GlobalTerms.ADD_TO_KNOWN) {
                addKnown(((Tuple) m).get(1));
            } else {
                removeKnown(((Tuple) m).get(1));
            }
        }
    }

    private void addKnown(Object nodes) {
        List<Atom> add = new ArrayList<>();
        for (Object n : GlobalTerms.list(nodes)) {
            if (n instanceof Atom a) {
                add.add(a);
            }
        }
        known.addAll(0, add);
        newBoss();
    }

    private void removeKnown(Object node) {
        known.remove(node);
        newBoss();
    }

    private void newBoss() {
        List<Atom> all = new ArrayList<>(known);
        all.add(node().name());
        boss = GlobalTerms.max(all);
    }
}
