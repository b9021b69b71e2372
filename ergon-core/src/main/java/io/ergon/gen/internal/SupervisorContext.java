package io.ergon.gen.internal;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What a restart strategy may do as the supervisor process: the supervisor's own process operations, lent to the
 * strategy for the duration of a callback. Every method must be called on the supervisor's thread.
 */
public interface SupervisorContext extends ChildStopper {
    Pid self();

    Node node();

    /** The supervisor's name for reports: its registered name, else its pid. */
    String name();

    Logger log();

    /** Spawns a child linked to the supervisor; its init has run on return. @throws io.ergon.node.SpawnException */
    Pid spawnLink(Supplier<? extends Actor> factory, Atom registerAs);

    /** Spawns a child on another node, linked to the supervisor. @throws io.ergon.node.SpawnException */
    Pid spawnRemoteLink(io.ergon.gen.ChildSpec.RemoteStart start);


    /** Sends a message to the supervisor itself, handled after what is already queued. */
    void sendSelf(Object message);
}
