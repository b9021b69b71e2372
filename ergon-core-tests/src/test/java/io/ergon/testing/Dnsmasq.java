package io.ergon.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real dnsmasq for a test: a DNS server on 127.0.0.1 and a free port, with no upstream, serving the hosts file the
 * test writes ({@link #hosts}, re-read on {@link #reload()}, which sends SIGHUP) and the SRV records it is started
 * with ({@link #restart} to change them). Stopped by its pid. {@link #start} skips the test with a message when there
 * is no {@code dnsmasq}.
 */
public final class Dnsmasq implements AutoCloseable {
    private final Path binary;
    private final Path dir;
    private final int port;
    private final StringBuffer log = new StringBuffer();
    private Process process;

    private Dnsmasq(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts one serving {@code hosts} (lines of {@code ADDRESS NAME}) and {@code srv} ({@code NAME,TARGET,PORT}
     * each, dnsmasq's {@code --srv-host}).
     */
    public static Dnsmasq start(List<String> hosts, List<String> srv) throws IOException, InterruptedException {
        Path binary = LocalProgram.find("dnsmasq");
        assumeTrue(binary != null, "dnsmasq is not installed (Debian: apt-get install dnsmasq-base): skipping this "
                + "test");
        Dnsmasq d = new Dnsmasq(binary, Files.createTempDirectory("ergon-dnsmasq"), LocalProgram.freePort());
        d.hosts(hosts);
        d.run(srv);
        return d;
    }

    /** Where it listens, for {@code DnsDiscovery.server}: 127.0.0.1:PORT. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    /** Writes the hosts file (served after the next {@link #reload()}). */
    public void hosts(List<String> lines) throws IOException {
        Files.write(dir.resolve("hosts"), lines);
    }

    /** SIGHUP: dnsmasq re-reads the hosts file; returns once it said so. */
    public void reload() throws IOException, InterruptedException {
        int before = count("read " + dir.resolve("hosts"));
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        kill.waitFor();
        if (!LocalProgram.await(() -> count("read " + dir.resolve("hosts")) > before, Duration.ofSeconds(10))) {
            throw new IOException("dnsmasq did not re-read its hosts file; its log:\n" + log);
        }
    }

    /** Stops it and starts it again, on the same port, with these SRV records. */
    public void restart(List<String> srv) throws IOException, InterruptedException {
        LocalProgram.stop(process);
        run(srv);
    }

    private void run(List<String> srv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--keep-in-foreground",
                "--log-facility=-", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
                "--user=root", "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port,
                "--cache-size=0", "--addn-hosts=" + dir.resolve("hosts"), "--local=/test/"));
        for (String s : srv) {
            command.add("--srv-host=" + s);
        }
        int startsBefore = count("started, version");
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Process p = process;
        Thread.ofVirtual().start(() -> {
            try (var out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = out.readLine()) != null) {
                    log.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // it stopped
            }
        });
        if (!LocalProgram.await(() -> count("started, version") > startsBefore || !p.isAlive(),
                Duration.ofSeconds(10)) || !p.isAlive()) {
            LocalProgram.stop(p);
            throw new IOException("dnsmasq did not start; it said:\n" + log);
        }
    }

    private int count(String text) {
        String s = log.toString();
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        LocalProgram.stop(process);
        LocalProgram.deleteTree(dir);
    }
}
