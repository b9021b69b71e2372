package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * net_ticktime's accounting: silence for four quarters is a dead peer, except while this node's own reader is paused
 * by inbound backpressure (the peer's ticks wait behind its messages in the socket); once it reads again, silence
 * counts again from zero.
 */
class TickWatchTest {
    @Test
    void fourSilentQuartersMakeADeadPeer() {
        TickWatch w = new TickWatch();
        assertThat(w.silentForTickTime(false, 0)).isFalse();
        assertThat(w.silentForTickTime(false, 0)).isFalse();
        assertThat(w.silentForTickTime(false, 0)).isFalse();
        assertThat(w.silentForTickTime(false, 0)).isTrue();
    }

    @Test
    void aFrameInStartsTheCountAgain() {
        TickWatch w = new TickWatch();
        for (int i = 0; i < 3; i++) {
            assertThat(w.silentForTickTime(false, 0)).isFalse();
        }
        w.frameIn();
        for (int i = 0; i < 4; i++) {
            assertThat(w.silentForTickTime(false, 0)).isFalse();
        }
        assertThat(w.silentForTickTime(false, 0)).isTrue();
    }

    @Test
    void quartersWhileTheReaderIsPausedAreNotSilenceButAReallyDeadPeerIsStillFound() {
        TickWatch w = new TickWatch();
        assertThat(w.silentForTickTime(false, 0)).isFalse();
        // paused for much longer than net_ticktime: never a dead peer
        for (int i = 0; i < 40; i++) {
            assertThat(w.silentForTickTime(true, 1)).isFalse();
        }
        // a pause that began and ended between two quarters counts as well
        assertThat(w.silentForTickTime(false, 2)).isFalse();
        // reading again and hearing nothing: dead after the whole tick time
        assertThat(w.silentForTickTime(false, 2)).isFalse();
        assertThat(w.silentForTickTime(false, 2)).isFalse();
        assertThat(w.silentForTickTime(false, 2)).isFalse();
        assertThat(w.silentForTickTime(false, 2)).isTrue();
    }
}
