package io.ergon.bench.workloads;

import java.util.List;

/**
 * The local workloads of the side-by-side suite, with their sizes; {@code bench/erlang/local.escript} uses the same
 * names and sizes. Each yields one figure per run, or two for spawn (rate and memory).
 */
public enum Workload {
    PINGPONG("pingpong", "round trips/s"),
    PAIRS("pairs", "round trips/s"),
    STREAM1("stream1", "msg/s"),
    STREAM4("stream4", "msg/s"),
    SPAWN("spawn", "spawns/s"),
    CALL1("call1", "calls/s"),
    CALL100("call100", "calls/s");

    /** The id of spawn's second figure. */
    public static final String SPAWN_MEMORY = "spawn.mem";

    private final String id;
    private final String unit;

    Workload(String id, String unit) {
        this.id = id;
        this.unit = unit;
    }

    public String id() {
        return id;
    }

    public String unit() {
        return unit;
    }

    /** Runs the workload once on {@code system}; one figure, or for spawn the rate and the bytes per process. */
    public List<Double> runOnce(LocalSystem system) throws Exception {
        return switch (this) {
            case PINGPONG -> List.of(system.pingPong(1, 1_000_000));
            case PAIRS -> List.of(system.pingPong(1000, 1000));
            case STREAM1 -> List.of(system.stream(1, 10_000_000));
            case STREAM4 -> List.of(system.stream(4, 10_000_000));
            case SPAWN -> {
                LocalSystem.SpawnFigures f = system.spawnIdle(1_000_000);
                yield List.of(f.perSecond(), f.bytesPerProcess());
            }
            case CALL1 -> List.of(system.calls(1, 500_000));
            case CALL100 -> List.of(system.calls(100, 500_000));
        };
    }

    public static Workload byId(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no workload " + id);
    }
}
