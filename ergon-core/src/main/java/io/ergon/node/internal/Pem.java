package io.ergon.node.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PEM files as Erlang users have them, read with the JDK's own factories: certificates ({@code CERTIFICATE}) and
 * private keys in PKCS#8 ({@code PRIVATE KEY}, {@code ENCRYPTED PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and
 * SEC1 ({@code EC PRIVATE KEY}). The last two are rewrapped as PKCS#8 (a few bytes of DER around them), which is
 * all the JDK's {@link KeyFactory} reads. Other blocks ({@code EC PARAMETERS}, say) are skipped. Every failure is an
 * {@link IOException} that names the file and what is wrong with it.
 */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption, 1.2.840.113549.1.1.1. */
    private static final byte[] RSA_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1. */
    private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");

    /** One block: its label and its DER bytes. */
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    /** The blocks of {@code file}, in order. */
    static List<Block> blocks(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
                throw new IOException(file + ": the " + m.group(1) + " is encrypted the old OpenSSL way (Proc-Type "
                        + "header), which the JDK cannot read: convert it to PKCS#8 with 'openssl pkcs8 -topk8 -in "
                        + file + " -out key.pem' (add -nocrypt for no password)");
            }
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the " + m.group(1) + " block is not valid base64: " + e.getMessage());
            }
        }
        return blocks;
    }

    /**
     * The certificates of {@code file}, in order (the node's own first, then its intermediates, for a chain).
     *
     * @throws IOException if it has none, or one cannot be read
     */
    static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        for (Block b : blocks(file)) {
            if (!b.label().equals("CERTIFICATE") && !b.label().equals("TRUSTED CERTIFICATE")) {
                continue;
            }
            try {
                Certificate c = factory.generateCertificate(new ByteArrayInputStream(b.der()));
                certs.add((X509Certificate) c);
            } catch (CertificateException e) {
                throw new IOException(file + ": certificate " + (certs.size() + 1) + " cannot be read: "
                        + e.getMessage());
            }
        }
        if (certs.isEmpty()) {
            throw new IOException(file + ": no certificate in it (no -----BEGIN CERTIFICATE----- block)");
        }
        return certs;
    }

    /**
     * The first private key of {@code file}.
     *
     * @param password for an {@code ENCRYPTED PRIVATE KEY}; null if none was given
     * @throws IOException if it has none, or it cannot be read (or decrypted)
     */
    static PrivateKey privateKey(Path file, String password) throws IOException {
        for (Block b : blocks(file)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der(), "PKCS#8 private key");
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, pkcs8Wrap(algorithm(RSA_OID, new byte[] {0x05, 0x00}), b.der()),
                            "PKCS#1 RSA private key");
                }
                case "EC PRIVATE KEY" -> {
                    byte[] curve = sec1Curve(file, b.der());
                    return pkcs8(file, pkcs8Wrap(algorithm(EC_OID, curve), b.der()), "SEC1 EC private key");
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    return decrypt(file, b.der(), password);
                }
                default -> {
                    // a certificate, EC PARAMETERS, ...: not a key
                }
            }
        }
        throw new IOException(file + ": no private key in it (no -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or "
                + "EC PRIVATE KEY block)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der, String what) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next kind
            }
        }
        throw new IOException(file + ": the " + what + " cannot be read as any of " + KEY_ALGORITHMS);
    }

    private static PrivateKey decrypt(Path file, byte[] der, String password) throws IOException {
        if (password == null) {
            throw new IOException(file + ": the private key is encrypted and no password was given (keyPassword, "
                    + "ergon.tls-key-password)");
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // for PBES2 (what openssl writes) the JDK names the cipher only in the parameters' toString
            String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            if (algorithm == null || algorithm.isBlank() || algorithm.contains(" ")) {
                algorithm = info.getAlgName();
            }
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())),
                    info.getAlgParameters());
            return pkcs8(file, info.getKeySpec(cipher).getEncoded(), "decrypted PKCS#8 private key");
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException(file + ": the encrypted private key cannot be decrypted (a wrong password, or a "
                    + "cipher the JDK lacks): " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the little DER it takes

    /** The curve of a SEC1 ECPrivateKey: its {@code [0]} parameters, an OBJECT IDENTIFIER, whole. */
    private static byte[] sec1Curve(Path file, byte[] der) throws IOException {
        // ECPrivateKey ::= SEQUENCE { version INTEGER, privateKey OCTET STRING, [0] parameters, [1] publicKey }
        try {
            Der seq = new Der(der, 0);
            seq.expect(0x30);
            Der item = new Der(der, seq.contentStart);
            int end = seq.contentStart + seq.length;
            while (item.start < end) {
                if (item.tag == 0xa0) {
                    Der oid = new Der(der, item.contentStart);
                    oid.expect(0x06);
                    byte[] whole = new byte[oid.contentStart + oid.length - oid.start];
                    System.arraycopy(der, oid.start, whole, 0, whole.length);
                    return whole;
                }
                int next = item.contentStart + item.length;
                if (next >= end) {
                    break;
                }
                item = new Der(der, next);
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": the EC PRIVATE KEY is not valid DER: " + e);
        }
        throw new IOException(file + ": the EC PRIVATE KEY does not name its curve; write it as PKCS#8 with "
                + "'openssl pkcs8 -topk8 -nocrypt -in " + file + "'");
    }

    /** AlgorithmIdentifier ::= SEQUENCE { OBJECT IDENTIFIER, parameters }. */
    private static byte[] algorithm(byte[] oid, byte[] parameters) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(tlv(0x06, oid));
        b.writeBytes(parameters);
        return tlv(0x30, b.toByteArray());
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] pkcs8Wrap(byte[] algorithm, byte[] key) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x02, 0x01, 0x00});
        b.writeBytes(algorithm);
        b.writeBytes(tlv(0x04, key));
        return tlv(0x30, b.toByteArray());
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(content.length + 6);
        b.write(tag);
        int n = content.length;
        if (n < 0x80) {
            b.write(n);
        } else {
            int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
            b.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                b.write(n >>> (8 * i));
            }
        }
        b.writeBytes(content);
        return b.toByteArray();
    }

    /** One DER element's header at {@code start}: its tag, and where its content is. */
    private static final class Der {
        final int start;
        final int tag;
        final int length;
        final int contentStart;

        Der(byte[] der, int start) {
            this.start = start;
            this.tag = der[start] & 0xff;
            int first = der[start + 1] & 0xff;
            if (first < 0x80) {
                length = first;
                contentStart = start + 2;
            } else {
                int bytes = first & 0x7f;
                if (bytes == 0 || bytes > 4) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                int n = 0;
                for (int i = 0; i < bytes; i++) {
                    n = (n << 8) | (der[start + 2 + i] & 0xff);
                }
                length = n;
                contentStart = start + 2 + bytes;
            }
            if (length < 0 || contentStart + length > der.length) {
                throw new IllegalArgumentException("a DER length runs past the end");
            }
        }

        void expect(int t) {
            if (tag != t) {
                throw new IllegalArgumentException("expected DER tag " + t + ", found " + tag);
            }
        }
    }
}
