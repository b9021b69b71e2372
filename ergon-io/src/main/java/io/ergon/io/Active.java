package io.ergon.io;

/**
 * How many messages a socket or port may deliver to its owner before the owner asks again: Erlang's
 * {@code {active, once | N | true | false}} option of {@code inet:setopts/2}.
 *
 * <ul>
 *   <li>{@link #once()}: one message, then passive until asked again. The reader reads nothing while passive, so
 *       a slow owner holds the peer back through TCP's own window instead of filling its mailbox.</li>
 *   <li>{@link #times(int)}: N messages, then passive with a {@code Passive} message (Erlang's
 *       {@code {tcp_passive, Socket}}). Given while counting, N is added to what is left (it may be negative); a
 *       count that ends at zero or below turns the socket passive at once, with the same message. Counts are
 *       capped at 32767, as in Erlang.</li>
 *   <li>{@link #always()}: every message as it arrives; no flow control.</li>
 *   <li>{@link #passive()}: nothing is read until the owner reads ({@code recv}) or turns it active.</li>
 * </ul>
 */
public sealed interface Active {
    /** The largest count, as Erlang's. */
    int MAX_COUNT = 32767;

    /** {@code {active, once}}. */
    static Active once() {
        return Once.INSTANCE;
    }

    /** {@code {active, N}}. */
    static Active times(int n) {
        return new Times(n);
    }

    /** {@code {active, true}}. */
    static Active always() {
        return Always.INSTANCE;
    }

    /** {@code {active, false}}. */
    static Active passive() {
        return Passive.INSTANCE;
    }

    /** {@code {active, once}}. */
    enum Once implements Active { INSTANCE }

    /** {@code {active, true}}. */
    enum Always implements Active { INSTANCE }

    /** {@code {active, false}}. */
    enum Passive implements Active { INSTANCE }

    /** {@code {active, N}}, with N between -32768 and 32767. */
    record Times(int n) implements Active {
        public Times {
            if (n < -32768 || n > MAX_COUNT) {
                throw new IllegalArgumentException("an active count is between -32768 and 32767: " + n);
            }
        }
    }
}
