package io.ergon.net.discovery;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Peers from DNS, as a Kubernetes headless service publishes its pods, asked afresh at each poll (no caching here):
 *
 * <ul>
 *   <li>{@link #addresses(String, String)}: the A and AAAA records of a name; each address is a node
 *       {@code alive@ADDRESS} ({@code app@10.1.2.3}, {@code app@fd00::5}), as libcluster's {@code Kubernetes.DNS}
 *       names them. Each pod then starts its node as {@code app@$(POD_IP)}, a long name.</li>
 *   <li>{@link #srv(String, String)}: the SRV records of a name; each target is a node {@code alive@TARGET}
 *       ({@code app@app-0.app.ns.svc.cluster.local}) at the record's port, which is its distribution port (so nodes
 *       without EPMD are found at their port), and at the target's A/AAAA address from the same server.</li>
 * </ul>
 *
 * <p>It asks the system's DNS servers, or the one given with {@link #server(String)}, through the JDK's JNDI DNS
 * provider. A name that does not exist is a service with no pods: no peers. Any other failure (the server does not
 * answer) is an {@link IOException}, and the membership keeps the peers it had.
 */
public final class DnsDiscovery implements Discovery {
    private final boolean srv;
    private final String alive;
    private final String name;
    private final String server;

    private DnsDiscovery(boolean srv, String alive, String name, String server) {
        this.srv = srv;
        this.alive = Objects.requireNonNull(alive, "alive");
        this.name = Objects.requireNonNull(name, "name");
        this.server = server;
        if (alive.isEmpty() || alive.contains("@") || name.isEmpty()) {
            throw new IllegalArgumentException("give the nodes' alive part (no '@') and a DNS name");
        }
    }

    /** Nodes {@code alive@ADDRESS} for each A and AAAA record of {@code name}. */
    public static DnsDiscovery addresses(String alive, String name) {
        return new DnsDiscovery(false, alive, name, null);
    }

    /** Nodes {@code alive@TARGET}, at the record's port, for each SRV record of {@code name}. */
    public static DnsDiscovery srv(String alive, String name) {
        return new DnsDiscovery(true, alive, name, null);
    }

    /** The same, asking the DNS server at {@code hostAndPort} ({@code 10.96.0.10}, {@code 127.0.0.1:5353}). */
    public DnsDiscovery server(String hostAndPort) {
        return new DnsDiscovery(srv, alive, name, Objects.requireNonNull(hostAndPort, "hostAndPort"));
    }

    @Override
    public Collection<Peer> peers() throws IOException {
        DirContext dns = context();
        try {
            List<Peer> peers = new ArrayList<>();
            if (!srv) {
                for (InetAddress a : addressesOf(dns, name)) {
                    peers.add(new Peer(alive + "@" + hostOf(a), a, 0));
                }
                return peers;
            }
            for (String record : values(dns, name, "SRV")) {
                String[] f = record.trim().split("\\s+"); // priority weight port target
                if (f.length != 4) {
                    continue;
                }
                String target = f[3].endsWith(".") ? f[3].substring(0, f[3].length() - 1) : f[3];
                List<InetAddress> at = addressesOf(dns, target);
                peers.add(new Peer(alive + "@" + target, at.isEmpty() ? null : at.get(0), Integer.parseInt(f[2])));
            }
            return peers;
        } catch (NamingException e) {
            throw new IOException("DNS" + (server == null ? "" : " at " + server) + " did not answer for " + name
                    + ": " + e, e);
        } finally {
            try {
                dns.close();
            } catch (NamingException ignored) {
                // nothing held open
            }
        }
    }

    private DirContext context() throws IOException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, server == null ? "dns:" : "dns://" + server);
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        try {
            return new InitialDirContext(env);
        } catch (NamingException e) {
            throw new IOException("cannot use JNDI's DNS provider: " + e, e);
        }
    }

    private static List<InetAddress> addressesOf(DirContext dns, String host) throws NamingException {
        List<InetAddress> out = new ArrayList<>();
        for (String type : List.of("A", "AAAA")) {
            for (String a : values(dns, host, type)) {
                try {
                    out.add(InetAddress.getByName(a.trim())); // a literal: no look-up
                } catch (java.net.UnknownHostException e) {
                    // not an address: skip it
                }
            }
        }
        return out;
    }

    /** The values of the records of one type; none when the name does not exist. */
    private static List<String> values(DirContext dns, String host, String type) throws NamingException {
        List<String> out = new ArrayList<>();
        Attributes attrs;
        try {
            attrs = dns.getAttributes(host, new String[] {type});
        } catch (NameNotFoundException e) {
            return out;
        }
        Attribute attr = attrs.get(type);
        if (attr == null) {
            return out;
        }
        NamingEnumeration<?> e = attr.getAll();
        while (e.hasMore()) {
            out.add(e.next().toString());
        }
        return out;
    }

    /** An address as Erlang writes it in a node name: dotted IPv4, or IPv6 in its short form ({@code fd00::5}). */
    static String hostOf(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952: only a run of two or more zero groups becomes "::"
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "DNS " + (srv ? "SRV " : "A/AAAA ") + name + (server == null ? "" : " at " + server);
    }
}
