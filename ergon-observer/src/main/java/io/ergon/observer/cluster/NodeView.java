package io.ergon.observer.cluster;

import io.ergon.observer.snapshot.ApplicationRow;
import io.ergon.observer.snapshot.ProcessRow;
import io.ergon.observer.snapshot.SupervisionTree;
import java.util.List;

/**
 * One node of the cluster as the observer shows it at one sample.
 *
 * @param name the node's name
 * @param kind {@code erlang}, {@code elixir} (an Erlang node running the {@code elixir} application) or {@code ergon}
 * @param release {@code system_info(otp_release)}
 * @param version {@code system_info(version)} (Ergon: {@code ergon-VERSION})
 * @param processCount {@code system_info(process_count)}
 * @param runQueue {@code statistics(run_queue)}
 * @param memory {@code memory(total)}
 * @param messagesPerSecond the rise of {@code statistics(reductions)} per second since the previous sample (Ergon:
 *     messages handled; Erlang: reductions), or null on the first sample
 * @param scanned how many processes were read (at most the observer's scan limit)
 * @param processes the processes read
 * @param connections its distribution connections, with rates
 * @param applications {@code application:which_applications()}
 * @param supervisors its supervision trees
 * @param error why the node could not be read at this sample, or null (the other fields are then empty)
 */
public record NodeView(String name, String kind, String release, String version, long processCount, long runQueue,
                       long memory, Double messagesPerSecond, int scanned, List<ProcessRow> processes,
                       List<ConnectionView> connections, List<ApplicationRow> applications,
                       List<SupervisionTree> supervisors, String error) {

    /** A node that could not be read. */
    static NodeView unreachable(String name, String error) {
        return new NodeView(name, "unknown", "", "", 0, 0, 0, null, 0, List.of(), List.of(), List.of(), List.of(),
                error);
    }

    /**
     * A connection of the node with its traffic so far and per second since the previous sample (null on the first).
     *
     * @param peer the node at the other end
     * @param type {@code normal} or {@code hidden}
     * @param state {@code up} or {@code pending}
     * @param in messages read so far
     * @param out messages written so far
     * @param inPerSecond messages read per second lately
     * @param outPerSecond messages written per second lately
     */
    public record ConnectionView(String peer, String type, String state, long in, long out, Double inPerSecond,
                                 Double outPerSecond) {
    }
}
