package io.ergon.gen.internal;

import io.ergon.gen.ChildSpec;
import io.ergon.node.Actor;
import io.ergon.node.ProcessContext;
import io.ergon.node.SpawnOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What a restart strategy acts with: the supervisor's process, its name for reports (its registered name, else its
 * pid) and its logger. The process's operations must be called on the supervisor's thread, from its callbacks.
 */
public record SupervisorContext(ProcessContext process, String name, Logger log) {
    /** Spawns a child linked to the supervisor; its init has run on return. @throws io.ergon.node.SpawnException */
    Pid spawnLink(Supplier<? extends Actor> factory, Atom registerAs) {
        SpawnOptions options = SpawnOptions.none().link();
        return process.spawn(factory, registerAs == null ? options : options.register(registerAs)).pid();
    }

    /** Spawns a child on another node, linked to the supervisor. @throws io.ergon.node.SpawnException */
    Pid spawnRemoteLink(ChildSpec.RemoteStart start) {
        return process.spawnRemote(start.node().name(), start.module().name(), start.function().name(), start.args(),
                SpawnOptions.none().link()).pid();
    }

    /** Sends a message to the supervisor itself, handled after what is already queued. */
    void sendSelf(Object message) {
        process.send(process.self(), message);
    }
}
