package io.ergon.net.internal.global;

import io.ergon.gen.GenServer;
import io.ergon.net.Rpc;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeDown;
import io.ergon.node.NodeUp;
import io.ergon.node.Reasons;
import io.ergon.node.TimerRef;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.TermOrder;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erlang's {@code global_name_server}, OTP 25's {@code global.erl} (protocol version 8) for an Ergon node, so that
 * the node takes part in a cluster's {@code global} as an Erlang node does:
 * <ul>
 *   <li>when a visible node connects, both name servers exchange {@code init_connect} (and
 *       {@code init_connect_ack}); each node's locker takes global's lock in its own partition and on the other node
 *       ({@code lock_set}, then {@code lock_is_set}); the servers exchange their names ({@code exchange}), resolve
 *       clashes on the side of the smaller node name ({@link GlobalResolver}, {@code exchange_ops}), send each other
 *       the outcome and the nodes they know ({@code resolved}), and tell the rest of their partition
 *       ({@code new_nodes}), whose nodes then connect to the newcomers and say {@code in_sync};</li>
 *   <li>registrations are calls to every known node's server ({@code register}, {@code unregister}) made by the
 *       registrar under global's lock; locks ({@code set_lock}, {@code del_lock}) are calls too, held by the caller
 *       and monitored, as names are;</li>
 *   <li>{@code sync} answers once every node asked about is in sync or down;</li>
 *   <li>"prevent overlapping partitions" (OTP 25's default): a node that loses a connection tells the others
 *       ({@code lost_connection}), and those connected to both ends drop one of them ({@code remove_connection}).</li>
 * </ul>
 * Names and locks held by a process go when it exits, and so those of a node that goes down (the monitors fire
 * {@code noconnection}). The server's per-connection state is OTP's process dictionary ({@link Session}); its
 * tables are {@link GlobalNames} (changed through {@link GlobalRegistry}) and {@link GlobalLocks}, which other
 * processes read.
 */
public final class GlobalServer extends GenServer {
    /** The registered name. */
    public static final Atom NAME = GlobalTerms.SERVER;
    private static final Logger LOG = LoggerFactory.getLogger(GlobalServer.class);
    private static final long MIN_64BIT_SMALL_INT = -(1L << 59);
    private static final long MAX_64BIT_SMALL_INT = (1L << 59) - 1;
    /** How long the memory of a {@code lost_connection} message is kept. */
    private static final Duration LOST_CONNECTION_MEMORY = Duration.ofHours(1);
    /** Sync tags, as {@code erlang:unique_integer([monotonic])}: unique in this JVM, so across server restarts. */
    private static final AtomicLong TAGS = new AtomicLong(-(1L << 40));

    /** Why a node is dropped ({@code handle_nodedown/3}'s What). */
    private enum NodeDownType { DISCONNECTED, REMOVE_CONNECTION, IGNORE_NODE }

    /** The process-dictionary entries OTP keeps per connecting node. */
    private static final class Session {
        Object myTag = Atom.UNDEFINED;
        Object hisTag = Atom.UNDEFINED;
        /** null, {@link GlobalTerms#LOCK_IS_SET}, or the names of an {@code exchange} that came first. */
        Object waitLock;
        /** null, this side's operations (a List), or a {@code resolved} that came first. */
        Object saveOps;
        /** {@code {Vsn, InitMsg, HisTag}} of an init_connect that came before the nodeup. */
        Tuple preConnect;
        Object protVsn = Atom.UNDEFINED;
        Object lockId = Atom.UNDEFINED;
    }

    private record ExchangeFirst(List<Object> names) {
    }

    private record ResolvedFirst(List<Object> hisKnown, Object namesExt, List<Object> hisResolved) {
    }

    private record ResolverRef(Object tag, Pid pid) {
    }

    private record LostInfo(Object xCreation, Object opId, TimerRef timer, long stamp) {
    }

    private record LostExpiry(GlobalTerms.Key key, long stamp) {
    }

    private final GlobalState state;
    private final GlobalNet net;
    private GlobalNames names;
    private GlobalLocks locks;
    private GlobalKnown known;
    private GlobalRegistry registry;
    private Atom self;
    private final List<Atom> synced = new ArrayList<>();
    private final Map<Atom, ResolverRef> resolvers = new LinkedHashMap<>();
    private final Set<Pid> syncers = new LinkedHashSet<>();
    private final Map<Atom, Session> sessions = new HashMap<>();
    private final Map<GlobalTerms.Key, LostInfo> lostConnections = new HashMap<>();
    private long lostStamps;
    private Pid locker;
    private Pid registrar;
    private boolean connectAll = true;
    private boolean preventOverlap = true;
    private long creationExtension;

    /** Offers {@code global:resolve_it/4}, which other nodes' resolvers call over rpc. */
    public static void registerRpc(Rpc rpc, Node node) {
        GlobalResolver.register(rpc, node);
    }

    /** The name server of the node {@code state} belongs to; it installs fresh tables there when it starts. */
    public GlobalServer(GlobalState state) {
        this.state = state;
        this.net = state.net();
    }

    @Override
    protected void init() {
        trapExit(true);
        self = node().name();
        state.reset();
        names = state.names();
        locks = state.locks();
        known = new GlobalKnown(self);
        registry = new GlobalRegistry(names, locks, self, new GlobalRegistry.Relations() {
            @Override
            public Ref monitor(Pid pid) {
                return GlobalServer.this.monitor(pid);
            }

            @Override
            public void demonitor(Ref ref) {
                GlobalServer.this.demonitor(ref);
            }

            @Override
            public void link(Pid pid) {
                GlobalServer.this.link(pid);
            }

            @Override
            public void unlink(Pid pid) {
                GlobalServer.this.unlink(pid);
            }
        });
        long span = MAX_64BIT_SMALL_INT - MIN_64BIT_SMALL_INT;
        creationExtension = ThreadLocalRandom.current().nextLong(span) & ~((1L << 32) - 1);
        GlobalLocks l = locks;
        locker = spawnLink(() -> new GlobalLocker(l, net));
        registrar = spawnLink(() -> new GlobalRegistrar(l));
        net.watchVisible(self(), true);
    }

    /** OTP deletes its tables with its server: names and locks are not found here until the next one starts. */
    @Override
    protected void terminate(Object reason) {
        net.watchVisible(self(), false);
        state.reset();
    }

    @Override
    protected Object systemState() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(Atom.of("known"), known.knownList(GlobalTerms.VSN));
        m.put(Atom.of("synced"), List.copyOf(synced));
        m.put(Atom.of("resolvers"), List.copyOf(resolvers.keySet()));
        m.put(Atom.of("syncers"), List.copyOf(syncers));
        m.put(Atom.of("the_locker"), locker);
        m.put(Atom.of("the_registrar"), registrar);
        return m;
    }

    // ------------------------------------------------------------------ calls

    @Override
    protected Object handleCall(Object request, From from) {
        if (request instanceof GlobalCalls.Registrar r) {
            send(registrar, new GlobalCalls.TransAllKnown(r.fun(), from));
            return noReply();
        }
        if (GlobalTerms.is(request, GlobalTerms.REGISTER, 4) && ((Tuple) request).get(2) instanceof Pid pid) {
            Tuple t = (Tuple) request;
            registry.insName(t.get(1), pid, t.get(3), from.pid(), List.of());
            return GlobalTerms.YES;
        }
        if (GlobalTerms.is(request, GlobalTerms.UNREGISTER, 2)) {
            registry.deleteName(((Tuple) request).get(1));
            return Atom.OK;
        }
        if (GlobalTerms.is(request, GlobalTerms.REGISTER_EXT, 5) && ((Tuple) request).get(2) instanceof Pid pid
                && ((Tuple) request).get(4) instanceof Atom regNode) {
            Tuple t = (Tuple) request;
            registry.insNameExt(t.get(1), pid, t.get(3), regNode, from.pid(), List.of());
            return GlobalTerms.YES;
        }
        if (GlobalTerms.is(request, GlobalTerms.SET_LOCK, 2)) {
            return Atom.of(locks.setLock(((Tuple) request).get(1), from.pid(), this::monitor));
        }
        if (GlobalTerms.is(request, GlobalTerms.DEL_LOCK, 2)) {
            locks.delLock(((Tuple) request).get(1), from.pid(), this::demonitor);
            return Atom.TRUE;
        }
        if (request == GlobalTerms.GET_KNOWN) {
            return known.knownList(0);
        }
        if (request == GlobalTerms.GET_SYNCED) {
            return List.copyOf(synced);
        }
        if (GlobalTerms.is(request, GlobalTerms.SYNC, 2)) {
            List<Atom> nodes = new ArrayList<>();
            for (Object n : GlobalTerms.list(((Tuple) request).get(1))) {
                if (n instanceof Atom a && a != self && !synced.contains(a) && !nodes.contains(a)) {
                    nodes.add(a);
                }
            }
            if (nodes.isEmpty()) {
                return Atom.OK;
            }
            syncers.add(spawnLink(() -> new GlobalSyncer(nodes, from, net)));
            return noReply();
        }
        if (request == GlobalTerms.GET_PROTOCOL_VERSION) {
            return (long) GlobalTerms.VSN;
        }
        if (request == GlobalTerms.GET_NAMES_EXT) {
            return names.extList();
        }
        if (request == GlobalTerms.INFO) {
            return systemState();
        }
        if (request == GlobalTerms.DISCONNECT) {
            List<Atom> nodes = known.nodes();
            for (Atom n : nodes) {
                net.disconnect(n);
                handleNodedown(n, NodeDownType.IGNORE_NODE);
            }
            return nodes;
        }
        log().warn("The global_name_server received an unexpected message: handle_call({}, {}, _)", request, from);
        return noReply();
    }

    // ------------------------------------------------------------------ casts

    /**
     * A message this server cannot make sense of is logged and dropped, the server's state kept: a peer's malformed
     * message must not crash it over and over (its supervisor would give up on the node's kernel processes).
     */
    @Override
    protected void handleCast(Object message) {
        try {
            onCast(message);
        } catch (RuntimeException e) {
            LOG.warn("{}: global_name_server dropped a message it could not handle: {}", self, message, e);
        }
    }

    private void onCast(Object message) {
        if (!(message instanceof Tuple t) || t.size() == 0) {
            unexpected("handle_cast", message);
            return;
        }
        Object tag = t.get(0);
        if (tag == GlobalTerms.INIT_CONNECT && t.size() == 4 && t.get(2) instanceof Atom node) {
            initConnect(t.get(1), node, t.get(3));
        } else if (tag == GlobalTerms.LOCK_IS_SET && t.size() == 4 && t.get(1) instanceof Atom node) {
            if (GlobalTerms.same(myTag(node), t.get(2))) {
                lockIsSet(node, t.get(3));
            } else {
                cancelLocker(node, t.get(2), GlobalTerms.NO_FUN);
            }
        } else if (tag == GlobalTerms.EXCHANGE && t.size() == 5 && t.get(1) instanceof Atom node) {
            if (GlobalTerms.same(myTag(node), t.get(4))) {
                exchange(node, GlobalTerms.list(t.get(2)));
            } else {
                cancelLocker(node, t.get(4), GlobalTerms.NO_FUN);
            }
        } else if (tag == GlobalTerms.EXCHANGE_OPS && t.size() == 5 && t.get(1) instanceof Atom node) {
            exchangeOps(node, t.get(2), GlobalTerms.list(t.get(3)), GlobalTerms.list(t.get(4)));
        } else if (tag == GlobalTerms.RESOLVED && t.size() == 7 && t.get(1) instanceof Atom node) {
            resolvedMessage(node, GlobalTerms.list(t.get(2)), GlobalTerms.list(t.get(3)), t.get(5), t.get(6));
        } else if (tag == GlobalTerms.NEW_NODES && t.size() == 6 && t.get(1) instanceof Atom node) {
            newNodes(GlobalTerms.list(t.get(2)), node, t.get(3), GlobalTerms.list(t.get(4)), t.get(5));
        } else if (tag == GlobalTerms.IN_SYNC && t.size() == 3 && t.get(1) instanceof Atom node) {
            inSync(node);
        } else if (tag == GlobalTerms.ASYNC_DEL_NAME || tag == GlobalTerms.ASYNC_DEL_LOCK) {
            // from nodes older than R14A: the DOWN message does the work
        } else if (tag == GlobalTerms.LOCK_SET && t.size() == 5 && t.get(1) instanceof Pid p) {
            if (GlobalTerms.same(myTag(p.node()), t.get(4))) {
                send(locker, t);
            }
        } else if (tag == GlobalTerms.LOCK_SET && t.size() == 4) {
            send(locker, t);
        } else {
            unexpected("handle_cast", message);
        }
    }

    /** {@code {init_connect, Vsn, Node, InitMsg}}: the other node's name server introduces itself. */
    private void initConnect(Object vsn, Atom node, Object initMsg) {
        if (vsn instanceof Tuple v && v.size() >= 2 && v.get(0) instanceof Long hisVsn) {
            int his = (int) Math.min(hisVsn, Integer.MAX_VALUE);
            int use = v.size() == 2 ? Math.min(his, GlobalTerms.VSN) : GlobalTerms.VSN;
            initConnect(use, node, initMsg, v.get(1), his);
        } else {
            log().info("Illegal global protocol version {} Node: {}", vsn, node);
        }
    }

    private void initConnect(int vsn, Atom node, Object initMsg, Object hisTag, int hisVsn) {
        if (known.pending(node) != null) {
            if (hisVsn < GlobalTerms.VERIFY_CONNECT_VSN) {
                net.disconnect(node);
                log().error("'global' at node {} got an out of sync connection attempt from old version {} "
                        + "node {}. Disconnecting from it.", self, hisVsn, node);
                return;
            }
            sendCancelConnectMessage(node, hisTag);
            restartConnect(node, myTag(node));
        }
        Session s = session(node);
        s.protVsn = (long) vsn;
        s.hisTag = hisTag;
        ResolverRef r = resolvers.get(node);
        if (r != null) {
            if (initMsg instanceof Tuple im && im.size() == 4 && im.get(3) instanceof Pid hisTheLocker) {
                send(locker, Tuple.of(GlobalTerms.HIS_THE_LOCKER, hisTheLocker, Tuple.of((long) vsn, List.of()),
                        hisTag, r.tag()));
            }
            if (hisVsn >= GlobalTerms.VERIFY_CONNECT_VSN) {
                volatileSend(node, Tuple.of(GlobalTerms.INIT_CONNECT_ACK, self, hisTag, r.tag()));
            }
            known.putPending(node, hisVsn);
        } else {
            s.preConnect = Tuple.of((long) vsn, initMsg, hisTag);
        }
    }

    /** The lock is set on both partitions: send our names to the other node. */
    private void lockIsSet(Atom node, Object lockId) {
        cast(new Name(GlobalTerms.SERVER, node), Tuple.of(GlobalTerms.EXCHANGE, self, names.list(), List.of(),
                hisTag(node)));
        Session s = session(node);
        s.lockId = lockId;
        if (s.waitLock instanceof ExchangeFirst e) {
            s.waitLock = GlobalTerms.LOCK_IS_SET;
            exchange(node, e.names());
        } else {
            s.waitLock = GlobalTerms.LOCK_IS_SET;
        }
    }

    /** The other node's names: to the resolver once our lock is set too. */
    private void exchange(Atom node, List<Object> theirNames) {
        Session s = session(node);
        Object was = s.waitLock;
        s.waitLock = null;
        if (was == GlobalTerms.LOCK_IS_SET) {
            ResolverRef r = resolvers.get(node);
            if (r != null) {
                send(r.pid(), Tuple.of(GlobalTerms.RESOLVE, theirNames, node));
            }
        } else {
            s.waitLock = new ExchangeFirst(theirNames);
        }
    }

    /** {@code {exchange_ops, ...}} from our resolver: answer with {@code resolved}, and finish if theirs came. */
    private void exchangeOps(Atom node, Object myTag, List<Object> ops, List<Object> resolved) {
        if (!GlobalTerms.same(myTag(node), myTag)) {
            cancelLocker(node, myTag, GlobalTerms.NO_FUN);
            return;
        }
        cast(new Name(GlobalTerms.SERVER, node), Tuple.of(GlobalTerms.RESOLVED, self, resolved,
                known.knownList(known.vsn(node)), GlobalTerms.UNUSED, names.extList(), hisTag(node)));
        Session s = session(node);
        if (s.saveOps instanceof ResolvedFirst r) {
            s.saveOps = ops;
            resolved(node, r.hisResolved(), r.hisKnown(), r.namesExt());
        } else {
            s.saveOps = ops;
        }
    }

    /** {@code {resolved, Node, HisResolved, HisKnown, _, NamesExt, MyTag}} from the other node. */
    private void resolvedMessage(Atom node, List<Object> hisResolved, List<Object> hisKnown, Object namesExt,
                                 Object myTag) {
        if (!GlobalTerms.same(myTag(node), myTag)) {
            cancelLocker(node, myTag, GlobalTerms.NO_FUN);
            return;
        }
        Session s = session(node);
        if (s.saveOps instanceof List<?>) {
            resolved(node, hisResolved, hisKnown, namesExt);
        } else {
            s.saveOps = new ResolvedFirst(hisKnown, namesExt, hisResolved);
        }
    }

    /**
     * Both sides resolved: run the operations, meet the other partition's nodes, tell ours about them (from the
     * locker, before it releases the lock), and count the node as synced.
     */
    @SuppressWarnings("unchecked")
    private void resolved(Atom node, List<Object> hisResolved, List<Object> hisKnown, Object namesExt) {
        Session s = session(node);
        List<Object> ops = new ArrayList<>(s.saveOps instanceof List<?> l ? (List<Object>) l : List.of());
        s.saveOps = null;
        ops.addAll(hisResolved);
        Map<Atom, Integer> knownBefore = known.versions();
        List<Object> newNodes = new ArrayList<>();
        newNodes.add(node);
        newNodes.addAll(hisKnown);
        newNodes = known.withVersions(newNodes);
        List<Atom> hisKnownNodes = GlobalKnown.names(hisKnown);
        syncOthers(hisKnownNodes);
        List<Object> extraInfo = List.of(Tuple.of(GlobalTerms.VSN_TAG, s.protVsn),
                Tuple.of(GlobalTerms.LOCK, s.lockId));
        registry.doOps(ops, self, namesExt, extraInfo);
        for (Pid p : syncers) {
            send(p, Tuple.of(GlobalTerms.SYNCED, List.of(node)));
        }
        for (Atom cancel : hisKnownNodes) {
            cancelResolvedLocker(cancel, tag -> cancelLocker(cancel, tag, GlobalTerms.NO_FUN));
        }
        Tuple newNodesMessage = Tuple.of(GlobalTerms.NEW_NODES, self, ops, namesExt, newNodes, extraInfo);
        Tuple oldNewNodesMessage = Tuple.of(GlobalTerms.NEW_NODES, self, ops, namesExt,
                GlobalKnown.names(newNodes), extraInfo);
        GlobalLocker.BeforeRelease tellOurPartition = ctx -> knownBefore.forEach((n, v) ->
                ctx.cast(new Name(GlobalTerms.SERVER, n), v >= GlobalTerms.PGPV_VSN ? newNodesMessage
                        : oldNewNodesMessage));
        cancelResolvedLocker(node, tag -> cancelLocker(node, tag, tellOurPartition));
        List<Atom> added = known.add(newNodes);
        send(locker, Tuple.of(GlobalTerms.ADD_TO_KNOWN, added));
        if (!synced.contains(node)) {
            synced.add(node);
        }
    }

    private void cancelResolvedLocker(Atom node, java.util.function.Consumer<Object> cancel) {
        Object tag = myTag(node);
        known.removePending(node);
        cancel.accept(tag);
        resetNodeState(node);
    }

    /** {@code {new_nodes, Node, Ops, NamesExt, Nodes, ExtraInfo}}: a node of our partition met others. */
    private void newNodes(List<Object> ops, Atom connNode, Object namesExt, List<Object> nodes, Object extraInfo) {
        List<Atom> added = known.add(nodes);
        syncOthers(added);
        registry.doOps(ops, connNode, namesExt, extraInfo);
        send(locker, Tuple.of(GlobalTerms.ADD_TO_KNOWN, added));
    }

    /** {@code {in_sync, Node, IsKnown}}: a node we were introduced to is in sync with us. */
    private void inSync(Atom node) {
        for (Pid p : syncers) {
            send(p, Tuple.of(GlobalTerms.SYNCED, List.of(node)));
        }
        if (!synced.contains(node)) {
            synced.add(node);
        }
        known.removePending(node);
        cancelLocker(node, myTag(node), GlobalTerms.NO_FUN);
        resetNodeState(node);
    }

    // ------------------------------------------------------------------ other messages

    @Override
    protected void handleInfo(Object message) {
        try {
            onInfo(message);
        } catch (RuntimeException e) {
            LOG.warn("{}: global_name_server dropped a message it could not handle: {}", self, message, e);
        }
    }

    private void onInfo(Object message) {
        switch (message) {
            case Exit e -> exited(e);
            case NodeDown d -> {
                if (d.node() != self) {
                    handleNodedown(d.node(), NodeDownType.DISCONNECTED);
                }
            }
            case NodeUp u -> {
                if (u.node() != self && connectAll) {
                    handleNodeup(u.node());
                }
            }
            case Down d -> {
                locks.holderDown(d.ref(), this::demonitor);
                registry.down(d.ref());
            }
            case LostExpiry x -> {
                LostInfo info = lostConnections.get(x.key());
                if (info != null && info.stamp() == x.stamp()) {
                    lostConnections.remove(x.key());
                }
            }
            case Tuple t when t.size() > 0 -> handleTuple(t);
            default -> unexpected("handle_info", message);
        }
    }

    private void handleTuple(Tuple t) {
        Object tag = t.get(0);
        if (tag == GlobalTerms.EXTRA_NODEDOWN && t.size() == 2 && t.get(1) instanceof Atom node) {
            for (Pid p : syncers) {
                send(p, new NodeDown(node, Reasons.NOCONNECTION));
            }
            handleNodedown(node, NodeDownType.DISCONNECTED);
        } else if (tag == GlobalTerms.WHEREIS && t.size() == 3) {
            whereis(t);
        } else if (tag == GlobalTerms.LOST_CONNECTION && t.size() == 5 && t.get(1) instanceof Atom a
                && t.get(4) instanceof Atom b) {
            if (connectAll && preventOverlap) {
                lostConnection(t, a, b);
            }
        } else if (tag == GlobalTerms.REMOVE_CONNECTION && t.size() == 2 && t.get(1) instanceof Atom node) {
            if (known.isPotentiallyKnown(node)) {
                net.disconnect(node);
                handleNodedown(node, NodeDownType.REMOVE_CONNECTION);
                log().warn("'global' at node {} disconnected node {} in order to prevent overlapping partitions",
                        self, node);
            }
        } else if (tag == GlobalTerms.CANCEL_CONNECT && t.size() == 3 && t.get(1) instanceof Atom node) {
            if (GlobalTerms.same(myTag(node), t.get(2))) {
                cancelLocker(node, t.get(2), GlobalTerms.NO_FUN);
                resetNodeState(node);
                known.removePending(node);
                restartConnect(node, t.get(2));
            }
        } else if (tag == GlobalTerms.INIT_CONNECT_ACK && t.size() == 4 && t.get(1) instanceof Atom node) {
            Object myMyTag = myTag(node);
            if (!(GlobalTerms.same(myMyTag, t.get(2)) && GlobalTerms.same(hisTag(node), t.get(3)))) {
                sendCancelConnectMessage(node, t.get(3));
                restartConnect(node, myMyTag);
            }
        } else if (tag == GlobalTerms.PREPARE_SHUTDOWN && t.size() == 3 && t.get(1) instanceof Pid from) {
            connectAll = false;
            preventOverlap = false;
            send(from, Tuple.of(t.get(2), Atom.OK));
        } else {
            unexpected("handle_info", t);
        }
    }

    private void exited(Exit e) {
        if (e.from().equals(locker) || e.from().equals(registrar)) {
            Atom what = e.from().equals(locker) ? Atom.of("locker_died") : Atom.of("registrar_died");
            stop(node().isShuttingDown() ? Reasons.SHUTDOWN : Tuple.of(what, e.toTerm()));
        } else {
            syncers.remove(e.from());
        }
    }

    /** {@code {whereis, Name, From}} (sent by old nodes): answered once global's lock is free. */
    private void whereis(Tuple t) {
        if (locks.isGlobalLockSet()) {
            sendAfter(self(), t, Duration.ofMillis(1 + ThreadLocalRandom.current().nextLong(4000)));
            return;
        }
        if (t.get(2) instanceof Tuple f && f.size() == 2 && f.get(0) instanceof Pid pid) {
            Pid where = names.where(t.get(1));
            new From(pid, f.get(1), node()).reply(where == null ? Atom.UNDEFINED : where);
        }
    }

    /**
     * {@code {lost_connection, NodeA, XCreationA, OpIdA, NodeB}}: NodeA lost NodeB. Pass it on, and if this node
     * knows the one at the other end, drop it (asking it to drop us) so that no two partitions overlap.
     */
    private void lostConnection(Tuple message, Atom nodeA, Atom nodeB) {
        GlobalTerms.Key key = new GlobalTerms.Key(Tuple.of(nodeA, nodeB));
        LostInfo info = lostConnections.get(key);
        Object xCreation = message.get(2);
        Object opId = message.get(3);
        if (info != null && GlobalTerms.same(info.xCreation(), xCreation)
                && TermOrder.STANDARD.compare(opId, info.opId()) <= 0) {
            return;
        }
        volatileMulticast(message, nodeA, GlobalTerms.POP_VSN, true);
        if (info != null) {
            info.timer().cancel();
        }
        long stamp = ++lostStamps;
        lostConnections.put(key, new LostInfo(xCreation, opId,
                sendAfter(self(), new LostExpiry(key, stamp), LOST_CONNECTION_MEMORY), stamp));
        Atom remove = self == nodeB ? nodeA : nodeB;
        if (!known.isPotentiallyKnown(remove)) {
            return;
        }
        String what;
        if (known.vsn(remove) < GlobalTerms.POP_VSN) {
            net.disconnect(remove);
            what = "disconnected old";
        } else {
            volatileSend(remove, Tuple.of(GlobalTerms.REMOVE_CONNECTION, self));
            what = "requested disconnect from";
        }
        log().warn("'global' at node {} {} node {} in order to prevent overlapping partitions", self, what, remove);
        handleNodedown(remove, NodeDownType.REMOVE_CONNECTION);
    }

    // ------------------------------------------------------------------ node up and down

    /** A visible node connected: make ourselves known to it, and start a resolver for the exchange. */
    private void handleNodeup(Atom node) {
        if (known.isKnown(node) || resolvers.containsKey(node)) {
            return;
        }
        resendPreConnect(node);
        long tag = TAGS.incrementAndGet();
        session(node).myTag = tag;
        Tuple lockerInfo = Tuple.of(GlobalTerms.LOCKER, GlobalTerms.NO_LONGER_A_PID, known.asTerm(), locker);
        cast(new Name(GlobalTerms.SERVER, node), Tuple.of(GlobalTerms.INIT_CONNECT,
                Tuple.of((long) GlobalTerms.VSN, tag), self, lockerInfo));
        GlobalNames n = names;
        Pid resolver = spawn(() -> new GlobalResolver(node, tag, n));
        resolvers.put(node, new ResolverRef(tag, resolver));
    }

    private void handleNodedown(Atom node, NodeDownType what) {
        cancelLocker(node, myTag(node), GlobalTerms.NO_FUN);
        send(locker, Tuple.of(GlobalTerms.REMOVE_FROM_KNOWN, node));
        resetNodeState(node);
        switch (what) {
            case REMOVE_CONNECTION -> known.markRemoving(node);
            case IGNORE_NODE -> known.unmarkRemoving(node);
            case DISCONNECTED -> {
                if (!known.unmarkRemoving(node)) {
                    informConnectionLoss(node);
                }
            }
        }
        known.removePending(node);
        known.remove(node);
        synced.remove(node);
    }

    private void informConnectionLoss(Atom node) {
        if (!(connectAll && preventOverlap)) {
            return;
        }
        long xCreation = creationExtension + Integer.toUnsignedLong(net.creation()) - MIN_64BIT_SMALL_INT;
        Tuple m = Tuple.of(GlobalTerms.LOST_CONNECTION, self, xCreation, TAGS.incrementAndGet(), node);
        volatileMulticast(m, node, GlobalTerms.POP_VSN, true);
    }

    private void restartConnect(Atom node, Object myTag) {
        cancelLocker(node, myTag, GlobalTerms.NO_FUN);
        resetNodeState(node);
        known.removePending(node);
        if (myTag instanceof Long) {
            handleNodeup(node);
        }
    }

    private void resendPreConnect(Atom node) {
        Session s = sessions.get(node);
        if (s != null && s.preConnect != null) {
            Tuple pc = s.preConnect;
            s.preConnect = null;
            cast(self(), Tuple.of(GlobalTerms.INIT_CONNECT, Tuple.of(pc.get(0), pc.get(2)), node, pc.get(1)));
        }
    }

    /** Tells the locker to give up on {@code node} (running {@code fun} first if it holds the lock for it). */
    private void cancelLocker(Atom node, Object tag, Object fun) {
        send(locker, Tuple.of(GlobalTerms.CANCEL, node, tag, fun));
        sendCancelConnect(node, tag);
        ResolverRef r = resolvers.get(node);
        if (r != null && GlobalTerms.same(r.tag(), tag)) {
            exit(r.pid(), Reasons.KILL);
            resolvers.remove(node);
        }
    }

    private void sendCancelConnect(Atom node, Object myTag) {
        Integer vsn = known.pending(node);
        if (vsn != null && vsn >= GlobalTerms.VERIFY_CONNECT_VSN && GlobalTerms.same(myTag(node), myTag)) {
            sendCancelConnectMessage(node, hisTag(node));
        }
    }

    private void sendCancelConnectMessage(Atom node, Object hisTag) {
        volatileSend(node, Tuple.of(GlobalTerms.CANCEL_CONNECT, self, hisTag));
    }

    /** OTP's {@code sync_others/1}: connects to each node and tells it we are in sync. */
    private void syncOthers(List<Atom> nodes) {
        for (Atom n : nodes) {
            spawn(() -> new GlobalTask(ctx -> {
                if (net.connect(n)) {
                    ctx.cast(new Name(GlobalTerms.SERVER, n), Tuple.of(GlobalTerms.IN_SYNC, self, Atom.TRUE));
                } else {
                    LOG.warn("'global' at {} failed to connect to {}", self, n);
                    try {
                        ctx.send(GlobalTerms.SERVER, Tuple.of(GlobalTerms.EXTRA_NODEDOWN, n));
                    } catch (io.ergon.node.BadArgumentException e) {
                        // the server is gone (restarting): what it knew went with it
                    }
                }
            }));
        }
    }

    // ------------------------------------------------------------------ helpers

    private Session session(Atom node) {
        return sessions.computeIfAbsent(node, n -> new Session());
    }

    private Object myTag(Atom node) {
        Session s = sessions.get(node);
        return s == null ? Atom.UNDEFINED : s.myTag;
    }

    private Object hisTag(Atom node) {
        Session s = sessions.get(node);
        return s == null ? Atom.UNDEFINED : s.hisTag;
    }

    private void resetNodeState(Atom node) {
        sessions.remove(node);
    }

    /** Erlang's {@code send(To, Msg, [noconnect])} to another node's name server. */
    private void volatileSend(Atom node, Object message) {
        if (net.isConnected(node)) {
            send(new Name(GlobalTerms.SERVER, node), message);
        }
    }

    private void volatileMulticast(Object message, Atom ignore, int minVsn, boolean alsoPending) {
        known.versions().forEach((n, v) -> {
            if (n != ignore && v >= minVsn) {
                volatileSend(n, message);
            }
        });
        if (alsoPending) {
            known.pendingVersions().forEach((n, v) -> {
                if (n != ignore && v >= minVsn) {
                    volatileSend(n, message);
                }
            });
        }
    }

    private void unexpected(String where, Object message) {
        log().warn("The global_name_server received an unexpected message: {}({}, _)", where, message);
    }
}
