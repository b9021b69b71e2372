package io.ergon.net.internal;

import io.ergon.net.NodeName;
import io.ergon.term.Atom;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The distribution handshake, version 6 (OTP 23+), in both roles. Every message is {@code Len:16, Tag:8, Body}
 * over TCP, and {@code Len:32, Tag:8, Body} inside TLS (Erlang's {@code inet_tls_dist} keeps {@code {packet, 4}}
 * from the start).
 * <pre>
 *   initiator A                          acceptor B
 *   'N' flags creation name     --->
 *                               <---     's' status ("ok", "ok_simultaneous", "nok", "not_allowed", "alive")
 *                               <---     'N' flags challengeB creation name
 *   'r' challengeA digest(B)    --->
 *                               <---     'a' digest(A)
 * </pre>
 * digest(C) = MD5(cookie ++ C as unsigned decimal text). After the last message the socket carries 4-byte framed
 * distribution traffic.
 */
public final class Handshake {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the handshake established about the peer. */
    public record Peer(Atom name, long flags, int creation) {
        /** The flags both sides have. */
        public long common(long ours) {
            return flags & ours;
        }
    }

    /** Who we are. */
    public record Local(Atom name, long flags, int creation, String cookie) {
    }

    /** The acceptor's decision about an incoming connection from a named node. */
    public enum Verdict { OK, OK_SIMULTANEOUS, NOK, NOT_ALLOWED, ALIVE }

    /** Decides, for the acceptor, what to answer a node that wants to connect. */
    public interface Policy {
        Verdict decide(Atom peer);

        /**
         * After an {@code alive} answer the initiator said whether to replace its old connection. Nothing may change
         * yet: the peer has not proved the cookie, and a peer that only claims the name must not cut the real one.
         */
        void replaceExisting(Atom peer, boolean replace);

        /** The peer proved the cookie: a replacement asked for earlier may now take place. */
        void authenticated(Atom peer);
    }

    private Handshake() {
    }

    /** The initiator's side, for a node that has no other connection to the peer. */
    public static Peer initiate(DataInputStream in, DataOutputStream out, Local local, Atom expectedPeer)
            throws IOException {
        return initiate(in, out, local, expectedPeer, () -> true);
    }

    /**
     * The initiator's side.
     *
     * @param replaceStale asked when the peer answers {@code alive} (it has a connection from us that we do not
     *     know about): true to have the peer replace it, false to give up this attempt
     */
    public static Peer initiate(DataInputStream in, DataOutputStream out, Local local, Atom expectedPeer,
                                java.util.function.BooleanSupplier replaceStale) throws IOException {
        return initiate(in, out, local, expectedPeer, replaceStale, 2);
    }

    /**
     * The initiator's side, with messages whose lengths take {@code lengthBytes} bytes (2 over TCP, 4 inside TLS).
     */
    public static Peer initiate(DataInputStream in, DataOutputStream out, Local local, Atom expectedPeer,
                                java.util.function.BooleanSupplier replaceStale, int lengthBytes) throws IOException {
        Framing f = new Framing(in, out, lengthBytes);
        byte[] name = local.name().name().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeByte('N');
        d.writeLong(local.flags());
        d.writeInt(local.creation());
        d.writeShort(name.length);
        d.write(name);
        f.write(b.toByteArray());

        byte[] status;
        try {
            status = f.read();
        } catch (java.io.EOFException e) {
            throw new HandshakeException(expectedPeer + " closed the connection without answering the handshake"
                    + (lengthBytes == 2 ? ": it may be a TLS node (this node is plain TCP), or it refused us for a "
                    + "reason its log gives" : ": it refused us (this node's TLS certificate, most likely) for a "
                    + "reason its log gives"));
        }
        expectTag(status, 's', "status");
        String text = new String(status, 1, status.length - 1, StandardCharsets.US_ASCII);
        switch (text) {
            case "ok", "ok_simultaneous" -> { }
            case "alive" -> {
                if (!replaceStale.getAsBoolean()) {
                    f.write("sfalse".getBytes(StandardCharsets.US_ASCII));
                    throw new HandshakeException(expectedPeer + " is already connected to us (alive)",
                            HandshakeException.Outcome.GAVE_WAY);
                }
                f.write("strue".getBytes(StandardCharsets.US_ASCII));
            }
            case "nok" -> throw new HandshakeException(expectedPeer + " refused the connection (nok): it is "
                    + "connecting to us at the same time and its attempt wins", HandshakeException.Outcome.GAVE_WAY);
            case "not_allowed" -> throw new HandshakeException(expectedPeer + " does not allow the connection "
                    + "(not_allowed): a missing capability or a short/long name mismatch; see its log");
            default -> throw new HandshakeException(expectedPeer + " answered the handshake with status '" + text
                    + "'");
        }

        byte[] challenge = f.read();
        expectTag(challenge, 'N', "challenge");
        DataInputStream c = body(challenge);
        long flags = DistFlags.normalise(c.readLong());
        int challengeB = c.readInt();
        int creation = c.readInt();
        Atom peer = readName(c);
        if (!peer.equals(expectedPeer)) {
            throw new HandshakeException("connected to " + expectedPeer + " but it says it is " + peer);
        }
        checkFlags(peer, flags);

        int challengeA = RANDOM.nextInt();
        b.reset();
        d.writeByte('r');
        d.writeInt(challengeA);
        d.write(digest(challengeB, local.cookie()));
        f.write(b.toByteArray());

        byte[] ack;
        try {
            ack = f.read();
        } catch (java.io.EOFException e) {
            throw new HandshakeException(peer + " closed the connection after our challenge reply: the cookies "
                    + "differ, or it refused us for a reason its log gives");
        }
        if (ack.length == 0 || ack[0] != 'a') {
            throw new HandshakeException(peer + " did not acknowledge our challenge reply: the cookies differ");
        }
        if (ack.length != 17 || !MessageDigest.isEqual(Arrays.copyOfRange(ack, 1, 17),
                digest(challengeA, local.cookie()))) {
            throw new HandshakeException(peer + " answered our challenge with a wrong digest: the cookies differ");
        }
        return new Peer(Atom.of(peer.name()), flags, creation); // proved the cookie: into the atom table
    }

    /** The acceptor's side. */
    public static Peer accept(DataInputStream in, DataOutputStream out, Local local, Policy policy)
            throws IOException {
        return accept(in, out, local, policy, 2);
    }

    /** The acceptor's side, with messages whose lengths take {@code lengthBytes} bytes (2 over TCP, 4 inside TLS). */
    public static Peer accept(DataInputStream in, DataOutputStream out, Local local, Policy policy, int lengthBytes)
            throws IOException {
        Framing f = new Framing(in, out, lengthBytes);
        byte[] sendName = f.read();
        if (sendName.length > 0 && sendName[0] == 'n') {
            f.write("snot_allowed".getBytes(StandardCharsets.US_ASCII));
            throw new HandshakeException("a node sent the pre-OTP-23 handshake (version 5), which Ergon does not "
                    + "speak");
        }
        expectTag(sendName, 'N', "send_name");
        DataInputStream s = body(sendName);
        long flags = DistFlags.normalise(s.readLong());
        int creation = s.readInt();
        Atom peer = readName(s);
        if (!DistFlags.missing(flags).isEmpty()) {
            f.write("snot_allowed".getBytes(StandardCharsets.US_ASCII));
            throw new HandshakeException("refused " + peer + ": it lacks the required capabilities "
                    + DistFlags.missing(flags));
        }
        if (isLongName(peer) != isLongName(local.name())) {
            f.write("snot_allowed".getBytes(StandardCharsets.US_ASCII));
            throw new HandshakeException("refused " + peer + ": short and long node names do not mix ("
                    + local.name() + " is a " + (isLongName(local.name()) ? "long" : "short") + " name)");
        }
        Verdict verdict = policy.decide(peer);
        switch (verdict) {
            case OK -> f.write("sok".getBytes(StandardCharsets.US_ASCII));
            case OK_SIMULTANEOUS -> f.write("sok_simultaneous".getBytes(StandardCharsets.US_ASCII));
            case NOK -> {
                f.write("snok".getBytes(StandardCharsets.US_ASCII));
                throw new HandshakeException("refused " + peer + ": our own connection attempt to it wins",
                        HandshakeException.Outcome.RESOLVED);
            }
            case NOT_ALLOWED -> {
                f.write("snot_allowed".getBytes(StandardCharsets.US_ASCII));
                throw new HandshakeException("refused " + peer + ": not allowed");
            }
            case ALIVE -> {
                f.write("salive".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = f.read();
                boolean replace = new String(answer, StandardCharsets.US_ASCII).equals("strue");
                policy.replaceExisting(peer, replace);
                if (!replace) {
                    throw new HandshakeException(peer + " kept its existing connection",
                            HandshakeException.Outcome.RESOLVED);
                }
            }
        }

        int challengeB = RANDOM.nextInt();
        byte[] name = local.name().name().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeByte('N');
        d.writeLong(local.flags());
        d.writeInt(challengeB);
        d.writeInt(local.creation());
        d.writeShort(name.length);
        d.write(name);
        f.write(b.toByteArray());

        byte[] reply = f.read();
        expectTag(reply, 'r', "challenge_reply");
        if (reply.length != 21) {
            throw new HandshakeException(peer + " sent a challenge reply of " + reply.length + " bytes, not 21");
        }
        DataInputStream r = body(reply);
        int challengeA = r.readInt();
        byte[] digest = new byte[16];
        r.readFully(digest);
        if (!MessageDigest.isEqual(digest, digest(challengeB, local.cookie()))) {
            throw new HandshakeException("refused " + peer + ": invalid challenge reply (the cookies differ)");
        }
        peer = Atom.of(peer.name());
        policy.authenticated(peer);
        b.reset();
        d.writeByte('a');
        d.write(digest(challengeA, local.cookie()));
        f.write(b.toByteArray());
        return new Peer(Atom.of(peer.name()), flags, creation); // proved the cookie: into the atom table
    }

    /** MD5(cookie ++ the challenge as unsigned decimal text), as OTP's dist_util computes it. */
    public static byte[] digest(int challenge, String cookie) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(cookie.getBytes(StandardCharsets.ISO_8859_1));
            md5.update(Long.toString(Integer.toUnsignedLong(challenge)).getBytes(StandardCharsets.US_ASCII));
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    static boolean isLongName(Atom node) {
        String n = node.name();
        return NodeName.isLongHost(n.substring(n.indexOf('@') + 1));
    }

    private static Atom readName(DataInputStream in) throws IOException {
        byte[] n = new byte[in.readUnsignedShort()];
        in.readFully(n);
        String name = new String(n, StandardCharsets.UTF_8);
        if (name.indexOf('@') <= 0) {
            throw new HandshakeException("the peer's node name '" + name + "' is not alive@host");
        }
        try {
            return Atom.provisional(name); // not in the atom table until the peer has proved the cookie
        } catch (IllegalArgumentException e) {
            throw new HandshakeException("the peer's node name is not an atom: " + e.getMessage());
        }
    }

    private static void checkFlags(Atom peer, long flags) throws HandshakeException {
        if (!DistFlags.missing(flags).isEmpty()) {
            throw new HandshakeException("cannot connect to " + peer + ": it lacks the required capabilities "
                    + DistFlags.missing(flags));
        }
    }

    private static void expectTag(byte[] message, char tag, String what) throws HandshakeException {
        if (message.length == 0 || message[0] != tag) {
            throw new HandshakeException("expected the " + what + " message ('" + tag + "') but got "
                    + (message.length == 0 ? "an empty message" : "tag " + (message[0] & 0xff)));
        }
    }

    private static DataInputStream body(byte[] message) {
        return new DataInputStream(new java.io.ByteArrayInputStream(message, 1, message.length - 1));
    }

    static byte[] read(DataInputStream in) throws IOException {
        return new Framing(in, null, 2).read();
    }

    static void write(DataOutputStream out, byte[] message) throws IOException {
        new Framing(null, out, 2).write(message);
    }

    /**
     * Handshake messages on a stream pair, with 2- or 4-byte lengths. Over TCP (2 bytes) a message that begins as a
     * TLS record does ({@code 0x16 0x03}: a handshake record, {@code 0x15 0x03}: an alert) is a TLS peer: no
     * distribution handshake message is 5 KiB long, so the refusal can say so instead of waiting for 5,635 bytes.
     */
    private record Framing(DataInputStream in, DataOutputStream out, int lengthBytes) {
        /** The longest handshake message accepted inside TLS: send_name and challenge carry a name of 255+ bytes. */
        private static final int MAX_TLS_MESSAGE = 64 * 1024;

        byte[] read() throws IOException {
            int len;
            if (lengthBytes == 2) {
                len = in.readUnsignedShort();
                if ((len >> 8 == 0x16 || len >> 8 == 0x15) && (len & 0xff) == 0x03) {
                    throw new HandshakeException("the peer speaks TLS: it is a TLS node (Erlang's -proto_dist "
                            + "inet_tls, or Ergon with TLS on), and this node is plain TCP");
                }
            } else {
                len = in.readInt();
                if (len < 0 || len > MAX_TLS_MESSAGE) {
                    throw new HandshakeException("a handshake message of " + Integer.toUnsignedString(len)
                            + " bytes: not a distribution handshake");
                }
            }
            byte[] m = new byte[len];
            in.readFully(m);
            return m;
        }

        void write(byte[] message) throws IOException {
            if (lengthBytes == 2) {
                out.writeShort(message.length);
            } else {
                out.writeInt(message.length);
            }
            out.write(message);
            out.flush();
        }
    }
}
