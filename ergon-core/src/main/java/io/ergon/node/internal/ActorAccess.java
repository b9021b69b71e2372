package io.ergon.node.internal;

import io.ergon.node.Actor;

/**
 * Runtime-only access to an {@link Actor}'s protected callbacks. {@code Actor} installs the bridge when its class
 * initialises; this package is not exported, so user code cannot reach it.
 */
public final class ActorAccess {
    /** Implemented inside {@link Actor}. */
    public interface Bridge {
        void bind(Actor actor, ProcessCore process);

        boolean callerRuns(Actor actor);

        boolean highPriority(Actor actor);

        void init(Actor actor) throws Exception;

        void handle(Actor actor, Object message) throws Exception;

        void terminate(Actor actor, Object reason);
    }

    private static volatile Bridge bridge;

    private ActorAccess() {
    }

    public static void install(Bridge b) {
        bridge = b;
    }

    static Bridge get() {
        Bridge b = bridge;
        if (b == null) {
            try {
                Class.forName(Actor.class.getName(), true, Actor.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = bridge;
        }
        return b;
    }
}
