package io.ergon.gen;

import io.ergon.node.ExitException;
import io.ergon.node.Node;
import io.ergon.node.SpawnException;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's applications (OTP's {@code application} module and its controller): load specs, start and stop them
 * with their dependencies, list them, read their environment. Get it with {@link #of(Node)}; from an actor,
 * {@code Applications.of(node())}.
 *
 * <pre>{@code
 * Applications apps = Applications.of(node);
 * apps.load(ApplicationSpec.of("db").root(dbTree));
 * apps.load(ApplicationSpec.of("shop").dependsOn("db").env("port", 8080).root(shopTree));
 * apps.start("shop", ApplicationMode.PERMANENT);            // starts db, then shop
 * int port = apps.env("shop", "port", 8080);
 * }</pre>
 *
 * <p><b>Starting</b> an application starts the applications it depends on first (those not running yet, in
 * dependency order, with the same mode), as OTP's {@code application:ensure_all_started/2} does; an application
 * that depends on one that is not loaded is refused before anything starts. The root's start is synchronous: when
 * {@code start} returns, the whole tree has started. If a start fails, the applications this call started are
 * stopped again and {@code start} throws; as in OTP, a permanent application that fails to start also stops the
 * node, and so does a transient one.
 *
 * <p><b>Stopping</b> an application shuts its root down through its supervision tree (children in reverse start
 * order). An application that stops by itself (its root exits) is treated by its {@link ApplicationMode}. When the
 * node shuts down, the running applications stop first, newest first, each through its tree, before the remaining
 * processes are stopped.
 *
 * <p>Start and stop are calls to the node's application controller process ({@code application_controller}) and
 * wait without a limit, as OTP's do: do not start or stop applications from inside a root's {@code init}. Reading
 * the environment and the lists never involves that process.
 */
public final class Applications {
    private static final Logger LOG = LoggerFactory.getLogger(Applications.class);
    static final String CONTROLLER_NAME = "application_controller";
    private static final Atom NOT_LOADED = Atom.of("not_loaded");
    private static final Atom ALREADY_LOADED = Atom.of("already_loaded");
    private static final Atom RUNNING = Atom.of("running");

    private final Node node;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ApplicationSpec> loaded = new LinkedHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Object>> env = new ConcurrentHashMap<>();
    private volatile List<RunningApplication> running = List.of();
    private Pid controller;

    private Applications(Node node) {
        this.node = node;
        node.onShutdown(this::stopAllForShutdown);
    }

    /** The applications of {@code node} (one controller per node, made on first use). */
    public static Applications of(Node node) {
        return node.extension(Applications.class, Applications::new);
    }

    // ---------------------------------------------------------------- loading

    /** Loads an application: it can now be started, and its environment read. @throws ApplicationException {@code {already_loaded, Name}} */
    public void load(ApplicationSpec spec) {
        Objects.requireNonNull(spec, "spec");
        lock.lock();
        try {
            if (loaded.containsKey(spec.name())) {
                throw new ApplicationException("application '" + spec.name() + "' is already loaded",
                        Tuple.of(ALREADY_LOADED, Atom.of(spec.name())), null);
            }
            loaded.put(spec.name(), spec);
            env.put(spec.name(), new ConcurrentHashMap<>(spec.env()));
        } finally {
            lock.unlock();
        }
    }

    /** Unloads an application that is not running, with its environment. @throws ApplicationException {@code {running, Name}} or {@code {not_loaded, Name}} */
    public void unload(String name) {
        lock.lock();
        try {
            if (!loaded.containsKey(name)) {
                throw notLoaded(name);
            }
            if (isRunning(name)) {
                throw new ApplicationException("application '" + name + "' is running; stop it before unloading it",
                        Tuple.of(RUNNING, Atom.of(name)), null);
            }
            loaded.remove(name);
            env.remove(name);
        } finally {
            lock.unlock();
        }
    }

    /** The loaded applications, in load order. */
    public List<ApplicationSpec> loaded() {
        lock.lock();
        try {
            return List.copyOf(loaded.values());
        } finally {
            lock.unlock();
        }
    }

    /** The spec of a loaded application. */
    public Optional<ApplicationSpec> spec(String name) {
        lock.lock();
        try {
            return Optional.ofNullable(loaded.get(name));
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- starting and stopping

    /** {@link #start(String, ApplicationMode)} as {@link ApplicationMode#TEMPORARY}, OTP's default. */
    public List<String> start(String name) {
        return start(name, ApplicationMode.TEMPORARY);
    }

    /**
     * Starts an application, after the applications it depends on that are not running yet.
     *
     * @return the applications this call started, dependencies first
     * @throws ApplicationException {@code {already_started, Name}} if it runs, {@code {not_loaded, App}} if it or a
     *     dependency is not loaded, {@code {circular_dependencies, Apps}}, or {@code {App, Reason}} if a root
     *     did not start
     */
    public List<String> start(String name, ApplicationMode mode) {
        return startApps(name, mode, true);
    }

    /** Like {@link #start(String, ApplicationMode)}, but an application that already runs is not an error. */
    public List<String> ensureStarted(String name, ApplicationMode mode) {
        return startApps(name, mode, false);
    }

    @SuppressWarnings("unchecked")
    private List<String> startApps(String name, ApplicationMode mode, boolean strict) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Object reply = node.call(controller(), new ApplicationController.Start(name, mode, strict), null);
        if (reply instanceof ApplicationController.Failure f) {
            throw new ApplicationException(f.message(), f.reason(), f.cause());
        }
        return (List<String>) reply;
    }

    /**
     * Stops a running application through its supervision tree; the applications that depend on it keep running.
     *
     * @throws ApplicationException {@code {not_started, Name}}
     */
    public void stop(String name) {
        Object reply = node.call(controller(), new ApplicationController.Stop(name), null);
        if (reply instanceof ApplicationController.Failure f) {
            throw new ApplicationException(f.message(), f.reason(), f.cause());
        }
    }

    /** The running applications, the most recently started first (as OTP's {@code which_applications}). */
    public List<RunningApplication> running() {
        return running;
    }

    /** True if the application runs. */
    public boolean isRunning(String name) {
        return running.stream().anyMatch(a -> a.name().equals(name));
    }

    // ---------------------------------------------------------------- environment

    /** An environment value of a loaded application. */
    public Optional<Object> env(String app, String key) {
        Map<String, Object> values = env.get(app);
        return values == null ? Optional.empty() : Optional.ofNullable(values.get(key));
    }

    /** An environment value, or {@code fallback} if it is not set. @throws ClassCastException if it has another type */
    @SuppressWarnings("unchecked")
    public <T> T env(String app, String key, T fallback) {
        return (T) env(app, key).orElse(fallback);
    }

    /** A loaded application's whole environment (a snapshot). */
    public Map<String, Object> env(String app) {
        Map<String, Object> values = env.get(app);
        return values == null ? Map.of() : Map.copyOf(values);
    }

    /** Sets an environment value of a loaded application. @throws ApplicationException {@code {not_loaded, App}} */
    public void setEnv(String app, String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Map<String, Object> values = env.get(app);
        if (values == null) {
            throw notLoaded(app);
        }
        values.put(key, value);
    }

    /** Removes an environment value. */
    public void unsetEnv(String app, String key) {
        Map<String, Object> values = env.get(app);
        if (values != null) {
            values.remove(key);
        }
    }

    // ---------------------------------------------------------------- for the controller

    Node node() {
        return node;
    }

    void publish(List<RunningApplication> now) {
        running = List.copyOf(now);
    }

    static ApplicationException notLoaded(String name) {
        return new ApplicationException("application '" + name + "' is not loaded",
                Tuple.of(NOT_LOADED, Atom.of(name)), null);
    }

    /** The controller process, started on first use (and again if it was killed). */
    private Pid controller() {
        lock.lock();
        try {
            if (controller == null || !node.isAlive(controller)) {
                running = List.of();
                controller = node.spawnRegister(CONTROLLER_NAME, () -> new ApplicationController(this));
            }
            return controller;
        } catch (SpawnException e) {
            throw new ApplicationException("the application controller did not start: "
                    + TermFormat.print(e.reason()), e.reason(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The node's shutdown hook: stop the applications, newest first, within the time left. */
    private void stopAllForShutdown(Duration left) {
        Pid ac;
        lock.lock();
        try {
            ac = controller;
        } finally {
            lock.unlock();
        }
        if (ac == null || !node.isAlive(ac) || running.isEmpty()) {
            return;
        }
        try {
            node.call(ac, new ApplicationController.StopAll(), left);
        } catch (ExitException e) {
            LOG.warn("node {}: the applications did not all stop in time ({}); the node stops the rest",
                    node.name(), e.getMessage());
        }
    }

    /** For log lines and error messages. */
    static List<String> names(List<ApplicationSpec> specs) {
        List<String> out = new ArrayList<>(specs.size());
        specs.forEach(s -> out.add(s.name()));
        return out;
    }
}
