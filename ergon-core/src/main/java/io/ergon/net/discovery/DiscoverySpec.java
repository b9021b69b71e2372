package io.ergon.net.discovery;

import java.net.URI;
import java.util.Arrays;

/** The text form of a discovery source ({@link Discovery#parse}), as {@code ergon node --discovery} takes it. */
final class DiscoverySpec {
    /** The etcd key prefix when the URL has no path. */
    static final String DEFAULT_ETCD_PREFIX = "/ergon/nodes/";

    private DiscoverySpec() {
    }

    static Discovery parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw usage(spec);
        }
        String kind = spec.substring(0, colon);
        String rest = spec.substring(colon + 1);
        return switch (kind) {
            case "static" -> StaticDiscovery.parse(Arrays.asList(rest.split(",")));
            case "dns", "srv" -> dns(kind.equals("srv"), rest, spec);
            case "etcd" -> etcd(rest, spec);
            default -> throw usage(spec);
        };
    }

    /** {@code ALIVE@NAME}, or {@code //SERVER[:PORT]/ALIVE@NAME}. */
    private static Discovery dns(boolean srv, String rest, String spec) {
        String server = null;
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            if (slash < 0) {
                throw usage(spec);
            }
            server = rest.substring(2, slash);
            rest = rest.substring(slash + 1);
        }
        int at = rest.indexOf('@');
        if (at <= 0 || at == rest.length() - 1) {
            throw usage(spec);
        }
        String alive = rest.substring(0, at);
        String name = rest.substring(at + 1);
        DnsDiscovery d = srv ? DnsDiscovery.srv(alive, name) : DnsDiscovery.addresses(alive, name);
        return server == null || server.isEmpty() ? d : d.server(server);
    }

    /** {@code http://HOST:PORT[/PREFIX/]}. */
    private static Discovery etcd(String rest, String spec) {
        URI uri;
        try {
            uri = URI.create(rest);
        } catch (IllegalArgumentException e) {
            throw usage(spec);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()))) {
            throw usage(spec);
        }
        String path = uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")
                ? DEFAULT_ETCD_PREFIX : uri.getPath();
        return EtcdDiscovery.of(URI.create("http://" + uri.getAuthority()), path.endsWith("/") ? path : path + "/");
    }

    private static IllegalArgumentException usage(String spec) {
        return new IllegalArgumentException("a discovery source is static:NODE[=PORT],..., dns:ALIVE@NAME, "
                + "srv:ALIVE@NAME (dns://SERVER[:PORT]/ALIVE@NAME to ask one server), or etcd:http://HOST:PORT[/PREFIX/]"
                + ", not '" + spec + "'");
    }
}
