package io.ergon.node;

import io.ergon.term.Atom;

/**
 * How to spawn a process: register it under a name, link it to or monitor it from the spawning process. Immutable;
 * each method returns a new value. Linking and monitoring need a spawning process (an actor).
 *
 * @param name the name to register, or null
 * @param linked link the new process to its spawner before its {@code init} runs
 * @param monitored monitor the new process from its spawner
 */
public record SpawnOptions(Atom name, boolean linked, boolean monitored) {
    private static final SpawnOptions NONE = new SpawnOptions(null, false, false);

    /** No name, no link, no monitor. */
    public static SpawnOptions none() {
        return NONE;
    }

    /** Also register the process as {@code name} (the spawn fails with {@code {already_started, Pid}} if taken). */
    public SpawnOptions register(String name) {
        return new SpawnOptions(Atom.of(name), linked, monitored);
    }

    /** Also register the process as {@code name}. */
    public SpawnOptions register(Atom name) {
        return new SpawnOptions(name, linked, monitored);
    }

    /** Also link it to the spawner. */
    public SpawnOptions link() {
        return new SpawnOptions(name, true, monitored);
    }

    /** Also monitor it from the spawner. */
    public SpawnOptions monitor() {
        return new SpawnOptions(name, linked, true);
    }
}
