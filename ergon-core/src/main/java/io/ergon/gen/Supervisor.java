package io.ergon.gen;

import io.ergon.gen.internal.RestartStrategy;
import io.ergon.gen.internal.SpecCheck;
import io.ergon.gen.internal.SupervisorContext;
import io.ergon.gen.internal.SupervisorReply;
import io.ergon.gen.internal.SupervisorRequest;
import io.ergon.gen.internal.TryAgain;
import io.ergon.node.Exit;
import io.ergon.node.ExitException;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.ProcessInfo;
import io.ergon.node.SpawnOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * OTP's {@code supervisor}: a process that starts children, watches them and restarts them by the rules of its
 * {@link SupervisorSpec} (strategy, restart types, restart intensity, auto-shutdown), following supervisor.erl.
 *
 * <pre>{@code
 * SupervisorSpec spec = Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(5, Duration.ofSeconds(5))
 *     .child(ChildSpec.worker("faulty", Faulty::new));
 * Pid sup = Supervisor.start(node, spec);                  // or spawnLink(() -> new Supervisor(spec)) in an actor
 * Supervisor.client(node, sup).whichChildren();
 * }</pre>
 *
 * <p><b>Starting</b> is synchronous: the children start in order, each linked to the supervisor, and each one's
 * {@code init} has run when the next starts. If one fails, the ones already started are stopped (in reverse order)
 * and the supervisor's own start fails with {@code {shutdown, {failed_to_start_child, Id, Reason}}}. A bad spec
 * fails it with {@code {start_spec, Why}}.
 *
 * <p><b>Restarting.</b> A child that terminates is restarted or not by its {@link Restart} type, as its
 * {@link Strategy} says. A restart that would exceed the intensity (more than {@code intensity} restarts within
 * {@code period}) makes the supervisor stop all its children and exit with {@code shutdown}, which its own
 * supervisor then sees as the failure of a child. A restart whose start fails is tried again later (after the
 * messages already queued), counting against the intensity each time.
 *
 * <p><b>Stopping.</b> The supervisor stops its children in reverse start order, each as its {@link Shutdown} says,
 * when it terminates: when its parent (the process that spawned and linked it) exits, when it is
 * {@linkplain SupervisorClient#stop() stopped}, when its intensity is exceeded, or when the node shuts down. Killed
 * with {@code kill}, it cannot stop them; they then get its {@code killed} exit signal through their links.
 *
 * <p>Use the class as it is with a spec, or subclass it and override {@link #specification()} to compute the spec
 * each time the supervisor starts (OTP's {@code Module:init/1}). The other callbacks are final: a supervisor only
 * supervises.
 */
public class Supervisor extends GenServer {
    private final SupervisorSpec given;
    private RestartStrategy strategy;
    private String name;

    /** A supervisor that runs {@code spec}. */
    public Supervisor(SupervisorSpec spec) {
        this.given = Objects.requireNonNull(spec, "spec");
    }

    /** For subclasses that override {@link #specification()}. */
    protected Supervisor() {
        this.given = null;
    }

    /** A new spec with this strategy and OTP's defaults (intensity 1 in 5 seconds, no children). */
    public static SupervisorSpec spec(Strategy strategy) {
        return SupervisorSpec.of(strategy);
    }

    /**
     * Starts a supervisor from outside any process (unlinked): its children have started when this returns.
     *
     * @throws io.ergon.node.SpawnException if it did not start, with the reason
     */
    public static Pid start(Node node, SupervisorSpec spec) {
        return node.spawn(() -> new Supervisor(spec));
    }

    /** Starts a supervisor registered as {@code name}. @throws io.ergon.node.SpawnException if it did not start */
    public static Pid start(Node node, String name, SupervisorSpec spec) {
        return node.spawn(() -> new Supervisor(spec), SpawnOptions.none().register(name));
    }

    /** Talks to a supervisor (a pid or a registered name) from outside any process; each call uses a mailbox. */
    public static SupervisorClient client(Node node, Object supervisor) {
        return new SupervisorClient(node, null, supervisor, null);
    }

    /**
     * Talks to a supervisor (a pid or a registered name) as a process: a {@link Mailbox}, or an actor's
     * {@code context()} (the calls then wait as that process does, without holding a thread).
     */
    public static SupervisorClient client(ProcessContext caller, Object supervisor) {
        return new SupervisorClient(caller.node(), caller, supervisor, null);
    }

    /** The spec to run; called once each time this supervisor starts. The default returns the constructor's. */
    protected SupervisorSpec specification() {
        if (given == null) {
            throw new IllegalStateException(getClass().getName() + " must override specification() or be built "
                    + "with a SupervisorSpec");
        }
        return given;
    }

    /** High: a supervisor restarts its children promptly however busy the node is (see {@link #highPriority()}). */
    @Override
    protected final boolean highPriority() {
        return true;
    }

    @Override
    protected final void init() {
        trapExit(true);
        ProcessInfo info = node().info(self());
        name = info != null && info.registeredName() != null ? info.registeredName().name() : self().toString();
        SupervisorSpec spec = specification();
        Object problem = SpecCheck.supervisor(spec);
        if (problem != null) {
            throw new ExitException(problem);
        }
        strategy = RestartStrategy.create(spec, new SupervisorContext(context(), name, log()));
        strategy.startChildren();
    }

    @Override
    protected final Object handleCall(Object request, From from) {
        if (request instanceof SupervisorRequest.Stop stop) {
            stop(stop.reason());
            return SupervisorReply.OK;
        }
        if (request instanceof SupervisorRequest r) {
            return strategy.handle(r);
        }
        if (request == WHICH_CHILDREN || request == COUNT_CHILDREN) {
            return otpView(request);
        }
        if (request instanceof Tuple t && t.size() == 2 && (t.get(0) == TERMINATE_CHILD || t.get(0) == RESTART_CHILD)) {
            return otpChildCall(t.get(0), t.get(1));
        }
        log().error("supervisor {}: unexpected call {} from {}", name(), TermFormat.print(request), from);
        return SupervisorReply.error(Atom.of("unknown_call"));
    }

    private static final Atom WHICH_CHILDREN = Atom.of("which_children");
    private static final Atom COUNT_CHILDREN = Atom.of("count_children");
    private static final Atom TERMINATE_CHILD = Atom.of("terminate_child");
    private static final Atom RESTART_CHILD = Atom.of("restart_child");
    private static final Atom RESTARTING = Atom.of("restarting");
    private static final Atom DYNAMIC = Atom.of("dynamic");

    /**
     * Answers OTP's own {@code which_children} and {@code count_children} calls with OTP's terms, so Erlang's
     * {@code supervisor:which_children/1} and {@code count_children/1} (and tools built on them) can look at an
     * Ergon supervisor: {@code [{Id, Child, Type, dynamic}]} and {@code [{specs, N}, {active, N}, ...]}.
     */
    @SuppressWarnings("unchecked")
    private Object otpView(Object request) {
        if (request == WHICH_CHILDREN) {
            var reply = (SupervisorReply.Ok) strategy.handle(new SupervisorRequest.WhichChildren());
            List<Object> out = new ArrayList<>();
            for (ChildInfo c : (List<ChildInfo>) reply.value()) {
                Object child = c.pid() != null ? c.pid() : c.restarting() ? RESTARTING : Atom.UNDEFINED;
                out.add(Tuple.of(c.id() == null ? Atom.UNDEFINED : Atom.of(c.id()), child,
                        Atom.of(c.type().name().toLowerCase()), DYNAMIC));
            }
            return out;
        }
        var reply = (SupervisorReply.Ok) strategy.handle(new SupervisorRequest.CountChildren());
        ChildCounts n = (ChildCounts) reply.value();
        return List.of(Tuple.of(Atom.of("specs"), (long) n.specs()),
                Tuple.of(Atom.of("active"), (long) n.active()),
                Tuple.of(Atom.of("supervisors"), (long) n.supervisors()),
                Tuple.of(Atom.of("workers"), (long) n.workers()));
    }

    /**
     * OTP's {@code {terminate_child, Id}} and {@code {restart_child, Id}} calls, so Erlang's
     * {@code supervisor:terminate_child/2} and {@code restart_child/2} (and the web observer's restart) work on an
     * Ergon supervisor: an atom id names the child of that (string) id, a pid a simple_one_for_one child. Answers in
     * OTP's terms: {@code ok}, {@code {ok, Pid}} ({@code {ok, undefined}} if it started as nothing) or
     * {@code {error, Reason}}.
     */
    private Object otpChildCall(Object what, Object child) {
        Object id = child instanceof Atom a ? a.name() : child;
        SupervisorReply reply;
        if (what == TERMINATE_CHILD) {
            reply = strategy.handle(new SupervisorRequest.TerminateChild(id));
        } else if (id instanceof String name) {
            reply = strategy.handle(new SupervisorRequest.RestartChild(name));
        } else {
            reply = SupervisorReply.error(Atom.of("not_found"));
        }
        return switch (reply) {
            case SupervisorReply.Ok ok when what == TERMINATE_CHILD -> Atom.of("ok");
            case SupervisorReply.Ok ok -> Tuple.of(Atom.of("ok"), ok.value() == null ? Atom.UNDEFINED : ok.value());
            case SupervisorReply.Error e -> Tuple.of(Atom.of("error"), e.reason());
        };
    }

    @Override
    protected final void handleCast(Object message) {
        log().error("supervisor {}: unexpected cast {}", name(), TermFormat.print(message));
    }

    @Override
    protected final void handleInfo(Object message) {
        switch (message) {
            case Exit(Pid from, Object reason) -> {
                if (strategy.childExited(from, reason)) {
                    stop(io.ergon.node.Reasons.SHUTDOWN);
                }
            }
            case TryAgain(Object child) -> {
                if (strategy.tryAgain(child)) {
                    stop(io.ergon.node.Reasons.SHUTDOWN);
                }
            }
            default -> log().error("supervisor {}: unexpected message {}", name(), TermFormat.print(message));
        }
    }

    @Override
    protected final void terminate(Object reason) {
        if (strategy != null) {
            strategy.terminateChildren();
        }
    }

    private String name() {
        return name;
    }
}
