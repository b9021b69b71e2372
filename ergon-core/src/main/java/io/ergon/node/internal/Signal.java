package io.ergon.node.internal;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A signal between processes other than a plain message. Signals travel in the receiver's mailbox queue together
 * with messages, which is what keeps every signal from one sender to one receiver in the order it was sent.
 */
public abstract sealed class Signal {
    private Signal() {
    }

    /** A signal the target must answer even when it is already dead; exactly one party may claim that answer. */
    public abstract static sealed class Answerable extends Signal {
        private static final VarHandle CLAIMED;

        static {
            try {
                CLAIMED = MethodHandles.lookup().findVarHandle(Answerable.class, "claimed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")
        private volatile boolean claimed;

        private Answerable() {
        }

        /** True for the first caller only: that caller handles (or answers) the signal. */
        public boolean claim() {
            return CLAIMED.compareAndSet(this, false, true);
        }
    }

    /** {@code from} links itself to the receiver. */
    public static final class Link extends Answerable {
        public final Pid from;

        public Link(Pid from) {
            this.from = from;
        }
    }

    /** {@code from} removes its link to the receiver (OTP 26 link protocol: the receiver acknowledges with the id). */
    public static final class UnlinkId extends Signal {
        public final Pid from;
        public final long id;

        public UnlinkId(Pid from, long id) {
            this.from = from;
            this.id = id;
        }
    }

    /** The acknowledgement of an {@link UnlinkId}. */
    public static final class UnlinkAck extends Signal {
        public final Pid from;
        public final long id;

        public UnlinkAck(Pid from, long id) {
            this.from = from;
            this.id = id;
        }
    }

    /** An exit signal: through a link ({@code link}) or sent with {@code exit/2}. */
    public static final class Exit extends Signal {
        public final Pid from;
        public final Object reason;
        public final boolean link;

        public Exit(Pid from, Object reason, boolean link) {
            this.from = from;
            this.reason = reason;
            this.link = link;
        }
    }

    /** {@code from} starts monitoring the receiver; {@code name} is set when it monitors by registered name. */
    public static final class Monitor extends Answerable {
        public final Pid from;
        public final Ref ref;
        public final Atom name;

        public Monitor(Pid from, Ref ref, Atom name) {
            this.from = from;
            this.ref = ref;
            this.name = name;
        }
    }

    /** {@code from} stops monitoring the receiver. */
    public static final class Demonitor extends Signal {
        public final Pid from;
        public final Ref ref;

        public Demonitor(Pid from, Ref ref) {
            this.from = from;
            this.ref = ref;
        }
    }

    /** A monitored process or node went away; becomes a {@code Down} message if the monitor is still active. */
    public static final class Down extends Signal {
        public final Ref ref;
        public final Object item;
        public final Object reason;

        public Down(Ref ref, Object item, Object reason) {
            this.ref = ref;
            this.item = item;
            this.reason = reason;
        }
    }

    /** A message sent to an alias of the receiver: delivered only while the alias is active. */
    public static final class AliasMessage extends Signal {
        public final Ref alias;
        public final Object message;

        public AliasMessage(Ref alias, Object message) {
            this.alias = alias;
            this.message = message;
        }
    }

    /**
     * The connection to {@code node} is gone: the receiver's links to processes there fire {@code noconnection},
     * its monitors of them deliver {@code DOWN ... noconnection}, and their monitors of it are forgotten.
     */
    public static final class NodeDown extends Signal {
        public final Atom node;
        /**
         * When the loss was signalled ({@link System#nanoTime()}): a process may handle the signal late (an idle
         * mailbox does so at its next receive), and links and monitors made since are over a newer connection.
         */
        public final long sentAt = System.nanoTime();

        public NodeDown(Atom node) {
            this.node = node;
        }
    }

    /**
     * The answer to a spawn request this process sent to another node: {@code result} is the new pid or an error
     * atom; {@code flags} say whether the link (1) and the monitor (2, with {@code reqId} as its reference) exist.
     */
    public static final class SpawnReply extends Signal {
        public final Ref reqId;
        public final int flags;
        public final Object result;

        public SpawnReply(Ref reqId, int flags, Object result) {
            this.reqId = reqId;
            this.flags = flags;
            this.result = result;
        }
    }

    /** The node is shutting down: the receiver terminates with {@code reason}, running its terminate callback. */
    public static final class Shutdown extends Signal {
        public final Object reason;

        public Shutdown(Object reason) {
            this.reason = reason;
        }
    }
}
