package io.ergon.cli;

import io.ergon.node.NodeOptions;
import io.ergon.node.TlsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The naming and cookie options of Erlang's {@code erl}, shared by the commands that start a node:
 * {@code -sname}, {@code -name}, {@code -setcookie}, {@code -hidden}, the EPMD port, and TLS distribution as
 * {@code erl} asks for it ({@code -proto_dist inet_tls -ssl_dist_optfile FILE}, the same file).
 */
final class NodeNameOptions {
    @Option(names = {"-sname", "--sname"}, paramLabel = "NAME",
            description = "Short node name: NAME@<short host name>, or NAME@HOST if it has an @.")
    String sname;

    @Option(names = {"-name", "--name"}, paramLabel = "NAME",
            description = "Long node name: NAME@<fully qualified host name>, or NAME@HOST if it has an @.")
    String name;

    @Option(names = {"-setcookie", "--setcookie"}, paramLabel = "COOKIE",
            description = "The distribution cookie (default: ~/.erlang.cookie).")
    String cookie;

    @Option(names = {"-hidden", "--hidden"}, description = "Start a hidden node.")
    boolean hidden;

    @Option(names = {"-epmd-port", "--epmd-port"}, paramLabel = "PORT",
            description = "The EPMD port (default: ERL_EPMD_PORT, else 4369).")
    int epmdPort;

    @Option(names = {"-erl_epmd_port", "--erl-epmd-port"}, paramLabel = "PORT",
            description = "No EPMD, as erl's -erl_epmd_port (with -start_epmd false): listen on PORT and look for "
                    + "every other node on PORT at its host.")
    int erlEpmdPort;

    @Option(names = {"-start_epmd", "--start-epmd"}, paramLabel = "BOOL", arity = "1",
            description = "Accepted as erl takes it; an Ergon node without -erl_epmd_port uses (or starts) an EPMD.")
    Boolean startEpmd;

    @Option(names = {"-proto_dist", "--proto-dist"}, paramLabel = "MODULE",
            description = "inet_tls for TLS distribution, set up by -ssl_dist_optfile (default inet_tcp: plain TCP).")
    String protoDist;

    @Option(names = {"-ssl_dist_optfile", "--ssl-dist-optfile"}, paramLabel = "FILE",
            description = "With -proto_dist inet_tls: Erlang's ssl_dist_optfile ([{server, Opts}, {client, Opts}]), "
                    + "the file the Erlang nodes of the cluster read.")
    Path sslDistOptfile;

    /** The full node name, using {@code fallback} (an alive part) if neither -sname nor -name was given. */
    String nodeName(String fallback) throws UnknownHostException {
        if (sname != null && name != null) {
            throw new IllegalArgumentException("give -sname or -name, not both");
        }
        if (name != null) {
            return name.contains("@") ? name : name + "@" + InetAddress.getLocalHost().getCanonicalHostName();
        }
        String alive = sname != null ? sname : fallback;
        return alive.contains("@") ? alive : alive + "@" + shortHostName();
    }

    /**
     * Starts the temporary hidden node a one-shot command (ping, rpc) talks from: named by -sname/-name if given,
     * else {@code PREFIX_<os pid>} on the target's host, so it can reach the target's kind of name.
     */
    io.ergon.node.Node startTemporaryNode(String prefix, String target) throws UnknownHostException {
        hidden = true;
        String host = target.substring(target.indexOf('@') + 1);
        return io.ergon.node.Node.start(nodeName(prefix + "_" + ProcessHandle.current().pid() + "@" + host),
                options());
    }

    /** Options for a distributed node with these settings. */
    NodeOptions options() {
        return options(NodeOptions.defaults());
    }

    /** {@code base} (from a configuration file, say) made distributed, with the settings given here over it. */
    NodeOptions options(NodeOptions base) {
        NodeOptions o = base.distributed(true);
        if (hidden) {
            o = o.hidden(true);
        }
        if (cookie != null) {
            o = o.cookie(cookie);
        }
        if (epmdPort != 0) {
            o = o.epmdPort(epmdPort);
        }
        if (erlEpmdPort != 0) {
            o = o.epmdless(erlEpmdPort);
        }
        if (protoDist != null && !protoDist.equals("inet_tcp") && !protoDist.equals("inet_tls")) {
            throw new IllegalArgumentException("-proto_dist is inet_tcp or inet_tls, not " + protoDist);
        }
        if ("inet_tls".equals(protoDist)) {
            if (sslDistOptfile == null) {
                throw new IllegalArgumentException("-proto_dist inet_tls needs -ssl_dist_optfile FILE (the certificate, "
                        + "key and CA of the node)");
            }
            try {
                o = o.tls(TlsOptions.fromErlangOptFile(sslDistOptfile));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + sslDistOptfile + ": " + e.getMessage(), e);
            }
        } else if (sslDistOptfile != null) {
            throw new IllegalArgumentException("-ssl_dist_optfile is for -proto_dist inet_tls");
        }
        return o;
    }

    static String shortHostName() throws UnknownHostException {
        String host = InetAddress.getLocalHost().getHostName();
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }
}
