package io.ergon.io.port;

import io.ergon.io.Active;
import io.ergon.io.IoError;
import io.ergon.io.internal.Demand;
import io.ergon.io.internal.Ownership;
import io.ergon.io.internal.PacketDecoder;
import io.ergon.io.internal.PortProcess;
import io.ergon.io.internal.StreamReader;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external program run as a port of its owner process, as {@code open_port({spawn_executable, Path},
 * [{args, Args}, exit_status, ...])} runs one: what it writes to stdout arrives as {@link PortData}; {@link #write}
 * (or a {@link PortCommand} to its process) goes to its stdin; when it exits, its owner gets its
 * {@link PortExitStatus} (with {@link PortOptions#exitStatus(boolean)}) after all its output (a last line without
 * its newline included, as Erlang's {@code noeol} line), and the port closes.
 *
 * <p>Like an Erlang port it closes when its owner exits, and it has a process ({@link #port()}), linked to the
 * owner, that ends with {@code normal} when the port closes. Closing the port ({@link #close()}, or
 * the owner's exit) closes the program's pipes and then ends the program (the JDK's {@code destroy}, SIGTERM), so
 * that no program outlives its owner. Thread-safe.
 */
public final class ExternalPort {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalPort.class);

    private final Process process;
    private final OutputStream stdin;
    private final PortOptions options;
    private final Demand demand;
    private final StreamReader reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final String name;
    private final Ownership ownership;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    private ExternalPort(Node node, Process process, PortOptions options, String name) {
        this.process = process;
        this.options = options;
        this.name = name;
        this.stdin = process.getOutputStream();
        this.demand = new Demand(options.active());
        this.ownership = new Ownership(node, demand);
        this.reader = new StreamReader(process.getInputStream(),
                new PacketDecoder(options.packet(), options.packetSize()), demand, new ToOwner(), true);
    }

    /**
     * Starts {@code command} (the program and its arguments; no shell) for {@code owner}.
     *
     * @throws IoError {@code enoent} if the program cannot be started
     */
    public static ExternalPort open(ProcessContext owner, List<String> command, PortOptions options) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (options.directory() != null) {
            builder.directory(options.directory().toFile());
        }
        for (Map.Entry<String, String> e : options.environment().entrySet()) {
            if (e.getValue() == null) {
                builder.environment().remove(e.getKey());
            } else {
                builder.environment().put(e.getKey(), e.getValue());
            }
        }
        if (options.stderrToStdout()) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IoError(Atom.of("enoent"), "cannot run " + command + ": " + e.getMessage(), e);
        }
        ExternalPort p = new ExternalPort(owner.node(), process, options, command.getFirst());
        p.ownership.start(owner.self(), p.new PortResource());
        Thread.ofVirtual().name("ergon-port-reader").start(p::readLoop);
        return p;
    }

    /**
     * Writes {@code data} to the program's stdin, framed by the port's packet option ({@code port_command/2}).
     * Blocks while the pipe is full (the program reads slower than this writes).
     *
     * @throws IoError {@code closed} (the port, or the program's stdin, is closed) or {@code emsgsize}
     */
    public void write(byte[] data) {
        byte[] framed = options.packet().frame(Objects.requireNonNull(data, "data"));
        writeLock.lock();
        try {
            if (closed) {
                throw new IoError(IoError.CLOSED, "write to a closed port");
            }
            stdin.write(framed);
            stdin.flush();
        } catch (IOException e) {
            throw new IoError(IoError.CLOSED, "the program's stdin is closed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes {@code text} as UTF-8. */
    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Closes the program's stdin only, so that a program that reads to the end of its input ({@code cat},
     * {@code sort}) finishes; its output and exit status still arrive. (Erlang has no such call; a port's owner
     * there closes the whole port.)
     */
    public void closeInput() {
        writeLock.lock();
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        } finally {
            writeLock.unlock();
        }
    }

    /** Sets the active mode; see {@link Active}. An exhausted count sends nothing: ports have no passive message. */
    public void setActive(Active active) {
        demand.set(Objects.requireNonNull(active, "active"));
    }

    /** Closes the port ({@code port_close/1}): the pipes close and the program is ended. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    /** Stops the reader, closes the pipes, ends the program and the port process, once, whoever closed first. */
    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        reader.stop();
        writeLock.lock();
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        } finally {
            writeLock.unlock();
        }
        try {
            process.getInputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
        if (process.isAlive()) {
            process.destroy();
        }
        ownership.closed();
    }

    /** Whether the port is open. */
    public boolean isOpen() {
        return !closed;
    }

    /** The program's OS process id. */
    public long osPid() {
        return process.pid();
    }

    /** The port's process (started on the first call): linked to the owner; send it {@link PortCommand}s. */
    public Pid port() {
        return ownership.port();
    }

    /** The owner. */
    public Pid owner() {
        return ownership.owner();
    }

    /** Bytes the program wrote and the owner has not received yet (a partial packet, or packets waiting). */
    public int bufferedBytes() {
        return reader.buffered();
    }

    @Override
    public String toString() {
        return "ExternalPort[" + name + ", os pid " + process.pid() + (closed ? ", closed" : "") + "]";
    }

    private void readLoop() {
        boolean ended = reader.run();
        if (ended && options.exitStatus() && !closed) {
            try {
                int status = process.waitFor();
                if (!closed) {
                    closed = true; // an owner that gets the exit status finds the port closed, as in Erlang
                    ownership.toOwner(new PortExitStatus(this, status));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        release();
    }

    private final class ToOwner implements StreamReader.Events {
        @Override
        public void data(byte[] packet) {
            ownership.toOwner(new PortData(ExternalPort.this, packet));
        }

        @Override
        public void passive() {
        }

        @Override
        public void closed() {
        }

        @Override
        public void error(Object reason) {
            LOG.debug("{}: reading stdout failed: {}", ExternalPort.this, reason);
        }
    }

    private final class PortResource implements PortProcess.Resource {
        @Override
        public void ownerExited(Object reason) {
            // not on the exiting owner's thread: the close waits for a write in progress, which a program that
            // does not read holds up, and the owner's links and monitors must not wait for that
            Thread.ofVirtual().name("ergon-port-close").start(ExternalPort.this::close);
        }

        @Override
        public void message(Object message) {
            if (message instanceof PortCommand(byte[] data)) {
                try {
                    write(data);
                } catch (IoError e) {
                    // as a command sent to a closed Erlang port: dropped, the sender asked for no answer
                    LOG.debug("{}: a command was dropped: {}", ExternalPort.this, e.getMessage());
                }
            }
        }
    }
}
