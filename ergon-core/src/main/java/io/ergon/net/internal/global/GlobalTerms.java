package io.ergon.net.internal.global;

import io.ergon.term.Atom;
import io.ergon.term.TermOrder;
import io.ergon.term.Terms;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The atoms of global's protocol, and small helpers over terms that its classes share. */
final class GlobalTerms {
    /** The protocol version OTP 25's global speaks ({@code ?vsn}). */
    static final int VSN = 8;
    /** The version that brought {@code init_connect_ack} and {@code cancel_connect} ({@code ?verify_connect_vsn}). */
    static final int VERIFY_CONNECT_VSN = 8;
    /** The version that brought "prevent overlapping partitions" ({@code ?pop_vsn}). */
    static final int POP_VSN = 7;
    /** The version from which known lists carry versions ({@code ?pgpv_vsn}). */
    static final int PGPV_VSN = 7;

    static final Atom SERVER = Atom.of("global_name_server");
    static final Atom GLOBAL = Atom.of("global");
    static final Atom INIT_CONNECT = Atom.of("init_connect");
    static final Atom INIT_CONNECT_ACK = Atom.of("init_connect_ack");
    static final Atom CANCEL_CONNECT = Atom.of("cancel_connect");
    static final Atom LOCKER = Atom.of("locker");
    static final Atom NO_LONGER_A_PID = Atom.of("no_longer_a_pid");
    static final Atom LOCK_IS_SET = Atom.of("lock_is_set");
    static final Atom EXCHANGE = Atom.of("exchange");
    static final Atom EXCHANGE_OPS = Atom.of("exchange_ops");
    static final Atom RESOLVED = Atom.of("resolved");
    static final Atom RESOLVE = Atom.of("resolve");
    static final Atom NEW_NODES = Atom.of("new_nodes");
    static final Atom IN_SYNC = Atom.of("in_sync");
    static final Atom SYNCED = Atom.of("synced");
    static final Atom SYNC = Atom.of("sync");
    static final Atom LOCK_SET = Atom.of("lock_set");
    static final Atom HIS_THE_LOCKER = Atom.of("his_the_locker");
    static final Atom CANCEL = Atom.of("cancel");
    static final Atom NO_FUN = Atom.of("no_fun");
    static final Atom ADD_TO_KNOWN = Atom.of("add_to_known");
    static final Atom REMOVE_FROM_KNOWN = Atom.of("remove_from_known");
    static final Atom REGISTER = Atom.of("register");
    static final Atom REGISTER_EXT = Atom.of("register_ext");
    static final Atom UNREGISTER = Atom.of("unregister");
    static final Atom SET_LOCK = Atom.of("set_lock");
    static final Atom DEL_LOCK = Atom.of("del_lock");
    static final Atom GET_KNOWN = Atom.of("get_known");
    static final Atom GET_SYNCED = Atom.of("get_synced");
    static final Atom GET_PROTOCOL_VERSION = Atom.of("get_protocol_version");
    static final Atom GET_NAMES_EXT = Atom.of("get_names_ext");
    static final Atom INFO = Atom.of("info");
    static final Atom DISCONNECT = Atom.of("disconnect");
    static final Atom INSERT = Atom.of("insert");
    static final Atom DELETE = Atom.of("delete");
    static final Atom VSN_TAG = Atom.of("vsn");
    static final Atom LOCK = Atom.of("lock");
    static final Atom UNUSED = Atom.of("unused");
    static final Atom YES = Atom.of("yes");
    static final Atom NO = Atom.of("no");
    static final Atom NONE = Atom.of("none");
    static final Atom BADRPC = Atom.of("badrpc");
    static final Atom EXIT = Atom.of("EXIT");
    static final Atom ASYNC_DEL_NAME = Atom.of("async_del_name");
    static final Atom ASYNC_DEL_LOCK = Atom.of("async_del_lock");
    static final Atom EXTRA_NODEDOWN = Atom.of("extra_nodedown");
    static final Atom WHEREIS = Atom.of("whereis");
    static final Atom LOST_CONNECTION = Atom.of("lost_connection");
    static final Atom REMOVE_CONNECTION = Atom.of("remove_connection");
    static final Atom PREPARE_SHUTDOWN = Atom.of("prepare_shutdown");
    static final Atom GLOBAL_NAME_CONFLICT = Atom.of("global_name_conflict");
    static final Atom RANDOM_EXIT_NAME = Atom.of("random_exit_name");
    static final Atom RANDOM_NOTIFY_NAME = Atom.of("random_notify_name");
    static final Atom NOTIFY_ALL_NAME = Atom.of("notify_all_name");
    static final Atom RESOLVE_IT = Atom.of("resolve_it");

    private GlobalTerms() {
    }

    /** Whether {@code m} is a tuple of {@code size} elements whose first is {@code tag}. */
    static boolean is(Object m, Atom tag, int size) {
        return m instanceof Tuple t && t.size() == size && t.get(0) == tag;
    }

    /** Erlang's {@code =:=}. */
    static boolean same(Object a, Object b) {
        return a != null && b != null && Terms.exactlyEqual(a, b);
    }

    /** Erlang's {@code <} on two atoms (node names compare by their text). */
    static boolean less(Atom a, Atom b) {
        return a.compareTo(b) < 0;
    }

    /** {@code lists:max/1} of node names. */
    static Atom max(Collection<Atom> nodes) {
        Atom best = null;
        for (Atom n : nodes) {
            if (best == null || n.compareTo(best) > 0) {
                best = n;
            }
        }
        return best;
    }

    /** {@code A -- B}: each element of {@code b} removes its first occurrence from a copy of {@code a}. */
    static <T> List<T> minus(List<T> a, Collection<T> b) {
        List<T> out = new ArrayList<>(a);
        for (T x : b) {
            out.remove(x);
        }
        return out;
    }

    /** {@code lists:sort/1} of two terms, as Erlang orders them. */
    static List<Object> sorted(Object a, Object b) {
        return TermOrder.STANDARD.compare(a, b) <= 0 ? List.of(a, b) : List.of(b, a);
    }

    /** A list term's elements (a string arrives as a list of small integers too); empty for anything else. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object term) {
        return term instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A key for a hash table of terms: equal when the terms are {@code =:=}. */
    record Key(Object term) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && Terms.exactlyEqual(term, k.term);
        }

        @Override
        public int hashCode() {
            return Terms.hash(term);
        }
    }
}
