package io.ergon.net.internal.global;

import io.ergon.node.BadArgumentException;
import io.ergon.node.Down;
import io.ergon.node.From;
import io.ergon.node.Name;
import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The calling side of global's requests, run by whichever process makes them, as OTP's client functions run in the
 * caller: {@code gen_server:multi_call} to the name servers of several nodes, and {@code set_lock}/{@code del_lock}
 * with global's retries and random sleeps. The lock holder is the calling process. Also the requests the Java API
 * makes of the local name server.
 */
public final class GlobalCalls {
    /** Retry for ever ({@code infinity}). */
    public static final long INFINITY = -1;
    /** Every node may be called (and connected to), as OTP's calls do. */
    private static final Predicate<Atom> ANY = n -> true;
    private static final Atom GEN_CALL = Atom.of("$gen_call");

    /**
     * A registration request from the Java API ({@code {registrar, Fun}}): the registrar runs {@code fun} with the
     * nodes on which it holds global's own lock, and its result is the reply.
     */
    public record Registrar(BiFunction<ProcessContext, List<Atom>, Object> fun) {
    }

    /** What the name server hands its registrar: a {@link Registrar} request and who waits for its result. */
    record TransAllKnown(BiFunction<ProcessContext, List<Atom>, Object> fun, From from) {
    }

    private GlobalCalls() {
    }

    /**
     * {@code gen_server:multi_call(Nodes, global_name_server, Request)} with no timeout: the replies by node, in
     * the order they were awaited; a node whose server is gone or unreachable is left out, as OTP's bad nodes are.
     */
    public static Map<Atom, Object> multiCall(ProcessContext ctx, List<Atom> nodes, Object request) {
        return multiCall(ctx, nodes, request, ANY);
    }

    /**
     * {@link #multiCall(ProcessContext, List, Object)} to the nodes {@code reachable} accepts; the others count as
     * bad nodes at once, so that no connection is made to them (the locker's calls: a node it locks has just
     * connected or is known, and one that went in the meantime must stay gone, not be connected again by a late
     * call).
     */
    static Map<Atom, Object> multiCall(ProcessContext ctx, List<Atom> nodes, Object request,
                                       Predicate<Atom> reachable) {
        Ref tag = ctx.makeRef();
        List<Ref> monitors = new ArrayList<>(nodes.size());
        for (Atom n : nodes) {
            if (!reachable.test(n)) {
                monitors.add(null);
                continue;
            }
            Name server = new Name(GlobalTerms.SERVER, n);
            monitors.add(ctx.monitor(server));
            try {
                ctx.send(server, Tuple.of(GEN_CALL, Tuple.of(ctx.self(), Tuple.of(tag, n)), request));
            } catch (BadArgumentException e) {
                // this node's server is not registered (it is restarting): its monitor says noproc, as OTP's catch
            }
        }
        Map<Atom, Object> replies = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Atom n = nodes.get(i);
            Ref mon = monitors.get(i);
            if (mon == null) {
                continue;
            }
            Tuple replyTag = Tuple.of(tag, n);
            Object m = ctx.receive(x -> x instanceof Tuple t && t.size() == 2 && replyTag.equals(t.get(0))
                    || x instanceof Down d && d.ref().equals(mon), null);
            if (m instanceof Tuple t) {
                ctx.demonitor(mon);
                replies.put(n, t.get(1));
            }
        }
        return replies;
    }

    /**
     * OTP's {@code global:set_lock/3}: tries to lock {@code id} on every node of {@code nodes}, retrying
     * {@code retries} times ({@link #INFINITY} for ever) after a random sleep that doubles up to 8 s.
     *
     * @param local this node's lock table (probed before asking the other nodes)
     * @param self this node's name
     */
    public static boolean setLock(ProcessContext ctx, Object id, List<Atom> nodes, long retries, GlobalLocks local,
                                  Atom self) {
        return setLock(ctx, id, nodes, retries, local, self, ANY);
    }

    /** {@link #setLock(ProcessContext, Object, List, long, GlobalLocks, Atom)} calling only {@code reachable} nodes. */
    static boolean setLock(ProcessContext ctx, Object id, List<Atom> nodes, long retries, GlobalLocks local,
                           Atom self, Predicate<Atom> reachable) {
        if (nodes.isEmpty()) {
            return true;
        }
        long left = retries;
        for (int times = 1; ; times++) {
            if (setLockOnNodes(ctx, id, nodes, local, self, reachable)) {
                return true;
            }
            if (left == 0) {
                return false;
            }
            randomSleep(ctx, times);
            if (left > 0) {
                left--;
            }
        }
    }

    /** OTP's {@code set_lock_on_nodes/2}: one attempt; the nodes that said yes are released if one said no. */
    static boolean setLockOnNodes(ProcessContext ctx, Object id, List<Atom> nodes, GlobalLocks local, Atom self) {
        return setLockOnNodes(ctx, id, nodes, local, self, ANY);
    }

    private static boolean setLockOnNodes(ProcessContext ctx, Object id, List<Atom> nodes, GlobalLocks local,
                                          Atom self, Predicate<Atom> reachable) {
        if (nodes.isEmpty()) {
            return true;
        }
        if (nodes.size() > 1 && nodes.contains(self) && local.canSetLock(id) == null) {
            return false;
        }
        Map<Atom, Object> replies = multiCall(ctx, nodes, Tuple.of(GlobalTerms.SET_LOCK, id), reachable);
        boolean refused = false;
        List<Atom> granted = new ArrayList<>();
        for (Map.Entry<Atom, Object> r : replies.entrySet()) {
            if (r.getValue() == Atom.TRUE) {
                granted.add(r.getKey());
            } else {
                refused = true;
            }
        }
        if (!refused) {
            return true;
        }
        if (replies.size() > 1) {
            multiCall(ctx, granted, Tuple.of(GlobalTerms.DEL_LOCK, id), reachable);
        }
        return false;
    }

    /** OTP's {@code global:del_lock/2}: releases {@code id} on {@code nodes}. */
    public static void delLock(ProcessContext ctx, Object id, List<Atom> nodes) {
        delLock(ctx, id, nodes, ANY);
    }

    /** {@link #delLock(ProcessContext, Object, List)} calling only {@code reachable} nodes. */
    static void delLock(ProcessContext ctx, Object id, List<Atom> nodes, Predicate<Atom> reachable) {
        if (!nodes.isEmpty()) {
            multiCall(ctx, nodes, Tuple.of(GlobalTerms.DEL_LOCK, id), reachable);
        }
    }

    /** Whether a reply from {@link #multiCall} came too late (its call had given up on the node): to be dropped. */
    static boolean isLateReply(Object m) {
        return m instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Tuple tag && tag.size() == 2
                && tag.get(0) instanceof Ref && tag.get(1) instanceof Atom;
    }

    /** OTP's {@code random_sleep/1}: up to 1/4 s the first time, doubling each time up to 8 s. */
    static void randomSleep(ProcessContext ctx, int times) {
        long max = times > 5 ? 8000 : ((1L << times) * 1000) / 8;
        long t = 1 + ThreadLocalRandom.current().nextLong(max);
        ctx.receive(m -> false, Duration.ofMillis(t));
    }
}
