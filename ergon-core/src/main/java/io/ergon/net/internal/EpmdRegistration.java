package io.ergon.net.internal;

import io.ergon.net.EpmdClient;
import io.ergon.net.EpmdServer;
import io.ergon.node.NodeOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a node's name and port with the EPMD of this host, as Erlang nodes do; when no EPMD answers, starts one
 * in this JVM (as Ergo does) and registers there. That embedded EPMD is one per JVM and lives as long as the JVM:
 * other nodes, of this JVM or not, find each other through it.
 */
final class EpmdRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);
    /** The embedded EPMD, when this JVM had to start one. */
    private static EpmdServer embedded;

    private EpmdRegistration() {
    }

    /** The EPMD port the options name, else {@code ERL_EPMD_PORT} or 4369. */
    static int port(NodeOptions options) {
        return options.epmdPort() != 0 ? options.epmdPort() : EpmdClient.defaultPort();
    }

    /**
     * Registers {@code alive} on {@code port}; the registration lasts until it is closed.
     *
     * @throws IOException if EPMD refuses the name (it is taken) or cannot be reached nor started
     */
    static EpmdClient.Registration register(String alive, int port, boolean hidden, int epmdPort)
            throws IOException {
        EpmdClient local = new EpmdClient(InetAddress.getLoopbackAddress(), epmdPort);
        try {
            return local.register(alive, port, hidden);
        } catch (ConnectException noEpmd) {
            startEmbedded(epmdPort);
            return local.register(alive, port, hidden);
        }
    }

    private static void startEmbedded(int epmdPort) throws IOException {
        synchronized (EpmdRegistration.class) {
            if (embedded == null || embedded.port() != epmdPort) {
                try {
                    embedded = EpmdServer.start(epmdAddress(), epmdPort);
                    LOG.info("no EPMD answered on port {}: started one in this JVM", epmdPort);
                } catch (BindException raced) {
                    // another process started one meanwhile: use it
                }
            }
        }
    }

    /** Where an embedded EPMD listens: {@code ERL_EPMD_ADDRESS} if set (first address), else every interface. */
    private static InetAddress epmdAddress() throws IOException {
        String env = System.getenv("ERL_EPMD_ADDRESS");
        if (env == null || env.isBlank()) {
            return null;
        }
        return InetAddress.getByName(env.split(",")[0].trim());
    }
}
