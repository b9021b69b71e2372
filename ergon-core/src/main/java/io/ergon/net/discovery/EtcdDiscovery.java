package io.ergon.net.discovery;

import io.ergon.node.Node;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peers registered in etcd (v3.4+), as Ergo's etcd registrar does: the node puts itself under a key prefix,
 * {@code PREFIX + name} with its distribution port as the value, attached to a lease of {@link #ttl()} that it keeps
 * alive (every third of the TTL); the peers are the keys under the prefix. A node that stops cleanly revokes its lease
 * and is gone at once; one that dies (killed, its host lost) is gone when its lease expires, within the TTL. The
 * source watches the prefix, so a membership hears of a change at once rather than at its next poll.
 *
 * <p>It speaks etcd's HTTP/JSON gateway ({@code /v3/kv/range}, {@code /v3/kv/put}, {@code /v3/lease/grant},
 * {@code /v3/lease/keepalive}, {@code /v3/lease/revoke}, {@code /v3/watch}) over the JDK's {@code HttpClient}, so it
 * needs no library. A lease that etcd no longer knows (it expired during a pause longer than the TTL) is granted and
 * the key put again. No authentication or TLS to etcd yet: give it an endpoint on a trusted network.
 */
public final class EtcdDiscovery implements Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdDiscovery.class);
    /** How long one request to etcd may take. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final URI endpoint;
    private final String prefix;
    private final Duration ttl;
    private volatile HttpClient http; // made on first use: an HttpClient has a thread of its own
    private volatile boolean closed;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile long lease;
    /** Grants of a lease for one registration, when each expires before the key is put under it. */
    private static final int REGISTER_TRIES = 3;
    private String key;
    private String value;

    private EtcdDiscovery(URI endpoint, String prefix, Duration ttl) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("the key prefix is empty");
        }
        if (ttl.toSeconds() < 2) {
            throw new IllegalArgumentException("the lease TTL is at least 2 s, not " + ttl);
        }
    }

    /** The nodes under {@code prefix} (say {@code /ergon/prod/}) at {@code endpoint} ({@code http://etcd:2379}), TTL 10 s. */
    public static EtcdDiscovery of(URI endpoint, String prefix) {
        return new EtcdDiscovery(endpoint, prefix, Duration.ofSeconds(10));
    }

    /** The same, with a lease of {@code ttl} (whole seconds, at least 2): how long a dead node stays listed. */
    public EtcdDiscovery ttl(Duration ttl) {
        return new EtcdDiscovery(endpoint, prefix, ttl);
    }

    /** The lease's time to live. */
    public Duration ttl() {
        return ttl;
    }

    @Override
    public void start(Node node, Runnable changed) throws IOException {
        key = prefix + node.name().name();
        value = Integer.toString(node.port());
        register();
        String name = node.name().name();
        Thread.ofPlatform().daemon().name("ergon-etcd-keepalive-" + name).start(this::keepAlive);
        Thread.ofPlatform().daemon().name("ergon-etcd-watch-" + name).start(() -> watch(changed));
    }

    /**
     * Grants a lease and puts the node's key under it. A lease that expired before the put (the node or the machine
     * stalled for longer than the TTL between the two) is granted afresh, up to {@link #REGISTER_TRIES} times.
     */
    private void register() throws IOException {
        for (int attempt = 1; ; attempt++) {
            Object granted = post("/v3/lease/grant", "{\"TTL\":" + ttl.toSeconds() + "}");
            Object id = Json.get(granted, "ID");
            if (id == null) {
                throw new IOException("etcd at " + endpoint + " granted no lease: " + granted);
            }
            lease = Long.parseLong(id.toString());
            try {
                post("/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\",\"lease\":"
                        + lease + "}");
                break;
            } catch (IOException e) {
                if (attempt >= REGISTER_TRIES || !String.valueOf(e.getMessage()).contains("lease not found")) {
                    throw e;
                }
                LOG.warn("etcd at {} lost the lease of {} before its key was put under it: granting another", endpoint,
                        key);
            }
        }
        LOG.info("registered {} in etcd at {} (lease {}, TTL {} s)", key, endpoint, Long.toHexString(lease),
                ttl.toSeconds());
    }

    private void keepAlive() {
        long period = Math.max(ttl.toMillis() / 3, 500);
        boolean failing = false;
        while (!closed) {
            if (!pause(period)) {
                return;
            }
            try {
                Object answer = post("/v3/lease/keepalive", "{\"ID\":" + lease + "}");
                Object left = Json.get(answer, "result", "TTL");
                if (left == null || Long.parseLong(left.toString()) <= 0) {
                    LOG.warn("etcd at {} no longer knows the lease of {}: registering again", endpoint, key);
                    register();
                }
                if (failing) {
                    LOG.info("etcd at {} keeps the lease of {} alive again", endpoint, key);
                    failing = false;
                }
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    LOG.warn("cannot keep the lease of {} alive at etcd {}: {}", key, endpoint, e.toString());
                    failing = true;
                }
            }
        }
    }

    /** Follows the prefix's changes; the stream is opened again (after a second) when it ends. */
    private void watch(Runnable changed) {
        String create = "{\"create_request\":{\"key\":\"" + b64(prefix) + "\",\"range_end\":\""
                + b64(rangeEnd(prefix)) + "\"}}";
        while (!closed) {
            try {
                HttpResponse<Stream<String>> r = client().send(request("/v3/watch", create, null),
                        HttpResponse.BodyHandlers.ofLines());
                try (Stream<String> lines = r.body()) {
                    lines.forEach(line -> {
                        if (Json.get(Json.parse(line), "result", "events") != null) {
                            changed.run();
                        }
                    });
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.debug("the watch of {} at etcd {} ended: {}", prefix, endpoint, e.toString());
                }
            } catch (InterruptedException e) {
                return;
            }
            changed.run(); // what changed while the watch was down
            if (!pause(1000)) {
                return;
            }
        }
    }

    @Override
    public Collection<Peer> peers() throws IOException {
        Object answer = post("/v3/kv/range", "{\"key\":\"" + b64(prefix) + "\",\"range_end\":\""
                + b64(rangeEnd(prefix)) + "\"}");
        List<Peer> peers = new ArrayList<>();
        if (Json.get(answer, "kvs") instanceof List<?> kvs) {
            for (Object kv : kvs) {
                String k = unb64(Json.get(kv, "key"));
                String v = unb64(Json.get(kv, "value"));
                try {
                    peers.add(new Peer(k.substring(prefix.length()), null, Integer.parseInt(v.strip())));
                } catch (IllegalArgumentException e) {
                    LOG.debug("etcd key {} = '{}' is not a node and its port: {}", k, v, e.getMessage());
                }
            }
        }
        return peers;
    }

    /** Revokes the lease, if the source was started (the node's key goes with it), and stops the threads. */
    @Override
    public void close() {
        closed = true;
        stopped.countDown();
        if (lease != 0) {
            try {
                post("/v3/lease/revoke", "{\"ID\":" + lease + "}");
            } catch (IOException | RuntimeException e) {
                LOG.info("cannot revoke the lease of {} at etcd {} ({}); it expires within {} s", key, endpoint,
                        e.toString(), ttl.toSeconds());
            }
        }
        HttpClient h = http;
        if (h != null) {
            h.shutdownNow();
        }
    }

    private Object post(String path, String json) throws IOException {
        try {
            HttpResponse<String> r = client().send(request(path, json, REQUEST_TIMEOUT),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("etcd at " + endpoint + " answered " + path + " with " + r.statusCode() + ": "
                        + r.body());
            }
            return Json.parse(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking etcd", e);
        }
    }

    private HttpClient client() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                h = http;
                if (h == null) {
                    h = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT)
                            .build();
                    http = h;
                }
            }
        }
        return h;
    }

    private HttpRequest request(String path, String json, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return (timeout == null ? b : b.timeout(timeout)).build();
    }

    /** Waits {@code millis} unless closed first; false once closed. */
    private boolean pause(long millis) {
        try {
            return !stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** etcd's range end for "every key with this prefix": the prefix with its last byte plus one. */
    static byte[] rangeEnd(String prefix) {
        byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                b[i]++;
                return java.util.Arrays.copyOf(b, i + 1);
            }
        }
        return new byte[] {0};
    }

    private static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static String unb64(Object s) {
        return s == null ? "" : new String(Base64.getDecoder().decode(s.toString()), StandardCharsets.UTF_8);
    }

    /** The key prefix the nodes register under. */
    public String prefix() {
        return prefix;
    }

    @Override
    public String toString() {
        return "etcd " + endpoint + " " + prefix;
    }
}
