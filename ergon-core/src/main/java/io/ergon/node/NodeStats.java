package io.ergon.node;

import io.ergon.api.Experimental;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.List;
import java.util.Objects;

/**
 * A read-only snapshot of a node's counters ({@link Node#stats()}), for metrics and dashboards. The counts are
 * cumulative since the node started and never go down; each is read without stopping the node, so a snapshot taken
 * while processes run is a little behind in places, never ahead (the messages a process handles in one turn on a
 * worker are added to the node's count when the turn ends or waits in a receive).
 *
 * <p>What the runtime pays for them: per message, an increment of a plain field of the process; per turn of a
 * process on a worker, a few writes to the worker's own fields; per spawn, exit and restart, a
 * {@link java.util.concurrent.atomic.LongAdder}; per distribution frame, an atomic add on the connection's counts.
 * No lock and no clock read on any message's path. Counting is always on.
 *
 * @param node the node's name
 * @param processes processes alive now, mailbox handles included ({@link Node#processCount()})
 * @param spawned processes spawned with a behaviour ({@link Actor}) since the node started, those whose
 *     {@code init} failed included; mailbox handles are not counted
 * @param exited such processes that have exited, for any reason
 * @param crashed those of {@code exited} whose reason was abnormal: not {@code normal}, {@code shutdown} nor
 *     {@code {shutdown, _}} (a handler's exception, {@code kill}, an exit signal it did not trap, a failed init)
 * @param messagesHandled messages the node's processes have handled: each one given to a behaviour's handler and
 *     each one a receive returned (what {@code erlang:statistics(reductions)} answers for an Ergon node)
 * @param supervisorRestarts children restarted by the node's supervisors (each restart counted against a
 *     supervisor's intensity, retries of a failed restart included)
 * @param connections one entry per peer this node has been connected to (empty if it is not distributed), in no
 *     particular order
 */
@Experimental
public record NodeStats(Atom node, int processes, long spawned, long exited, long crashed, long messagesHandled,
                        long supervisorRestarts, List<Connection> connections) {

    public NodeStats {
        Objects.requireNonNull(node, "node");
        connections = List.copyOf(connections);
    }

    /** The state of the connection to a peer. */
    public enum ConnectionState {
        /** A connection is being set up (EPMD look-up, handshake); nothing flows yet. */
        CONNECTING,
        /** Connected: messages flow both ways. */
        UP,
        /** Not connected now (it closed, or the peer went away); it was up before. */
        DOWN
    }

    /**
     * The traffic with one peer since this node first connected to it, across reconnections. Bytes are counted as
     * they cross the socket (frame headers included, the handshake not); messages are the frames that carry a
     * message or a signal (ticks are not counted).
     *
     * @param peer the peer's node name
     * @param state whether it is connected now
     * @param bytesIn bytes read from the peer
     * @param bytesOut bytes written to the peer
     * @param messagesIn messages and signals received from the peer
     * @param messagesOut messages and signals written to the peer
     * @param busyWaits how many times a sender waited because more than
     *     {@link NodeOptions#distBufferBusyLimit()} bytes were queued for the peer (Erlang's busy distribution port)
     */
    public record Connection(Atom peer, ConnectionState state, long bytesIn, long bytesOut, long messagesIn,
                             long messagesOut, long busyWaits) {
        public Connection {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * A process with messages waiting, from {@link Node#largestMailboxes(int)}.
     *
     * @param pid the process
     * @param registeredName its registered name, or null
     * @param depth messages and signals queued for it, counted when the list was made
     * @param messagesHandled messages it has handled so far (see {@link ProcessInfo#messagesHandled()})
     */
    public record MailboxDepth(Pid pid, Atom registeredName, int depth, long messagesHandled) {
        public MailboxDepth {
            Objects.requireNonNull(pid, "pid");
        }
    }
}
