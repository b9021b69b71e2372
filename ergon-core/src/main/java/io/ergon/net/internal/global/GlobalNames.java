package io.ergon.net.internal.global;

import io.ergon.net.internal.global.GlobalTerms.Key;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The table of global names: OTP's {@code global_names} ({@code {Name, Pid, Method, MonitorRef}}), with the
 * indexes {@code global_pid_names} (the names of a pid, the name of a monitor) and the table of names registered
 * for external nodes, {@code global_names_ext}. Only the name server writes it; any thread may read it (whereis,
 * the resolvers, the registrar), as any process reads OTP's protected ETS tables.
 */
final class GlobalNames {
    /** One registered name, the method that resolves a clash over it, and the server's monitor of its process. */
    record Entry(Object name, Pid pid, Object method, Ref ref) {
    }

    /** A name a node registered for a process of an external node ({@code register_name_external}). */
    record ExtEntry(Object name, Pid pid, Atom regNode) {
    }

    private final Atom self;
    private final Predicate<Pid> alive;
    private final ConcurrentHashMap<Key, Entry> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Pid, Set<Key>> byPid = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Ref, Key> byRef = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, ExtEntry> ext = new ConcurrentHashMap<>();

    /**
     * @param self this node's name
     * @param alive whether a local pid is alive
     */
    GlobalNames(Atom self, Predicate<Pid> alive) {
        this.self = self;
        this.alive = alive;
    }

    Entry get(Object name) {
        return names.get(new Key(name));
    }

    /**
     * OTP's {@code where/1}: the pid registered as {@code name}, or null; a local pid only while its process is
     * alive (a name outlives its process until the server has seen the DOWN).
     */
    Pid where(Object name) {
        Entry e = get(name);
        if (e == null) {
            return null;
        }
        if (e.pid().node() == self) {
            return alive.test(e.pid()) ? e.pid() : null;
        }
        return e.pid();
    }

    /** The registered names. */
    List<Object> registeredNames() {
        List<Object> out = new ArrayList<>();
        for (Key k : names.keySet()) {
            out.add(k.term());
        }
        return out;
    }

    /** OTP's {@code get_names/0}: {@code [{Name, Pid, Method}]}, what an exchange sends. */
    List<Object> list() {
        List<Object> out = new ArrayList<>();
        for (Entry e : names.values()) {
            out.add(Tuple.of(e.name(), e.pid(), e.method()));
        }
        return out;
    }

    /** Whether {@code pid} has a name (OTP refuses a second one, {@code check_dupname}). */
    boolean hasName(Pid pid) {
        Set<Key> s = byPid.get(pid);
        return s != null && !s.isEmpty();
    }

    /** Inserts (or replaces) the entry of {@code name}, indexed by pid and monitor. */
    void put(Object name, Pid pid, Object method, Ref ref) {
        Key k = new Key(name);
        names.put(k, new Entry(name, pid, method, ref));
        byPid.computeIfAbsent(pid, p -> ConcurrentHashMap.newKeySet()).add(k);
        byRef.put(ref, k);
    }

    /** Removes the entry of {@code name} (not its indexes: see {@link #unindex}); null if there was none. */
    Entry remove(Object name) {
        return names.remove(new Key(name));
    }

    /** Removes the index entries of {@code name} registered to {@code pid} with monitor {@code ref}. */
    void unindex(Object name, Pid pid, Ref ref) {
        Key k = new Key(name);
        byPid.computeIfPresent(pid, (p, s) -> {
            s.remove(k);
            return s.isEmpty() ? null : s;
        });
        byRef.remove(ref, k);
    }

    /** OTP's {@code del_name/2}'s look-up: the name whose current entry is monitored by {@code ref}, or null. */
    Object nameMonitoredBy(Ref ref) {
        Key k = byRef.get(ref);
        if (k == null) {
            return null;
        }
        Entry e = names.get(k);
        return e != null && e.ref().equals(ref) ? e.name() : null;
    }

    void putExt(Object name, Pid pid, Atom regNode) {
        ext.put(new Key(name), new ExtEntry(name, pid, regNode));
    }

    ExtEntry getExt(Object name) {
        return ext.get(new Key(name));
    }

    void removeExt(Object name) {
        ext.remove(new Key(name));
    }

    /** OTP's {@code get_names_ext/0}: {@code [{Name, Pid, RegNode}]}. */
    List<Object> extList() {
        List<Object> out = new ArrayList<>();
        for (ExtEntry e : ext.values()) {
            out.add(Tuple.of(e.name(), e.pid(), e.regNode()));
        }
        return out;
    }
}
