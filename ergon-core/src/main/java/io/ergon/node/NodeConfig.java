package io.ergon.node;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's name and {@link NodeOptions} from a properties file and the environment, under one set of names: the
 * property {@code ergon.epmd-port} is the variable {@code ERGON_EPMD_PORT} (upper case, {@code .} and {@code -} as
 * {@code _}), and the same key in Spring's {@code application.yml}. The environment overrides the file; what is in
 * neither keeps {@link NodeOptions#defaults()}.
 *
 * <table>
 *   <caption>The keys</caption>
 *   <tr><th>key</th><th>value</th><th>is</th></tr>
 *   <tr><td>{@code ergon.name}</td><td>{@code app@host}, or {@code app} (then {@code @localhost})</td>
 *       <td>the node's name</td></tr>
 *   <tr><td>{@code ergon.distributed}</td><td>true / false</td><td>{@link NodeOptions#distributed}</td></tr>
 *   <tr><td>{@code ergon.cookie}</td><td>text</td><td>{@link NodeOptions#cookie}</td></tr>
 *   <tr><td>{@code ergon.hidden}</td><td>true / false</td><td>{@link NodeOptions#hidden}</td></tr>
 *   <tr><td>{@code ergon.epmd-port}</td><td>0..65535</td><td>{@link NodeOptions#epmdPort}</td></tr>
 *   <tr><td>{@code ergon.listen-port}</td><td>0..65535</td><td>{@link NodeOptions#listenPort}</td></tr>
 *   <tr><td>{@code ergon.listen-address}</td><td>a host name or address</td>
 *       <td>{@link NodeOptions#listenAddress}</td></tr>
 *   <tr><td>{@code ergon.net-ticktime}</td><td>a duration</td><td>{@link NodeOptions#netTickTime}</td></tr>
 *   <tr><td>{@code ergon.setup-time}</td><td>a duration</td><td>{@link NodeOptions#setupTime}</td></tr>
 *   <tr><td>{@code ergon.parallelism}</td><td>1 or more</td><td>{@link NodeOptions#parallelism}</td></tr>
 *   <tr><td>{@code ergon.shutdown-timeout}</td><td>a duration</td><td>{@link NodeOptions#shutdownTimeout}</td></tr>
 *   <tr><td>{@code ergon.dist-buffer-busy-limit}</td><td>bytes, or with {@code k}/{@code m} (KiB, MiB)</td>
 *       <td>{@link NodeOptions#distBufferBusyLimit}</td></tr>
 *   <tr><td>{@code ergon.epmdless-port}</td><td>1..65535</td><td>{@link NodeOptions#epmdless} (Erlang's
 *       {@code -erl_epmd_port})</td></tr>
 *   <tr><td>{@code ergon.peer-ports}</td><td>{@code node=port} pairs, comma-separated
 *       ({@code a@host1=9100,b@host2=9101})</td><td>{@link NodeOptions#peerPort}, each</td></tr>
 *   <tr><td>{@code ergon.tls}</td><td>true / false</td><td>TLS distribution ({@link NodeOptions#tls},
 *       {@link TlsOptions#enabled}); the {@code ergon.tls-*} keys need it set</td></tr>
 *   <tr><td>{@code ergon.tls-certfile}</td><td>a PEM file</td><td>{@link TlsOptions#certificate}</td></tr>
 *   <tr><td>{@code ergon.tls-keyfile}</td><td>a PEM file</td><td>{@link TlsOptions#key}</td></tr>
 *   <tr><td>{@code ergon.tls-key-password}</td><td>text</td><td>{@link TlsOptions#keyPassword}</td></tr>
 *   <tr><td>{@code ergon.tls-cacertfile}</td><td>a PEM file</td><td>{@link TlsOptions#caBundle}</td></tr>
 *   <tr><td>{@code ergon.tls-verify-peer}</td><td>true / false</td><td>{@link TlsOptions#verifyPeer}</td></tr>
 *   <tr><td>{@code ergon.tls-check-hostname}</td><td>true / false</td>
 *       <td>{@link TlsOptions#checkHostname}</td></tr>
 *   <tr><td>{@code ergon.tls-versions}</td><td>{@code TLSv1.3,TLSv1.2} (either or both)</td>
 *       <td>{@link TlsOptions#versions}</td></tr>
 *   <tr><td>{@code ergon.dist-connection-inbound-limit}</td><td>bytes, or with {@code k}/{@code m}; 64k or more</td>
 *       <td>{@link NodeOptions#distConnectionInboundLimit}</td></tr>
 *   <tr><td>{@code ergon.dist-inbound-limit}</td><td>bytes, or with {@code k}/{@code m}; 64k or more</td>
 *       <td>{@link NodeOptions#distInboundLimit}</td></tr>
 * </table>
 *
 * A duration is a number with a unit, {@code 500ms}, {@code 60s}, {@code 2m}, {@code 1h}, or ISO-8601
 * ({@code PT60S}). Bad input fails with {@link IllegalArgumentException} naming the key, its value, and where it came
 * from; so does a key under {@code ergon.} in the file that is not one of these (a typo would otherwise be ignored).
 * Variables of the environment that start with {@code ERGON_} but name no key are ignored, as the environment is
 * shared with other programs.
 */
public final class NodeConfig {
    /** The prefix of every key. */
    public static final String PREFIX = "ergon.";
    /** Every key this class reads, in the order of the table above. */
    public static final List<String> KEYS = List.of("ergon.name", "ergon.distributed", "ergon.cookie",
            "ergon.hidden", "ergon.epmd-port", "ergon.listen-port", "ergon.listen-address", "ergon.net-ticktime",
            "ergon.setup-time", "ergon.parallelism", "ergon.shutdown-timeout", "ergon.dist-buffer-busy-limit",
            "ergon.epmdless-port", "ergon.peer-ports", "ergon.tls", "ergon.tls-certfile", "ergon.tls-keyfile",
            "ergon.tls-key-password", "ergon.tls-cacertfile", "ergon.tls-verify-peer", "ergon.tls-check-hostname",
            "ergon.tls-versions", "ergon.dist-connection-inbound-limit", "ergon.dist-inbound-limit");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([kKmM]?)");

    private final String name;
    private final NodeOptions options;
    private final Map<String, String> settings;

    private NodeConfig(String name, NodeOptions options, Map<String, String> settings) {
        this.name = name;
        this.options = options;
        this.settings = settings;
    }

    /** The settings of {@code file} (a properties file), with the process's environment over them. */
    public static NodeConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<String, String> fromFile = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            fromFile.put(key, p.getProperty(key));
        }
        return from(fromFile, file.toString(), System.getenv());
    }

    /** The settings of the process's environment alone. */
    public static NodeConfig fromEnvironment() {
        return from(Map.of(), "no file", System.getenv());
    }

    /**
     * The settings of {@code properties} (keys under {@code ergon.}; other keys are left to their owners), with
     * {@code environment} over them; {@code source} names the properties in error messages.
     */
    public static NodeConfig from(Map<String, String> properties, String source, Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        Map<String, String> origin = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                return;
            }
            if (!KEYS.contains(key)) {
                unknown.add(key);
                return;
            }
            settings.put(key, value.strip());
            origin.put(key, source);
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown Ergon settings in " + source + ": " + unknown
                    + "; the keys are " + KEYS);
        }
        for (String key : KEYS) {
            String variable = environmentName(key);
            String value = environment.get(variable);
            if (value != null) {
                settings.put(key, value.strip());
                origin.put(key, "the environment (" + variable + ")");
            }
        }
        if (!settings.containsKey("ergon.tls")) {
            for (String key : settings.keySet()) {
                if (key.startsWith("ergon.tls-")) {
                    throw new IllegalArgumentException(key + " is set (from " + origin.get(key) + ") but ergon.tls "
                            + "is not: set ergon.tls = true for TLS distribution (or false to keep it off)");
                }
            }
        }
        NodeOptions options = NodeOptions.defaults();
        // sorted: ergon.tls comes before the ergon.tls-* keys that change its settings
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (!e.getKey().equals("ergon.name")) {
                try {
                    options = apply(options, e.getKey(), e.getValue());
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException(e.getKey() + " = '" + e.getValue() + "' from "
                            + origin.get(e.getKey()) + ": " + bad.getMessage(), bad);
                }
            }
        }
        String name = settings.get("ergon.name");
        if (name != null && !name.contains("@")) {
            name = name + "@localhost";
        }
        return new NodeConfig(name, options, Map.copyOf(settings));
    }

    /** The environment variable of a key: {@code ergon.epmd-port} is {@code ERGON_EPMD_PORT}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The node's name, or null if neither the file nor the environment gives one. */
    public String name() {
        return name;
    }

    /** The options, from {@link NodeOptions#defaults()} with the settings applied. */
    public NodeOptions options() {
        return options;
    }

    /** The settings as read (the key's value after the environment), for logs and diagnostics. */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * Starts the node these settings describe.
     *
     * @throws IllegalStateException if no name is set ({@code ergon.name} or {@code ERGON_NAME})
     */
    public Node start() {
        if (name == null) {
            throw new IllegalStateException("no node name: set ergon.name (or ERGON_NAME)");
        }
        return Node.start(name, options);
    }

    private static NodeOptions apply(NodeOptions o, String key, String value) {
        return switch (key) {
            case "ergon.distributed" -> o.distributed(bool(value));
            case "ergon.cookie" -> o.cookie(value);
            case "ergon.hidden" -> o.hidden(bool(value));
            case "ergon.epmd-port" -> o.epmdPort(integer(value));
            case "ergon.listen-port" -> o.listenPort(integer(value));
            case "ergon.listen-address" -> o.listenAddress(address(value));
            case "ergon.net-ticktime" -> o.netTickTime(duration(value));
            case "ergon.setup-time" -> o.setupTime(duration(value));
            case "ergon.parallelism" -> o.parallelism(integer(value));
            case "ergon.shutdown-timeout" -> o.shutdownTimeout(duration(value));
            case "ergon.dist-buffer-busy-limit" -> o.distBufferBusyLimit(bytes(value));
            case "ergon.epmdless-port" -> o.epmdless(integer(value));
            case "ergon.peer-ports" -> peerPorts(o, value);
            case "ergon.tls" -> o.tls(o.tls().enabled(bool(value)));
            case "ergon.tls-certfile" -> o.tls(o.tls().certificate(Path.of(value)));
            case "ergon.tls-keyfile" -> o.tls(o.tls().key(Path.of(value)));
            case "ergon.tls-key-password" -> o.tls(o.tls().keyPassword(value));
            case "ergon.tls-cacertfile" -> o.tls(o.tls().caBundle(Path.of(value)));
            case "ergon.tls-verify-peer" -> o.tls(o.tls().verifyPeer(bool(value)));
            case "ergon.tls-check-hostname" -> o.tls(o.tls().checkHostname(bool(value)));
            case "ergon.tls-versions" -> o.tls(o.tls().versions(List.of(value.split("\\s*,\\s*"))));
            case "ergon.dist-connection-inbound-limit" -> o.distConnectionInboundLimit(bytes(value));
            case "ergon.dist-inbound-limit" -> o.distInboundLimit(bytes(value));
            default -> throw new IllegalArgumentException("not a key: " + key);
        };
    }

    private static NodeOptions peerPorts(NodeOptions o, String value) {
        for (String pair : value.split("\\s*,\\s*")) {
            int eq = pair.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected node=port pairs, such as a@host1=9100,b@host2=9101");
            }
            o = o.peerPort(pair.substring(0, eq).strip(), integer(pair.substring(eq + 1).strip()));
        }
        return o;
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    private static InetAddress address(String value) {
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host");
        }
    }

    /** {@code 500ms}, {@code 60s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT60S}). */
    static Duration duration(String value) {
        Matcher m = DURATION.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 60s, 2m, 1h or PT60S");
        }
    }

    private static long bytes(String value) {
        Matcher m = BYTES.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a number of bytes, such as 1048576, 1024k or 8m");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("too many bytes to count");
        }
    }
}
