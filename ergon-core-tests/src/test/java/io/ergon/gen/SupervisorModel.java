package io.ergon.gen;

import io.ergon.node.Reasons;
import java.util.ArrayList;
import java.util.List;

/**
 * A small executable model of supervisor.erl's semantics for one_for_one, one_for_all and rest_for_one with children
 * that never fail to start: which children exist, which run, in which order they stop and start, and when the
 * supervisor gives up. Each operation returns the lifecycle events it must cause ("stop b", "start b"), in order.
 */
final class SupervisorModel {
    /** A child as the model knows it. */
    static final class Kid {
        final String id;
        final Restart restart;
        final boolean significant;
        boolean running;

        Kid(String id, Restart restart, boolean significant) {
            this.id = id;
            this.restart = restart;
            this.significant = significant;
        }
    }

    final Strategy strategy;
    final int intensity;
    final AutoShutdown autoShutdown;
    /** In start order. */
    final List<Kid> kids = new ArrayList<>();
    private int restarts;
    boolean alive = true;

    SupervisorModel(Strategy strategy, int intensity, AutoShutdown autoShutdown) {
        this.strategy = strategy;
        this.intensity = intensity;
        this.autoShutdown = autoShutdown;
    }

    /** The initial children start in order. */
    List<String> start(List<Kid> initial) {
        List<String> events = new ArrayList<>();
        for (Kid k : initial) {
            kids.add(k);
            k.running = true;
            events.add("start " + k.id);
        }
        return events;
    }

    Kid find(String id) {
        return kids.stream().filter(k -> k.id.equals(id)).findFirst().orElse(null);
    }

    List<Kid> running() {
        return kids.stream().filter(k -> k.running).toList();
    }

    /** A running child exits with {@code reason} (its terminate reports "stop id" first). */
    List<String> exit(Kid kid, Object reason) {
        List<String> events = new ArrayList<>(List.of("stop " + kid.id));
        kid.running = false;
        boolean restart = kid.restart == Restart.PERMANENT
                || (kid.restart == Restart.TRANSIENT && !Reasons.isNormal(reason));
        if (restart) {
            if (++restarts > intensity) {
                forget(kid);
                shutDown(events);
            } else {
                restartGroup(kid, events);
            }
        } else {
            forget(kid);
            if (autoShutdownTriggered(kid)) {
                shutDown(events);
            }
        }
        return events;
    }

    private void restartGroup(Kid kid, List<String> events) {
        List<Kid> group = switch (strategy) {
            case ONE_FOR_ONE -> List.of(kid);
            case ONE_FOR_ALL -> new ArrayList<>(kids);
            case REST_FOR_ONE -> new ArrayList<>(kids.subList(kids.indexOf(kid), kids.size()));
            case SIMPLE_ONE_FOR_ONE -> throw new IllegalArgumentException("not modelled here");
        };
        for (int i = group.size() - 1; i >= 0; i--) {
            Kid k = group.get(i);
            if (k.running) {
                events.add("stop " + k.id);
                k.running = false;
            }
            if (k.restart == Restart.TEMPORARY) {
                kids.remove(k);
            }
        }
        for (Kid k : group) {
            if (kids.contains(k)) {
                events.add("start " + k.id);
                k.running = true;
            }
        }
    }

    private void forget(Kid kid) {
        kid.running = false;
        if (kid.restart == Restart.TEMPORARY) {
            kids.remove(kid);
        }
    }

    private boolean autoShutdownTriggered(Kid kid) {
        if (autoShutdown == AutoShutdown.NEVER || !kid.significant) {
            return false;
        }
        return autoShutdown == AutoShutdown.ANY_SIGNIFICANT || kids.stream().noneMatch(k -> k.significant && k.running);
    }

    /** The supervisor terminates: its running children stop, newest first. */
    private void shutDown(List<String> events) {
        for (int i = kids.size() - 1; i >= 0; i--) {
            if (kids.get(i).running) {
                events.add("stop " + kids.get(i).id);
                kids.get(i).running = false;
            }
        }
        alive = false;
    }

    // ---------------------------------------------------------------- the API; replies as "ok" or the error atom

    String startChild(Kid kid, List<String> events) {
        if (kid.significant && (autoShutdown == AutoShutdown.NEVER || kid.restart == Restart.PERMANENT)) {
            return "bad_combination";
        }
        Kid existing = find(kid.id);
        if (existing != null) {
            return existing.running ? "already_started" : "already_present";
        }
        kids.add(kid);
        kid.running = true;
        events.add("start " + kid.id);
        return "ok";
    }

    String terminateChild(String id, List<String> events) {
        Kid kid = find(id);
        if (kid == null) {
            return "not_found";
        }
        if (kid.running) {
            events.add("stop " + id);
        }
        forget(kid);
        return "ok";
    }

    String restartChild(String id, List<String> events) {
        Kid kid = find(id);
        if (kid == null) {
            return "not_found";
        }
        if (kid.running) {
            return "running";
        }
        kid.running = true;
        events.add("start " + id);
        return "ok";
    }

    String deleteChild(String id) {
        Kid kid = find(id);
        if (kid == null) {
            return "not_found";
        }
        if (kid.running) {
            return "running";
        }
        kids.remove(kid);
        return "ok";
    }
}
