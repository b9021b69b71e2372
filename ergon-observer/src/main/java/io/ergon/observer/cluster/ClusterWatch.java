package io.ergon.observer.cluster;

import io.ergon.net.Rpc;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.observer.snapshot.ApplicationRow;
import io.ergon.observer.snapshot.ConnectionRow;
import io.ergon.observer.snapshot.NodeSnapshot;
import io.ergon.observer.snapshot.PidText;
import io.ergon.observer.snapshot.ProcessDetail;
import io.ergon.observer.snapshot.SupervisionTree;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples a cluster every interval from the observer's own node, and hands each {@link ClusterView} to its
 * subscribers. The nodes are the target and every node a sampled node lists in {@code erlang:nodes()} (the visible
 * ones), so the observer, a hidden node, follows the cluster as it grows and shrinks. Each node is read in parallel,
 * with the same rpc calls whatever it runs: {@link NodeSnapshot}, {@code system_info(version)},
 * {@code statistics(reductions)}, {@code net_kernel:nodes_info()}, {@code application:which_applications()},
 * {@code erlang:nodes()}, and {@code which_children} of its supervisors.
 *
 * <p>The actions ({@link #kill}, {@link #restartChild}) refuse unless the watch was made with actions allowed.
 */
public final class ClusterWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);
    private static final Atom STOP = Atom.of("$observer_stop");

    private final Node node;
    private final Rpc rpc;
    private final String target;
    private final Duration interval;
    private final Duration timeout;
    private final int scanLimit;
    private final boolean allowActions;
    private final Mailbox watcher;
    private final Rates rates = new Rates();
    private final Restarts restarts;
    private final List<Consumer<ClusterView>> subscribers = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> creations = new ConcurrentHashMap<>();
    private final Thread loop;
    private volatile ClusterView latest;
    private volatile boolean running = true;
    private TreeSet<String> nodes = new TreeSet<>();
    private long sample;

    /**
     * Starts sampling {@code target}'s cluster from {@code node} (the observer's own node).
     *
     * @param scanLimit at most this many processes are read per node and sample
     * @param timeout for each rpc call
     */
    public ClusterWatch(Node node, String target, Duration interval, Duration timeout, int scanLimit,
                        boolean allowActions) {
        this.node = node;
        this.rpc = Rpc.of(node);
        this.target = target;
        this.interval = interval;
        this.timeout = timeout;
        this.scanLimit = scanLimit;
        this.allowActions = allowActions;
        this.watcher = node.mailbox();
        this.restarts = new Restarts(watcher);
        this.loop = Thread.ofVirtual().name("ergon-observer-sampler").start(this::run);
    }

    /** The latest sample, or null before the first one is taken. */
    public ClusterView latest() {
        return latest;
    }

    /** Calls {@code subscriber} with each new sample (on the sampling thread: it must not block). */
    public void subscribe(Consumer<ClusterView> subscriber) {
        subscribers.add(subscriber);
    }

    /** Stops calling {@code subscriber}. */
    public void unsubscribe(Consumer<ClusterView> subscriber) {
        subscribers.remove(subscriber);
    }

    /** Whether {@link #kill} and {@link #restartChild} are allowed. */
    public boolean allowsActions() {
        return allowActions;
    }

    /**
     * The pid written {@code <0.Id.Serial>} on {@code nodeName}, of the node's incarnation the latest sample saw.
     *
     * @throws IllegalArgumentException if the text is not a pid or the node has not been sampled
     */
    public Pid pid(String nodeName, String text) {
        Integer creation = creations.get(nodeName);
        if (creation == null) {
            throw new IllegalArgumentException("not a node of the cluster: " + nodeName);
        }
        return PidText.parse(nodeName, text, creation);
    }

    /** A close look at one process, with its latest crash if the observer saw one. */
    public ProcessDetailView detail(String nodeName, String pidText) {
        Pid pid = pid(nodeName, pidText);
        ProcessDetail d = ProcessDetail.read(node, nodeName, pid, timeout);
        ClusterView now = latest;
        ClusterView.Crash crash = now == null ? null : now.crashes().stream()
                .filter(c -> c.node().equals(nodeName) && c.pid().equals(pidText)).findFirst().orElse(null);
        return new ProcessDetailView(d, crash);
    }

    /**
     * A process looked at closely and its latest abnormal exit, if the observer saw one.
     *
     * @param process what {@code process_info} and {@code sys:get_state} say of it
     * @param recentCrash its crash, or null
     */
    public record ProcessDetailView(ProcessDetail process, ClusterView.Crash recentCrash) {
    }

    /** {@code exit(Pid, kill)}. @throws IllegalStateException if actions are not allowed */
    public void kill(String nodeName, String pidText) {
        requireActions();
        node.exit(pid(nodeName, pidText), Reasons.KILL);
    }

    /**
     * {@code supervisor:terminate_child(Sup, Id)} then {@code supervisor:restart_child(Sup, Id)}: the child stops
     * as its shutdown says and starts again. The id is taken as an atom (what the page shows of it).
     *
     * @return the supervisor's answer to {@code restart_child}
     * @throws IllegalStateException if actions are not allowed
     */
    public Object restartChild(String nodeName, String supervisorPid, String id) {
        requireActions();
        Pid sup = pid(nodeName, supervisorPid);
        Atom childId = Atom.of(id);
        Object stopped = node.call(sup, Tuple.of(Atom.of("terminate_child"), childId), timeout);
        if (stopped != Atom.of("ok")) {
            return stopped;
        }
        return node.call(sup, Tuple.of(Atom.of("restart_child"), childId), timeout);
    }

    private void requireActions() {
        if (!allowActions) {
            throw new IllegalStateException("actions are not allowed (start the observer with --allow-actions)");
        }
    }

    private void run() {
        try {
            while (running) {
                long next = System.nanoTime() + interval.toNanos();
                sampleOnce();
                for (long left = next - System.nanoTime(); running && left > 0; left = next - System.nanoTime()) {
                    Object m = watcher.receive(x -> true, Duration.ofNanos(left));
                    if (m instanceof Down d) {
                        restarts.down(d, System.currentTimeMillis());
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("observer: sampling stopped", e);
            }
        } finally {
            watcher.close();
        }
    }

    /** The answers of one node at one sample. */
    private record Answers(NodeSnapshot snapshot, String version, long reductions, List<ConnectionRow> connections,
                           List<ApplicationRow> applications, List<String> visible, List<SupervisionTree> trees) {
    }

    private void sampleOnce() {
        TreeSet<String> toRead = new TreeSet<>(nodes);
        toRead.add(target);
        toRead.remove(node.name().name());
        Map<String, Object> answers = new LinkedHashMap<>();
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<Answers>> pending = new LinkedHashMap<>();
            for (String n : toRead) {
                pending.put(n, calls.submit(() -> read(n)));
            }
            for (Map.Entry<String, Future<Answers>> e : pending.entrySet()) {
                try {
                    answers.put(e.getKey(), e.getValue().get());
                } catch (java.util.concurrent.ExecutionException failed) {
                    answers.put(e.getKey(), String.valueOf(failed.getCause().getMessage()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        long atNanos = System.nanoTime();
        long atMillis = System.currentTimeMillis();
        rates.begin();
        TreeSet<String> next = new TreeSet<>();
        List<NodeView> views = new ArrayList<>();
        Map<String, List<SupervisionTree>> trees = new LinkedHashMap<>();
        answers.forEach((name, a) -> {
            if (a instanceof Answers ok) {
                next.addAll(ok.visible());
                trees.put(name, ok.trees());
                views.add(view(name, ok, atNanos));
            } else {
                views.add(NodeView.unreachable(name, (String) a));
            }
        });
        next.remove(node.name().name());
        nodes = next;
        restarts.update(trees, atMillis);
        sample++;
        ClusterView view = new ClusterView(node.name().name(), target, atMillis, sample, interval.toMillis(),
                allowActions, views, restarts.restarts(), restarts.crashes(), rates.series());
        latest = view;
        for (Consumer<ClusterView> s : subscribers) {
            try {
                s.accept(view);
            } catch (RuntimeException e) {
                LOG.warn("observer: a subscriber failed", e);
            }
        }
    }

    private Answers read(String name) throws Exception {
        NodeSnapshot snapshot = NodeSnapshot.read(rpc, name, scanLimit, timeout);
        if (!snapshot.rows().isEmpty()) {
            creations.put(name, snapshot.rows().get(0).pid().creation());
        }
        String version = NodeSnapshot.text(rpc.call(name, "erlang", "system_info", List.of(Atom.of("version")),
                timeout));
        Object reductions = rpc.call(name, "erlang", "statistics", List.of(Atom.of("reductions")), timeout);
        List<String> visible = new ArrayList<>();
        if (rpc.call(name, "erlang", "nodes", List.of(), timeout) instanceof List<?> l) {
            l.forEach(n -> visible.add(((Atom) n).name()));
        }
        return new Answers(snapshot, version, reductions instanceof Tuple t ? NodeSnapshot.number(t.get(0)) : 0,
                optional(() -> ConnectionRow.read(rpc, name, timeout)),
                optional(() -> ApplicationRow.read(rpc, name, timeout)), visible,
                SupervisionTree.read(node, snapshot.rows(), timeout));
    }

    /**
     * A part of a node's answers it may not give (an Ergon node older than {@code net_kernel:nodes_info}, say):
     * empty then, rather than the whole node shown as unreachable.
     */
    private static <T> List<T> optional(java.util.function.Supplier<List<T>> read) {
        try {
            return read.get();
        } catch (io.ergon.net.RpcException e) {
            if (e.kind() == io.ergon.net.RpcException.Kind.NOCONNECTION) {
                throw e;
            }
            return List.of();
        }
    }

    private NodeView view(String name, Answers a, long atNanos) {
        String kind = a.version().startsWith("ergon") ? "ergon"
                : a.applications().stream().anyMatch(app -> app.name().equals("elixir")) ? "elixir" : "erlang";
        List<NodeView.ConnectionView> connections = a.connections().stream()
                .map(c -> rates.connection(name, c, atNanos)).toList();
        NodeSnapshot s = a.snapshot();
        return new NodeView(name, kind, s.release(), a.version(), s.processCount(), s.runQueue(), s.memoryTotal(),
                rates.rate("node " + name, name, a.reductions(), atNanos), s.scanned(), s.rows(), connections,
                a.applications(), a.trees(), null);
    }

    /** Stops sampling (waits up to the rpc timeout for a sample under way) and closes the watcher. */
    @Override
    public void close() {
        running = false;
        node.send(watcher.self(), STOP);
        try {
            loop.join(timeout.plus(interval).toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
