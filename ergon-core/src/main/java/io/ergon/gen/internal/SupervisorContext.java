package io.ergon.gen.internal;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What a restart strategy may do as the supervisor process: the supervisor's own process operations, lent to the
 * strategy for the duration of a callback. Every method must be called on the supervisor's thread.
 */
public interface SupervisorContext {
    Pid self();

    Node node();

    /** The supervisor's name for reports: its registered name, else its pid. */
    String name();

    Logger log();

    /** Spawns a child linked to the supervisor; its init has run on return. @throws io.ergon.node.SpawnException */
    Pid spawnLink(Supplier<? extends Actor> factory, Atom registerAs);

    Ref monitor(Pid pid);

    void exit(Pid pid, Object reason);

    void unlink(Pid pid);

    /** Selective receive; null if nothing matched in time (null timeout waits forever). */
    Object receive(Predicate<Object> match, Duration timeout);

    /** Sends a message to the supervisor itself, handled after what is already queued. */
    void sendSelf(Object message);
}
