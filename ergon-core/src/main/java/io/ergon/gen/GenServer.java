package io.ergon.gen;

import io.ergon.node.Actor;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.node.TimerRef;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;

/**
 * OTP's {@code gen_server}: a process that serves calls (request and reply), casts (fire and forget) and other
 * messages, one at a time.
 *
 * <p>Override what you need; every callback has a default. Start it like any actor ({@code node.spawn(Cache::new)});
 * the start is synchronous: the spawner learns whether {@link #init()} succeeded and, if not, why
 * ({@link io.ergon.node.SpawnException}).
 * <ul>
 *   <li>{@link #handleCall(Object, From)} returns the reply; or returns {@link #noReply()} and answers later with
 *       {@link From#reply(Object)} (from this or any other process or thread); or calls {@link #stop(Object)} to stop
 *       after replying ({@code {stop, Reason, Reply, State}}).</li>
 *   <li>{@link #handleCast(Object)} handles {@code {'$gen_cast', Msg}}; {@link #handleInfo(Object)} everything
 *       else, including {@link Exit} messages from linked processes when trapping exits.</li>
 *   <li>{@link #terminate(Object)} runs with the reason when the server stops itself, crashes, gets a trapped exit
 *       from its parent (a supervisor stopping it), or the node shuts down.</li>
 *   <li>OTP's {@code sys} messages are answered by the runtime ({@code sys:get_state} shows
 *       {@link #systemState()}; {@code sys:suspend} holds every other message until {@code sys:resume}).</li>
 * </ul>
 * Callers use {@code call}/{@code cast} from an actor, a {@link io.ergon.node.Mailbox} or the
 * {@link io.ergon.node.Node}; the wire shapes are OTP's, so Erlang's {@code gen_server:call} works on an Ergon
 * server and the reverse. A server whose handlers are short and never wait may override {@link #callerRuns()}, so
 * that local callers run it on their own threads.
 */
public abstract class GenServer extends Actor {
    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom GEN_CAST = Atom.of("$gen_cast");
    /** The message {@link #handleInfo} gets when an {@linkplain #idleTimeout idle timeout} expires. */
    public static final Atom TIMEOUT = Atom.of("timeout");
    private static final Object NO_REPLY = new Object() {
        @Override
        public String toString() {
            return "noreply";
        }
    };

    private long generation;
    private TimerRef idleTimer;

    /**
     * Handles a call; return the reply, or {@link #noReply()} to reply later. The default refuses the call.
     *
     * <p>A {@code null} reply is a reply: the caller gets the atom {@code undefined} (Erlang's "no value", what a
     * {@code gen_server} returns for a missing key), locally and across nodes alike, and a typed call
     * ({@code callAs(to, request, String.class)}) gets {@code null}. So {@code return cache.get(key);} answers a miss
     * instead of crashing the server. An exception ends the server with a {@link io.ergon.node.CrashReason}, and the
     * caller's call fails with it.
     */
    protected Object handleCall(Object request, From from) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not handle calls; got "
                + request);
    }

    /** Handles a cast. The default logs and drops it. */
    protected void handleCast(Object message) throws Exception {
        log().warn("{} dropped an unexpected cast: {}", self(), message);
    }

    /** Handles any other message. The default logs and drops it. */
    protected void handleInfo(Object message) throws Exception {
        log().warn("{} dropped an unexpected message: {}", self(), message);
    }

    /** Returned from {@link #handleCall}: no reply now; answer later through the {@link From}. */
    protected static Object noReply() {
        return NO_REPLY;
    }

    /** Sends a reply to a caller (same as {@code from.reply(reply)}). */
    protected final void reply(From from, Object reply) {
        from.reply(reply);
    }

    /**
     * Asks for {@link #TIMEOUT} in {@link #handleInfo} if no message arrives within {@code timeout} after the current
     * callback (OTP's {@code {noreply, State, Timeout}}). Any message cancels it; set it again to re-arm.
     */
    protected final void idleTimeout(Duration timeout) {
        cancelIdleTimer();
        idleTimer = sendAfter(self(), new IdleTimeout(++generation), timeout);
    }

    @Override
    protected final void handleMessage(Object message) throws Exception {
        if (message instanceof IdleTimeout t) {
            if (t.generation == generation) {
                idleTimer = null;
                handleInfo(TIMEOUT);
            }
            return;
        }
        generation++;
        cancelIdleTimer();
        if (message instanceof Tuple t && t.size() == 3 && t.get(0) == GEN_CALL && t.get(1) instanceof Tuple f
                && f.size() == 2 && f.get(0) instanceof Pid caller) {
            From from = new From(caller, f.get(1), node());
            Object reply = handleCall(t.get(2), from);
            if (reply != NO_REPLY) {
                from.reply(reply);
            }
        } else if (message instanceof Tuple t && t.size() == 2 && t.get(0) == GEN_CAST) {
            handleCast(t.get(1));
        } else if (SystemMessages.from(message, node()) instanceof From system) {
            Object request = SystemMessages.request(message);
            if (SystemMessages.terminateReason(request) instanceof Object reason) {
                system.reply(Atom.of("ok"));
                stop(reason);
            } else if (SystemMessages.answer(this, system, request, false)) {
                suspended();
            }
        } else if (message instanceof Exit exit && exit.from().equals(parent()) && trapsExit()) {
            stop(exit.reason());
        } else {
            handleInfo(message);
        }
    }

    /**
     * What {@code sys:get_state} and {@code sys:get_status} show of this server, as a term: by default its own fields
     * by name (plain values as they are, others as text). Override it to show what matters; it must return a term
     * that can cross to an Erlang node (see docs/TERMS.md).
     */
    protected Object systemState() {
        return SystemMessages.fields(this, GenServer.class);
    }

    /** After {@code sys:suspend}: only system messages are handled, the others wait in order, until resume. */
    private void suspended() {
        while (true) {
            Object m = receive(x -> SystemMessages.is(x) || isParentExit(x), null);
            if (isParentExit(m)) {
                stop(((Exit) m).reason()); // as OTP's suspended loop: the parent's exit still ends the server
                return;
            }
            Object request = SystemMessages.request(m);
            From from = SystemMessages.from(m, node());
            if (request == Atom.of("resume")) {
                from.reply(Atom.of("ok"));
                return;
            }
            if (SystemMessages.terminateReason(request) instanceof Object reason) {
                from.reply(Atom.of("ok"));
                stop(reason);
                return;
            }
            SystemMessages.answer(this, from, request, true);
        }
    }

    private boolean isParentExit(Object message) {
        return message instanceof Exit exit && exit.from().equals(parent()) && trapsExit();
    }

    Pid selfForStatus() {
        return self();
    }

    Object parentForStatus() {
        Pid p = parent();
        return p == null ? self() : p;
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
    }

    private record IdleTimeout(long generation) {
    }
}
