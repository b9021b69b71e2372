package io.ergon.observer.cluster;

import java.util.List;

/**
 * The whole cluster at one sample, what the page shows and {@code /api/cluster} and {@code /api/events} send.
 *
 * @param observer the observer's own (hidden) node
 * @param target the node it was attached to
 * @param at when the sample was taken (milliseconds since the epoch)
 * @param sample the sample's number, from 1
 * @param intervalMillis the time between samples
 * @param allowActions whether kill and restart are allowed
 * @param nodes the nodes, sorted by name
 * @param restarts the supervisor children the observer has seen restarted (a new pid under the same id)
 * @param crashes the latest abnormal exits of supervised processes, newest first
 * @param series the message-rate plots: per node and per connection
 */
public record ClusterView(String observer, String target, long at, long sample, long intervalMillis,
                          boolean allowActions, List<NodeView> nodes, List<Restart> restarts, List<Crash> crashes,
                          List<Series> series) {

    /**
     * A supervisor child seen restarted.
     *
     * @param node the supervisor's node
     * @param supervisor the supervisor's pid, as {@code <0.Id.Serial>}
     * @param id the child's id
     * @param restarts how many times the observer has seen its pid change
     * @param pid its pid now
     * @param previousPid its pid before the latest restart
     * @param at when the observer saw the latest restart (milliseconds since the epoch)
     */
    public record Restart(String node, String supervisor, String id, long restarts, String pid, String previousPid,
                          long at) {
    }

    /**
     * A supervised process that exited with an abnormal reason, seen by the observer's monitor.
     *
     * @param node its node
     * @param pid its pid, as {@code <0.Id.Serial>}
     * @param id its id in its supervisor, if known
     * @param reason the exit reason, in Erlang syntax
     * @param at when the observer got the {@code DOWN} (milliseconds since the epoch)
     */
    public record Crash(String node, String pid, String id, String reason, long at) {
    }

    /**
     * A plot's points, oldest first.
     *
     * @param key what it measures: {@code node NAME} (messages handled per second) or {@code NAME -> PEER in} /
     *     {@code out} (messages per second on a connection)
     * @param node the node it belongs to
     * @param values the points, one per sample
     */
    public record Series(String key, String node, List<Double> values) {
    }
}
