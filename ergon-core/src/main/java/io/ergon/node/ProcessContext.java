package io.ergon.node;

import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a process can do, as that process: Erlang's process BIFs (send, receive, link, monitor, exit, spawn, ...)
 * and {@code gen:call}. An {@link Actor} acts through its own ({@code context()}, and its {@code protected final}
 * methods, which delegate to it); a {@link Mailbox} is one, for a thread that is not a process.
 *
 * <p>Threads: {@link #self()}, {@link #node()}, {@link #send}, {@link #cast}, {@link #exit}, {@link #makeRef()} and
 * {@link #sendAfter} may be called from any thread. The others use the process's own state: an actor's may be called
 * only from its callbacks; a mailbox's from any thread, one at a time (it takes a lock).
 *
 * <p>Exit signals: one that ends the process while it waits in an operation ({@link #receive}, {@link #call},
 * {@link #spawnRemote}, ...) ends an actor there, as in Erlang: the operation does not return and the process exits
 * with the signal's reason. A mailbox's operation throws {@link ExitException} with the reason instead, and so does
 * every later one that uses its state. The other exceptions are listed with each method.
 */
public interface ProcessContext {
    /** This process's pid. */
    Pid self();

    /** The node this process runs on. */
    Node node();

    /** The process that spawned this one, or null if it was spawned from outside any process (or is a mailbox). */
    Pid parent();

    /**
     * Sends a message to a {@link Pid}, a registered name ({@code String} or {@link io.ergon.term.Atom}) or a
     * {@link Name}. Never blocks; to a dead pid the message is dropped, as in Erlang.
     *
     * @throws BadArgumentException if a local name is not registered (Erlang's {@code badarg})
     */
    void send(Object to, Object message);

    /** Sends {@code {'$gen_cast', Message}}, what a GenServer's {@code handleCast} receives; never fails. */
    void cast(Object to, Object message);

    /**
     * Calls a GenServer (or anything that answers {@code '$gen_call'}) and waits for the reply, as
     * {@code gen_server:call} does. Other messages that arrive meanwhile stay queued for later.
     *
     * @param timeout how long to wait; null waits forever
     * @throws CallTimeoutException if no reply came in time
     * @throws CallException if the callee does not exist or dies, or its node goes down
     */
    <T> T call(Object to, Object request, Duration timeout);

    /** {@link #call(Object, Object, Duration)} with the default timeout of 5 seconds. */
    default <T> T call(Object to, Object request) {
        return call(to, request, Node.DEFAULT_CALL_TIMEOUT);
    }

    /**
     * A call whose reply is converted to {@code type}, the same whether the server is local or on another node: a
     * binary to {@code String}, an integer to {@code Integer} (when it fits), a registered record's tuple to the
     * record, the atom {@code undefined} (a server's {@code null} reply) to {@code null}; the whole table is in
     * {@code docs/TERMS.md}. Use it rather than the untyped {@code call} when the server may be on another node,
     * where a {@code String} reply arrives as a {@code Binary} and an {@code Integer} as a {@code Long}.
     *
     * @throws ReplyTypeException if the reply does not convert (it names the reply and both types)
     * @throws CallTimeoutException if no reply came in time
     * @throws CallException if the callee does not exist or dies, or its node goes down
     */
    default <T> T callAs(Object to, Object request, Class<T> type, Duration timeout) {
        Object reply = call(to, request, timeout);
        return TypedReplies.as(node(), to, reply, type);
    }

    /** {@link #callAs(Object, Object, Class, Duration)} with the default timeout of 5 seconds. */
    default <T> T callAs(Object to, Object request, Class<T> type) {
        return callAs(to, request, type, Node.DEFAULT_CALL_TIMEOUT);
    }

    /**
     * Waits for the first message that matches, leaving the others queued in order (Erlang's selective
     * {@code receive}).
     *
     * @param timeout how long to wait; null waits forever
     * @return the message, or null if none matched in time
     */
    Object receive(Predicate<Object> match, Duration timeout);

    /** Waits for the next message; null if none came in time (a null timeout waits forever). */
    default Object receive(Duration timeout) {
        return receive(message -> true, timeout);
    }

    /**
     * Links this process to {@code pid}: when either exits abnormally, the other receives an exit signal.
     *
     * @throws ExitException with {@code noproc} if {@code pid} is a local process that does not exist and this
     *     process does not trap exits (a trapping process gets {@code {'EXIT', Pid, noproc}} instead)
     */
    void link(Pid pid);

    /** Removes the link to {@code pid}, if any; no exit signal from it arrives afterwards. */
    void unlink(Pid pid);

    /**
     * Monitors a process ({@link Pid}, registered name, or {@link Name}): a {@link Down} message arrives when it
     * exits, at once with {@code noproc} if it does not exist.
     */
    Ref monitor(Object target);

    /** Removes a monitor; no {@link Down} for it arrives afterwards, and one already queued is removed. */
    void demonitor(Ref ref);

    /**
     * Sends an exit signal to {@code pid} (Erlang's {@code exit/2}): {@code kill} kills even a trapping process,
     * which then dies with {@code killed}; {@code normal} is ignored unless the target traps exits or is this
     * process.
     */
    void exit(Pid pid, Object reason);

    /** Turns exit signals into {@link Exit} messages (true) or lets them end this process (false). */
    void trapExit(boolean trap);

    /** Whether this process traps exits. */
    boolean trapsExit();

    /**
     * Spawns a process with options (name, link to this process, monitor from it); its {@code init} has run when this
     * returns.
     *
     * @throws SpawnException if it did not start, with the reason
     */
    Spawned spawn(Supplier<? extends Actor> factory, SpawnOptions options);

    /** Spawns a process (its {@code init} runs before this returns). @throws SpawnException if it did not start */
    default Pid spawn(Supplier<? extends Actor> factory) {
        return spawn(factory, SpawnOptions.none()).pid();
    }

    /** Spawns a process linked to this one (the link exists before its {@code init} runs). */
    default Pid spawnLink(Supplier<? extends Actor> factory) {
        return spawn(factory, SpawnOptions.none().link()).pid();
    }

    /** Spawns a process monitored by this one. */
    default Spawned spawnMonitor(Supplier<? extends Actor> factory) {
        return spawn(factory, SpawnOptions.none().monitor());
    }

    /**
     * Spawns {@code module:function(args)} on another node (Erlang's {@code spawn_opt/5} there), linked to or
     * monitored by this process as {@code options} say, and waits up to {@code timeout} for its pid.
     *
     * @throws IllegalArgumentException if {@code options} name the process (it cannot be registered from here)
     * @throws SpawnException with the other node's error ({@code noconnection}, {@code not_allowed}, ...) or
     *     {@code timeout}
     */
    Spawned spawnRemote(String node, String module, String function, List<?> args, SpawnOptions options,
                        Duration timeout);

    /** {@link #spawnRemote(String, String, String, List, SpawnOptions, Duration)} waiting up to 15 seconds. */
    default Spawned spawnRemote(String node, String module, String function, List<?> args, SpawnOptions options) {
        return spawnRemote(node, module, function, args, options, Duration.ofSeconds(15));
    }

    /**
     * Registers this process as {@code name} (Erlang's {@code register(Name, self())}); the name goes when the
     * process exits.
     *
     * @throws IllegalArgumentException if the name is taken or this process already has one
     */
    void register(String name);

    /** Erlang's {@code make_ref()}: a reference unique on this node's incarnation. */
    Ref makeRef();

    /**
     * Sends {@code message} to {@code to} from this process after {@code delay} (Erlang's {@code send_after});
     * {@link TimerRef#cancel()} stops it. A name that is not registered when the timer fires drops the message.
     */
    TimerRef sendAfter(Object to, Object message, Duration delay);
}
