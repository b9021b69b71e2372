package io.ergon.io.internal;

import io.ergon.api.InternalApi;
import io.ergon.node.Actor;
import io.ergon.node.Exit;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import java.util.Objects;

/**
 * The process that stands for a socket or an external program, as an Erlang port's identifier does: linked to the
 * owner, trapping exits, it ends with {@code normal} when the resource closes or the owner exits (the owner's exit
 * closes the resource through {@link Ownership}'s exit hook, not through this process). It passes on messages sent
 * to its pid (a port's {@code {command, Data}}) and moves its link when the owner hands the resource to another
 * process.
 */
@InternalApi
public final class PortProcess extends Actor {
    /** What closes with the owner, and what a message to the port does. */
    public interface Resource {
        /** The owner exited with {@code reason}: close the resource. */
        void ownerExited(Object reason);

        /** A message sent to the port's pid; the default drops it. */
        default void message(Object message) {
        }
    }

    /** Tells the port process that its resource closed: it ends with {@code normal}. */
    public enum Closed { INSTANCE }

    /** Moves the owner's link to {@code owner} (sent by the old owner, so that it arrives before its exit). */
    public record NewOwner(Pid owner) {
        public NewOwner {
            Objects.requireNonNull(owner, "owner");
        }
    }

    private final Resource resource;
    private Pid owner;

    /** A port process for {@code resource}, linked to {@code owner} from its start. */
    public PortProcess(Resource resource, Pid owner) {
        this.resource = resource;
        this.owner = owner;
    }

    @Override
    protected void init() {
        trapExit(true);
        link(owner); // an owner already gone gives an {'EXIT', Owner, noproc} message, which ends this one
    }

    @Override
    protected void handleMessage(Object message) {
        switch (message) {
            case Exit exit when exit.from().equals(owner) -> stop(Reasons.NORMAL);
            case Exit exit -> { }
            case Closed c -> stop(Reasons.NORMAL);
            case NewOwner(Pid next) -> {
                if (!next.equals(owner)) {
                    unlink(owner);
                    owner = next;
                    link(next);
                }
            }
            default -> resource.message(message);
        }
    }
}
