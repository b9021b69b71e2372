package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.etf.EtfBuffer;
import io.ergon.etf.EtfDecoder;
import io.ergon.etf.EtfEncoder;
import io.ergon.etf.EtfTags;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** FrameWriter and FrameReader against each other and against the wire shapes of OTP's distribution protocol. */
class FramesTest {
    private static final int LIMIT = 16 * 1024 * 1024;
    private static final Pid TO = new Pid(Atom.of("peer@host"), 42, 0, 7);

    private static OutFrame frame(Object control, Object payload) {
        EtfEncoder enc = new EtfEncoder();
        EtfBuffer buf = new EtfBuffer(64);
        enc.encode(control, buf);
        int ctrl = buf.size();
        if (payload != null) {
            enc.encode(payload, buf);
        }
        return new OutFrame(buf.toByteArray(), ctrl);
    }

    private static byte[] write(boolean headers, OutFrame... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out, headers);
        for (OutFrame f : frames) {
            w.write(f);
        }
        w.flush();
        return out.toByteArray();
    }

    private static FrameReader reader(byte[] bytes, int limit) {
        return new FrameReader(new DataInputStream(new ByteArrayInputStream(bytes)), new EtfDecoder(), limit);
    }

    private static int u8(byte[] b, int at) {
        return b[at] & 0xff;
    }

    @Test
    void passThroughFrameKeepsEachTermsVersionByte() throws IOException {
        Object control = Tuple.of((long) Control.SEND, Atom.of(""), TO);
        byte[] wire = write(false, frame(control, Atom.of("hello")));
        assertThat(u8(wire, 4)).isEqualTo(EtfTags.PASS_THROUGH);
        assertThat(u8(wire, 5)).isEqualTo(EtfTags.VERSION);
        int len = ((wire[0] & 0xff) << 24) | ((wire[1] & 0xff) << 16) | ((wire[2] & 0xff) << 8) | (wire[3] & 0xff);
        assertThat(len).isEqualTo(wire.length - 4);
        FrameReader.Message m = reader(wire, LIMIT).next();
        assertThat(m.control()).isEqualTo(control);
        assertThat(m.payload()).isEqualTo(Atom.of("hello"));
    }

    @Test
    void headerFrameHasNoAtomCacheRefsAndRoundTrips() throws IOException {
        Object control = Tuple.of((long) Control.LINK, TO, TO);
        byte[] wire = write(true, frame(control, null));
        assertThat(Arrays.copyOfRange(wire, 4, 7))
                .containsExactly(EtfTags.VERSION, EtfTags.DIST_HEADER, 0);
        FrameReader.Message m = reader(wire, LIMIT).next();
        assertThat(m.control()).isEqualTo(control);
        assertThat(m.payload()).isNull();
    }

    @Test
    void ticksAreEmptyFramesAndReadAsNull() throws IOException {
        Object control = Tuple.of((long) Control.SEND, Atom.of(""), TO);
        byte[] wire = write(true, OutFrame.TICK, frame(control, 1L), OutFrame.TICK);
        assertThat(Arrays.copyOfRange(wire, 0, 4)).containsExactly(0, 0, 0, 0);
        FrameReader r = reader(wire, LIMIT);
        assertThat(r.next()).isNull();
        assertThat(r.next().payload()).isEqualTo(1L);
        assertThat(r.next()).isNull();
        assertThatThrownBy(r::next).isInstanceOf(EOFException.class);
    }

    @Test
    void aLargeMessageGoesInFragmentsCountingDownAndIsReassembled() throws IOException {
        byte[] big = new byte[FrameWriter.FRAGMENT_SIZE * 2 + 1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Object control = Tuple.of((long) Control.SEND, Atom.of(""), TO);
        Object small = Atom.of("after");
        byte[] wire = write(true, frame(control, Binary.of(big)), frame(control, small));
        // first fragment: 131, 69, Seq:64, FragId:64 = 3 (three parts), 0 refs
        assertThat(u8(wire, 4)).isEqualTo(EtfTags.VERSION);
        assertThat(u8(wire, 5)).isEqualTo(EtfTags.DIST_FRAG_HEADER);
        assertThat(readLong(wire, 14)).isEqualTo(3);
        assertThat(u8(wire, 22)).isZero();
        int at = 0;
        int fragments = 0;
        while (u8(wire, at + 5) != EtfTags.DIST_HEADER) {
            if (fragments > 0) {
                assertThat(u8(wire, at + 5)).isEqualTo(EtfTags.DIST_FRAG_CONT);
                assertThat(readLong(wire, at + 14)).isEqualTo(3 - fragments);
            }
            at += 4 + readInt(wire, at);
            fragments++;
        }
        assertThat(fragments).isEqualTo(3);
        FrameReader r = reader(wire, LIMIT);
        FrameReader.Message m = r.next();
        assertThat(m.control()).isEqualTo(control);
        assertThat(((Binary) m.payload()).toByteArray()).isEqualTo(big);
        assertThat(r.next().payload()).isEqualTo(small);
    }

    @Test
    void interleavedFragmentSequencesAreReassembledApart() throws IOException {
        byte[] a = new byte[FrameWriter.FRAGMENT_SIZE + 10];
        byte[] b = new byte[FrameWriter.FRAGMENT_SIZE + 20];
        Arrays.fill(a, (byte) 1);
        Arrays.fill(b, (byte) 2);
        Object control = Tuple.of((long) Control.SEND, Atom.of(""), TO);
        byte[] wire = write(true, frame(control, Binary.of(a)), frame(control, Binary.of(b)));
        // frames: a1 a2 b1 b2; reorder to a1 b1 a2 b2 as two senders' fragments may arrive
        int a1 = 0;
        int a2 = a1 + 4 + readInt(wire, a1);
        int b1 = a2 + 4 + readInt(wire, a2);
        int b2 = b1 + 4 + readInt(wire, b1);
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.write(wire, a1, a2 - a1);
        mixed.write(wire, b1, b2 - b1);
        mixed.write(wire, a2, b1 - a2);
        mixed.write(wire, b2, wire.length - b2);
        FrameReader r = reader(mixed.toByteArray(), LIMIT);
        assertThat(((Binary) r.next().payload()).toByteArray()).isEqualTo(a);
        assertThat(((Binary) r.next().payload()).toByteArray()).isEqualTo(b);
    }

    @Test
    void anOversizedFrameIsAProtocolError() throws IOException {
        byte[] wire = write(true, frame(Tuple.of((long) Control.SEND, Atom.of(""), TO), Binary.of(new byte[2000])));
        assertThatThrownBy(() -> reader(wire, 1000).next())
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("exceeds the limit of 1000");
    }

    @Test
    void aTruncatedFrameEndsInEof() throws IOException {
        byte[] wire = write(true, frame(Tuple.of((long) Control.SEND, Atom.of(""), TO), 1L));
        assertThatThrownBy(() -> reader(Arrays.copyOf(wire, wire.length - 2), LIMIT).next())
                .isInstanceOf(EOFException.class);
    }

    @Test
    void aFrameWithATruncatedTermIsAProtocolError() throws IOException {
        // a header frame whose control term claims more elements than it has
        byte[] body = {(byte) EtfTags.VERSION, (byte) EtfTags.DIST_HEADER, 0, (byte) EtfTags.SMALL_TUPLE_EXT, 3,
                (byte) EtfTags.SMALL_INTEGER_EXT, 2};
        assertThatThrownBy(() -> reader(framed(body), LIMIT).next())
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("undecodable term");
    }

    @Test
    void unknownFrameStartsAndAtomCacheRefsAreProtocolErrors() {
        assertThatThrownBy(() -> reader(framed(new byte[] {1, 2, 3}), LIMIT).next())
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("no distribution frame");
        assertThatThrownBy(() -> reader(framed(new byte[] {(byte) EtfTags.VERSION, 99, 0}), LIMIT).next())
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("unknown distribution header type 99");
        assertThatThrownBy(() -> reader(framed(new byte[] {(byte) EtfTags.VERSION, (byte) EtfTags.DIST_HEADER, 2}),
                LIMIT).next())
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("atom cache");
        assertThatThrownBy(() -> reader(framed(new byte[] {(byte) EtfTags.VERSION, (byte) EtfTags.DIST_FRAG_CONT,
                0, 0, 0}), LIMIT).next())
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void aFragmentOutOfTurnIsAProtocolError() throws IOException {
        byte[] big = new byte[FrameWriter.FRAGMENT_SIZE + 10];
        byte[] wire = write(true, frame(Tuple.of((long) Control.SEND, Atom.of(""), TO), Binary.of(big)));
        int second = 4 + readInt(wire, 0);
        byte[] onlySecond = Arrays.copyOfRange(wire, second, wire.length);
        assertThatThrownBy(() -> reader(onlySecond, LIMIT).next())
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("out of turn");
    }

    private static byte[] framed(byte[] body) {
        byte[] b = new byte[4 + body.length];
        b[3] = (byte) body.length;
        System.arraycopy(body, 0, b, 4, body.length);
        return b;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static long readLong(byte[] b, int at) {
        return ((long) readInt(b, at) << 32) | (readInt(b, at + 4) & 0xffffffffL);
    }
}
