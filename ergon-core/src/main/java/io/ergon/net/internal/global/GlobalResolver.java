package io.ergon.net.internal.global;

import io.ergon.net.Rpc;
import io.ergon.net.RpcException;
import io.ergon.node.Actor;
import io.ergon.node.ExitException;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.ErlangException;
import io.ergon.term.ExportFun;
import io.ergon.term.LocalFun;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A name resolver, one per connection attempt (OTP's {@code resolver/2}): it waits for the other node's names,
 * compares them with this node's ({@code exchange_names/4}) and hands the name server the operations to run here
 * and those to send there. A clash is resolved only on the side whose node name is the smaller, by calling the
 * method of this side's name on the node of this side's process ({@code global:resolve_it/4} over rpc, locally if
 * that is this node).
 *
 * <p>It also answers {@code global:resolve_it/4} for other nodes ({@link #register}), with OTP's three methods
 * ({@code random_exit_name}, {@code random_notify_name}, {@code notify_all_name}) built in and any other
 * {@code fun M:F/3} run as the Java function registered with {@link Rpc#register} for {@code M:F/3}. OTP 25's
 * {@code register_name/2} gives its default as a local fun of {@code global}'s ({@code fun random_exit_name/3}
 * written inside the module), which is taken for {@code random_exit_name}; any other local fun cannot run here
 * and resolves as a failing method does ({@code {'EXIT', {{badfun, Fun}, []}}}: the name is unregistered).
 */
final class GlobalResolver extends Actor {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalResolver.class);
    /** How long a remote resolve method may take (OTP waits for ever). */
    private static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(10);
    private static final Atom UNDEF = Atom.of("undef");
    private static final Atom BADFUN = Atom.of("badfun");

    private final Atom peer;
    private final Object tag;
    private final GlobalNames names;

    GlobalResolver(Atom peer, Object tag, GlobalNames names) {
        this.peer = peer;
        this.tag = tag;
        this.names = names;
    }

    @Override
    protected void handleMessage(Object message) {
        if (GlobalTerms.is(message, GlobalTerms.RESOLVE, 3) && ((Tuple) message).get(2) == peer) {
            List<Object> ops = new ArrayList<>();
            List<Object> resolved = new ArrayList<>();
            exchangeNames(GlobalTerms.list(((Tuple) message).get(1)), ops, resolved);
            cast(GlobalTerms.SERVER, Tuple.of(GlobalTerms.EXCHANGE_OPS, peer, tag, ops, resolved));
            stop(Reasons.NORMAL);
        }
        // anything else is garbage, as OTP's resolver ignores it
    }

    /** OTP's {@code exchange_names/4}: {@code ops} to run here, {@code resolved} for the other side. */
    private void exchangeNames(List<Object> theirs, List<Object> ops, List<Object> resolved) {
        Atom self = node().name();
        for (Object x : theirs) {
            if (!(x instanceof Tuple t) || t.size() != 3 || !(t.get(1) instanceof Pid pid)) {
                continue;
            }
            Object name = t.get(0);
            Object method = t.get(2);
            GlobalNames.Entry mine = names.get(name);
            if (mine == null) {
                ops.add(0, insert(name, pid, method));
            } else if (mine.pid().equals(pid)) {
                continue;
            } else if (GlobalTerms.less(self, peer)) {
                Pid pid2 = mine.pid();
                Object r = resolveOn(pid2.node(), mine.method(), name, pid, pid2);
                if (pid.equals(r)) {
                    ops.add(0, insert(name, pid, method));
                } else if (pid2.equals(r)) {
                    resolved.add(0, insert(name, pid2, mine.method()));
                } else if (r == GlobalTerms.NONE) {
                    Tuple del = Tuple.of(GlobalTerms.DELETE, name);
                    ops.add(0, del);
                    resolved.add(0, del);
                } else if (GlobalTerms.is(r, GlobalTerms.BADRPC, 2)) {
                    LOG.info("global: badrpc {} received when conflicting name {} was found",
                            ((Tuple) r).get(1), name);
                    ops.add(0, insert(name, pid, method));
                } else {
                    LOG.info("global: Resolve method {} for conflicting name {} returned {}", method, name, r);
                    Tuple del = Tuple.of(GlobalTerms.DELETE, name);
                    ops.add(0, del);
                    resolved.add(0, del);
                }
            }
            // else: the other node resolves the clash
        }
    }

    private static Tuple insert(Object name, Pid pid, Object method) {
        return Tuple.of(GlobalTerms.INSERT, Tuple.of(name, pid, method));
    }

    /** {@code rpc:call(Node, global, resolve_it, [Method, Name, Pid1, Pid2])}. */
    private Object resolveOn(Atom on, Object method, Object name, Pid pid1, Pid pid2) {
        if (on == node().name()) {
            return resolveIt(node(), method, name, pid1, pid2);
        }
        try {
            return Rpc.of(node()).call(on.name(), GlobalTerms.GLOBAL.name(), GlobalTerms.RESOLVE_IT.name(),
                    List.of(method, name, pid1, pid2), RESOLVE_TIMEOUT);
        } catch (RpcException e) {
            if (e.kind() == RpcException.Kind.THROW) {
                return e.reason();
            }
            return Tuple.of(GlobalTerms.BADRPC, e.reason());
        }
    }

    /** Offers {@code global:resolve_it/4} to other nodes' resolvers. */
    static void register(Rpc rpc, Node node) {
        rpc.register(GlobalTerms.GLOBAL.name(), GlobalTerms.RESOLVE_IT.name(), 4, args -> {
            if (!(args.get(2) instanceof Pid p1) || !(args.get(3) instanceof Pid p2)) {
                throw new Rpc.ErlangError(Atom.of("function_clause"));
            }
            return resolveIt(node, args.get(0), args.get(1), p1, p2);
        });
    }

    /**
     * OTP's {@code resolve_it/4}: {@code catch Method(Name, Pid1, Pid2)}, so a failing method gives
     * {@code {'EXIT', Reason}} and a thrown value is the result.
     */
    static Object resolveIt(Node node, Object method, Object name, Pid pid1, Pid pid2) {
        Atom module;
        Atom function;
        if (method instanceof ExportFun f && f.arity() == 3) {
            module = f.module();
            function = f.function();
        } else if (method instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Atom m
                && t.get(1) instanceof Atom f) {
            module = m;
            function = f;
        } else if (method instanceof LocalFun f && f.module() == GlobalTerms.GLOBAL && f.arity() == 3
                && f.freeVars().isEmpty()) {
            // OTP's register_name/2 passes fun random_exit_name/3 from inside global: a local fun of global's, the
            // only one of arity 3 without free variables that global hands out as a method
            module = GlobalTerms.GLOBAL;
            function = GlobalTerms.RANDOM_EXIT_NAME;
        } else {
            return Tuple.of(GlobalTerms.EXIT, Tuple.of(Tuple.of(BADFUN, method), List.of()));
        }
        if (module == GlobalTerms.GLOBAL) {
            Object builtIn = builtIn(node, function, name, pid1, pid2);
            if (builtIn != null) {
                return builtIn;
            }
        }
        Rpc.Function fn = Rpc.of(node).find(module, function, 3);
        if (fn == null) {
            return Tuple.of(GlobalTerms.EXIT, Tuple.of(UNDEF,
                    List.of(Tuple.of(module, function, List.of(name, pid1, pid2), List.of()))));
        }
        try {
            Object r = fn.apply(List.of(name, pid1, pid2));
            return r == null ? Atom.UNDEFINED : r;
        } catch (Rpc.Throw t) {
            return t.value();
        } catch (Rpc.ErlangError e) {
            return Tuple.of(GlobalTerms.EXIT, Tuple.of(e.reason(), List.of()));
        } catch (ExitException e) {
            return Tuple.of(GlobalTerms.EXIT, e.reason());
        } catch (ErlangException e) {
            return Tuple.of(GlobalTerms.EXIT, Tuple.of(e.reason(), List.of()));
        } catch (Exception e) {
            LOG.warn("global: the resolve method {}:{}/3 for {} failed", module, function, name, e);
            return Tuple.of(GlobalTerms.EXIT, Tuple.of(Reasons.of(e), List.of()));
        }
    }

    /** OTP's three methods, or null if {@code function} is not one of them. */
    private static Object builtIn(Node node, Atom function, Object name, Pid pid1, Pid pid2) {
        boolean firstIsMin = GlobalTerms.less(pid1.node(), pid2.node());
        Pid min = firstIsMin ? pid1 : pid2;
        Pid max = firstIsMin ? pid2 : pid1;
        if (function == GlobalTerms.RANDOM_EXIT_NAME) {
            LOG.info("global: Name conflict terminating {}", Tuple.of(name, max));
            node.exit(max, Reasons.KILL);
            return min;
        }
        if (function == GlobalTerms.RANDOM_NOTIFY_NAME) {
            node.send(max, Tuple.of(GlobalTerms.GLOBAL_NAME_CONFLICT, name));
            return min;
        }
        if (function == GlobalTerms.NOTIFY_ALL_NAME) {
            node.send(pid1, Tuple.of(GlobalTerms.GLOBAL_NAME_CONFLICT, name, pid2));
            node.send(pid2, Tuple.of(GlobalTerms.GLOBAL_NAME_CONFLICT, name, pid1));
            return GlobalTerms.NONE;
        }
        return null;
    }
}
