package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.testing.SlowPeer;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded EPMD against hostile peers (issue 19): slow requests, and who may register or stop it. */
class EpmdHardeningTest {
    /** Its request deadline is 10 s for the whole request, however slowly the bytes come (it was per read). */
    @Test
    @Timeout(40)
    void aRequestFedOneByteAtATimeIsCutOffAtTheDeadline() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), epmd.port())) {
            // a request of 200 bytes, that come one a second
            long closedAfterMillis = SlowPeer.feedUntilClosed(s, new byte[] {0, (byte) 200}, 'n', 25, 100, 900);
            // -1 would mean it stayed open while the peer fed it (25 s): the deadline cut it off
            assertThat(closedAfterMillis).as("closed after (ms)").isGreaterThanOrEqualTo(9_000L);
            assertThat(new EpmdClient(InetAddress.getLoopbackAddress(), epmd.port()).names()).as("still serves")
                    .isEmpty();
        }
    }

    /** As Erlang's epmd: ALIVE2, KILL and STOP only from this host's own addresses. */
    @Test
    void onlyThisHostsAddressesCountAsLocal() throws Exception {
        assertThat(EpmdServer.isLocal(InetAddress.getLoopbackAddress())).isTrue();
        assertThat(EpmdServer.isLocal(InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(EpmdServer.isLocal(InetAddress.getByName("192.0.2.1"))).as("TEST-NET-1, no host's").isFalse();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                assertThat(EpmdServer.isLocal(a)).as("%s of %s", a, nic.getName()).isTrue();
            }
        }
    }
}
