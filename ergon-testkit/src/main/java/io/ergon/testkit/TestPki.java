package io.ergon.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the {@code openssl} command in a directory the test owns: two CAs (the
 * trusted one and another), and leaf certificates signed by them, each usable by both sides of a connection
 * (serverAuth and clientAuth). Every wait on {@code openssl} is bounded; only the processes this class starts are
 * stopped.
 *
 * <p>{@link #assumeAvailable()} skips the calling test when {@code openssl} is not on the PATH.
 */
public final class TestPki {
    /** A certificate and its private key, PEM files. */
    public record Identity(Path certificate, Path key) {
    }

    private final Path dir;
    private final Path ca;
    private final Path otherCa;

    private TestPki(Path dir) {
        this.dir = dir;
        this.ca = dir.resolve("ca");
        this.otherCa = dir.resolve("other-ca");
    }

    /** True if {@code openssl} is on the PATH. */
    public static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d, "openssl"))) {
                return true;
            }
        }
        return false;
    }

    /** Skips the calling test, with a message, when openssl is missing. */
    public static void assumeAvailable() {
        assumeTrue(available(), "openssl is not installed (no 'openssl' on the PATH): skipping this TLS test; "
                + "install it with 'apt-get install openssl' to run it");
    }

    /** Makes the two CAs in {@code dir}. */
    public static TestPki create(Path dir) throws IOException {
        TestPki pki = new TestPki(dir);
        pki.makeCa(pki.ca, "Ergon Test CA");
        pki.makeCa(pki.otherCa, "Some Other CA");
        return pki;
    }

    /** The trusted CA's certificate: the CA bundle of the tests' nodes. */
    public Path caBundle() {
        return ca.resolve("ca.pem");
    }

    /** The other CA's certificate. */
    public Path otherCaBundle() {
        return otherCa.resolve("ca.pem");
    }

    /** The key kinds a test can ask for, as the PEM block each is written in. */
    public enum KeyKind {
        /** RSA 2048 as PKCS#8, {@code BEGIN PRIVATE KEY}. */
        RSA_PKCS8,
        /** RSA 2048 as PKCS#1, {@code BEGIN RSA PRIVATE KEY}. */
        RSA_PKCS1,
        /** P-256 as SEC1, {@code BEGIN EC PRIVATE KEY} (after an {@code EC PARAMETERS} block). */
        EC_SEC1,
        /** P-256 as PKCS#8. */
        EC_PKCS8
    }

    /**
     * A certificate for {@code name} signed by the trusted CA (or the other one), valid from yesterday for 30 days
     * (or, {@code expired}, for two days ending a year ago), with the subject alternative names {@code sans}
     * (openssl's syntax: {@code DNS:localhost,IP:127.0.0.1}).
     */
    public Identity issue(String name, KeyKind kind, boolean byOtherCa, boolean expired, String sans)
            throws IOException {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        switch (kind) {
            case RSA_PKCS8 -> run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                    key.toString());
            case RSA_PKCS1 -> run("genrsa", "-traditional", "-out", key.toString(), "2048");
            case EC_SEC1 -> run("ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
            case EC_PKCS8 -> run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                    key.toString());
        }
        run("req", "-new", "-key", key.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
        Path caDir = byOtherCa ? otherCa : ca;
        String start = expired ? stamp(-400) : stamp(-1);
        String end = expired ? stamp(-398) : stamp(30);
        runWithEnv(Map.of("SAN", sans), "ca", "-batch", "-config", caDir.resolve("ca.cnf").toString(), "-cert",
                caDir.resolve("ca.pem").toString(), "-keyfile", caDir.resolve("ca.key").toString(), "-in",
                csr.toString(), "-out", cert.toString(), "-startdate", start, "-enddate", end, "-extensions", "leaf",
                "-notext");
        return new Identity(cert, key);
    }

    /** {@code key} encrypted as PKCS#8 with {@code password} (AES-256-CBC, PBKDF2), as a new file. */
    public Path encrypt(Path key, String password) throws IOException {
        Path out = dir.resolve(key.getFileName() + ".enc");
        run("pkcs8", "-topk8", "-in", key.toString(), "-out", out.toString(), "-v2", "aes-256-cbc", "-passout",
                "pass:" + password);
        return out;
    }

    /**
     * An Erlang {@code ssl_dist_optfile} for {@code id}: the same certificate on both sides, {@code verify_peer}
     * against the trusted CA, {@code fail_if_no_peer_cert}, and the given versions ({@code 'tlsv1.3'} ...).
     */
    public Path erlangOptFile(Identity id, String... versions) throws IOException {
        String v = versions.length == 0 ? "" : ", {versions, [" + String.join(", ", versions) + "]}";
        String common = "{certfile, \"" + id.certificate() + "\"}, {keyfile, \"" + id.key() + "\"}, {cacertfile, \""
                + caBundle() + "\"}, {verify, verify_peer}" + v;
        String text = "[{server, [" + common + ", {fail_if_no_peer_cert, true}]},\n {client, [" + common + "]}].\n";
        Path file = dir.resolve(id.certificate().getFileName() + "-" + String.join("_", versions)
                .replaceAll("[^a-z0-9_.]", "") + ".optfile");
        Files.writeString(file, text);
        return file;
    }

    private void makeCa(Path caDir, String cn) throws IOException {
        Files.createDirectories(caDir.resolve("newcerts"));
        Files.writeString(caDir.resolve("index.txt"), "");
        Files.writeString(caDir.resolve("serial"), "1000\n");
        Files.writeString(caDir.resolve("ca.cnf"), String.join("\n",
                "[ ca ]",
                "default_ca = ca_default",
                "[ ca_default ]",
                "dir = " + caDir,
                "database = $dir/index.txt",
                "new_certs_dir = $dir/newcerts",
                "serial = $dir/serial",
                "default_md = sha256",
                "policy = policy_any",
                "unique_subject = no",
                "email_in_dn = no",
                "[ policy_any ]",
                "commonName = supplied",
                "[ leaf ]",
                "basicConstraints = CA:FALSE",
                "keyUsage = critical, digitalSignature, keyEncipherment",
                "extendedKeyUsage = serverAuth, clientAuth",
                "subjectAltName = $ENV::SAN",
                ""));
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caDir.resolve("ca.key").toString(), "-out",
                caDir.resolve("ca.pem").toString(), "-days", "60", "-subj", "/CN=" + cn, "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    /** openssl's {@code YYYYMMDDHHMMSSZ} for now plus {@code days}. */
    private static String stamp(int days) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now().plus(java.time.Duration.ofDays(days)));
    }

    private void run(String... args) throws IOException {
        runWithEnv(Map.of(), args);
    }

    private void runWithEnv(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl " + args[0] + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
