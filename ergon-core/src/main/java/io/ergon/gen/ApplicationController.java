package io.ergon.gen;

import io.ergon.gen.internal.ChildShutdown;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.node.SpawnOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The node's application controller process (application_controller.erl, with the application master's job of
 * holding the root folded in): it starts applications' roots linked to itself, stops them through their trees, and
 * applies an application's {@link ApplicationMode} when its root exits. It traps exits; if it is killed, the roots
 * get its exit signal and their trees stop.
 */
final class ApplicationController extends GenServer {
    private static final Atom ALREADY_STARTED = Atom.of("already_started");
    private static final Atom NOT_STARTED = Atom.of("not_started");
    private static final Atom NOT_LOADED = Atom.of("not_loaded");
    private static final Atom CIRCULAR = Atom.of("circular_dependencies");

    /** Start {@code name} and what it needs; {@code strict}: refuse if it already runs. Replies the started names. */
    record Start(String name, ApplicationMode mode, boolean strict) {
    }

    /** Stop {@code name}. */
    record Stop(String name) {
    }

    /** Stop everything, newest first (the node is shutting down). */
    record StopAll() {
    }

    /** A refusal or failure, with OTP's reason term. */
    record Failure(String message, Object reason, Throwable cause) {
    }

    /** A running application: its spec, mode and root. */
    private record Running(ApplicationSpec spec, ApplicationMode mode, Pid root) {
        RunningApplication info() {
            return new RunningApplication(spec.name(), spec.description(), spec.version(), mode, root);
        }
    }

    private final Applications apps;
    /** In start order. */
    private final List<Running> running = new ArrayList<>();
    /** Set when a failed start of a permanent or transient application must stop the node. */
    private boolean nodeMustStop;

    ApplicationController(Applications apps) {
        this.apps = apps;
    }

    @Override
    protected boolean highPriority() {
        return true; // it reacts to applications that stop, as the supervisors under it do
    }

    @Override
    protected void init() {
        trapExit(true);
    }

    @Override
    protected Object handleCall(Object request, From from) {
        return switch (request) {
            case Start(String name, ApplicationMode mode, boolean strict) -> {
                Object result = start(name, mode, strict);
                if (nodeMustStop) {
                    // the caller learns why before the node stops (and takes the caller's mailbox with it)
                    from.reply(result);
                    node().shutdownAsync();
                    yield noReply();
                }
                yield result;
            }
            case Stop(String name) -> stop(name);
            case StopAll s -> {
                while (!running.isEmpty()) {
                    Running app = running.removeLast();
                    publish();
                    stopRoot(app);
                }
                yield Atom.OK;
            }
            default -> throw new IllegalArgumentException("unknown request " + request);
        };
    }

    // ---------------------------------------------------------------- start

    private Object start(String name, ApplicationMode mode, boolean strict) {
        List<ApplicationSpec> order;
        try {
            order = plan(name);
        } catch (PlanException e) {
            return e.failure;
        }
        if (strict && find(name).isPresent()) {
            return new Failure("application '" + name + "' is already started",
                    Tuple.of(ALREADY_STARTED, Atom.of(name)), null);
        }
        List<String> started = new ArrayList<>();
        for (ApplicationSpec spec : order) {
            if (find(spec.name()).isPresent()) {
                continue;
            }
            Failure failed = startOne(spec, mode);
            if (failed != null) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    stop(started.get(i));
                }
                startFailed(spec, mode, failed);
                return failed;
            }
            started.add(spec.name());
        }
        return List.copyOf(started);
    }

    /** The applications to start for {@code name}, dependencies first (depth-first, in declared order). */
    private List<ApplicationSpec> plan(String name) throws PlanException {
        List<ApplicationSpec> order = new ArrayList<>();
        visit(name, null, new ArrayList<>(), new HashSet<>(), order);
        return order;
    }

    private void visit(String name, String neededBy, List<String> path, Set<String> done, List<ApplicationSpec> order)
            throws PlanException {
        if (done.contains(name)) {
            return;
        }
        if (path.contains(name)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            throw new PlanException(new Failure("applications depend on each other in a circle: "
                    + String.join(" -> ", cycle), Tuple.of(CIRCULAR, cycle.stream().map(Atom::of).toList()), null));
        }
        ApplicationSpec spec = apps.spec(name).orElse(null);
        if (spec == null) {
            String message = neededBy == null ? "application '" + name + "' is not loaded"
                    : "cannot start '" + path.get(0) + "': application '" + neededBy + "' depends on '" + name
                            + "', which is not loaded";
            throw new PlanException(new Failure(message, Tuple.of(NOT_LOADED, Atom.of(name)), null));
        }
        path.add(name);
        for (String dep : spec.dependencies()) {
            visit(dep, name, path, done, order);
        }
        path.removeLast();
        done.add(name);
        order.add(spec);
    }

    /** Starts one application's root, linked to this process; null on success. */
    private Failure startOne(ApplicationSpec spec, ApplicationMode mode) {
        Pid root = null;
        if (spec.root() != null) {
            ChildSpec r = spec.root();
            try {
                root = spawn(() -> r.factory().apply(null), SpawnOptions.none().link()).pid();
            } catch (SpawnException e) {
                return new Failure("application '" + spec.name() + "' did not start: its root did not start: "
                        + TermFormat.print(e.reason()), Tuple.of(Atom.of(spec.name()), e.reason()), e);
            } catch (RuntimeException e) {
                return new Failure("application '" + spec.name() + "' did not start: " + e, Tuple.of(
                        Atom.of(spec.name()), Reasons.of(e)), e);
            }
        }
        running.add(new Running(spec, mode, root));
        publish();
        log().info("application {} started on node {} ({})", spec.name(), node().name(),
                mode.name().toLowerCase());
        return null;
    }

    /** application_controller.erl handle_application_started/3: a failed start of a permanent or transient one stops the node. */
    private void startFailed(ApplicationSpec spec, ApplicationMode mode, Failure failed) {
        if (mode == ApplicationMode.TEMPORARY) {
            log().error("{}", failed.message());
        } else {
            log().error("{}; it was {}: stopping node {}", failed.message(), mode.name().toLowerCase(),
                    node().name());
            nodeMustStop = true;
        }
    }

    // ---------------------------------------------------------------- stop and exits

    private Object stop(String name) {
        Optional<Running> app = find(name);
        if (app.isEmpty()) {
            return new Failure("application '" + name + "' is not started", Tuple.of(NOT_STARTED, Atom.of(name)),
                    null);
        }
        running.remove(app.get());
        publish();
        stopRoot(app.get());
        return Atom.OK;
    }

    private void stopRoot(Running app) {
        if (app.root() != null) {
            Object unexpected = ChildShutdown.stop(context(), app.root(), app.spec().root());
            if (unexpected != null) {
                log().warn("application {}: its root ended with {} while stopping", app.spec().name(),
                        TermFormat.print(unexpected));
            }
        }
        log().info("application {} exited: stopped (type: {})", app.spec().name(), app.mode().name().toLowerCase());
    }

    @Override
    protected void handleInfo(Object message) {
        if (message instanceof Exit(Pid from, Object reason)) {
            Running app = running.stream().filter(a -> from.equals(a.root())).findFirst().orElse(null);
            if (app != null) {
                running.remove(app);
                publish();
                rootExited(app, reason);
            }
        }
    }

    /** application_controller.erl handle_info({'EXIT', ...}): the mode decides. */
    private void rootExited(Running app, Object reason) {
        String name = app.spec().name();
        String why = TermFormat.print(reason);
        switch (app.mode()) {
            case TEMPORARY -> log().info("application {} exited: {} (type: temporary)", name, why);
            case TRANSIENT -> {
                if (reason == Reasons.NORMAL) {
                    log().info("application {} exited: normal (type: transient)", name);
                } else {
                    takeTheNodeDown(name, why, "transient");
                }
            }
            case PERMANENT -> takeTheNodeDown(name, why, "permanent");
        }
    }

    private void takeTheNodeDown(String name, String why, String mode) {
        log().error("application {} exited: {} (type: {}); stopping node {}", name, why, mode, node().name());
        node().shutdownAsync();
    }

    private Optional<Running> find(String name) {
        return running.stream().filter(a -> a.spec().name().equals(name)).findFirst();
    }

    /** Publishes the running list, newest first, for readers on any thread. */
    private void publish() {
        apps.publish(running.reversed().stream().map(Running::info).toList());
    }

    private static final class PlanException extends Exception {
        final transient Failure failure;

        PlanException(Failure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }
    }
}
