package io.ergon.testing.soak;

import io.ergon.testing.NetNamespaces.Host;
import io.ergon.testing.NetNamespaces;
import io.ergon.testkit.ErlangNode.Launcher;
import io.ergon.testkit.ErlangNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the soak run's nodes live and how their traffic goes: every distribution connection (and, with namespaces,
 * every EPMD lookup) to node {@code i} goes through fault proxy {@code i}, because the host in node {@code i}'s name
 * is an address the proxy listens on, not one of the node's.
 *
 * <ul>
 * <li>With network namespaces ({@link #namespaces}): a host per node and one for the proxies, on a bridge of their
 * own ({@link NetNamespaces}). Node {@code i} runs in its host with an {@code epmd} of its own; its name's host is an
 * extra address of the proxies' host, where a proxy forwards the node's distribution port and another its EPMD port.
 * Partitions (the node's link down) and {@code tbf} rate limits are available.
 * <li>On loopback ({@link #loopback}), when namespaces cannot be used: one {@code epmd}, node {@code i} listening on
 * 127.0.0.1, its name's host 127.0.0.(11+i), where its proxy listens on the same port. No partitions, no tbf.
 * </ul>
 */
final class SoakTopology implements AutoCloseable {
    private static final int NS_DIST_PORT = 9100;
    private static final int NS_EPMD_PORT = 4369;

    private final NetNamespaces net;
    private final List<Host> hosts;
    private final Host proxyHost;
    private final List<String> nameHosts;
    private final List<String> listenAddresses;
    private final List<Integer> listenPorts;
    private final int epmdPort;
    private final List<Process> epmds = new ArrayList<>();

    private SoakTopology(NetNamespaces net, List<Host> hosts, Host proxyHost, List<String> nameHosts,
                         List<String> listenAddresses, List<Integer> listenPorts, int epmdPort) {
        this.net = net;
        this.hosts = hosts;
        this.proxyHost = proxyHost;
        this.nameHosts = nameHosts;
        this.listenAddresses = listenAddresses;
        this.listenPorts = listenPorts;
        this.epmdPort = epmdPort;
    }

    /** Nodes in network namespaces of their own, with one {@code epmd} each. */
    static SoakTopology namespaces(int nodes) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            names.add("soak" + i);
        }
        names.add("proxies");
        NetNamespaces net = NetNamespaces.create(names.toArray(String[]::new));
        try {
            Host proxies = net.host("proxies");
            String subnet = proxies.address().substring(0, proxies.address().lastIndexOf('.'));
            List<Host> hosts = new ArrayList<>();
            List<String> nameHosts = new ArrayList<>();
            List<String> listen = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                Host h = net.host("soak" + i);
                hosts.add(h);
                String alias = subnet + "." + (101 + i);
                NetNamespaces.Result r = net.run(proxies, Duration.ofSeconds(10), "ip", "addr", "add", alias + "/32",
                        "dev", proxies.iface());
                if (r.code() != 0) {
                    throw new IOException("could not add " + alias + " to the proxies' host: " + r.output());
                }
                nameHosts.add(alias);
                listen.add(h.address());
                ports.add(NS_DIST_PORT);
            }
            SoakTopology t = new SoakTopology(net, hosts, proxies, nameHosts, listen, ports, NS_EPMD_PORT);
            for (Host h : hosts) {
                t.epmds.add(net.start(h, List.of("epmd", "-port", Integer.toString(NS_EPMD_PORT)), Map.of()));
            }
            return t;
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** Nodes on loopback with one {@code epmd}, for machines where namespaces cannot be used. */
    static SoakTopology loopback(int nodes) throws IOException {
        List<String> nameHosts = new ArrayList<>();
        List<String> listen = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            nameHosts.add("127.0.0." + (11 + i));
            listen.add("127.0.0.1");
            ports.add(freePort());
        }
        SoakTopology t = new SoakTopology(null, List.of(), null, nameHosts, listen, ports, freePort());
        t.epmds.add(ErlangNode.HERE.start(List.of("epmd", "-port", Integer.toString(t.epmdPort)), Map.of()));
        return t;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** True if partitions and rate limits are available. */
    boolean hasNetwork() {
        return net != null;
    }

    int epmdPort() {
        return epmdPort;
    }

    /** The host part of node {@code i}'s name: where its proxy listens. */
    String nameHost(int i) {
        return nameHosts.get(i);
    }

    String listenAddress(int i) {
        return listenAddresses.get(i);
    }

    int listenPort(int i) {
        return listenPorts.get(i);
    }

    /** Starts node {@code i}'s commands (in its namespace, if any). */
    Launcher launcher(int i) {
        if (net == null) {
            return ErlangNode.HERE;
        }
        Host h = hosts.get(i);
        return (command, env) -> net.start(h, command, env);
    }

    /** Starts the proxies' JVM. */
    Launcher proxyLauncher() {
        return net == null ? ErlangNode.HERE : (command, env) -> net.start(proxyHost, command, env);
    }

    /**
     * The proxies, as {@code LISTEN=TARGET} pairs: first node {@code i}'s distribution port for each {@code i}, then
     * (with namespaces) its EPMD port.
     */
    List<String> proxySpecs() {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < nameHosts.size(); i++) {
            specs.add(nameHost(i) + ":" + listenPort(i) + "=" + listenAddress(i) + ":" + listenPort(i));
        }
        if (net != null) {
            for (int i = 0; i < nameHosts.size(); i++) {
                specs.add(nameHost(i) + ":" + epmdPort + "=" + listenAddress(i) + ":" + epmdPort);
            }
        }
        return specs;
    }

    void partition(int i) throws IOException {
        net.partition(hosts.get(i));
    }

    void heal(int i) throws IOException {
        net.heal(hosts.get(i));
    }

    void limitRate(int i, String rate) throws IOException {
        net.limitRate(hosts.get(i), rate, 16_000, "200ms");
    }

    void clearRate(int i) throws IOException {
        net.clearRate(hosts.get(i));
    }

    /** Stops the {@code epmd}s (by pid) and removes the namespaces with whatever still runs in them. */
    @Override
    public void close() {
        for (Process p : epmds) {
            p.destroy();
        }
        if (net != null) {
            net.close();
        }
    }
}
