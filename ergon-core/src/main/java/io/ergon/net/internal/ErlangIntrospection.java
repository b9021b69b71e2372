package io.ergon.net.internal;

import io.ergon.gen.Applications;
import io.ergon.gen.GenEvent;
import io.ergon.gen.GenServer;
import io.ergon.gen.GenStatem;
import io.ergon.gen.RunningApplication;
import io.ergon.gen.Supervisor;
import io.ergon.net.Rpc;
import io.ergon.node.Node;
import io.ergon.node.NodeStats;
import io.ergon.node.ProcessInfo;
import io.ergon.term.Atom;
import io.ergon.term.ByteList;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Erlang's introspection BIFs, answered over rpc for this node and its processes, in Erlang's shapes, for the tools
 * Erlang users point at a node (observer, recon, observer_cli, {@code erl_call -a 'erlang memory []'}):
 * {@code process_info/1,2}, {@code system_info/1}, {@code memory/0,1}, {@code statistics/1}, {@code nodes/0,1} (with
 * Erlang's rules for hidden nodes), {@code node/1}, {@code application:which_applications/0},
 * {@code net_kernel:get_net_ticktime/0}, {@code net_kernel:nodes_info/0}, and {@code observer_backend:sys_info/0}
 * (observer's System tab). A question
 * Erlang would answer with {@code badarg} (an unknown item, a pid of another node) raises {@code error:badarg} here
 * too. Figures the JVM does not have in Erlang's sense are estimates, named as such below: {@code memory} splits the
 * JVM heap in use, a process's {@code memory} is a per-process estimate, {@code reductions} counts messages handled
 * (a process's, or the node's in {@code statistics(reductions)}: Erlang's reductions count work, and a message handled
 * is Ergon's unit of it), and {@code statistics(io)} counts the bytes the node's distribution connections read and
 * wrote (Erlang's counts all its ports' I/O).
 */
final class ErlangIntrospection {
    /** The release whose distribution protocol Ergon speaks; what {@code otp_release} answers. */
    static final String OTP_RELEASE = "25";
    /** Erlang's highest process limit, as Ergon has no fixed one. */
    static final long PROCESS_LIMIT = 134_217_727L;
    /** A rough footprint of an idle process (bench: 236-258 bytes) plus its mailbox, for {@code memory}. */
    private static final long PROCESS_BYTES = 256;
    private static final long MESSAGE_BYTES = 64;

    private static final Atom BADARG = Atom.of("badarg");
    private static final Atom INITIAL_CALL = Atom.of("$initial_call");
    private static final List<String> PROCESS_INFO_ITEMS = List.of("registered_name", "current_function",
            "initial_call", "status", "message_queue_len", "links", "dictionary", "trap_exit", "error_handler",
            "priority", "group_leader", "total_heap_size", "heap_size", "stack_size", "reductions",
            "garbage_collection", "suspending");

    private final Node node;
    private final Distribution dist;
    private final long startMillis = System.currentTimeMillis();
    private final AtomicLong lastWallClock = new AtomicLong(startMillis);
    private final AtomicLong lastRuntime = new AtomicLong();
    private final AtomicLong lastReductions = new AtomicLong();
    private final ConcurrentHashMap<String, Optional<Class<?>>> behaviourClasses = new ConcurrentHashMap<>();

    private ErlangIntrospection(Node node, Distribution dist) {
        this.node = node;
        this.dist = dist;
    }

    /** Registers the functions on {@code rpc}. */
    static void register(Rpc rpc, Node node, Distribution dist) {
        ErlangIntrospection i = new ErlangIntrospection(node, dist);
        rpc.register("erlang", "process_info", 1, args -> i.processInfo(pid(args.get(0)), PROCESS_INFO_ITEMS, true));
        rpc.register("erlang", "process_info", 2, args -> i.processInfo2(pid(args.get(0)), args.get(1)));
        rpc.register("erlang", "system_info", 1, args -> i.systemInfo(args.get(0)));
        rpc.register("erlang", "memory", 0, args -> i.memory());
        rpc.register("erlang", "memory", 1, args -> i.memory(args.get(0)));
        rpc.register("erlang", "statistics", 1, args -> i.statistics(args.get(0)));
        rpc.register("erlang", "nodes", 0, args -> dist.visibleNodes());
        rpc.register("erlang", "nodes", 1, args -> i.nodes(args.get(0)));
        rpc.register("erlang", "node", 1, args -> pid(args.get(0)).node());
        rpc.register("application", "which_applications", 0, args -> i.whichApplications());
        rpc.register("net_kernel", "get_net_ticktime", 0, args -> dist.netTickTime().toSeconds());
        rpc.register("net_kernel", "nodes_info", 0, args -> Tuple.of(Atom.of("ok"), i.nodesInfo()));
        rpc.register("observer_backend", "sys_info", 0, args -> i.observerSysInfo());
    }

    /**
     * What {@code observer_backend:sys_info/0} (runtime_tools, OTP 25) gathers on an Erlang node for observer's
     * System tab, item for item, from the answers above.
     */
    private List<Object> observerSysInfo() {
        List<Object> out = new ArrayList<>();
        Tuple wall = (Tuple) statistics(Atom.of("wall_clock"));
        add(out, "uptime", wall.get(0));
        add(out, "run_queue", statistics(Atom.of("run_queue")));
        Tuple io = (Tuple) statistics(Atom.of("io"));
        add(out, "io_input", ((Tuple) io.get(0)).get(1));
        add(out, "io_output", ((Tuple) io.get(1)).get(1));
        for (String item : List.of("logical_processors", "logical_processors_online", "logical_processors_available",
                "schedulers", "schedulers_online")) {
            add(out, item, systemInfo(Atom.of(item)));
        }
        add(out, "schedulers_available", systemInfo(Atom.of("schedulers_online")));
        for (String item : List.of("otp_release", "version", "system_architecture", "kernel_poll", "smp_support",
                "threads", "thread_pool_size")) {
            add(out, item, systemInfo(Atom.of(item)));
        }
        add(out, "wordsize_internal", 8L);
        add(out, "wordsize_external", 8L);
        add(out, "alloc_info", List.of());
        for (String item : List.of("process_count", "atom_limit", "atom_count", "process_limit", "port_limit",
                "port_count", "ets_limit", "ets_count")) {
            add(out, item, systemInfo(Atom.of(item)));
        }
        add(out, "dist_buf_busy_limit", node.options().distBufferBusyLimit());
        out.addAll(memory());
        return out;
    }

    private static void add(List<Object> out, String key, Object value) {
        out.add(Tuple.of(Atom.of(key), value));
    }

    private static Pid pid(Object term) {
        if (term instanceof Pid p) {
            return p;
        }
        throw badarg();
    }

    /** Erlang's {@code error:badarg}, raised to the caller as the BIF would. */
    private static Rpc.ErlangError badarg() {
        return new Rpc.ErlangError(BADARG);
    }

    private Object processInfo(Pid pid, List<String> items, boolean skipUnregisteredName) {
        if (!pid.node().equals(node.name())) {
            throw badarg(); // as Erlang: process_info of another node's pid
        }
        ProcessInfo info = node.info(pid);
        if (info == null) {
            return Atom.UNDEFINED;
        }
        List<Object> out = new ArrayList<>();
        for (String item : items) {
            if (skipUnregisteredName && item.equals("registered_name") && info.registeredName() == null) {
                continue; // process_info/1 leaves it out for an unregistered process
            }
            out.add(Tuple.of(Atom.of(item), item(info, item)));
        }
        return out;
    }

    private Object processInfo2(Pid pid, Object what) {
        if (what instanceof Atom a) {
            Object all = processInfo(pid, List.of(a.name()), false);
            if (all == Atom.UNDEFINED) {
                return all;
            }
            Tuple t = (Tuple) ((List<?>) all).get(0);
            // process_info(P, registered_name) of an unregistered process is [] in Erlang
            return a.name().equals("registered_name") && t.get(1) == null ? List.of() : t;
        }
        if (what instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof Atom a)) {
                    throw badarg();
                }
                items.add(a.name());
            }
            return processInfo(pid, items, false);
        }
        throw badarg();
    }

    private Object item(ProcessInfo info, String item) {
        Atom behaviour = Atom.of(info.behaviour());
        return switch (item) {
            case "registered_name" -> info.registeredName() == null ? List.of() : info.registeredName();
            case "current_function" -> Tuple.of(behaviour, Atom.of("handle_message"), 1L);
            case "initial_call" -> Tuple.of(behaviour, Atom.of("init"), 0L);
            case "status" -> Atom.of(switch (info.status()) {
                case IDLE, WAITING -> "waiting";
                case RUNNABLE -> "runnable";
                case EXITED -> "exiting";
            });
            case "message_queue_len" -> (long) info.messageQueueLength();
            case "messages" -> List.of(); // not copied out: the queue is the process's own
            case "links" -> info.links();
            case "monitors" -> monitors(info.monitors());
            case "monitored_by" -> info.monitoredBy();
            case "dictionary" -> dictionary(info);
            case "trap_exit" -> Atom.of(info.trapExit());
            case "error_handler" -> Atom.of("error_handler");
            case "priority" -> Atom.of("normal");
            case "group_leader" -> groupLeader(info);
            case "total_heap_size", "heap_size" -> words(info);
            case "stack_size" -> 0L;
            case "memory" -> PROCESS_BYTES + MESSAGE_BYTES * info.messageQueueLength();
            case "reductions" -> info.messagesHandled();
            case "garbage_collection", "suspending" -> List.of();
            case "parent" -> info.parent() == null ? Atom.UNDEFINED : info.parent();
            default -> throw badarg();
        };
    }

    /**
     * A process's dictionary holds only what {@code proc_lib} puts there and tools read back:
     * {@code '$initial_call'}, {@code {supervisor, Class, 1}} for a supervisor (how observer and
     * {@code supervisor:which_children} walkers find supervisors) and {@code {Class, init, 1}} for another process
     * that speaks the {@code sys} protocol (a GenServer, GenStatem or GenEvent, as {@code gen_*} processes are
     * proc_lib's); a plain actor or a mailbox has none, as a process started by plain {@code spawn}.
     */
    private List<Object> dictionary(ProcessInfo info) {
        Class<?> type = behaviourClass(info.behaviour());
        Atom behaviour = Atom.of(info.behaviour());
        if (type != null && Supervisor.class.isAssignableFrom(type)) {
            return List.of(Tuple.of(INITIAL_CALL, Tuple.of(Atom.of("supervisor"), behaviour, 1L)));
        }
        if (type != null && (GenServer.class.isAssignableFrom(type) || GenStatem.class.isAssignableFrom(type)
                || GenEvent.class.isAssignableFrom(type))) {
            return List.of(Tuple.of(INITIAL_CALL, Tuple.of(behaviour, Atom.of("init"), 1L)));
        }
        return List.of();
    }

    /** The class named so, or null if this node's loaders cannot see it (a mailbox's "Mailbox", say). */
    private Class<?> behaviourClass(String className) {
        return behaviourClasses.computeIfAbsent(className, n -> {
            for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                    Supervisor.class.getClassLoader()}) {
                try {
                    return Optional.of(Class.forName(n, false, loader));
                } catch (ClassNotFoundException | LinkageError notHere) {
                    // try the next loader
                }
            }
            return Optional.empty();
        }).orElse(null);
    }

    /**
     * {@code net_kernel:nodes_info/0}'s list: per connection {@code {Node, [{owner, Pid}, {state, up | pending},
     * {address, #net_address{}}, {type, normal | hidden}, {in, N}, {out, N}]}}. In and out count the messages and
     * signals read and written (Erlang's count the distribution packets); the owner is this node's
     * {@code net_kernel} (Ergon has no process per connection).
     */
    private List<Object> nodesInfo() {
        Object owner = node.whereis("net_kernel");
        List<Object> out = new ArrayList<>();
        for (Distribution.PeerInfo p : dist.peerInfo()) {
            String name = p.peer().name();
            Object address = p.address() instanceof java.net.InetSocketAddress a
                    ? Tuple.of(ipTuple(a.getAddress()), (long) a.getPort()) : Atom.UNDEFINED;
            Tuple netAddress = Tuple.of(Atom.of("net_address"), address,
                    ByteList.ofLatin1(name.substring(name.indexOf('@') + 1)), Atom.of("tcp"), Atom.of("inet"));
            out.add(Tuple.of(p.peer(), List.of(
                    Tuple.of(Atom.of("owner"), owner == null ? Atom.UNDEFINED : owner),
                    Tuple.of(Atom.of("state"), Atom.of(p.up() ? "up" : "pending")),
                    Tuple.of(Atom.of("address"), netAddress),
                    Tuple.of(Atom.of("type"), Atom.of(p.hidden() ? "hidden" : "normal")),
                    Tuple.of(Atom.of("in"), p.in()),
                    Tuple.of(Atom.of("out"), p.out()))));
        }
        return out;
    }

    private static Tuple ipTuple(java.net.InetAddress ip) {
        byte[] b = ip.getAddress();
        Object[] parts = new Object[b.length];
        for (int k = 0; k < b.length; k++) {
            parts[k] = (long) (b[k] & 0xff);
        }
        return Tuple.of(parts);
    }

    private Object groupLeader(ProcessInfo info) {
        Pid io = node.whereis(IoServer.NAME.name());
        return io != null ? io : info.pid();
    }

    private static long words(ProcessInfo info) {
        return (PROCESS_BYTES + MESSAGE_BYTES * info.messageQueueLength()) / 8;
    }

    /** Erlang's {@code {process, Pid}} and {@code {process, {Name, Node}}} for what a process monitors. */
    private static List<Object> monitors(List<Object> targets) {
        List<Object> out = new ArrayList<>();
        Atom process = Atom.of("process");
        for (Object t : targets) {
            out.add(t instanceof io.ergon.node.Name n
                    ? Tuple.of(process, Tuple.of(n.name(), n.node() == null ? Atom.UNDEFINED : n.node()))
                    : Tuple.of(process, t));
        }
        return out;
    }

    private Object systemInfo(Object what) {
        if (!(what instanceof Atom a)) {
            throw badarg();
        }
        Runtime rt = Runtime.getRuntime();
        return switch (a.name()) {
            case "otp_release" -> ByteList.ofLatin1(OTP_RELEASE);
            case "version" -> ByteList.ofLatin1("ergon-" + version());
            case "system_version" -> ByteList.ofLatin1("Ergon " + version() + " on Java " + Runtime.version()
                    + " [distribution: Erlang/OTP " + OTP_RELEASE + "]\n");
            case "system_architecture" -> ByteList.ofLatin1(System.getProperty("os.arch") + "-"
                    + System.getProperty("os.name").toLowerCase(Locale.ROOT));
            case "process_count" -> (long) node.processCount();
            case "process_limit" -> PROCESS_LIMIT;
            case "port_count", "ets_count", "atom_count" -> 0L;
            case "port_limit", "ets_limit", "atom_limit" -> PROCESS_LIMIT;
            case "schedulers", "schedulers_online", "dirty_cpu_schedulers", "dirty_cpu_schedulers_online" ->
                    (long) node.options().parallelism();
            case "dirty_io_schedulers", "thread_pool_size" -> 0L;
            case "logical_processors", "logical_processors_online", "logical_processors_available" ->
                    (long) rt.availableProcessors();
            case "wordsize" -> 8L;
            case "smp_support", "threads" -> Atom.TRUE;
            case "kernel_poll" -> Atom.TRUE;
            case "heap_type" -> Atom.of("private");
            case "creation" -> (long) node.creation();
            default -> throw badarg();
        };
    }

    private static String version() {
        String v = ErlangIntrospection.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    private List<Object> memory() {
        List<Object> out = new ArrayList<>();
        for (String kind : List.of("total", "processes", "processes_used", "system", "atom", "atom_used", "binary",
                "code", "ets")) {
            out.add(Tuple.of(Atom.of(kind), memoryOf(kind)));
        }
        return out;
    }

    private Object memory(Object what) {
        if (what instanceof Atom a) {
            return memoryOf(a.name());
        }
        if (what instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof Atom a)) {
                    throw badarg();
                }
                out.add(Tuple.of(a, memoryOf(a.name())));
            }
            return out;
        }
        throw badarg();
    }

    /** The JVM's memory in Erlang's categories: processes estimated, the rest of the heap in use as system. */
    private long memoryOf(String kind) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long processes = Math.min(used, (long) node.processCount() * PROCESS_BYTES);
        return switch (kind) {
            case "total" -> used;
            case "processes", "processes_used" -> processes;
            case "system" -> used - processes;
            case "atom", "atom_used", "binary", "code", "ets" -> 0L;
            default -> throw badarg();
        };
    }

    private Object statistics(Object what) {
        if (!(what instanceof Atom a)) {
            throw badarg();
        }
        return switch (a.name()) {
            case "wall_clock" -> {
                long now = System.currentTimeMillis();
                yield Tuple.of(now - startMillis, now - lastWallClock.getAndSet(now));
            }
            case "runtime" -> {
                long cpu = cpuMillis();
                yield Tuple.of(cpu, cpu - lastRuntime.getAndSet(cpu));
            }
            case "reductions", "exact_reductions" -> {
                long total = node.stats().messagesHandled();
                yield Tuple.of(total, total - lastReductions.getAndSet(total));
            }
            case "run_queue" -> 0L;
            case "context_switches" -> Tuple.of(0L, 0L);
            case "io" -> {
                long in = 0;
                long out = 0;
                for (NodeStats.Connection c : dist.connectionStats()) {
                    in += c.bytesIn();
                    out += c.bytesOut();
                }
                yield Tuple.of(Tuple.of(Atom.of("input"), in), Tuple.of(Atom.of("output"), out));
            }
            case "garbage_collection" -> Tuple.of(0L, 0L, 0L);
            default -> throw badarg();
        };
    }

    /** CPU time of the whole JVM so far, in milliseconds (Erlang's runtime counts its schedulers'). */
    private static long cpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
    }

    private Object nodes(Object what) {
        List<Object> kinds = what instanceof List<?> l ? new ArrayList<>(l) : List.of(what);
        List<Object> out = new ArrayList<>();
        for (Object k : kinds) {
            if (!(k instanceof Atom a)) {
                throw badarg();
            }
            switch (a.name()) {
                case "visible" -> out.addAll(dist.visibleNodes());
                case "hidden" -> out.addAll(dist.hiddenNodes());
                case "connected" -> out.addAll(dist.nodes());
                case "this" -> out.add(node.name());
                case "known" -> {
                    out.add(node.name());
                    out.addAll(dist.nodes());
                }
                default -> throw badarg();
            }
        }
        return out.stream().distinct().toList();
    }

    private List<Object> whichApplications() {
        List<Object> out = new ArrayList<>();
        for (RunningApplication app : Applications.of(node).running()) {
            out.add(Tuple.of(Atom.of(app.name()), ByteList.ofLatin1(app.description() == null ? app.name()
                    : app.description()), ByteList.ofLatin1(app.version() == null ? "" : app.version())));
        }
        return out;
    }
}
