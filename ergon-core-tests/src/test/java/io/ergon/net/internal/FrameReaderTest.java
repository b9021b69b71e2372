package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.etf.EtfDecoder;
import io.ergon.etf.EtfEncoder;
import io.ergon.etf.EtfTags;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * FrameReader against frames built here byte by byte, as OTP sends them (erl_dist_protocol: "Distribution Header",
 * "Distribution Header for Fragmented Messages", and pass-through frames), independent of FrameWriter.
 */
class FrameReaderTest {
    private static final int LIMIT = 1024 * 1024;
    private static final Pid TO = new Pid(Atom.of("here@host"), 42, 0, 7);
    private static final Tuple SEND = Tuple.of((long) Control.SEND, Atom.of(""), TO);
    private static final EtfEncoder ENC = new EtfEncoder();

    /** A term with its version byte, as in a pass-through frame. */
    private static byte[] versioned(Object term) {
        return ENC.encode(term);
    }

    /** A term without its version byte, as after a distribution header. */
    private static byte[] bare(Object term) {
        byte[] v = versioned(term);
        assertThat(v[0] & 0xff).isEqualTo(EtfTags.VERSION);
        return Arrays.copyOfRange(v, 1, v.length);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /** {@code Len:32} then the frame. */
    private static byte[] framed(byte[]... frames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (byte[] f : frames) {
            out.writeInt(f.length);
            out.write(f);
        }
        return bytes.toByteArray();
    }

    private static byte[] header(int atomCacheRefs) {
        return bytes(EtfTags.VERSION, EtfTags.DIST_HEADER, atomCacheRefs);
    }

    private static byte[] firstFragment(long seq, long id, byte[] part) {
        return concat(bytes(EtfTags.VERSION, EtfTags.DIST_FRAG_HEADER), longBytes(seq), longBytes(id), bytes(0), part);
    }

    private static byte[] laterFragment(long seq, long id, byte[] part) {
        return concat(bytes(EtfTags.VERSION, EtfTags.DIST_FRAG_CONT), longBytes(seq), longBytes(id), part);
    }

    private static FrameReader reader(byte[] wire) {
        return reader(new ByteArrayInputStream(wire));
    }

    private static FrameReader reader(InputStream in) {
        return new FrameReader(new DataInputStream(in), new EtfDecoder(), LIMIT);
    }

    @Test
    void anEmptyFrameIsATick() throws IOException {
        FrameReader r = reader(framed(new byte[0], new byte[0]));
        assertThat(r.next()).isNull();
        assertThat(r.next()).isNull();
    }

    @Test
    void aPassThroughFrameHasAVersionByteBeforeEachTerm() throws IOException {
        byte[] frame = concat(bytes(EtfTags.PASS_THROUGH), versioned(SEND), versioned("hi"));
        FrameReader.Message m = reader(framed(frame)).next();
        assertThat(m.control()).isEqualTo(SEND);
        assertThat(m.payload()).isEqualTo(io.ergon.term.Binary.of("hi"));
    }

    @Test
    void aHeaderFrameHasBareTermsAndMayHaveNoPayload() throws IOException {
        Tuple link = Tuple.of((long) Control.LINK, TO, TO);
        FrameReader.Message m = reader(framed(concat(header(0), bare(link)))).next();
        assertThat(m.control()).isEqualTo(link);
        assertThat(m.payload()).isNull();
    }

    @Test
    void fragmentsCountDownToOneAndAreJoinedBeforeDecoding() throws IOException {
        byte[] payload = bare(Atom.of("a_payload_split_in_three"));
        byte[] p1 = Arrays.copyOfRange(payload, 0, 5);
        byte[] p2 = Arrays.copyOfRange(payload, 5, 12);
        byte[] p3 = Arrays.copyOfRange(payload, 12, payload.length);
        FrameReader r = reader(framed(firstFragment(9, 3, concat(bare(SEND), p1)), laterFragment(9, 2, p2),
                laterFragment(9, 1, p3)));
        FrameReader.Message m = r.next();
        assertThat(m.control()).isEqualTo(SEND);
        assertThat(m.payload()).isEqualTo(Atom.of("a_payload_split_in_three"));
    }

    @Test
    void aFirstFragmentWithIdOneIsAWholeMessage() throws IOException {
        FrameReader.Message m = reader(framed(firstFragment(1, 1, concat(bare(SEND), bare(5L))))).next();
        assertThat(m.payload()).isEqualTo(5L);
    }

    @Test
    void sequencesFromTwoSendersInterleave() throws IOException {
        byte[] a = concat(bare(SEND), bare(Atom.of("from_a")));
        byte[] b = concat(bare(SEND), bare(Atom.of("from_b")));
        int cut = bare(SEND).length + 2;
        FrameReader r = reader(framed(
                firstFragment(1, 2, Arrays.copyOfRange(a, 0, cut)),
                firstFragment(2, 2, Arrays.copyOfRange(b, 0, cut)),
                laterFragment(2, 1, Arrays.copyOfRange(b, cut, b.length)),
                laterFragment(1, 1, Arrays.copyOfRange(a, cut, a.length))));
        assertThat(r.next().payload()).isEqualTo(Atom.of("from_b"));
        assertThat(r.next().payload()).isEqualTo(Atom.of("from_a"));
    }

    @Test
    void framesThatArriveAByteAtATimeAreReadWhole() throws IOException {
        byte[] wire = framed(new byte[0], concat(header(0), bare(SEND), bare(7L)));
        InputStream trickle = new ByteArrayInputStream(wire) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        FrameReader r = reader(trickle);
        assertThat(r.next()).isNull();
        assertThat(r.next().payload()).isEqualTo(7L);
    }

    @Test
    void aStreamThatEndsInsideAFrameIsEof() throws IOException {
        byte[] wire = framed(concat(header(0), bare(SEND), bare(7L)));
        FrameReader r = reader(Arrays.copyOf(wire, wire.length - 2));
        assertThatThrownBy(r::next).isInstanceOf(EOFException.class);
        assertThatThrownBy(reader(bytes(0, 0))::next).isInstanceOf(EOFException.class);
    }

    @Test
    void atomCacheReferencesAreRefusedWithAClearError() throws IOException {
        // Ergon never offers DFLAG_DIST_HDR_ATOM_CACHE, so a peer must not use the atom cache
        assertThatThrownBy(reader(framed(concat(header(1), bytes(0x08, 0, 1, 'a'), bare(SEND))))::next)
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("1 atom cache references").hasMessageContaining("not negotiated");
        byte[] fragmentWithRefs = firstFragment(1, 1, bare(SEND));
        fragmentWithRefs[FrameReader.FRAGMENT_HEADER_LENGTH] = 2;
        assertThatThrownBy(reader(framed(fragmentWithRefs))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("2 atom cache references");
    }

    @Test
    void malformedFramesAreProtocolErrorsThatSayWhatIsWrong() throws IOException {
        assertThatThrownBy(reader(framed(bytes(7, 7, 7)))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("starts with byte 7");
        assertThatThrownBy(reader(framed(bytes(EtfTags.VERSION, 99, 0)))::next)
                .isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("unknown distribution header type 99");
        assertThatThrownBy(reader(framed(concat(bytes(EtfTags.VERSION, EtfTags.DIST_FRAG_HEADER), longBytes(1))))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("too short");
        assertThatThrownBy(reader(framed(bytes(EtfTags.VERSION, EtfTags.DIST_FRAG_CONT, 0)))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("too short");
        assertThatThrownBy(reader(framed(firstFragment(1, 0, bare(SEND))))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("id 0");
        assertThatThrownBy(reader(framed(concat(header(0), bare(SEND), bare(1L), bytes(0, 0))))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("2 bytes follow the payload");
        assertThatThrownBy(reader(framed(concat(header(0), bytes(104, 3, 97))))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("undecodable term");
    }

    @Test
    void fragmentsOutOfTurnOrOfUnknownSequencesAreProtocolErrors() throws IOException {
        assertThatThrownBy(reader(framed(laterFragment(5, 1, bare(1L))))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("out of turn");
        assertThatThrownBy(reader(framed(firstFragment(5, 3, bare(SEND)), laterFragment(5, 1, bare(1L))))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("fragment 1 of sequence 5");
        assertThatThrownBy(reader(framed(firstFragment(5, 3, bare(SEND)), firstFragment(5, 2, bare(SEND))))::next)
                .isInstanceOf(FrameReader.ProtocolException.class).hasMessageContaining("already open");
    }

    @Test
    void framesAndReassembledMessagesOverTheLimitAreRefused() throws IOException {
        FrameReader small = new FrameReader(new DataInputStream(new ByteArrayInputStream(
                framed(new byte[100]))), new EtfDecoder(), 50);
        assertThatThrownBy(small::next).isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("100 bytes exceeds the limit of 50");
        byte[] part = new byte[40];
        FrameReader growing = new FrameReader(new DataInputStream(new ByteArrayInputStream(framed(
                firstFragment(1, 3, part), laterFragment(1, 2, part)))), new EtfDecoder(), 70);
        assertThatThrownBy(growing::next).isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("fragmented message exceeds the limit of 70");
    }

    /** A frame announced at the largest size costs only what arrives of it (issue 19: 64 MiB at once). */
    @Test
    void aFrameBufferGrowsAsBytesArriveNotFromTheAnnouncedLength() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(wire);
        out.writeInt(LIMIT);
        out.write(new byte[100]);
        FrameReader r = reader(wire.toByteArray());
        assertThatThrownBy(r::next).isInstanceOf(EOFException.class)
                .hasMessageContaining("inside a frame of " + LIMIT + " bytes");
        assertThat(r.bufferCapacity()).isLessThanOrEqualTo(16 * 1024);
    }

    /** First fragments never completed (issue 19's fragment flood) are bounded in number... */
    @Test
    void firstFragmentsThatNeverCompleteAreBoundedInNumber() throws IOException {
        byte[][] frames = new byte[FrameReader.MAX_OPEN_SEQUENCES + 1][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = firstFragment(i, 2, concat(bare(SEND), new byte[] {0}));
        }
        FrameReader r = reader(framed(frames));
        assertThatThrownBy(r::next).isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("more than " + FrameReader.MAX_OPEN_SEQUENCES + " fragmented messages");
    }

    /** ... and in bytes, over all the sequences open at once. */
    @Test
    void openFragmentsAreBoundedInBytesAcrossSequences() throws IOException {
        byte[] big = new byte[LIMIT / 3];
        FrameReader r = reader(framed(firstFragment(1, 5, big), firstFragment(2, 5, big), firstFragment(3, 5, big),
                firstFragment(4, 5, big)));
        assertThatThrownBy(r::next).isInstanceOf(FrameReader.ProtocolException.class)
                .hasMessageContaining("the open fragmented messages hold more than the limit");
    }
}
