package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.etf.EtfTags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FrameWriter's bytes, checked field by field against erl_dist_protocol's frame layouts: the length prefix, the
 * pass-through tag, the distribution header without atom cache references, and fragments whose ids count down to
 * one. The frames carry opaque bytes here: what the terms are does not matter to the writer.
 */
class FrameWriterTest {
    private static final int FRAGMENT = FrameWriter.FRAGMENT_SIZE;

    /** A message of {@code control} control bytes (all 1) and {@code payload} payload bytes (all 2). */
    private static OutFrame message(int control, int payload) {
        byte[] d = new byte[control + payload];
        Arrays.fill(d, 0, control, (byte) 1);
        Arrays.fill(d, control, d.length, (byte) 2);
        return new OutFrame(d, control);
    }

    private static ByteBuffer written(boolean headers, OutFrame... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out, headers);
        for (OutFrame f : frames) {
            w.write(f);
        }
        w.flush();
        return ByteBuffer.wrap(out.toByteArray());
    }

    private static int u8(ByteBuffer b) {
        return b.get() & 0xff;
    }

    @Test
    void aTickIsFourZeroBytesInEitherForm() throws IOException {
        assertThat(written(false, OutFrame.TICK).array()).containsExactly(0, 0, 0, 0);
        assertThat(written(true, OutFrame.TICK).array()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void passThroughPutsTheTagThenAVersionByteBeforeEachTerm() throws IOException {
        ByteBuffer b = written(false, message(3, 2));
        assertThat(b.getInt()).isEqualTo(1 + 1 + 3 + 1 + 2);
        assertThat(u8(b)).isEqualTo(EtfTags.PASS_THROUGH);
        assertThat(u8(b)).isEqualTo(EtfTags.VERSION);
        assertThat(new int[] {u8(b), u8(b), u8(b)}).containsExactly(1, 1, 1);
        assertThat(u8(b)).isEqualTo(EtfTags.VERSION);
        assertThat(new int[] {u8(b), u8(b)}).containsExactly(2, 2);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void passThroughWithoutPayloadHasOneVersionByte() throws IOException {
        ByteBuffer b = written(false, message(3, 0));
        assertThat(b.getInt()).isEqualTo(1 + 1 + 3);
        assertThat(b.remaining()).isEqualTo(5);
    }

    @Test
    void aHeaderFrameSaysItUsesNoAtomCacheAndCarriesBareTerms() throws IOException {
        ByteBuffer b = written(true, message(3, 2));
        assertThat(b.getInt()).isEqualTo(FrameReader.HEADER_LENGTH + 5);
        assertThat(new int[] {u8(b), u8(b), u8(b)}).containsExactly(EtfTags.VERSION, EtfTags.DIST_HEADER, 0);
        assertThat(new int[] {u8(b), u8(b), u8(b), u8(b), u8(b)}).containsExactly(1, 1, 1, 2, 2);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void aMessageOfExactlyTheFragmentSizeIsNotFragmented() throws IOException {
        ByteBuffer b = written(true, message(10, FRAGMENT - 10));
        assertThat(b.getInt()).isEqualTo(FrameReader.HEADER_LENGTH + FRAGMENT);
        assertThat(b.get(5) & 0xff).isEqualTo(EtfTags.DIST_HEADER);
        assertThat(b.remaining()).isEqualTo(FrameReader.HEADER_LENGTH + FRAGMENT);
    }

    /** The frames of {@code b}: each one's bytes after its length prefix. */
    private static List<ByteBuffer> frames(ByteBuffer b) {
        List<ByteBuffer> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int len = b.getInt();
            out.add(b.slice(b.position(), len));
            b.position(b.position() + len);
        }
        return out;
    }

    @Test
    void aLargerMessageGoesInFragmentsWithTheWholeControlInTheFirst() throws IOException {
        int control = 10;
        int payload = 2 * FRAGMENT + 100;
        List<ByteBuffer> fs = frames(written(true, message(control, payload)));
        assertThat(fs).hasSize(3);
        ByteBuffer first = fs.get(0);
        assertThat(u8(first)).isEqualTo(EtfTags.VERSION);
        assertThat(u8(first)).isEqualTo(EtfTags.DIST_FRAG_HEADER);
        long seq = first.getLong();
        assertThat(first.getLong()).as("first fragment id = number of fragments").isEqualTo(3);
        assertThat(u8(first)).as("atom cache refs").isZero();
        assertThat(first.remaining()).isEqualTo(FRAGMENT);
        for (int i = 0; i < control; i++) {
            assertThat(first.get()).isEqualTo((byte) 1);
        }
        int carried = first.remaining();
        for (int i = 1; i < 3; i++) {
            ByteBuffer f = fs.get(i);
            assertThat(u8(f)).isEqualTo(EtfTags.VERSION);
            assertThat(u8(f)).isEqualTo(EtfTags.DIST_FRAG_CONT);
            assertThat(f.getLong()).isEqualTo(seq);
            assertThat(f.getLong()).isEqualTo(3 - i);
            carried += f.remaining();
        }
        assertThat(carried).isEqualTo(payload);
        assertThat(fs.get(2).remaining()).isEqualTo(payload - (FRAGMENT - control) - FRAGMENT);
    }

    @Test
    void eachFragmentedMessageGetsANewSequenceId() throws IOException {
        List<ByteBuffer> fs = frames(written(true, message(4, FRAGMENT + 1), message(4, FRAGMENT + 1)));
        assertThat(fs).hasSize(4);
        long first = fs.get(0).getLong(2);
        long second = fs.get(2).getLong(2);
        assertThat(second).isNotEqualTo(first);
        assertThat(fs.get(1).getLong(2)).isEqualTo(first);
        assertThat(fs.get(3).getLong(2)).isEqualTo(second);
    }

    @Test
    void aControlTermLargerThanAFragmentStillTravelsWholeInTheFirst() throws IOException {
        List<ByteBuffer> fs = frames(written(true, message(FRAGMENT + 5, 10)));
        assertThat(fs).hasSize(2);
        assertThat(fs.get(0).remaining()).isEqualTo(FrameReader.FIRST_FRAGMENT_HEADER_LENGTH + FRAGMENT + 5);
        assertThat(fs.get(0).getLong(10)).isEqualTo(2);
        assertThat(fs.get(1).remaining()).isEqualTo(FrameReader.FRAGMENT_HEADER_LENGTH + 10);
    }

    @Test
    void smallFramesWaitInTheBufferUntilFlushAndLargeOnesGoThrough() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out, true);
        w.write(message(3, 2));
        w.write(OutFrame.TICK);
        assertThat(out.size()).as("batched until flush").isZero();
        w.flush();
        assertThat(out.size()).isEqualTo(4 + FrameReader.HEADER_LENGTH + 5 + 4);
        w.write(message(10, FRAGMENT - 10));
        assertThat(out.size()).as("a frame larger than the buffer is written through").isGreaterThan(FRAGMENT);
    }
}
