package io.ergon.observer.cluster;

import io.ergon.observer.snapshot.ConnectionRow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the counters read at each sample (a node's reductions, a connection's messages in and out) into rates per
 * second since the previous sample, and keeps the last {@link #POINTS} rates of each as a plot's series. Used by the
 * sampling thread only.
 */
final class Rates {
    /** Points kept per series: two minutes at the default interval. */
    static final int POINTS = 60;

    private record Reading(long value, long atNanos) {
    }

    private final Map<String, Reading> last = new HashMap<>();
    private final Map<String, ArrayDeque<Double>> points = new LinkedHashMap<>();
    private final Map<String, String> nodeOf = new HashMap<>();
    private final List<String> seen = new ArrayList<>();

    /** Starts a sample: series not updated in it are dropped at {@link #series()}. */
    void begin() {
        seen.clear();
    }

    /** The rate of counter {@code key} (of {@code node}) now at {@code value}; null on its first reading. */
    Double rate(String key, String node, long value, long atNanos) {
        seen.add(key);
        Reading before = last.put(key, new Reading(value, atNanos));
        if (before == null || atNanos <= before.atNanos() || value < before.value()) {
            return null; // first reading, or the counter restarted (the node did)
        }
        double perSecond = (value - before.value()) * 1e9 / (atNanos - before.atNanos());
        ArrayDeque<Double> p = points.computeIfAbsent(key, k -> new ArrayDeque<>());
        nodeOf.put(key, node);
        p.addLast(perSecond);
        if (p.size() > POINTS) {
            p.removeFirst();
        }
        return perSecond;
    }

    /** A node's connection with its rates: series {@code NODE -> PEER in} and {@code out}. */
    NodeView.ConnectionView connection(String node, ConnectionRow c, long atNanos) {
        String key = node + " -> " + c.peer();
        return new NodeView.ConnectionView(c.peer(), c.type(), c.state(), c.in(), c.out(),
                rate(key + " in", node, c.in(), atNanos), rate(key + " out", node, c.out(), atNanos));
    }

    /** The series read in the current sample, sorted by key. */
    List<ClusterView.Series> series() {
        last.keySet().retainAll(seen);
        points.keySet().retainAll(seen);
        return points.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new ClusterView.Series(e.getKey(), nodeOf.get(e.getKey()), List.copyOf(e.getValue())))
                .toList();
    }
}
