package io.ergon.gen;

import io.ergon.node.Actor;
import io.ergon.node.Down;
import io.ergon.node.Node;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.term.Pid;
import java.util.function.Supplier;

/**
 * Spawns a process with a monitor from inside a process (so the monitor exists before the process can die) and
 * forwards the pid, then the DOWN, to a test's mailbox.
 */
final class Watcher extends Actor {
    private final Pid report;

    private Watcher(Pid report) {
        this.report = report;
    }

    /** Spawns {@code factory}'s process monitored; the report gets its pid (or the spawn failure), then its DOWN. */
    static void spawnMonitored(Node node, Pid report, Supplier<? extends Actor> factory) {
        Pid watcher = node.spawn(() -> new Watcher(report));
        node.send(watcher, factory);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void handleMessage(Object message) {
        switch (message) {
            case Supplier<?> factory -> {
                try {
                    Spawned s = spawn((Supplier<? extends Actor>) factory, SpawnOptions.none().monitor());
                    send(report, s.pid());
                } catch (RuntimeException e) {
                    send(report, e);
                }
            }
            case Down down -> send(report, down);
            default -> {
            }
        }
    }
}
