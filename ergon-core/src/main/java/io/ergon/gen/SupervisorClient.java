package io.ergon.gen;

import io.ergon.gen.internal.SupervisorReply;
import io.ergon.gen.internal.SupervisorRequest;
import io.ergon.node.CallException;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operations on a running supervisor (OTP's {@code supervisor:start_child/2}, {@code terminate_child/2}, ...),
 * each a call to the supervisor process. Get one with {@link Supervisor#client(Node, Object)} from outside any
 * process, or with {@link Supervisor#client(ProcessContext, Object)} to call as a process: a {@link Mailbox}, or an
 * actor's {@code context()}. Immutable and cheap; one made for a process is used as that process's context may be
 * (an actor's from its callbacks, a mailbox's by one thread at a time).
 *
 * <p>Calls wait without limit by default, as OTP's do (a supervisor may take long to stop a child); set a limit
 * with {@link #withTimeout(Duration)}. A refusal throws {@link SupervisorException} with OTP's error term; a
 * supervisor that does not exist or dies during the call throws {@link CallException}.
 */
public final class SupervisorClient {
    private final Node node;
    /** The process the calls are made as, or null: each call then comes from a mailbox of its own. */
    private final ProcessContext caller;
    private final Object supervisor;
    private final Duration timeout;

    SupervisorClient(Node node, ProcessContext caller, Object supervisor, Duration timeout) {
        this.node = Objects.requireNonNull(node, "node");
        this.caller = caller;
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.timeout = timeout;
    }

    /** This client with a time limit on each call (null: none). */
    public SupervisorClient withTimeout(Duration limit) {
        return new SupervisorClient(node, caller, supervisor, limit);
    }

    /**
     * Adds a child and starts it, after the existing ones (so it stops first).
     *
     * @return its pid, or empty if its init chose to start nothing
     * @throws SupervisorException {@code {already_started, Pid}} or {@code already_present} if the id is taken, a
     *     {@code bad_combination} for a significant child the supervisor cannot have, or the child's start failure
     */
    public Optional<Pid> startChild(ChildSpec child) {
        return Optional.ofNullable((Pid) request("start_child", new SupervisorRequest.StartChild(child)));
    }

    /**
     * Starts a child of a {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor from its template, with {@code arg}.
     *
     * @return its pid, or empty if its init chose to start nothing
     */
    public Optional<Pid> startDynamic(Object arg) {
        return Optional.ofNullable((Pid) request("start_child", new SupervisorRequest.StartDynamic(arg)));
    }

    /** {@link #startDynamic(Object)} with no argument. */
    public Optional<Pid> startDynamic() {
        return startDynamic(null);
    }

    /**
     * Stops a child by its shutdown rule. The supervisor keeps its spec (it can be restarted with
     * {@link #restartChild}), unless the child is temporary.
     *
     * @throws SupervisorException {@code not_found}, or {@code simple_one_for_one} (use {@link #terminateChild(Pid)})
     */
    public void terminateChild(String id) {
        request("terminate_child", new SupervisorRequest.TerminateChild(id));
    }

    /** Stops a child of a {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor. @throws SupervisorException {@code not_found} */
    public void terminateChild(Pid child) {
        request("terminate_child", new SupervisorRequest.TerminateChild(child));
    }

    /**
     * Starts again a child that is not running.
     *
     * @return its pid, or empty if its init chose to start nothing
     * @throws SupervisorException {@code running}, {@code restarting}, {@code not_found}, {@code simple_one_for_one},
     *     or the child's start failure
     */
    public Optional<Pid> restartChild(String id) {
        return Optional.ofNullable((Pid) request("restart_child", new SupervisorRequest.RestartChild(id)));
    }

    /** Forgets a child that is not running. @throws SupervisorException {@code running}, {@code restarting}, {@code not_found} */
    public void deleteChild(String id) {
        request("delete_child", new SupervisorRequest.DeleteChild(id));
    }

    /** The spec of a child (the template, for simple_one_for_one). @throws SupervisorException {@code not_found} */
    public ChildSpec childSpec(String id) {
        return (ChildSpec) request("get_childspec", new SupervisorRequest.GetChildSpec(id));
    }

    /** The children, newest first (the order of OTP's {@code which_children}: the order they stop in). */
    @SuppressWarnings("unchecked")
    public List<ChildInfo> whichChildren() {
        return (List<ChildInfo>) request("which_children", new SupervisorRequest.WhichChildren());
    }

    /** The children, counted. */
    public ChildCounts countChildren() {
        return (ChildCounts) request("count_children", new SupervisorRequest.CountChildren());
    }

    /**
     * Stops the supervisor with reason {@code shutdown} and waits until it has exited (its children stopped first),
     * as {@code gen_server:stop/1} does.
     */
    public void stop() {
        stop(Reasons.SHUTDOWN);
    }

    /** Stops the supervisor with {@code reason} and waits until it has exited. */
    public void stop(Object reason) {
        if (caller != null) {
            stopVia(caller, reason);
        } else {
            try (Mailbox m = node.mailbox()) {
                stopVia(m, reason);
            }
        }
    }

    private void stopVia(ProcessContext m, Object reason) {
        Ref mon = m.monitor(supervisor);
        try {
            m.call(supervisor, new SupervisorRequest.Stop(reason), timeout);
        } catch (CallException e) {
            if (e.failure() != reason) {
                throw e;
            }
        }
        if (m.receive(x -> x instanceof Down d && d.ref().equals(mon), timeout) == null) {
            m.demonitor(mon);
            throw new SupervisorException("stop", Reasons.TIMEOUT, null);
        }
    }

    private Object request(String what, SupervisorRequest request) {
        Object reply = caller != null ? caller.call(supervisor, request, timeout)
                : node.call(supervisor, request, timeout);
        return switch (reply) {
            case SupervisorReply.Ok ok -> ok.value();
            case SupervisorReply.Error error -> throw new SupervisorException(what, error.reason(), error.cause());
            default -> throw new IllegalStateException(supervisor + " is not a supervisor: it answered " + reply);
        };
    }

    @Override
    public String toString() {
        return "SupervisorClient[" + supervisor + "]";
    }
}
